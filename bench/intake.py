"""Benchmark intake: the worker ingesting feed items, and the look-ups as the corpus grows.

`run_feeds` serves made-up feeds on loopback (1,000 items by default) and times one worker
polling and ingesting them: extraction, de-duplication, tagging and clustering included;
articles per second and the share of the time each step takes.

`run` times the duplicate and story cluster look-ups as the corpus grows.

Its corpus of generated articles (made-up words, so nothing is copied from anywhere) grows to
each size asked for (10,000 then 200,000 by default), at a constant rate of articles a day,
each with its MinHash band keys and two subjects. At each size it times, on recent probes:

- `find_duplicate` for a text that is new (every band looked up, nothing found), and for a
  near-copy of a recent article (found and confirmed);
- `article_cluster` for a new article about the subjects of a recent one (candidates from the
  subjects' mentions in the window, compared, a story made), rolled back after each probe.

The look-ups must cost the same at every size: they read the window, never the corpus.
Times on a shared machine wander with its load, so the work is also counted exactly: the
database pages the look-up's SELECTs touch (EXPLAIN ANALYZE BUFFERS, on a sample of probes).
"""

import contextlib
import dataclasses
import datetime as dt
import functools
import http.server
import importlib
import json
import logging
import random
import threading
import time
from dataclasses import dataclass
from email.utils import format_datetime
from html import escape
from unittest import mock
from urllib.parse import urlsplit

from django.db import connection, transaction
from django.db.models import Count, F, Max
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from articles.clusters import article_cluster, cluster_refresh_lead
from articles.duplicates import band_keys, find_duplicate, text_minhash
from articles.models import (
    Article,
    ArticleShingleBand,
    Mention,
    Outlet,
    RelationshipEvidence,
    StoryCluster,
)
from articles.tagging import relationships_refresh_seen
from articles.tasks import tag_article
from entities.knowledge_base import get_dictionary
from entities.models import Alias, Entity, Relationship
from intake.models import Feed
from intake.services import feed_poll

from .stats import median, percentile

SOURCE_PREFIX = "https://intake.bench.example/"
ARTICLES_PER_DAY = 500
COMPANIES = 500
OUTLETS = 20
WORDS_PER_ARTICLE = 150
PROBES = 100
# Probes whose queries are explained to count the pages they touch.
EXPLAINED_PROBES = 10
BATCH = 2_000
SEED = 18


def run(sizes=(10_000, 200_000)) -> list[dict]:
    """Grow the corpus to each size and time the look-ups there; return one row per size."""
    rng = random.Random(SEED)
    vocabulary = [_made_up_word(rng) for _ in range(5_000)]
    companies = _companies()
    outlets = _outlets()
    _delete_corpus()
    rows = []
    try:
        built = 0
        for size in sorted(sizes):
            started = time.perf_counter()
            _grow(rng, vocabulary, companies, outlets, start=built, stop=size)
            build_s = time.perf_counter() - started
            built = size
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE articles_article")
                cursor.execute("ANALYZE articles_articleshingleband")
                cursor.execute("ANALYZE articles_mention")
            rows.append(
                {
                    "articles": size,
                    "build_s": build_s,
                    **_time_lookups(rng, vocabulary, companies, outlets),
                }
            )
    finally:
        _delete_corpus()
    return rows


def table(rows: list[dict]) -> str:
    """Return the figures as a text table: milliseconds per look-up at each corpus size."""
    lines = [
        "Intake look-ups (ms, median / p95; database pages touched, median)",
        f"{'articles':>10}  {'new text':>22}  {'near-copy':>22}  {'cluster':>22}",
    ]
    for row in rows:
        cells = [
            f"{row[f'{name}_median_ms']:6.1f} / {row[f'{name}_p95_ms']:6.1f} ms"
            f" {row[f'{name}_pages']:4.0f} p"
            for name in ("new_text", "near_copy", "cluster")
        ]
        lines.append(f"{row['articles']:>10,}  " + "  ".join(f"{cell:>22}" for cell in cells))
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        ratios = ", ".join(
            f"{name} x{last[f'{name}_median_ms'] / first[f'{name}_median_ms']:.2f}"
            for name in ("new_text", "near_copy", "cluster")
        )
        pages = ", ".join(
            f"{name} {first[f'{name}_pages']:.0f} -> {last[f'{name}_pages']:.0f} pages"
            for name in ("new_text", "near_copy", "cluster")
        )
        lines.append(f"from {first['articles']:,} to {last['articles']:,} articles: {ratios}")
        lines.append(f"work per look-up: {pages}")
    return "\n".join(lines)


