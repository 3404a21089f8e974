"""The story list of the home page, search, timelines and pair pages: an item per story."""

from .models import Article
from .selectors import with_chips

# What a list item shows of a story.
LISTED_FIELDS = ("title", "slug", "language", "published_at", "standfirst", "outlet__name")


def story_list(ids, *, pinned=()) -> list[Article]:
    """Return the published stories with these ids, in that order, with their chips (the
    `pinned` entities first, when a story names them)."""
    stories = (
        Article.objects.published().select_related("outlet").only(*LISTED_FIELDS).in_order(ids)
    )
    return with_chips(stories, pinned=pinned)
