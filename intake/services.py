"""Intake's writes: stories taken in from feeds, pasted URLs and files, once each.

Every way in ends in `article_ingest`, which checks for a duplicate first and saves the
story through `articles.services.article_save`, as the desk does, so that it is tagged (and
clustered) like any other.
"""

import datetime as dt
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import feedparser
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.duplicates import Duplicate, article_index_text, find_duplicate
from articles.models import Article, Outlet
from articles.services import article_save, public_record_save
from articles.source_urls import InvalidSourceURL, canonical_url, normalize_source_url
from articles.tasks import RETRYABLE_ERRORS
from entities.forms import INVISIBLE_CHARACTERS, without_hidden_characters

from .extract import Extracted, ExtractionError, html_text, known_language, page_extract
from .fetch import HTML_TYPES, PAGE_TYPES, Fetcher, FetchError
from .models import Feed, FeedPoll

logger = logging.getLogger(__name__)

TITLE_MAX_CHARS = Article._meta.get_field("title").max_length
BYLINE_MAX_CHARS = Article._meta.get_field("byline").max_length
URL_MAX_CHARS = Article._meta.get_field("source_url").max_length
OUTLET_NAME_MAX_CHARS = Outlet._meta.get_field("name").max_length
# A clock a little ahead is the outlet's; a date beyond this is a mistake.
FUTURE_TOLERANCE = dt.timedelta(days=1)
DOMAIN = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$")


class IngestRefused(ValueError):
    """A story not taken in; the message says why, for the poll's record or the summary."""


@dataclass(frozen=True)
class Ingested:
    article: Article | None  # the story created, None when it was already there
    duplicate: Duplicate | None  # the story it repeats, or the original it syndicates


def article_ingest(
    *,
    outlet: Outlet,
    url: str,
    title: str,
    body: str,
    published_at: dt.datetime | None,
    language: str,
    byline: str,
    origin: str,
    canonical_url: str = "",
) -> Ingested:
    """Create a story taken in from outside, unless Newsdesk already has it.

    A near-copy on another outlet (syndication) is created, linked to its original. The
    story is a draft, or in review when its outlet is trusted; raise IngestRefused for data
    that cannot make a story.
    """
    source_url, title, body, published_at, language, byline = _cleaned(
        url, title, body, published_at, language, byline
    )
    with transaction.atomic():
        duplicate = find_duplicate(
            url=source_url, canonical_url=canonical_url, title=title, body=body, outlet=outlet
        )
        if duplicate is not None and not duplicate.syndicated:
            return Ingested(article=None, duplicate=duplicate)
        article = Article(
            title=title,
            body=body,
            source_url=source_url,
            canonical_url=canonical_url,
            outlet=outlet,
            byline=byline,
            language=language,
            published_at=published_at,
            origin=origin,
            status=Article.Status.IN_REVIEW if outlet.trusted else Article.Status.DRAFT,
            syndicated_from=duplicate.article if duplicate else None,
        )
        try:
            with transaction.atomic():
                article_save(article=article, by=None)
                # Now, not after tagging: the next item of the same poll may be its copy.
                article_index_text(article_id=article.pk)
        except IntegrityError:
            # Another poll saved this source URL between our look-up and our save.
            existing = Article.objects.filter(source_url=source_url).first()
            if existing is None:
                raise
            return Ingested(
                article=None,
                duplicate=Duplicate(article=existing, reason="same source URL", syndicated=False),
            )
    return Ingested(article=article, duplicate=duplicate)


