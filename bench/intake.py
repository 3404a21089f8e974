"""Benchmark the intake look-ups as the corpus grows: duplicates and story clusters.

A corpus of generated articles (made-up words, so nothing is copied from anywhere) grows to
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

import json
import random
import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.clusters import article_cluster
from articles.duplicates import band_keys, find_duplicate, text_minhash
from articles.models import Article, ArticleShingleBand, Mention, Outlet
from entities.models import Entity

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
