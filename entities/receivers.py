from functools import partial

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from articles.models import Article
from articles.public_cache import public_names_changed
from articles.signals import publication_changed, tagging_requested

from .knowledge_base import kb_changed
from .models import Alias, Entity, Mention, Relationship, RelationshipEvidence, Topic
from .services import entity_pages_changed, relationships_refresh_seen
from .tasks import count_entity_panels, enqueue, tag_article


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
    transaction.on_commit(partial(enqueue, count_entity_panels, article.pk))


@receiver([post_save, post_delete], sender=Entity)
@receiver([post_save, post_delete], sender=Alias)
def knowledge_base_changed(sender, **kwargs):
    kb_changed()


@receiver(pre_save, sender=Mention)
def remember_the_entity_named_before(sender, instance, raw=False, **kwargs):
    # An editor may point a mention at another entity: the pages of the one it named before
    # change too.
    if instance.pk and not raw:
        instance.entity_before = (
            Mention.objects.filter(pk=instance.pk).values_list("entity_id", flat=True).first()
        )


@receiver([post_save, post_delete], sender=Mention)
def expire_the_pages_of_what_the_story_names(sender, instance, origin=None, **kwargs):
    # An editor's change to a mention changes the pages of what its story names: their story
    # lists, and what their panels count (the entities named with them). The story's list
    # item and feed entry show its mentions: a new version of the story draws them again
    # (and refuses an editor's form opened before, as any change to the story does). The
    # tagging's own changes expire what they touched themselves, and an entity's deletion,
    # which takes its mentions with it, expires every page.
    if getattr(origin, "dropped_by_tagging", False) or isinstance(origin, Entity):
        return
    Article.objects.filter(pk=instance.article_id).update(version=F("version") + 1)
    named = set(
        Mention.objects.filter(article_id=instance.article_id).values_list("entity_id", flat=True)
    )
    named.add(instance.entity_id)
    if getattr(instance, "entity_before", None):
        named.add(instance.entity_before)
    entity_pages_changed(named)


@receiver([post_save, post_delete], sender=Relationship)
def expire_the_pages_of_both_companies(sender, instance, origin=None, **kwargs):
    # A relationship shows on its companies' pages, their pair's, the partnership list and
    # the stories giving evidence of it (the last two go stale with any change). An
    # entity's deletion, which takes its relationships with it, expires every page.
    if not isinstance(origin, Entity):
        entity_pages_changed([instance.company_a_id, instance.company_b_id])


@receiver([post_save, pre_delete], sender=Topic)
def expire_the_pages_of_the_companies_it_links(sender, instance, **kwargs):
    # A topic names relationships on their companies' cards and pair pages, and on the
    # partnership list and stories, which any change expires. (Before a delete: the links
    # to it go first.)
    entity_pages_changed(Relationship.objects.filter(topics=instance).company_ids())


@receiver([post_save, post_delete], sender=Entity)
def expire_public_names(sender, **kwargs):
    # An entity's name, slug or description shows on every page naming it, but what the
    # panels count stays (the admin says when its kind changed). Deleted, it drops out of
    # the panels, which are drawn with the entities that still exist.
    transaction.on_commit(public_names_changed)


@receiver(pre_delete, sender=Article)
def refresh_relationships_of_deleted_article(sender, instance, **kwargs):
    relationship_ids = list(
        RelationshipEvidence.objects.filter(article=instance).values_list(
            "relationship_id", flat=True
        )
    )
    # After the delete has taken the evidence with it.
    transaction.on_commit(lambda: relationships_refresh_seen(relationship_ids))