def _cleaned(url, title, body, published_at, language, byline):
    try:
        source_url = normalize_source_url(url or "")
    except InvalidSourceURL as error:
        raise IngestRefused(str(error)) from error
    if len(source_url) > URL_MAX_CHARS:
        raise IngestRefused(f"The URL is longer than {URL_MAX_CHARS} characters.")
    # Feeds and pages carry soft hyphens, zero-width spaces and direction marks: removed.
    title = " ".join(INVISIBLE_CHARACTERS.sub("", without_hidden_characters(title or "")).split())
    if not title:
        raise IngestRefused("The story has no title.")
    if len(title) > TITLE_MAX_CHARS:
        raise IngestRefused(f"The title is longer than {TITLE_MAX_CHARS} characters.")
    body = without_hidden_characters((body or "").replace("\r\n", "\n"))
    if not INVISIBLE_CHARACTERS.sub("", body).strip():
        raise IngestRefused("The story has no text.")
    limit = settings.NEWSDESK_MAX_BODY_CHARS
    if len(body) > limit:
        raise IngestRefused(f"The text is {len(body):,} characters long; the limit is {limit:,}.")
    if published_at is not None:
        if timezone.is_naive(published_at):
            published_at = published_at.replace(tzinfo=dt.UTC)
        if published_at > timezone.now() + FUTURE_TOLERANCE:
            raise IngestRefused(f"The publication date {published_at:%Y-%m-%d} is in the future.")
    language = known_language(language)  # else detected from the text when the story is saved
    byline = " ".join(without_hidden_characters(byline or "").split())[:BYLINE_MAX_CHARS]
    return source_url, title, body, published_at, language, byline


def known_article(*, url: str) -> Article | None:
    """Return the story with this address (or a variant of it) if Newsdesk has it."""
    address = canonical_url(url)
    return Article.objects.filter(canonical_url=address).first() if address else None


def story_from_url(*, url: str, fetcher: Fetcher | None = None) -> Extracted:
    """Fetch a story's page and return what it says; raise FetchError or ExtractionError."""
    response = (fetcher or Fetcher()).get(url, content_types=HTML_TYPES)
    return page_extract(html=response.content, url=response.url)


def outlet_for(*, name_or_domain: str) -> Outlet:
    """Return the outlet with this name or web domain, created if Newsdesk has none."""
    value = " ".join(without_hidden_characters(name_or_domain or "").split())
    if not value:
        raise IngestRefused("The outlet is missing.")
    if len(value) > OUTLET_NAME_MAX_CHARS:
        raise IngestRefused(f"The outlet's name is longer than {OUTLET_NAME_MAX_CHARS} characters.")
    domain = value.lower().removeprefix("www.")
    if DOMAIN.match(domain):
        # Called for every line of an import: only the outlets whose homepage names the
        # domain are read, and their host is checked exactly.
        for outlet in Outlet.objects.filter(homepage__icontains=domain):
            host = (urlsplit(outlet.homepage).hostname or "").removeprefix("www.")
            if host == domain:
                return outlet
    outlet = Outlet.objects.filter(name__iexact=value).first()
    if outlet is None:
        outlet = Outlet(name=value, homepage=f"https://{domain}" if DOMAIN.match(domain) else "")
        public_record_save(record=outlet)
    return outlet


def feeds_due_claim(*, now: dt.datetime | None = None) -> list[int]:
    """Return the ids of the feeds due for a poll, each held back for a while.

    Held back so that the next minute's look does not send it again while its poll runs;
    the poll sets the real next time, and a poll lost with its worker is sent again later.
    """
    now = now or timezone.now()
    with transaction.atomic():
        feed_ids = list(Feed.objects.due(now).order_by("next_poll_at").values_list("pk", flat=True))
        Feed.objects.filter(pk__in=feed_ids).update(
            next_poll_at=now + dt.timedelta(minutes=settings.INTAKE_POLL_LEASE_MINUTES)
        )
    return feed_ids


