"""Caching and conditional GET for the public pages and feeds.

A rendered page or feed is kept in the cache under versions that the changes to what it
shows replace, so a cached page never outlives the stories it shows:

- most pages (the latest stories, a story, search, the lists) hang on the site's version,
  which every change replaces: publishing, unpublishing, editing, re-tagging, an editor's
  change to an entity, a mention, a relationship, a topic or an outlet;
- a page about one subject (an entity's timeline and feed, a pair of companies) hangs on the
  knowledge base's version, which editors' changes to how things are named replace (an
  entity, an outlet), and on a version per subject, which a change to a story naming that
  subject replaces, as does an editor's change to the story's mentions, or to the subject's
  relationships or their topics. A story about others, published, re-tagged or corrected by an
  editor, leaves it cached.

Parts of pages are kept too (fragments of HTML, a feed item's categories) under the knowledge
base's version and a stamp of what else they show (a story's list item: its version and when
it was last tagged), so that a page drawn anew because one story came out draws only that
story's item. A list's filter form, which names nothing but outlets, hangs on the outlets'
version instead.

What an entity's panels count (its stories per month, the entities named with it, its
relationships) is kept under its subject's version and the version of the facts, which
only changes that may reach every subject replace (an entity's kind): a rename replaces
the knowledge base's version alone, so that the counts outlive it and only the names are
looked up again. The worker counts the panels of what a story names once it comes out.

Versions are random, not counters, so that a version lost from the cache can never bring
back the pages stored under an older one. A page is also never kept past the next scheduled
(embargoed) publication: the cache entry and the Cache-Control max-age both end then, so a
story appears when its time comes with no edit needed.
"""

import hashlib
import logging
import secrets
from collections.abc import Callable, Hashable, Iterable, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from django.utils.safestring import SafeString, mark_safe

from .models import Article

logger = logging.getLogger(__name__)

SITE_VERSION = "public:site"
KNOWLEDGE_VERSION = "public:knowledge"
FACTS_VERSION = "public:facts"
OUTLETS_VERSION = "public:outlets"
# The versions the page being drawn was looked up under: its parts take the same ones rather
# than ask the cache again for each of them.
_drawing_versions: ContextVar[Mapping[str, str] | None] = ContextVar(
    "drawing_versions", default=None
)
# A fragment's key changes with what it shows, so it never goes stale: the limit only lets
# the ones no page asks for any more leave the cache.
FRAGMENT_SECONDS = 24 * 60 * 60


def subject_version(slug: str) -> str:
    return f"public:about:{slug}"


def public_content_changed(about: Iterable[str] | None = None) -> None:
    """Make the cached pages and feeds that may show the change stale.

    `about` names the subjects (entity slugs) of the stories that changed: the pages about
    them go stale along with the site's pages, and those about other subjects stay. None
    means the change may show anywhere: nothing kept is used again.

    It runs after the commit of an editor's save: with the cache down (Redis stopped), the
    save has happened and must not turn into an error page, nor stop the commit hooks after
    this one (such as the one enqueuing tagging). A page cached before the outage then lives
    at most NEWSDESK_PUBLIC_CACHE_SECONDS.
    """
    if about is None:
        _replace([SITE_VERSION, KNOWLEDGE_VERSION, FACTS_VERSION, OUTLETS_VERSION])
    else:
        _replace([SITE_VERSION, *(subject_version(slug) for slug in about)])


def public_names_changed(*, outlets: bool = False) -> None:
    """Make stale what shows how entities or outlets are named or shown, after an editor's
    change to one: every page and its names, not what entities' panels count (which stories
    name which entities) nor, unless an outlet changed, the lists' filter forms."""
    _replace([SITE_VERSION, KNOWLEDGE_VERSION, *([OUTLETS_VERSION] if outlets else [])])


def _replace(versions: list[str]) -> None:
    try:
        cache.set_many({key: secrets.token_hex(8) for key in versions}, timeout=None)
    except Exception:
        logger.warning("Could not expire the cached pages and feeds", exc_info=True)


