"""The public pages' cache: whole responses, one generation for the whole site.

Readers all see the same pages, so a page or feed is kept whole, by its address, in the
`pages` cache (Django's CacheMiddleware). Every committed change that readers could see (a
story published, unpublished, edited, deleted or re-tagged; an editor's decision on a
mention or a relationship; an entity, a topic or an outlet changed) calls `site_changed`,
which replaces the site's generation: the pages kept under the old one are never read again.

A page is kept at most NEWSDESK_PUBLIC_CACHE_SECONDS and never past the next embargo's end,
so a scheduled story appears on time with nobody saving anything. With the cache down, pages
are drawn for each request.
"""

import logging
import secrets
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponsePermanentRedirect
from django.middleware.cache import CacheMiddleware
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.decorators import decorator_from_middleware

from .models import Article

logger = logging.getLogger(__name__)

GENERATION_KEY = "newsdesk:site-generation"


def site_changed() -> None:
    """Once the transaction commits, make every cached public page and feed stale."""
    transaction.on_commit(new_site_generation)


def new_site_generation() -> None:
    """Start a new generation now: no page kept before is read again."""
    # Random rather than counted: a generation lost from the cache never brings back the
    # pages kept under an older one.
    try:
        caches["default"].set(GENERATION_KEY, secrets.token_hex(8), timeout=None)
    except Exception:
        # The change is committed and must not turn into an error page now; the pages kept
        # before it live at most NEWSDESK_PUBLIC_CACHE_SECONDS.
        logger.warning("Could not expire the cached public pages", exc_info=True)


def site_generation() -> str:
    """Return the site's current generation, starting one if the cache has none."""
    cache = caches["default"]
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def seconds_until_next_publication() -> int:
    """Return how long a page may be kept: until the next embargo lifts, within the limit."""
    limit = settings.NEWSDESK_PUBLIC_CACHE_SECONDS
    upcoming = Article.objects.next_publication()
    if upcoming is None:
        return limit
    return max(0, min(limit, int((upcoming - timezone.now()).total_seconds())))


class PublicPageCache(CacheMiddleware):
    """Django's whole-response cache under the site's generation, never an error page.

    The generation is the `pages` cache's key version. The cache handler gives each thread
    its own cache object, so the version set at the start of a request is the one its
    response is stored under: a page drawn while an editor's change committed is stored
    under the generation that change replaced, and never read.
    """

    def __init__(self, get_response):
        super().__init__(get_response, cache_alias="pages", key_prefix="")

    def process_request(self, request):
        if not settings.NEWSDESK_PUBLIC_CACHE_SECONDS:
            request._cache_update_cache = False
            return None
        try:
            self.cache.version = site_generation()
            return super().process_request(request)
        except Exception:
            logger.warning("Page cache unavailable", exc_info=True)
            request._cache_update_cache = False
            return None

    def process_response(self, request, response):
        if response.status_code != 200 or not getattr(request, "_cache_update_cache", False):
            return response
        patch_cache_control(response, public=True, max_age=seconds_until_next_publication())
        try:
            return super().process_response(request, response)
        except Exception:
            logger.warning("Page cache unavailable", exc_info=True)
            return response


def public_page(view, *, parameters=()):
    """Serve a public page or feed through the page cache, at its canonical address.

    `parameters` are the query parameters the page reads: a redirect drops any other, and
    empty ones, so that what a link or a crawler adds makes no new cache entry.
    """
    cached = decorator_from_middleware(PublicPageCache)(view)
    allowed = frozenset(parameters)

    @wraps(view)
    def page(request, *args, **kwargs):
        given = [(name, value) for name, values in request.GET.lists() for value in values]
        kept = [(name, value) for name, value in given if name in allowed and value]
        if kept != given:
            query = urlencode(kept)
            return HttpResponsePermanentRedirect(
                f"{request.path}?{query}" if query else request.path
            )
        return cached(request, *args, **kwargs)

    return page
