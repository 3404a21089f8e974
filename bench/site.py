"""Time the public pages and the admin on the seeded database, in-process (server time only)."""

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from urllib.parse import urlencode

from articles.public_cache import public_content_changed, public_names_changed
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, F
from django.db.models.functions import Now
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Mention, RelationshipEvidence
from articles.tasks import count_entity_panels
from entities.models import Relationship

from .database import with_retries
from .seed import biggest_company_slugs
from .stats import median, percentile

WARM_UPS = 3
TIMED_REQUESTS = 30
PAGE_TARGET_MS = 50
SEARCH_TARGET_MS = 150
ADMIN_TARGET_MS = 300
FEED_TARGET_MS = 30
CACHED_FEED_TARGET_MS = 5
BENCH_ADMIN = "bench-admin"
# A host the default ALLOWED_HOSTS accepts.
HOST = "127.0.0.1"
COMMON_WORD = "cloud"
RARE_WORD = "réalité"
# Without collectstatic (and DEBUG off) the manifest storage would fail on {% static %}.
PLAIN_STATIC_FILES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@dataclass(frozen=True)
class Page:
    label: str
    url: str
    # None for a figure reported without a target.
    target_ms: int | None
    admin: bool = False
    # The slugs of the entities the page is about (its stories all name them).
    about: tuple[str, ...] = ()
    # Run before each request: what a publication between two readers would expire.
    publication: Callable[[], None] | None = None
    # The target once served from the public cache, when it differs.
    cached_target_ms: int | None = None
    # Whether the page shows an entity's panels (chart, relationships, named with it).
    panels: bool = False


def pages() -> list[Page]:
    """Return the pages to time, picked from the seeded data."""
    biggest, second = biggest_company_slugs(2)
    company = f"/companies/{biggest}/"
    a_slug, b_slug = busiest_pair()
    story = (
        Article.objects.published()
        .filter(pk__in=RelationshipEvidence.objects.values("article_id"))
        .values_list("slug", flat=True)
        .first()
    )
    article_id = Article.objects.filter(status=Article.Status.PUBLISHED).values_list(
        "pk", flat=True
    )[0]
    year_ago = (timezone.now() - timezone.timedelta(days=365)).date().isoformat()
    filtered = urlencode({"language": "fr", "published_after": year_ago, "also": second})
    admin_list = "/admin/articles/article/"
    public = [
        Page("home", "/", PAGE_TARGET_MS),
        Page(f"timeline {biggest} p1", company, PAGE_TARGET_MS, about=(biggest,), panels=True),
        Page(
            f"timeline {biggest} p200",
            f"{company}?page=200",
            PAGE_TARGET_MS,
            about=(biggest,),
            panels=True,
        ),
        Page(
            "timeline filtered (fr, 1 y, also)",
            f"{company}?{filtered}",
            PAGE_TARGET_MS,
            about=(biggest,),
            panels=True,
        ),
        Page(
            f"pair {a_slug} / {b_slug}",
            f"/partnerships/{a_slug}/{b_slug}/",
            PAGE_TARGET_MS,
            about=(a_slug, b_slug),
        ),
        Page("partnerships", "/partnerships/", PAGE_TARGET_MS),
        Page("story", f"/stories/{story}/", PAGE_TARGET_MS),
        Page(
            f"search {COMMON_WORD!r}", f"/search/?{urlencode({'q': COMMON_WORD})}", SEARCH_TARGET_MS
        ),
        Page(f"search {RARE_WORD!r}", f"/search/?{urlencode({'q': RARE_WORD})}", SEARCH_TARGET_MS),
        Page(
            f"feed {biggest}",
            f"{company}rss/",
            FEED_TARGET_MS,
            about=(biggest,),
            cached_target_ms=CACHED_FEED_TARGET_MS,
        ),
    ]
    return [
        *(way for page in public for way in timed_ways(page)),
        Page("admin articles", admin_list, ADMIN_TARGET_MS, admin=True),
        Page(
            "admin articles published+fr",
            f"{admin_list}?status=published&language=fr",
            ADMIN_TARGET_MS,
            admin=True,
        ),
        Page(
            f"admin articles q={RARE_WORD}",
            f"{admin_list}?{urlencode({'q': RARE_WORD})}",
            ADMIN_TARGET_MS,
            admin=True,
        ),
        Page("admin article change", f"{admin_list}{article_id}/change/", ADMIN_TARGET_MS, True),
    ]


