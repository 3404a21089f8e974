"""Writes with side effects on articles: saving, the editorial workflow, re-tagging."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Article
from .signals import publication_changed, tagging_requested

Status = Article.Status

# Which states each workflow step may start from.
TRANSITIONS = {
    "submit": ({Status.DRAFT}, Status.IN_REVIEW),
    "publish": ({Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED}, Status.PUBLISHED),
    "return_to_draft": ({Status.IN_REVIEW, Status.PUBLISHED, Status.ARCHIVED}, Status.DRAFT),
    "archive": ({Status.PUBLISHED, Status.DRAFT, Status.IN_REVIEW}, Status.ARCHIVED),
}
# Steps an Editor may take; the rest need the publish permission (Chief editor).
STEPS_NEEDING_PUBLISH_PERMISSION = frozenset({"publish", "return_to_draft", "archive"})


class WorkflowError(ValidationError):
    pass


def article_save(*, article: Article, by) -> Article:
    """Save an article and ask for tagging after commit if its title or body changed."""
    adding = article._state.adding
    previous_fingerprint = (
        None
        if adding
        else Article.objects.filter(pk=article.pk).values_list("fingerprint", flat=True).first()
    )
    article.updated_by = by
    if adding:
        article.created_by = by
    article.save()
    publication_changed.send(sender=Article, article=article)
    if article.fingerprint != previous_fingerprint:
        article_request_tagging(article=article)
    return article


def article_request_tagging(*, article: Article) -> None:
    """Mark the article pending and enqueue its tagging once the transaction commits.

    The tagged fingerprint is cleared so that the task re-tags even unchanged text: the
    knowledge base may have changed, or an editor asked.
    """
    now = timezone.now()
    Article.objects.filter(pk=article.pk).update(
        tagging_status=Article.TaggingStatus.PENDING,
        tagging_requested_at=now,
        tagging_error="",
        tagged_fingerprint="",
    )
    article.tagging_status = Article.TaggingStatus.PENDING
    article.tagging_requested_at = now
    article_id = article.pk
    transaction.on_commit(lambda: tagging_requested.send(sender=Article, article_id=article_id))


def article_transition(*, article: Article, step: str, by) -> Article:
    """Move an article one step along draft → in review → published → archived."""
    sources, target = TRANSITIONS[step]
    if step in STEPS_NEEDING_PUBLISH_PERMISSION and not by.has_perm("articles.publish_article"):
        raise PermissionDenied(f"You may not {step.replace('_', ' ')} articles.")
    if article.status not in sources:
        raise WorkflowError(
            f"“{article.title}” is {article.get_status_display().lower()}: "
            f"it cannot be moved to {Status(target).label.lower()}."
        )
    article.status = target
    if target == Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    article.updated_by = by
    article.save(update_fields=["status", "published_at", "updated_by", "updated_at"])
    publication_changed.send(sender=Article, article=article)
    return article
