"""Caching and conditional GET for the public pages and feeds.

A rendered page or feed is kept in the cache under a generation number that any change to
what readers see bumps (publishing, unpublishing, editing, re-tagging, an editor's change to
an entity, a mention or a relationship), so a cached page never outlives the stories it
shows. It is also never kept past the next scheduled (embargoed) publication: the cache entry
and the Cache-Control max-age both end then, so a story appears when its time comes with no
edit needed.
"""

import hashlib
import logging
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from .models import Article

logger = logging.getLogger(__name__)

GENERATION_KEY = "public:generation"


def public_content_changed() -> None:
    """Make every cached page and feed stale.

    It runs after the commit of an editor's save: with the cache down (Redis stopped), the
    save has happened and must not turn into an error page, nor stop the commit hooks after
    this one (such as the one enqueuing tagging). A page cached before the outage then lives
    at most NEWSDESK_PUBLIC_CACHE_SECONDS.
    """
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            cache.add(GENERATION_KEY, 1, timeout=None)
    except Exception:
        logger.warning("Could not expire the cached pages and feeds", exc_info=True)


def seconds_until_next_publication() -> int:
    """Return how long a page may be cached: until the next embargo lifts, within the limit."""
    limit = settings.NEWSDESK_PUBLIC_CACHE_SECONDS
    now = timezone.now()
    upcoming = (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    if upcoming is None:
        return limit
    return max(0, min(limit, int((upcoming - now).total_seconds())))


def cached_public(view):
    """Serve a public page or feed from the cache, with ETag, Last-Modified and 304 responses.

    Public pages show the same thing to every reader (nothing depends on a login, a cookie or
    a CSRF token), so one entry per address serves everyone.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not settings.NEWSDESK_PUBLIC_CACHE_SECONDS:
            return view(request, *args, **kwargs)
        # The whole address: pages and feeds carry absolute links to their own host.
        address_digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        try:
            generation = cache.get_or_set(GENERATION_KEY, 1, timeout=None)
            key = f"public:{generation}:{address_digest}"
            entry = cache.get(key)
        except Exception:
            # With the cache down the page is still served, rendered for each request.
            logger.warning("Page cache unavailable", exc_info=True)
            key = entry = None
        now = timezone.now().timestamp()
        if entry is None or entry["expires"] <= now:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code != 200:
                return response
            lifetime = seconds_until_next_publication()
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


def _store(key: str, entry: dict, lifetime: int) -> None:
    try:
        cache.set(key, entry, timeout=lifetime)
    except Exception:
        logger.warning("Page cache unavailable", exc_info=True)
