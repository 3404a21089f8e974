from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from articles.models import Article
from articles.public_cache import public_content_changed
from articles.signals import publication_changed, tagging_requested

from .knowledge_base import kb_changed
from .models import Alias, Entity, Mention, Relationship, RelationshipEvidence, Topic
from .services import entity_pages_changed, relationships_refresh_seen
from .tasks import enqueue, tag_article


@receiver(tagging_requested, sender=Article)
def enqueue_tagging(sender, article_id, **kwargs):
    enqueue(tag_article, article_id)


@receiver(publication_changed, sender=Article)
def follow_publication(sender, article, **kwargs):
    mentions = Mention.objects.filter(article=article)
    mentions.update(article_published_at=article.public_since)
    entity_pages_changed(mentions.values_list("entity_id", flat=True))
    relationships_refresh_seen(
        RelationshipEvidence.objects.filter(article=article).values_list(
            "relationship_id", flat=True
        )
    )


@receiver([post_save, post_delete], sender=Entity)
@receiver([post_save, post_delete], sender=Alias)
def knowledge_base_changed(sender, **kwargs):
    kb_changed()


@receiver([post_save, post_delete], sender=Mention)
@receiver([post_save, post_delete], sender=Relationship)
@receiver([post_save, post_delete], sender=Topic)
def expire_public_pages(sender, origin=None, **kwargs):
    # Pages and feeds show mentions and relationships (with their topics), and entities'
    # panels count them: an editor's change to any of them must reach the readers. The
    # tagging's own changes expire the pages of the entities it touched, and the story's
    # parts with its stamp.
    if getattr(origin, "dropped_by_tagging", False):
        return
    transaction.on_commit(public_content_changed)


@receiver([post_save, post_delete], sender=Entity)
def expire_public_names(sender, **kwargs):
    # An entity's name, slug or description shows on every page naming it, but what the
    # panels count stays: its mentions and relationships, deleted with it, say so themselves,
    # and the admin says when its kind changed.
    transaction.on_commit(partial(public_content_changed, facts=False))


@receiver(pre_delete, sender=Article)
def refresh_relationships_of_deleted_article(sender, instance, **kwargs):
    relationship_ids = list(
        RelationshipEvidence.objects.filter(article=instance).values_list(
            "relationship_id", flat=True
        )
    )
    # After the delete has taken the evidence with it.
    transaction.on_commit(lambda: relationships_refresh_seen(relationship_ids))
