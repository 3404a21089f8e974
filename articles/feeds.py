"""RSS 2.0 and Atom 1.0 feeds of published stories."""

import re
from io import StringIO

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from entities.models import Mention

from .filters import StoryFilter, apply_filters
from .models import Article
from .public_cache import cached_parts
from .search import search_stories

FEED_LENGTH = 50
# What an item shows of a story, and when it was tagged (its categories).
FEED_FIELDS = (
    "title",
    "slug",
    "standfirst",
    "source_url",
    "outlet",
    "byline",
    "published_at",
    "updated_at",
    "version",
    "tagged_at",
)
# Characters XML 1.0 cannot carry at all, even escaped.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    return XML_ILLEGAL.sub("", text or "")


class WrittenAtOnce:
    """Write the feed's document to the response in one piece.

    Written straight to it, each of a feed's thousands of tags, texts and ends would be a
    chunk of its own, and joining them cost more than writing the XML.
    """

    def write(self, outfile, encoding):
        document = StringIO()
        super().write(document, encoding)
        outfile.write(document.getvalue())


class StoryRssFeed(WrittenAtOnce, Rss201rev2Feed):
    """RSS 2.0 with the original publisher as each item's <source>."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("source", item["outlet"], {"url": item["source_url"]})


class StoryAtomFeed(WrittenAtOnce, Atom1Feed):
    """Atom 1.0 with a link to the original and the publisher as each entry's <source>."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("link", "", {"rel": "via", "href": item["source_url"]})
        handler.startElement("source", {})
        handler.addQuickElement("title", item["outlet"])
        handler.endElement("source")


class StoryFeed(Feed):
    """Latest published stories; subclasses narrow the list. Items newest first, at most 50."""

    feed_type = StoryRssFeed
    title = "Newsdesk — latest stories"
    description = "The latest tech-industry stories curated by Newsdesk."
    item_guid_is_permalink = False

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def link(self, obj=None):
        return reverse("articles:home")

    def stories(self, obj):
        return Article.objects.published().order_by("-published_at", "-pk")

    filter_class = StoryFilter

    def filtered_stories(self, obj):
        """Return the feed's list with the filters given in the address."""
        filterset = self.filter_class(self.request.GET or None, queryset=self.stories(obj))
        return apply_filters(filterset)

    def items(self, obj=None):
        stories = self.filtered_stories(obj).only(*FEED_FIELDS).select_related("outlet")
        return self.tagged(list(stories[:FEED_LENGTH]))

    def tagged(self, stories: list) -> list:
        """Give each story the names of its visible entities, most salient first.

        They change only when the story is saved (an editor's change to its mentions saves
        it) or tagged, or the knowledge base changes, so a feed drawn again after one story
        came out reads the names of that story alone.
        """
        names = cached_parts(
            "entity-names",
            {story.pk: story.listed_stamp for story in stories},
            _names,
        )
        for story in stories:
            story.entity_names = names[story.pk]
        return stories

    def item_title(self, story):
        return xml_safe(story.title)

    def item_description(self, story):
        # An RSS description and an Atom summary (type="html") are HTML to a feed reader, and
        # the standfirst is plain text: escaped, "<script>" stays text once the XML is read.
        return escape(xml_safe(story.standfirst))

    def item_link(self, story):
        return story.get_absolute_url()

    def item_guid(self, story):
        # The primary key never changes, whatever editors do to the title or slug.
        return f"urn:newsdesk:story:{story.pk}"

    def item_pubdate(self, story):
        return story.published_at

    def item_updateddate(self, story):
        return max(story.updated_at, story.published_at)

    def item_author_name(self, story):
        return xml_safe(story.byline) or None

    def item_categories(self, story):
        return [xml_safe(name) for name in story.entity_names]

    def item_extra_kwargs(self, story):
        return {"outlet": xml_safe(story.outlet.name), "source_url": story.source_url}


def _names(story_ids: list[int]) -> dict[int, list[str]]:
    names = {story_id: [] for story_id in story_ids}
    # Names only: a feed item shows no more of its entities, and fifty stories name about
    # five hundred, too many to build as objects.
    rows = Mention.objects.visible().by_salience_in(story_ids)
    for article_id, name in rows.values_list("article_id", "entity__name"):
        names[article_id].append(name)
    return names


class SearchFeed(StoryFeed):
    description = "Newsdesk stories matching a search."

    def title(self):
        return f"Newsdesk — stories matching “{self.query()}”"

    def link(self):
        return f"{reverse('articles:search')}?q={self.query()}"

    def query(self):
        return xml_safe(self.request.GET.get("q", "").strip()[:200])

    def stories(self, obj):
        if not self.query():
            return Article.objects.none()
        return search_stories(Article.objects.published(), self.query())


def atom(feed_class):
    """Return the Atom 1.0 twin of an RSS feed class."""
    return type(
        f"Atom{feed_class.__name__}",
        (feed_class,),
        {"feed_type": StoryAtomFeed, "subtitle": feed_class.description},
    )