def _time_lookups(rng, vocabulary, companies, outlets) -> dict[str, float]:
    recent = list(
        Article.objects.filter(source_url__startswith=SOURCE_PREFIX)
        .order_by("-published_at")
        .values_list("pk", "title", "body", "outlet_id")[:PROBES]
    )
    subjects = {}
    for article_id, entity_id in Mention.objects.filter(
        article_id__in=[pk for pk, *_ in recent]
    ).values_list("article_id", "entity_id"):
        subjects.setdefault(article_id, []).append(entity_id)
    times = {"new_text": [], "near_copy": [], "cluster": []}
    pages = {name: [] for name in times}

    def measure(name, explain, function, **kwargs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = function(**kwargs)
            times[name].append(time.perf_counter() - started)
        if explain:
            pages[name].append(_pages_touched(queries.captured_queries))
        return result

    for number, (pk, title, body, outlet_id) in enumerate(recent):
        explain = number < EXPLAINED_PROBES
        text = _text(rng, vocabulary)
        url = f"{SOURCE_PREFIX}probe/{pk}"
        measure("new_text", explain, find_duplicate, url=url, title=text[:60], body=text)

        copy = body.replace(body.split()[3], "edited", 1) + " Republished with permission."
        url = f"{SOURCE_PREFIX}copy/{pk}"
        found = measure("near_copy", explain, find_duplicate, url=url, title=title, body=copy)
        assert found is not None, "the bench's near-copy was not found"

        with transaction.atomic():
            probe = Article.objects.create(
                title=title,
                body=body.replace(body.split()[5], "rewritten", 1),
                source_url=f"{SOURCE_PREFIX}report/{pk}",
                outlet_id=next(o for o in outlets if o != outlet_id),
                language="en",
                published_at=timezone.now(),
                status=Article.Status.PUBLISHED,
            )
            Mention.objects.bulk_create(
                Mention(article=probe, entity_id=entity_id, salience=0.9, is_subject=True)
                for entity_id in subjects[pk]
            )
            measure("cluster", explain, article_cluster, article_id=probe.pk)
            transaction.set_rollback(True)
    figures = {}
    for name, samples in times.items():
        figures[f"{name}_median_ms"] = median(samples) * 1000
        figures[f"{name}_p95_ms"] = percentile(samples, 95) * 1000
        figures[f"{name}_pages"] = median(pages[name])
    return figures


def _pages_touched(queries) -> int:
    """Return the database pages (buffers) the SELECTs among these queries touch."""
    touched = 0
    with connection.cursor() as cursor:
        for query in queries:
            if not query["sql"].startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {query['sql']}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            top = plan[0]["Plan"]
            touched += top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
    return touched


def _grow(rng, vocabulary, companies, outlets, *, start: int, stop: int) -> None:
    """Add articles number start to stop: number n is n / ARTICLES_PER_DAY days old."""
    now = timezone.now()
    for first in range(start, stop, BATCH):
        numbers = range(first, min(first + BATCH, stop))
        articles = []
        for n in numbers:
            body = _text(rng, vocabulary)
            published_at = now - timezone.timedelta(days=n / ARTICLES_PER_DAY, minutes=1)
            articles.append(
                Article(
                    title=body[:80],
                    slug=f"intake-bench-{n}",
                    body=body,
                    source_url=f"{SOURCE_PREFIX}{n}",
                    canonical_url=f"https://intake.bench.example/{n}",
                    outlet_id=outlets[n % len(outlets)],
                    language="en",
                    status=Article.Status.PUBLISHED,
                    published_at=published_at,
                    tagging_status=Article.TaggingStatus.DONE,
                )
            )
        with transaction.atomic():
            # bulk_create skips Article.save(): the derived fields are set above.
            Article.objects.bulk_create(articles)
            ArticleShingleBand.objects.bulk_create(
                ArticleShingleBand(article=article, band=band, key=key)
                for article in articles
                for band, key in enumerate(band_keys(text_minhash(article.title, article.body)))
            )
            Mention.objects.bulk_create(
                Mention(
                    article=article,
                    entity_id=entity_id,
                    count=1,
                    salience=0.9,
                    is_subject=True,
                    article_published_at=article.published_at,
                )
                for article in articles
                for entity_id in rng.sample(companies, 2)
            )


def _text(rng, vocabulary) -> str:
    return " ".join(rng.choices(vocabulary, k=WORDS_PER_ARTICLE))


def _made_up_word(rng) -> str:
    return "".join(rng.choices("bcdfghklmnprstvz", k=3)) + rng.choice(["a", "e", "o", "u"])


def _companies() -> list[int]:
    existing = set(
        Entity.objects.filter(slug__startswith="intake-bench-").values_list("slug", flat=True)
    )
    Entity.objects.bulk_create(
        Entity(kind=Entity.Kind.COMPANY, slug=slug, name=f"Intake Bench Company {n}")
        for n in range(COMPANIES)
        if (slug := f"intake-bench-{n}") not in existing
    )
    return list(
        Entity.objects.filter(slug__startswith="intake-bench-").values_list("pk", flat=True)
    )


def _outlets() -> list[int]:
    for n in range(OUTLETS):
        Outlet.objects.get_or_create(name=f"Intake Bench Outlet {n}")
    return list(
        Outlet.objects.filter(name__startswith="Intake Bench Outlet").values_list("pk", flat=True)
    )


def _delete_corpus() -> None:
    articles = Article.objects.filter(source_url__startswith=SOURCE_PREFIX)
    with connection.cursor() as cursor:
        ids = "SELECT id FROM articles_article WHERE source_url LIKE %s"
        pattern = [f"{SOURCE_PREFIX}%"]
        cursor.execute(f"DELETE FROM articles_mention WHERE article_id IN ({ids})", pattern)  # noqa: S608
        cursor.execute(
            f"DELETE FROM articles_articleshingleband WHERE article_id IN ({ids})",  # noqa: S608
            pattern,
        )
    articles.update(cluster=None, syndicated_from=None)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM articles_article WHERE source_url LIKE %s", [f"{SOURCE_PREFIX}%"]
        )


