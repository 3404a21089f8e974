"""Time the public pages and the admin on the seeded database, in-process (server time only)."""

import time
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.cache import new_site_generation
from articles.models import Article, RelationshipEvidence
from entities.models import Relationship

from .database import with_retries
from .seed import biggest_company_slugs
from .stats import median, percentile

WARM_UPS = 3
TIMED_REQUESTS = 30
# p95 server time, drawn from nothing cached.
HOME_STORY_LIST_FEED_MS = 60
BIG_PAGE_MS = 120
SEARCH_MS = 150
ADMIN_MS = 300
# p95 server time of any page or feed served from the cache.
CACHED_MS = 5
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
    target_ms: int
    admin: bool = False


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
    return [
        Page("home", "/", HOME_STORY_LIST_FEED_MS),
        Page("story", f"/stories/{story}/", HOME_STORY_LIST_FEED_MS),
        Page("partnerships", "/partnerships/", HOME_STORY_LIST_FEED_MS),
        Page("companies", "/companies/", HOME_STORY_LIST_FEED_MS),
        Page("companies A to Z", "/companies/?sort=name", HOME_STORY_LIST_FEED_MS),
        Page(f"feed {biggest}", f"{company}rss/", HOME_STORY_LIST_FEED_MS),
        Page("feed latest", "/feeds/rss/", HOME_STORY_LIST_FEED_MS),
        Page(f"timeline {biggest} p1", company, BIG_PAGE_MS),
        Page(f"timeline {biggest} p200", f"{company}?page=200", BIG_PAGE_MS),
        Page("timeline filtered (fr, 1 y, also)", f"{company}?{filtered}", BIG_PAGE_MS),
        Page(f"pair {a_slug} / {b_slug}", f"/partnerships/{a_slug}/{b_slug}/", BIG_PAGE_MS),
        Page(f"search {COMMON_WORD!r}", f"/search/?{urlencode({'q': COMMON_WORD})}", SEARCH_MS),
        Page(f"search {RARE_WORD!r}", f"/search/?{urlencode({'q': RARE_WORD})}", SEARCH_MS),
        Page("admin articles", admin_list, ADMIN_MS, admin=True),
        Page(
            "admin articles published+fr",
            f"{admin_list}?status=published&language=fr",
            ADMIN_MS,
            admin=True,
        ),
        Page(
            f"admin articles q={RARE_WORD}",
            f"{admin_list}?{urlencode({'q': RARE_WORD})}",
            ADMIN_MS,
            admin=True,
        ),
        Page("admin article change", f"{admin_list}{article_id}/change/", ADMIN_MS, admin=True),
    ]


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
    """Time the page drawn from nothing cached (a new site generation before each request,
    as after any editor's change), then served from the cache; count its queries once."""
    for _ in range(WARM_UPS):
        response = client.get(page.url, secure=True)
    new_site_generation()
    with CaptureQueriesContext(connection) as capture:
        response = client.get(page.url, secure=True)
    # Read now: the next request empties the connection's log the capture reads from.
    queries = list(capture.captured_queries)
    drawn = [timed(client, page.url, before=new_site_generation) for _ in range(TIMED_REQUESTS)]
    cached = [] if page.admin else [timed(client, page.url) for _ in range(TIMED_REQUESTS)]
    slowest = max(queries, key=lambda query: float(query["time"]), default={"time": "nan"})
    return {
        "label": page.label,
        "url": page.url,
        "status": response.status_code,
        "drawn_median_ms": median(drawn) * 1000,
        "drawn_p95_ms": percentile(drawn, 95) * 1000,
        "cached_median_ms": median(cached) * 1000 if cached else None,
        "cached_p95_ms": percentile(cached, 95) * 1000 if cached else None,
        "target_ms": page.target_ms,
        "cached_target_ms": None if page.admin else CACHED_MS,
        "queries": len(queries),
        "slowest_query_ms": float(slowest["time"]) * 1000,
    }


def timed(client: Client, url: str, before=None) -> float:
    if before:
        before()
    started = time.perf_counter()
    response = client.get(url, secure=True)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed
