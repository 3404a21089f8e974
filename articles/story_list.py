"""The story list of the home page, search, timelines and pair pages: an item per story."""

from collections import defaultdict

from .models import Article
from .selectors import with_chips

# What a list item shows of a story.
LISTED_FIELDS = (
    "title",
    "slug",
    "language",
    "published_at",
    "standfirst",
    "outlet__name",
    "cluster",
)
# What a "more coverage" link shows of another outlet's article on the same story.
COVERAGE_FIELDS = ("title", "slug", "language", "published_at", "outlet__name", "cluster")


def story_list(ids, *, pinned=()) -> list[Article]:
    """Return the published stories with these ids, in that order, with their chips (the
    `pinned` entities first, when a story names them) and their story's other articles."""
    stories = (
        Article.objects.published().select_related("outlet").only(*LISTED_FIELDS).in_order(ids)
    )
    return with_more_coverage(with_chips(stories, pinned=pinned))


def with_more_coverage(stories: list[Article]) -> list[Article]:
    """Give each story the other public articles of its cluster, newest first, as
    `more_coverage`: one query for the whole list, none when no story is in a cluster."""
    shown = {story.pk for story in stories}
    cluster_ids = {story.cluster_id for story in stories if story.cluster_id}
    coverage = defaultdict(list)
    if cluster_ids:
        others = (
            Article.objects.published()
            .filter(cluster_id__in=cluster_ids)
            .exclude(pk__in=shown)
            .select_related("outlet")
            .only(*COVERAGE_FIELDS)
            .order_by("-published_at", "-pk")
        )
        for other in others:
            coverage[other.cluster_id].append(other)
    for story in stories:
        story.more_coverage = coverage[story.cluster_id] if story.cluster_id else []
    return stories
