"""Celery tasks: thin wrappers that take ids and call services."""

import logging

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, InterfaceError, transaction
from django.utils import timezone

from articles.models import Article

from . import panels, services

logger = logging.getLogger(__name__)

# Database errors are worth retrying (a restart, a lost connection); anything else is a bug
# or bad data, recorded on the article for editors to see.
RETRYABLE_ERRORS = (DatabaseError, InterfaceError)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=RETRYABLE_ERRORS,
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=10,
)
def tag_article(self, article_id: int) -> bool:
    """Tag one article; safe to run twice."""
    try:
        tagged = services.article_tag(article_id=article_id)
    except RETRYABLE_ERRORS:
        if self.request.retries >= self.max_retries:
            services.article_tagging_failed(article_id=article_id, error="Database unavailable.")
        raise
    except Exception as error:
        logger.exception("Tagging article %s failed", article_id)
        services.article_tagging_failed(article_id=article_id, error=repr(error))
        raise
    if tagged:
        transaction.on_commit(lambda: enqueue(count_entity_panels, article_id))
        if settings.NEWSDESK_DISCOVERY_ENABLED:
            transaction.on_commit(lambda: enqueue(discover_candidates, article_id))
    return tagged


@shared_task(acks_late=True, autoretry_for=RETRYABLE_ERRORS, retry_backoff=True, max_retries=3)
def count_entity_panels(article_id: int) -> int:
    """Count the panels of what a story names before readers ask; safe to run twice.

    Lost, it costs nothing but time: the first reader of each page counts them.
    """
    return panels.count_panels_named_in(article_id)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=RETRYABLE_ERRORS,
    retry_backoff=True,
    max_retries=5,
)
def discover_candidates(article_id: int) -> int:
    """Find names the knowledge base lacks in one article; slower, so it has its own queue."""
    return services.article_discover(article_id=article_id)


@shared_task(acks_late=True)
def sweep_stale_tagging() -> int:
    """Re-enqueue articles left pending or running, e.g. saved while the broker was down.

    It also brings relationship dates up to date with stories whose embargo lifted lately.
    """
    services.relationships_refresh_lifted_embargoes(
        since=timezone.now() - timezone.timedelta(days=1)
    )
    threshold = timezone.now() - timezone.timedelta(seconds=settings.NEWSDESK_TAGGING_STALE_SECONDS)
    article_ids = list(Article.objects.stale_tagging(threshold).values_list("pk", flat=True)[:1000])
    Article.objects.filter(pk__in=article_ids).update(tagging_requested_at=timezone.now())
    for article_id in article_ids:
        tag_article.delay(article_id)
    if article_ids:
        logger.info("Sweep re-enqueued %d article(s) for tagging", len(article_ids))
    return len(article_ids)


def enqueue(task, *args) -> bool:
    """Send a task; when the broker is down, log it and leave the sweep to send it later."""
    try:
        task.delay(*args)
    except Exception:
        logger.warning(
            "Could not enqueue %s%r; the sweep will retry", task.name, args, exc_info=True
        )
        return False
    return True
