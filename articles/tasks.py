"""Celery tasks: thin wrappers that take ids and call the tagging services."""

import logging

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from . import clusters, duplicates, tagging
from .models import Article

logger = logging.getLogger(__name__)

# A database restarting or a lost connection is worth retrying; anything else (a bug, bad
# data, a value too long for its column) fails the same way again, so it is recorded on the
# article for editors to see, not retried.
RETRYABLE_ERRORS = (OperationalError, InterfaceError)


class NewsroomTask(DjangoTask):
    def delay_on_commit(self, *args, **kwargs) -> None:
        """Send the task once the transaction commits.

        With the broker down the change stands all the same: the failure is logged, the
        article stays pending, and the sweep sends it again later.
        """
        transaction.on_commit(lambda: self.delay(*args, **kwargs), robust=True)


@shared_task(
    base=NewsroomTask,
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
        tagged = tagging.article_tag(article_id=article_id)
    except RETRYABLE_ERRORS:
        if self.request.retries >= self.max_retries:
            tagging.article_tagging_failed(article_id=article_id, error="Database unavailable.")
        raise
    except Exception as error:
        logger.exception("Tagging article %s failed", article_id)
        tagging.article_tagging_failed(article_id=article_id, error=repr(error))
        raise
    # A retry may follow a run that tagged the article and then lost the database before the
    # steps below: they are safe to run twice, so a retry runs them whatever it found.
    finishing = tagged or self.request.retries > 0
    if finishing:
        # Tagged text, its subjects known: later copies can find it, and it can join the
        # story other outlets reported.
        duplicates.article_index_text(article_id=article_id)
        clusters.article_cluster(article_id=article_id)
    if finishing and settings.NEWSDESK_DISCOVERY_ENABLED:
        discover_candidates.delay_on_commit(article_id)
    return finishing


@shared_task(
    base=NewsroomTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=RETRYABLE_ERRORS,
    retry_backoff=True,
    max_retries=5,
)
def discover_candidates(article_id: int) -> int:
    """Find names the knowledge base lacks in one article; slower, so it has its own queue."""
    return tagging.article_discover(article_id=article_id)


def tagging_stale_before():
    """Return the time before which tagging asked for and never finished has stalled: the
    sweep sends it again, the desk lists it as stalled."""
    return timezone.now() - timezone.timedelta(seconds=settings.NEWSDESK_TAGGING_STALE_SECONDS)


@shared_task(base=NewsroomTask, acks_late=True)
def sweep_stale_tagging() -> int:
    """Re-enqueue articles left pending or running, e.g. saved while the broker was down.

    It also dates the relationships of stories whose embargo lifted lately, and accepts the
    suggested entities those stories name, if policy says enough outlets name them now.
    """
    since = timezone.now() - timezone.timedelta(days=1)
    tagging.relationships_refresh_lifted_embargoes(since=since)
    tagging.entities_accept_by_policy(
        articles=Article.objects.published().filter(published_at__gt=since)
    )
    article_ids = list(
        Article.objects.stale_tagging(tagging_stale_before()).values_list("pk", flat=True)[:1000]
    )
    Article.objects.filter(pk__in=article_ids).update(tagging_requested_at=timezone.now())
    for article_id in article_ids:
        tag_article.delay(article_id)
    if article_ids:
        logger.info("Sweep re-enqueued %d article(s) for tagging", len(article_ids))
    return len(article_ids)