# --- Polling and ingesting feed items on one worker -------------------------------------

FEED_ITEMS = 1_000
FEED_OUTLET_PREFIX = "Intake bench feed outlet"
# Outlets and their language; each has a latest-news feed (RSS) and a business feed (Atom).
FEED_OUTLET_LANGUAGES = ("en", "en", "en", "en", "en", "en", "fr", "fr", "fr")
SUMMARY_ONLY_SHARE = 0.2  # items whose text is on their page only: extraction runs
REPEAT_SHARE = 0.05  # an item listed again, with tracking parameters, in the other feed
SYNDICATED_SHARE = 0.05  # the same text carried by another outlet under its own headline
ROBOTS_TXT = b"User-agent: *\nAllow: /\n"
FEED_BENCH_TABLES = (
    "articles_article",
    "articles_historicalarticle",
    "articles_mention",
    "articles_articleshingleband",
    "articles_relationshipevidence",
    "articles_storycluster",
)
# Where the worker's time goes: each step is timed where the services and tasks call it.
FEED_STEPS = {
    "extraction (page fetch, trafilatura)": [("intake.services", "story_from_url")],
    "de-duplication": [
        ("intake.services", "known_article"),
        ("intake.services", "find_duplicate"),
        ("intake.services", "article_index_text"),
        ("articles.duplicates", "article_index_text"),
    ],
    "tagging": [("articles.tagging", "article_tag")],
    "clustering": [("articles.clusters", "article_cluster")],
}

