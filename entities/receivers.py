from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import Article
from articles.signals import tagging_requested

from .knowledge_base import kb_changed
from .models import Alias, Entity
from .tasks import enqueue, tag_article


@receiver(tagging_requested, sender=Article)
def enqueue_tagging(sender, article_id, **kwargs):
    enqueue(tag_article, article_id)


@receiver([post_save, post_delete], sender=Entity)
@receiver([post_save, post_delete], sender=Alias)
def knowledge_base_changed(sender, **kwargs):
    kb_changed()
