from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Article, Outlet
from .public_cache import public_content_changed, public_names_changed
from .signals import publication_changed


@receiver(publication_changed, sender=Article)
def expire_site_pages(sender, **kwargs):
    # The pages about the story's subjects go stale from the app that knows them (entities).
    transaction.on_commit(lambda: public_content_changed(about=()))


@receiver([post_save, post_delete], sender=Outlet)
def expire_public_pages(sender, **kwargs):
    # An outlet shows by its name on list items; nothing an entity's panels count changes.
    transaction.on_commit(partial(public_names_changed, outlets=True))