# Made-up news, ours: partnerships between two companies of the knowledge base. Each fact
# has four wordings, so that two outlets' reports of one event agree on the facts and the
# words that carry them (one story) but share no sentence (not a copy).
REPORT_WORDINGS = {
    "en": {
        "title": [
            "{a} and {b} join forces on {product}",
            "{b} signs {product} partnership with {a}",
            "{a} teams up with {b} to develop {product}",
            "Partnership: {a} and {b} will design {product} together",
        ],
        "facts": [
            [
                "{a} and {b} announced a partnership on {day} to build {product} together.",
                "{b} has signed a partnership with {a} to develop {product}, the two companies "
                "said on {day}.",
                "On {day}, {a} said it had agreed a partnership with {b} covering {product}.",
                "{a} is teaming up with {b}: the partners will design {product} under an "
                "agreement announced on {day}.",
            ],
            [
                "The work will be based in {city}, where the companies plan to invest {amount} "
                "million euros over three years.",
                "They expect to spend {amount} million euros, mostly at a new site in {city}.",
                "A site in {city} will host the project, backed by {amount} million euros of "
                "investment.",
                "{amount} million euros will go into the programme, run from offices in {city}.",
            ],
            [
                "About {staff} engineers will join the {product} team by next year.",
                "The project should employ {staff} engineers once it is fully staffed.",
                "Hiring has begun: {staff} engineers are expected to work on the {product}.",
                "Some {staff} engineers will be assigned to it, according to the announcement.",
            ],
            [
                "{a} will supply the designs while {b} handles manufacturing and sales.",
                "Under the agreement {b} manufactures and sells what {a} designs.",
                "Design stays with {a}; {b} takes charge of manufacturing and of sales.",
                "{b} brings its factories and sales network, {a} its design teams.",
            ],
            [
                "Analysts said the agreement shows how technology makers look for allies as "
                "development costs climb.",
                "Industry analysts see the deal as a sign that rising development costs push "
                "rivals to share the work.",
                "For analysts, sharing development costs has become the rule in this market.",
                "The deal follows others in the industry, where development costs keep rising, "
                "analysts noted.",
            ],
        ],
        "syndicated": "This story first appeared on {outlet} and is republished with permission.",
    },
    "fr": {
        "title": [
            "{a} et {b} s'associent autour de {product}",
            "{b} signe un partenariat avec {a} pour {product}",
            "Partenariat entre {a} et {b} pour concevoir {product}",
            "{a} s'allie à {b} pour développer {product}",
        ],
        "facts": [
            [
                "{a} et {b} ont annoncé {day} un partenariat pour fabriquer ensemble {product}.",
                "{b} a signé un partenariat avec {a} pour développer {product}, ont indiqué "
                "{day} les deux entreprises.",
                "{day}, {a} a annoncé un partenariat avec {b} portant sur {product}.",
                "{a} s'associe à {b} : les partenaires concevront {product} selon un accord "
                "annoncé {day}.",
            ],
            [
                "Les travaux auront lieu à {city}, où les entreprises prévoient d'investir "
                "{amount} millions d'euros en trois ans.",
                "Elles comptent dépenser {amount} millions d'euros, surtout sur un nouveau site "
                "à {city}.",
                "Un site à {city} accueillera le projet, doté de {amount} millions d'euros "
                "d'investissement.",
                "{amount} millions d'euros financeront le programme, mené depuis {city}.",
            ],
            [
                "Environ {staff} ingénieurs rejoindront l'équipe d'ici l'an prochain.",
                "Le projet devrait employer {staff} ingénieurs une fois l'équipe complète.",
                "Les recrutements ont commencé : {staff} ingénieurs travailleront sur le projet.",
                "Quelque {staff} ingénieurs y seront affectés, selon l'annonce.",
            ],
            [
                "{a} fournira les plans tandis que {b} assurera la fabrication et la vente.",
                "Selon l'accord, {b} fabrique et vend ce que {a} conçoit.",
                "La conception reste chez {a} ; {b} prend en charge la fabrication et la vente.",
                "{b} apporte ses usines et son réseau de vente, {a} ses équipes de conception.",
            ],
            [
                "Pour les analystes, l'accord montre que les fabricants cherchent des alliés "
                "face à la hausse des coûts de développement.",
                "Les analystes y voient le signe que la hausse des coûts de développement "
                "pousse les concurrents à partager le travail.",
                "Partager les coûts de développement est devenu la règle sur ce marché, "
                "notent les analystes.",
                "L'accord suit d'autres rapprochements dans un secteur où les coûts de "
                "développement ne cessent de croître, selon les analystes.",
            ],
        ],
        "syndicated": "Cet article a d'abord paru dans {outlet} et est repris avec son accord.",
    },
}
PRODUCTS = [
    ("low-power server chips", "des puces de serveur basse consommation"),
    ("battery cells for delivery vans", "des cellules de batterie pour utilitaires"),
    ("satellite modems", "des modems satellitaires"),
    ("industrial vision sensors", "des capteurs de vision industrielle"),
    ("private mobile networks", "des réseaux mobiles privés"),
    ("medical imaging software", "un logiciel d'imagerie médicale"),
    ("warehouse robots", "des robots d'entrepôt"),
    ("solar inverters", "des onduleurs solaires"),
    ("quantum computing prototypes", "des prototypes d'ordinateur quantique"),
    ("smart glasses", "des lunettes connectées"),
]
CITIES = ["Lyon", "Leeds", "Porto", "Gdansk", "Tampere", "Graz", "Bilbao", "Turin", "Ghent"]
DAYS = [
    ("Monday", "lundi"),
    ("Tuesday", "mardi"),
    ("Wednesday", "mercredi"),
    ("Thursday", "jeudi"),
    ("Friday", "vendredi"),
]