def feed_poll(*, feed: Feed) -> FeedPoll:
    """Read a feed, take in its new items, and record the poll; a failure backs off."""
    poll = FeedPoll(feed=feed, started_at=timezone.now())
    fetcher = Fetcher()
    retry_items = False
    try:
        response = fetcher.get(
            feed.url, content_types=PAGE_TYPES, etag=feed.etag, last_modified=feed.last_modified
        )
        poll.http_status = response.status
        if not response.not_modified:
            parsed = feedparser.parse(
                response.content,
                response_headers={
                    "content-location": response.url,
                    "content-type": response.content_type,
                },
            )
            if not parsed.entries and parsed.bozo:
                raise FetchError(f"{response.url} is not an RSS or Atom feed.")
            language = parsed.feed.get("language", "")
            for entry in parsed.entries:
                retry_items |= _entry_take_in(poll, feed, entry, fetcher, language)
    except FetchError as error:
        poll.error = str(error)
        poll.http_status = getattr(error, "status", poll.http_status)
    except RETRYABLE_ERRORS:
        raise
    except Exception as error:
        logger.exception("Polling feed %s failed", feed.pk)
        poll.error = f"Unexpected error: {error!r}"
    _poll_record(poll, feed, response=None if poll.error else response, retry_items=retry_items)
    return poll


def _entry_take_in(poll, feed, entry, fetcher, language) -> bool:
    """Take in one item; return whether it should be tried again (its page was unreachable)."""
    link = entry.get("link", "")
    try:
        if not link:
            raise IngestRefused("The item has no link.")
        if known_article(url=link):
            poll.items_known += 1
            return False
        story = _entry_story(entry, feed, fetcher, language)
        ingested = article_ingest(origin=Article.Origin.FEED, **story)
    except IngestRefused as error:
        poll.items_refused += 1
        poll.refusals.append({"link": link, "title": entry.get("title", ""), "reason": str(error)})
        return isinstance(error.__cause__, FetchError)
    except RETRYABLE_ERRORS:
        raise
    except Exception as error:
        logger.exception("Taking in %s from feed %s failed", link, feed.pk)
        poll.items_refused += 1
        poll.refusals.append({"link": link, "reason": f"Unexpected error: {error!r}"})
        return False
    if ingested.article is None:
        poll.items_known += 1
    else:
        poll.items_new += 1
    return False


def _entry_story(entry, feed, fetcher, language) -> dict:
    """Return article_ingest's arguments for a feed item; its page fills a summary-only item."""
    link = entry["link"]
    contents = [part.get("value", "") for part in entry.get("content", [])]
    body = html_text("".join(contents))
    extracted = None
    if not body:
        try:
            extracted = story_from_url(url=link, fetcher=fetcher)
        except (FetchError, ExtractionError) as error:
            raise IngestRefused(f"The item has only a summary, and its page: {error}") from error
        body = extracted.body
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    return {
        "outlet": feed.outlet,
        "url": link,
        "canonical_url": extracted.canonical_url if extracted else "",
        "title": entry.get("title", "") or (extracted.title if extracted else ""),
        "body": body,
        "published_at": dt.datetime(*published[:6], tzinfo=dt.UTC) if published else None,
        "language": (extracted.language if extracted else "") or language,
        "byline": entry.get("author", "") or (extracted.byline if extracted else ""),
    }


def _poll_record(poll, feed, *, response, retry_items) -> None:
    now = timezone.now()
    poll.finished_at = now
    feed.last_polled_at = now
    if poll.error:
        feed.consecutive_failures += 1
        feed.last_error = poll.error
        wait = min(
            feed.interval_minutes * 2**feed.consecutive_failures,
            settings.INTAKE_MAX_BACKOFF_MINUTES,
        )
    else:
        feed.consecutive_failures = 0
        feed.last_error = ""
        wait = feed.interval_minutes
        # Kept only when every item was dealt with: an item whose page could not be read
        # is tried again with the whole feed next time, not hidden behind a 304.
        if not response.not_modified and not retry_items:
            feed.etag, feed.last_modified = response.etag, response.last_modified
    feed.next_poll_at = now + dt.timedelta(minutes=wait)
    with transaction.atomic():
        poll.save()
        feed.save(
            update_fields=[
                "last_polled_at",
                "consecutive_failures",
                "last_error",
                "etag",
                "last_modified",
                "next_poll_at",
            ]
        )
        expired = feed.polls.order_by("-started_at").values_list("pk", flat=True)[
            FeedPoll.KEPT_PER_FEED :
        ]
        FeedPoll.objects.filter(pk__in=list(expired)).delete()
