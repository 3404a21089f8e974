"""Celery tasks: beat's look for due feeds, and one poll per feed."""

from celery import shared_task

from articles.tasks import RETRYABLE_ERRORS, NewsroomTask

from . import services
from .models import Feed


@shared_task(base=NewsroomTask, acks_late=True)
def poll_due_feeds() -> int:
    """Send a poll for every feed whose time has come: one task each, so one cannot stop others."""
    feed_ids = services.feeds_due_claim()
    for feed_id in feed_ids:
        poll_feed.delay_on_commit(feed_id)
    return len(feed_ids)


@shared_task(
    base=NewsroomTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=RETRYABLE_ERRORS,
    retry_backoff=True,
    max_retries=5,
)
def poll_feed(feed_id: int) -> int:
    """Poll one feed; safe to run twice (a story already taken in is known, not created)."""
    feed = Feed.objects.select_related("outlet").filter(pk=feed_id).first()
    if feed is None:
        return 0
    return services.feed_poll(feed=feed).items_new