@dataclass
class FeedItem:
    outlet: int
    feed: str  # "latest" or "business"
    path: str
    title: str
    paragraphs: list[str]
    language: str
    published_at: dt.datetime
    summary_only: bool
    tracking: str = ""  # query string a repeat's link carries


def run_feeds(items: int = FEED_ITEMS) -> dict:
    """Serve feeds of `items` items on loopback; time the worker polling and ingesting them.

    The worker's path, one task after the other in this process: `feed_poll` for each feed,
    and for every story it creates, `tag_article` (tagging, text index, clustering), run as
    each story is saved, as the in-process (eager) default runs it.
    """
    company_names = _feed_company_names()
    _delete_feed_bench()
    get_dictionary()  # compiled once, as a worker does on its first task, before the clock
    server = _serve_site()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        generated = _feed_items(random.Random(SEED), company_names, items)
        _publish_feeds(server, base, generated)
        feeds = _create_feeds(base)
        clusters_before = StoryCluster.objects.aggregate(highest=Max("pk"))["highest"] or 0
        step_seconds = dict.fromkeys(FEED_STEPS, 0.0)
        # In this process whatever the broker setting; discovery runs on its own queue (and
        # has its own figure in the task section), so it is left out.
        eager = tag_article.app.conf.task_always_eager
        tag_article.app.conf.task_always_eager = True
        # Celery logs every task it runs: a thousand lines would hide the figures.
        task_log = logging.getLogger("celery.app.trace")
        task_log_level = task_log.level
        task_log.setLevel(logging.WARNING)
        try:
            with (
                override_settings(INTAKE_ALLOW_LOOPBACK=True, NEWSDESK_DISCOVERY_ENABLED=False),
                _timed_steps(step_seconds),
            ):
                started = time.perf_counter()
                polls = [feed_poll(feed=feed) for feed in feeds]
                total_s = time.perf_counter() - started
        finally:
            tag_article.app.conf.task_always_eager = eager
            task_log.setLevel(task_log_level)
        figures = _feed_figures(polls, feeds, clusters_before)
    finally:
        server.shutdown()
        server.server_close()
        _delete_feed_bench()
    return {
        "items": len(generated),
        "feeds": len(feeds),
        "total_s": total_s,
        "articles_per_s": figures["articles"] / total_s,
        "items_per_s": len(generated) / total_s,
        "steps": {step: seconds / total_s for step, seconds in step_seconds.items()},
        **figures,
    }


