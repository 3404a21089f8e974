"""The story list of the home page, search, timelines and pair pages: an item per story."""

from django.db.models import prefetch_related_objects
from django.template.loader import get_template

from entities.selectors import with_chips

from .models import Article
from .public_cache import cached_fragments

# What a list shows of a story beside its item, and what tells whether the item changed.
LISTED_FIELDS = ("title", "slug", "language", "published_at", "version", "tagged_at")
# What drawing an item needs besides.
ITEM_FIELDS = ("standfirst", "outlet")


def story_list(ids) -> list[Article]:
    """Return the published stories with these ids, in that order, each with its list item.

    An item shows the story and the entities it names, so it is drawn again only when the
    story was saved or tagged since, or the knowledge base changed (a name, an outlet): a
    page drawn anew because one story came out draws that story's item alone.
    """
    stories = Article.objects.published().only(*LISTED_FIELDS, *ITEM_FIELDS).in_order(ids)
    items = cached_fragments(
        "story-item",
        {story: story.listed_stamp for story in stories},
        _draw_items,
    )
    for story in stories:
        story.list_item = items[story]
    return stories


def _draw_items(stories: list[Article]) -> dict[Article, str]:
    prefetch_related_objects(stories, "outlet")
    item = get_template("includes/story_item.html")
    return {story: item.render({"story": story}) for story in with_chips(stories)}
