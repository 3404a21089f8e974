"""RSS 2.0 and Atom 1.0 feeds of every public list of stories."""

import re
from dataclasses import dataclass
from io import StringIO
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from entities.models import Entity, Relationship, Topic

from .filters import StoryFilter, TimelineFilter, apply_filters
from .models import Article, Mention
from .search import search_stories, search_words
from .selectors import pair_timeline, story_ids, timeline
from .views import company_pair_or_404, subjects_only

FEED_LENGTH = 50
# What an item shows of a story.
FEED_FIELDS = (
    "title",
    "slug",
    "standfirst",
    "source_url",
    "outlet__name",
    "byline",
    "published_at",
    "updated_at",
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


@dataclass(frozen=True)
class FeedRequest:
    """What one request asks a feed for: its subject (an entity, a pair of companies, a
    relationship kind, a topic, or None) and the address's query.

    Django shares one feed instance between every request: what a request asks for travels
    as the feed's object, never as state on the instance.
    """

    subject: object
    query: QueryDict


class StoryFeed(Feed):
    """Latest published stories; subclasses narrow the list. Items newest first, at most 50."""

    feed_type = StoryRssFeed
    description = "The latest tech-industry stories curated by Newsdesk."
    item_guid_is_permalink = False
    filter_class = StoryFilter

    def get_object(self, request, **kwargs):
        return FeedRequest(self.subject(**kwargs), request.GET)

    def subject(self, **kwargs):
        return None

    def title(self, feed):
        return "Newsdesk — latest stories"

    def link(self, feed):
        return reverse("public:home")

    def stories(self, feed):
        return Article.objects.published().one_per_story().order_by("-published_at", "-pk")

    def items(self, feed):
        stories = apply_filters(self.filter_class(feed.query or None, queryset=self.stories(feed)))
        return self.story_items(stories)

    def story_items(self, stories) -> list[Article]:
        """Return the first stories of a list, each with the names of its visible entities,
        most salient first."""
        items = list(stories.select_related("outlet").only(*FEED_FIELDS)[:FEED_LENGTH])
        names = {story.pk: [] for story in items}
        # Names only: a feed item shows no more of its entities, and fifty stories name about
        # five hundred, too many to build as objects.
        rows = Mention.objects.visible().by_salience_in(list(names))
        for article_id, name in rows.values_list("article_id", "entity__name"):
            names[article_id].append(name)
        for story in items:
            story.entity_names = names[story.pk]
        return items

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


class SearchFeed(StoryFeed):
    description = "Newsdesk stories matching a search."

    def title(self, feed):
        return f"Newsdesk — stories matching “{xml_safe(search_words(feed.query))}”"

    def link(self, feed):
        return f"{reverse('public:search')}?{urlencode({'q': xml_safe(search_words(feed.query))})}"

    def stories(self, feed):
        words = search_words(feed.query)
        if not words:
            return Article.objects.none()
        return search_stories(Article.objects.published(), words)


class TimelineFeed(StoryFeed):
    """A feed of the stories behind a list of mentions, as the timeline pages show them."""

    filter_class = TimelineFilter

    def items(self, feed):
        mentions = apply_filters(self.filter_class(feed.query or None, queryset=self.stories(feed)))
        ids = list(story_ids(mentions)[:FEED_LENGTH])
        stories = Article.objects.published().filter(pk__in=ids)
        return self.story_items(stories.order_by("-published_at", "-pk"))


class EntityFeed(TimelineFeed):
    """A company's, person's or product's timeline, with the page's filters."""

    kind = Entity.Kind.COMPANY

    def subject(self, slug):
        return get_object_or_404(Entity, kind=self.kind, slug=slug, provisional=False)

    def title(self, feed):
        return f"Newsdesk — {xml_safe(feed.subject.name)}"

    def description(self, feed):
        entity = feed.subject
        return xml_safe(entity.description) or f"Stories about {xml_safe(entity.name)}."

    def link(self, feed):
        return feed.subject.get_absolute_url()

    def stories(self, feed):
        subjects = subjects_only(self.kind, feed.query)
        return timeline(feed.subject, subjects_only=subjects).one_per_story()


class PairFeed(TimelineFeed):
    """The stories naming both companies of a pair."""

    def subject(self, slug_a, slug_b):
        return company_pair_or_404(slug_a, slug_b)

    def title(self, feed):
        company_a, company_b = feed.subject
        return f"Newsdesk — {xml_safe(company_a.name)} and {xml_safe(company_b.name)}"

    def description(self, feed):
        company_a, company_b = feed.subject
        return f"Stories naming both {xml_safe(company_a.name)} and {xml_safe(company_b.name)}."

    def link(self, feed):
        company_a, company_b = feed.subject
        return reverse("public:pair", args=[company_a.slug, company_b.slug])

    def stories(self, feed):
        return pair_timeline(*feed.subject).one_per_story()


class RelationshipKindFeed(StoryFeed):
    """Stories that show a relationship of one kind (partnerships, acquisitions…)."""

    def subject(self, kind):
        if kind not in Relationship.Kind.values:
            raise Http404("No such kind of relationship.")
        return Relationship.Kind(kind)

    def title(self, feed):
        return f"Newsdesk — {feed.subject.label.lower()} stories"

    def description(self, feed):
        return f"Stories showing a {feed.subject.label.lower()} between two companies."

    def link(self, feed):
        return f"{reverse('public:partnerships')}?{urlencode({'kind': feed.subject.value})}"

    def stories(self, feed):
        return stories_showing(relationship_evidence__relationship__kind=feed.subject)


class TopicFeed(StoryFeed):
    """Stories that show a relationship on one topic (XR, AI, chips…)."""

    def subject(self, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, feed):
        return f"Newsdesk — {xml_safe(feed.subject.name)}"

    def description(self, feed):
        return f"Stories showing a relationship between companies on {xml_safe(feed.subject.name)}."

    def link(self, feed):
        return f"{reverse('public:partnerships')}?{urlencode({'topic': feed.subject.slug})}"

    def stories(self, feed):
        return stories_showing(relationship_evidence__relationship__topics=feed.subject)


def stories_showing(**relationship_lookup):
    """Return published stories giving evidence of a relationship not rejected by an editor."""
    evidence = Article.objects.filter(**relationship_lookup).exclude(
        relationship_evidence__relationship__status=Relationship.Status.REJECTED
    )
    return (
        Article.objects.published()
        .one_per_story()
        .filter(pk__in=evidence.values("pk"))
        .order_by("-published_at", "-pk")
    )


def atom(feed_class):
    """Return the Atom 1.0 twin of an RSS feed class."""
    return type(
        f"Atom{feed_class.__name__}",
        (feed_class,),
        {"feed_type": StoryAtomFeed, "subtitle": feed_class.description},
    )