def _current_versions(keys: list[str]) -> list[str]:
    drawing = _drawing_versions.get() or {}
    versions = {key: drawing[key] for key in keys if key in drawing}
    if len(versions) < len(keys):
        versions.update(cache.get_many([key for key in keys if key not in versions]))
    for key in keys:
        if key not in versions:
            versions[key] = cache.get_or_set(key, secrets.token_hex(8), timeout=None)
    return [versions[key] for key in keys]


def seconds_until_next_publication(site_version: str | None) -> int:
    """Return how long a page may be cached: until the next embargo lifts, within the limit."""
    limit = settings.NEWSDESK_PUBLIC_CACHE_SECONDS
    now = timezone.now()
    upcoming = _next_publication(site_version, now)
    if upcoming is None:
        return limit
    return max(0, min(limit, int((upcoming - now).total_seconds())))


def _next_publication(site_version: str | None, now):
    """Return when the next embargoed story comes out, if any.

    It is remembered under the site's version, which every save of a story replaces, and
    looked up again once that time has come.
    """
    key = f"public:next-publication:{site_version}"
    remembered = _cache_get(key) if site_version else None
    if remembered is not None and (remembered["at"] is None or remembered["at"] > now):
        return remembered["at"]
    upcoming = (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    if site_version:
        _store(key, {"at": upcoming}, settings.NEWSDESK_PUBLIC_CACHE_SECONDS)
    return upcoming


def cached_public(view, about: tuple[str, ...] = ()):
    """Serve a public page or feed from the cache, with ETag, Last-Modified and 304 responses.

    Public pages show the same thing to every reader (nothing depends on a login, a cookie or
    a CSRF token), so one entry per address serves everyone. `about` names the URL arguments
    holding the slugs of the subjects a page shows only the stories of; such a page stays
    cached while stories about others change.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not settings.NEWSDESK_PUBLIC_CACHE_SECONDS:
            return view(request, *args, **kwargs)
        # The whole address: pages and feeds carry absolute links to their own host.
        address_digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        subjects = [subject_version(kwargs[name]) for name in about]
        # The page's parts hang on the versions of the knowledge base, the facts and the
        # outlets: they are read in the same lookup.
        keys = [SITE_VERSION, KNOWLEDGE_VERSION, FACTS_VERSION, OUTLETS_VERSION, *subjects]
        try:
            current = dict(zip(keys, _current_versions(keys), strict=True))
            site = current[SITE_VERSION]
            versions = [KNOWLEDGE_VERSION, *subjects] if about else [SITE_VERSION]
            key = ":".join(["public", *(current[name] for name in versions), address_digest])
            entry = cache.get(key)
        except Exception:
            # With the cache down the page is still served, rendered for each request.
            logger.warning("Page cache unavailable", exc_info=True)
            key = entry = site = None
            current = {}
        now = timezone.now().timestamp()
        if entry is None or entry["expires"] <= now:
            with _drawing_under(current):
                response = view(request, *args, **kwargs)
                if hasattr(response, "render"):
                    response.render()
            if response.status_code != 200:
                return response
            lifetime = seconds_until_next_publication(site)
            entry = {
                "content": response.content,
                "content_type": response["Content-Type"],
                "last_modified": response.get("Last-Modified") or http_date(now),
                "etag": f'"{hashlib.sha256(response.content).hexdigest()[:32]}"',
                "expires": now + lifetime,
            }
            if lifetime and key:
                _store(key, entry, lifetime)
        max_age = max(0, int(entry["expires"] - now))
        response = get_conditional_response(
            request,
            etag=entry["etag"],
            last_modified=parse_http_date_safe(entry["last_modified"]),
        ) or HttpResponse(entry["content"], content_type=entry["content_type"])
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = entry["last_modified"]
        patch_cache_control(response, public=True, max_age=max_age)
        return response

    return wrapper


@contextmanager
def _drawing_under(versions: Mapping[str, str]):
    drawing = _drawing_versions.set(versions)
    try:
        yield
    finally:
        _drawing_versions.reset(drawing)


@contextmanager
def parts_drawn_together():
    """Read the site's and the facts' versions once for the parts made inside, as a page
    does (a worker counting the panels of several entities), rather than once per part."""
    keys = [SITE_VERSION, FACTS_VERSION]
    try:
        current = dict(zip(keys, _current_versions(keys), strict=True))
    except Exception:
        logger.warning("Fragment cache unavailable", exc_info=True)
        current = {}
    with _drawing_under(current):
        yield


def _store(key: str, entry: dict, lifetime: int) -> None:
    try:
        cache.set(key, entry, timeout=lifetime)
    except Exception:
        logger.warning("Page cache unavailable", exc_info=True)


def _cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:
        logger.warning("Page cache unavailable", exc_info=True)
        return None


def cached_fragments(
    name: str,
    stamps: Mapping[Hashable, Hashable],
    render: Callable[[list], Mapping[Hashable, str]],
    **options,
) -> dict[Hashable, SafeString]:
    """Return each item's HTML fragment, rendering only those the cache does not hold.

    `render` draws the items missing, from autoescaped templates; see `cached_parts`.
    """
    drawn = cached_parts(name, stamps, render, **options)
    return {item: mark_safe(html) for item, html in drawn.items()}  # noqa: S308 (by `render`)


def cached_fragment(name: str, stamp: Hashable, draw: Callable[[], str], **options) -> SafeString:
    """Return one HTML fragment, drawn by `draw` only when the cache does not hold it."""
    return cached_fragments(name, {stamp: stamp}, lambda _: {stamp: draw()}, **options)[stamp]


def cached_parts(
    name: str,
    stamps: Mapping[Hashable, Hashable],
    compute: Callable[[list], Mapping[Hashable, object]],
    *,
    versions: tuple[str, ...] = (KNOWLEDGE_VERSION,),
    until_next_publication: bool = False,
) -> dict[Hashable, object]:
    """Return each item's part of a page, computing only those the cache does not hold.

    A part is kept under `versions` (by default the knowledge base's: the names it shows)
    and its item's stamp, what else it shows (a story's version, a query): a change to
    either makes a new key. A part counting published stories is kept only until the next
    embargo lifts (`until_next_publication`). `compute` makes the parts of the items
    missing. With the cache down, or page caching off, it makes them all.
    """
    keys = {}
    found = {}
    if settings.NEWSDESK_PUBLIC_CACHE_SECONDS:
        try:
            prefix = _current_versions(list(versions))
            if until_next_publication:
                site = (_drawing_versions.get() or {}).get(SITE_VERSION)
                upcoming = _next_publication(site, timezone.now())
                prefix.append(upcoming.isoformat() if upcoming else "none")
            keys = {
                item: _fragment_key(name, ":".join(prefix), stamp) for item, stamp in stamps.items()
            }
            found = caches["fragments"].get_many(list(keys.values()))
        except Exception:
            logger.warning("Fragment cache unavailable", exc_info=True)
            keys = {}
    parts = {item: found[keys[item]] for item in keys if keys[item] in found}
    missing = [item for item in stamps if item not in parts]
    if missing:
        made = compute(missing)
        parts.update(made)
        if keys:
            try:
                caches["fragments"].set_many(
                    {keys[item]: made[item] for item in missing}, FRAGMENT_SECONDS
                )
            except Exception:
                logger.warning("Fragment cache unavailable", exc_info=True)
    return {item: parts[item] for item in stamps}


def _fragment_key(name: str, versions: str, stamp: Hashable) -> str:
    digest = hashlib.sha256(repr(stamp).encode()).hexdigest()[:32]
    return f"fragment:{name}:{versions}:{digest}"
