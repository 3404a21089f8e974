"""The editors' desk: the queues waiting for someone, as the admin index lists them.

Each queue is the count of one filtered list and a link to it; a user sees the queues their
role lets them work through.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from entities.models import Candidate, Entity, Relationship

from .models import Article
from .tasks import tagging_stale_before

# The stories about to go live that the desk names, soonest first.
NEXT_SCHEDULED = 5


@dataclass
class Queue:
    title: str
    count: int
    url: str
    # A few of its stories, when their times matter (scheduled ones).
    stories: list = field(default_factory=list)


def desk_queues(user) -> list[Queue]:
    """Return the queues this user may work through, each with its count and its list."""
    articles = reverse("admin:articles_article_changelist")
    queues = []
    if user.has_perm("articles.publish_article"):
        queues.append(
            Queue(
                "stories in review",
                Article.objects.filter(status=Article.Status.IN_REVIEW).count(),
                f"{articles}?status__exact={Article.Status.IN_REVIEW}",
            )
        )
    if user.has_perm("articles.view_article"):
        # What intake brought in (feeds, pasted URLs, imports) and nobody has looked at yet.
        queues.append(
            Queue(
                "incoming stories",
                Article.objects.filter(status=Article.Status.DRAFT)
                .exclude(origin=Article.Origin.DESK)
                .count(),
                f"{articles}?status__exact={Article.Status.DRAFT}&incoming=yes",
            )
        )
        scheduled = Article.objects.scheduled()
        queues.append(
            Queue(
                "stories scheduled",
                scheduled.count(),
                f"{articles}?scheduled=yes",
                list(
                    scheduled.order_by("published_at").only("title", "published_at")[
                        :NEXT_SCHEDULED
                    ]
                ),
            )
        )
    if user.has_perm("articles.change_article"):
        failed = Article.objects.filter(tagging_status=Article.TaggingStatus.FAILED)
        queues += [
            Queue(
                "stories whose tagging failed", failed.count(), f"{articles}?tagging_status=failed"
            ),
            Queue(
                "stories whose tagging stalled",
                Article.objects.stale_tagging(tagging_stale_before()).count(),
                f"{articles}?tagging_status=stalled",
            ),
        ]
    if user.has_perm("entities.change_candidate"):
        queues.append(
            Queue(
                "candidates waiting",
                Candidate.objects.filter(status=Candidate.Status.PENDING).count(),
                reverse("admin:entities_candidate_changelist")
                + f"?status__exact={Candidate.Status.PENDING}",
            )
        )
    if user.has_perm("entities.change_entity"):
        queues.append(
            Queue(
                "suggested entities to accept",
                Entity.objects.filter(provisional=True).count(),
                reverse("admin:entities_entity_changelist") + "?provisional__exact=1",
            )
        )
    if user.has_perm("entities.change_relationship"):
        queues.append(
            Queue(
                "relationships to review",
                Relationship.objects.filter(status=Relationship.Status.DETECTED).count(),
                reverse("admin:entities_relationship_changelist")
                + f"?status__exact={Relationship.Status.DETECTED}",
            )
        )
    return queues