def timed_ways(page: Page) -> list[Page]:
    """Return the ways a public page is timed, each with what happens before every request.

    The target applies to what readers meet in the site's normal course: the page cached,
    and the page drawn again for its first reader after each story about what it shows.
    The first reader after rarer events is timed too, and reported without a target:

    - story came out: the latest story the page lists came out anew (saved and tagged), and
      the worker counted the panels of what it names, as the tagging task does after its
      commit. The page is drawn again; of its parts, only that story's item is. An editor's
      change to a story's mentions, to a relationship or to a topic expires as much;
    - not yet counted (reported; a page with an entity's panels): the same, read before the
      worker counted the panels, so the reader counts them;
    - renamed (reported; a page about one entity or pair): an editor renamed an entity, so
      every name is drawn again, but not the filter form nor what an entity's panels count;
    - from scratch (reported): nothing of the page is kept, as for its first reader once the
      cache was emptied (a restart, with in-process caches) or an entity's kind changed;
    - story elsewhere (a page about one entity or pair): a story about others came out,
      which leaves the page cached;
    - cached: nothing happened, as for every reader until the next change.
    """
    ways = [
        replace(
            page,
            label=f"{page.label} (story came out)",
            publication=partial(story_came_out, latest_story(page.about), page.about),
        ),
        replace(
            page,
            label=f"{page.label} (from scratch)",
            target_ms=None,
            publication=public_content_changed,
        ),
    ]
    if page.panels:
        ways.append(
            replace(
                page,
                label=f"{page.label} (not yet counted)",
                target_ms=None,
                publication=partial(
                    story_came_out, latest_story(page.about), page.about, counted=False
                ),
            )
        )
    if page.about:
        elsewhere = story_elsewhere(page.about)
        ways += [
            replace(
                page,
                label=f"{page.label} (renamed)",
                target_ms=None,
                publication=public_names_changed,
            ),
            replace(
                page,
                label=f"{page.label} (story elsewhere)",
                publication=partial(public_content_changed, about=elsewhere),
            ),
        ]
    ways.append(
        replace(
            page,
            label=f"{page.label} (cached)",
            target_ms=page.cached_target_ms or page.target_ms,
        )
    )
    return ways


def latest_story(about: tuple[str, ...]) -> int:
    """Return the latest published story naming every entity in `about` (any, if none)."""
    stories = Article.objects.published()
    for slug in about:
        stories = stories.filter(
            pk__in=Mention.objects.filter(entity__slug=slug).values("article_id")
        )
    return stories.values_list("pk", flat=True).first()


def story_came_out(story_id: int, about: tuple[str, ...], *, counted: bool = True) -> None:
    """Expire what a story naming `about` coming out expires, its list item included.

    The story stands for the new one: saved and tagged anew, it has a new version and tagging
    time, so the lists and feeds showing it draw its item again, and the pages about its
    subjects go stale. Then, unless `counted` is False, the worker's task counts the panels
    of what it names.
    """
    Article.objects.filter(pk=story_id).update(version=F("version") + 1, tagged_at=Now())
    public_content_changed(about=about)
    if counted:
        count_entity_panels(story_id)


def story_elsewhere(about: tuple[str, ...]) -> list[str]:
    """Return the entities named by the latest published story that names none of `about`."""
    story = (
        Article.objects.published()
        .exclude(pk__in=Mention.objects.filter(entity__slug__in=about).values("article_id"))
        .values_list("pk", flat=True)
        .first()
    )
    return list(Mention.objects.filter(article_id=story).values_list("entity__slug", flat=True))


def busiest_pair() -> tuple[str, str]:
    """Return the slugs of the two companies with the most public relationship evidence."""
    row = (
        Relationship.objects.exclude(status=Relationship.Status.REJECTED)
        .values("company_a__slug", "company_b__slug")
        .annotate(evidence_count=Count("evidence"))
        .order_by("-evidence_count")
        .first()
    )
    return row["company_a__slug"], row["company_b__slug"]


def run() -> list[dict]:
    """Time every page; return one row of figures per page."""
    visitor = Client(HTTP_HOST=HOST)
    editor = Client(HTTP_HOST=HOST)
    user, _ = get_user_model().objects.get_or_create(
        username=BENCH_ADMIN, defaults={"is_staff": True, "is_superuser": True}
    )
    editor.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    rows = []
    with override_settings(STORAGES=PLAIN_STATIC_FILES):
        for page in pages():
            rows.append(with_retries(time_page, editor if page.admin else visitor, page))
    return rows


def time_page(client: Client, page: Page) -> dict:
    """Request the page a few times to warm up, then time it; count its queries once."""
    for _ in range(WARM_UPS):
        response = client.get(page.url, secure=True)
    if page.publication:
        page.publication()
    with CaptureQueriesContext(connection) as capture:
        response = client.get(page.url, secure=True)
    # Read now: the next request empties the connection's log the capture reads from.
    queries = list(capture.captured_queries)
    samples = []
    for _ in range(TIMED_REQUESTS):
        if page.publication:
            page.publication()
        started = time.perf_counter()
        response = client.get(page.url, secure=True)
        samples.append(time.perf_counter() - started)
    slowest = max(
        queries,
        key=lambda query: float(query["time"]),
        default={"time": "nan", "sql": ""},
    )
    return {
        "label": page.label,
        "url": page.url,
        "status": response.status_code,
        "median_ms": median(samples) * 1000,
        "p95_ms": percentile(samples, 95) * 1000,
        "target_ms": page.target_ms,
        "queries": len(queries),
        "slowest_query_ms": float(slowest["time"]) * 1000,
        "slowest_query": slowest["sql"],
        "select_options": response.content.count(b"<option"),
    }