def feeds_table(figures: dict) -> str:
    """Return the feed intake figures as text: articles per second and where the time goes."""
    lines = [
        "Polling and ingesting feed items (extraction, de-duplication, tagging, clustering)"
        " on one worker",
        f"{figures['items']:,} items in {figures['feeds']} feeds: {figures['articles']:,} articles"
        f" created in {figures['total_s']:.1f} s = {figures['articles_per_s']:.1f} articles/s"
        f" ({figures['items_per_s']:.1f} items/s)",
        f"found: {figures['known']} repeats known, {figures['syndicated']} syndicated copies"
        f" linked, {figures['clustered']} articles in {figures['clusters']} stories,"
        f" {figures['refused']} refused",
        "share of the time: "
        + ", ".join(f"{step} {share:.0%}" for step, share in figures["steps"].items())
        + f", the rest (feeds, saving) {1 - sum(figures['steps'].values()):.0%}",
    ]
    return "\n".join(lines)


@contextlib.contextmanager
def _timed_steps(seconds: dict):
    """Add the time spent in each step's functions to seconds[step] while inside."""

    def timed(step, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[step] += time.perf_counter() - started

        return wrapper

    with contextlib.ExitStack() as stack:
        for step, places in FEED_STEPS.items():
            for module_name, name in places:
                module = importlib.import_module(module_name)
                stack.enter_context(
                    mock.patch.object(module, name, timed(step, getattr(module, name)))
                )
        yield


def _feed_company_names() -> list[str]:
    """Return the knowledge base's companies named by an unambiguous alias, with no parent."""
    return list(
        Alias.objects.filter(
            entity__kind=Entity.Kind.COMPANY,
            entity__parent__isnull=True,
            text=F("entity__name"),
            ambiguous=False,
        )
        .exclude(entity__slug__regex=r"^(company|person|product|intake-bench)-[0-9]+$")
        .order_by("entity__slug")
        .values_list("text", flat=True)
    )


def _feed_items(rng, company_names, count) -> list[FeedItem]:
    """Return `count` items: events reported by one to four outlets, in their language."""
    if len(company_names) < 2:
        raise RuntimeError("The bench needs the knowledge base's companies: load it first.")
    outlets = range(len(FEED_OUTLET_LANGUAGES))
    now = timezone.now()
    items: list[FeedItem] = []
    event = 0
    while len(items) < count:
        event += 1
        a, b = rng.sample(company_names, 2)
        product = rng.choice(PRODUCTS)
        day = rng.choice(DAYS)
        facts = {
            "a": a,
            "b": b,
            "city": rng.choice(CITIES),
            "amount": rng.randrange(20, 900),
            "staff": rng.randrange(40, 600),
        }
        published = now - dt.timedelta(hours=rng.uniform(2, 40))
        reporting = rng.sample(outlets, rng.choice((1, 2, 2, 3, 3, 4)))
        # Each report its own wording of each fact; across events, drawn at random, so
        # that two events told alike are not copies of each other.
        wordings = [rng.sample(range(4), 4) for _ in range(len(REPORT_WORDINGS["en"]["facts"]) + 1)]
        for number, outlet in enumerate(reporting):
            language = FEED_OUTLET_LANGUAGES[outlet]
            text = {
                **facts,
                "product": product[language == "fr"],
                "day": day[language == "fr"],
            }
            words = REPORT_WORDINGS[language]
            item = FeedItem(
                outlet=outlet,
                feed=rng.choice(("latest", "business")),
                path=f"/outlet-{outlet}/event-{event}-{number}",
                title=words["title"][wordings[0][number]].format(**text),
                paragraphs=[
                    fact[wording[number]].format(**text)
                    for fact, wording in zip(words["facts"], wordings[1:], strict=True)
                ],
                language=language,
                published_at=published + dt.timedelta(minutes=rng.uniform(0, 90)),
                summary_only=rng.random() < SUMMARY_ONLY_SHARE,
            )
            items.append(item)
            roll = rng.random()
            if roll < REPEAT_SHARE:
                items.append(
                    dataclasses.replace(
                        item,
                        feed="business" if item.feed == "latest" else "latest",
                        tracking="utm_source=feed&utm_medium=business",
                    )
                )
            elif roll < REPEAT_SHARE + SYNDICATED_SHARE:
                carriers = [
                    o for o in outlets if FEED_OUTLET_LANGUAGES[o] == language and o != outlet
                ]
                carrier = rng.choice(carriers)
                credit = words["syndicated"].format(outlet=f"{FEED_OUTLET_PREFIX} {outlet}")
                items.append(
                    dataclasses.replace(
                        item,
                        outlet=carrier,
                        path=f"/outlet-{carrier}/wire-{event}-{number}",
                        title=words["title"][(wordings[0][number] + 1) % 4].format(**text),
                        paragraphs=[*item.paragraphs, credit],
                        summary_only=False,
                    )
                )
    return items[:count]


def _publish_feeds(server, base: str, items: list[FeedItem]) -> None:
    """Put the feeds and the story pages on the bench's site."""
    pages = {"/robots.txt": ("text/plain", ROBOTS_TXT)}
    for outlet, language in enumerate(FEED_OUTLET_LANGUAGES):
        for feed, render in (("latest", _rss), ("business", _atom)):
            entries = [i for i in items if i.outlet == outlet and i.feed == feed]
            content_type, body = render(base, outlet, language, entries)
            pages[f"/outlet-{outlet}/{feed}.xml"] = (content_type, body.encode())
    for item in items:
        pages[item.path] = ("text/html", _story_page(item).encode())
    server.pages = pages


def _rss(base, outlet, language, items) -> tuple[str, str]:
    entries = []
    for item in items:
        link = escape(f"{base}{item.path}" + (f"?{item.tracking}" if item.tracking else ""))
        text = (
            f"<description>{escape(item.paragraphs[0])}</description>"
            if item.summary_only
            else f"<content:encoded>{escape(_paragraphs_html(item))}</content:encoded>"
        )
        entries.append(
            f"<item><title>{escape(item.title)}</title><link>{link}</link>"
            f"<guid>{link}</guid>{text}"
            f"<pubDate>{format_datetime(item.published_at, usegmt=True)}</pubDate></item>"
        )
    return "application/rss+xml", (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{FEED_OUTLET_PREFIX} {outlet}</title><link>{base}/outlet-{outlet}/</link>"
        f"<description>Latest news</description><language>{language}</language>"
        f"{''.join(entries)}</channel></rss>"
    )


def _atom(base, outlet, language, items) -> tuple[str, str]:
    entries = []
    for item in items:
        link = escape(f"{base}{item.path}" + (f"?{item.tracking}" if item.tracking else ""))
        text = (
            f"<summary>{escape(item.paragraphs[0])}</summary>"
            if item.summary_only
            else f'<content type="html">{escape(_paragraphs_html(item))}</content>'
        )
        entries.append(
            f'<entry><title>{escape(item.title)}</title><link href="{link}"/><id>{link}</id>'
            f"<updated>{item.published_at.isoformat()}</updated>{text}</entry>"
        )
    return "application/atom+xml", (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{language}">'
        f"<title>{FEED_OUTLET_PREFIX} {outlet}: business</title>"
        f"<id>{base}/outlet-{outlet}/business.xml</id>"
        f"<updated>{timezone.now().isoformat()}</updated>{''.join(entries)}</feed>"
    )


def _paragraphs_html(item: FeedItem) -> str:
    return "".join(f"<p>{escape(paragraph)}</p>" for paragraph in item.paragraphs)


def _story_page(item: FeedItem) -> str:
    """Return the item's page: the story among navigation, an advert and comments."""
    title = escape(item.title)
    return (
        f'<!doctype html><html lang="{item.language}"><head><meta charset="utf-8">'
        f"<title>{title}</title>"
        f'<meta property="article:published_time" content="{item.published_at.isoformat()}">'
        "</head><body><header><nav><ul><li><a href='/'>Home</a></li>"
        "<li><a href='/business'>Business</a></li></ul></nav></header>"
        "<aside class='advert'><p>Subscribe today and read every story for less.</p></aside>"
        f"<main><article><h1>{title}</h1>{_paragraphs_html(item)}</article></main>"
        "<section class='comments'><h2>Comments</h2><p>Great news for the region!</p></section>"
        "<footer><p>Terms and privacy.</p></footer></body></html>"
    )


class _SiteHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        page = self.server.pages.get(urlsplit(self.path).path)
        if page is None:
            self.send_error(404)
            return
        content_type, body = page
        self.send_response(200)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass  # a line per request would drown the bench's output


def _serve_site() -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SiteHandler)
    server.pages = {}
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _create_feeds(base: str) -> list[Feed]:
    feeds = []
    for outlet_number, _ in enumerate(FEED_OUTLET_LANGUAGES):
        outlet = Outlet.objects.create(name=f"{FEED_OUTLET_PREFIX} {outlet_number}")
        for feed in ("latest", "business"):
            feeds.append(
                Feed.objects.create(outlet=outlet, url=f"{base}/outlet-{outlet_number}/{feed}.xml")
            )
    return feeds


