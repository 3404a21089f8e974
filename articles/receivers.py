from django.db import transaction
from django.dispatch import receiver

from .feed_cache import feeds_changed
from .models import Article
from .signals import publication_changed


@receiver(publication_changed, sender=Article)
def expire_feeds(sender, article, **kwargs):
    transaction.on_commit(feeds_changed)
