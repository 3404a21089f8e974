"""The intake's queue on the desk (the admin index): feeds that keep failing."""

from django import template
from django.urls import reverse

from articles.desk import Queue
from intake.models import Feed

register = template.Library()


@register.simple_tag(takes_context=True)
def feed_queues(context) -> list[Queue]:
    if not context["request"].user.has_perm("intake.view_feed"):
        return []
    return [
        Queue(
            "feeds failing",
            Feed.objects.failing().count(),
            reverse("admin:intake_feed_changelist") + "?health=failing",
        )
    ]