def _feed_figures(polls, feeds, clusters_before) -> dict:
    articles = Article.objects.filter(outlet__feeds__in=feeds).distinct()
    untagged = articles.exclude(tagging_status=Article.TaggingStatus.DONE).count()
    if untagged:
        raise RuntimeError(f"{untagged} articles were not tagged: the bench measured failures.")
    return {
        "articles": sum(poll.items_new for poll in polls),
        "known": sum(poll.items_known for poll in polls),
        "refused": sum(poll.items_refused for poll in polls),
        "syndicated": articles.filter(syndicated_from__isnull=False).count(),
        "clustered": articles.filter(cluster__isnull=False).count(),
        "clusters": articles.filter(cluster__pk__gt=clusters_before)
        .values("cluster")
        .distinct()
        .count(),
    }


def _delete_feed_bench() -> None:
    """Delete the bench's outlets, feeds and stories, and undo what they did to others'."""
    outlets = Outlet.objects.filter(name__startswith=FEED_OUTLET_PREFIX)
    articles = Article.objects.filter(outlet__in=outlets)
    relationship_ids = set(
        RelationshipEvidence.objects.filter(article__in=articles).values_list(
            "relationship_id", flat=True
        )
    )
    cluster_ids = set(articles.filter(cluster__isnull=False).values_list("cluster_id", flat=True))
    outlet_ids = list(outlets.values_list("pk", flat=True))
    articles.delete()
    Article.history.filter(outlet_id__in=outlet_ids).delete()
    Relationship.objects.filter(
        pk__in=relationship_ids, status=Relationship.Status.DETECTED, evidence__isnull=True
    ).delete()
    relationships_refresh_seen(relationship_ids)
    for cluster in StoryCluster.objects.filter(pk__in=cluster_ids).annotate(size=Count("articles")):
        if cluster.size > 1:
            cluster_refresh_lead(cluster=cluster)
        else:
            # A story of one is no story: the other outlet's article stands alone again.
            cluster.articles.update(cluster=None)
            cluster.delete()
    Feed.objects.filter(outlet__in=outlet_ids).delete()
    Outlet.objects.filter(pk__in=outlet_ids).delete()
    # The deleted rows stay in the tables and indexes until vacuumed: the look-ups timed
    # next would read them and count their pages.
    with connection.cursor() as cursor:
        for table in FEED_BENCH_TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
