"""Feeds for every public list of the entities app: timelines, pairs, kinds and topics."""

from django.shortcuts import get_object_or_404, redirect

from articles.feeds import FEED_FIELDS, FEED_LENGTH, StoryFeed, xml_safe
from articles.models import Article

from .filters import TimelineFilter
from .models import Entity, Relationship, Topic
from .selectors import pair_timeline, story_ids, timeline


class TimelineFeed(StoryFeed):
    """A feed of the stories behind a list of mentions, as the timeline pages show them."""

    filter_class = TimelineFilter

    def items(self, obj):
        ids = list(story_ids(self.filtered_stories(obj))[:FEED_LENGTH])
        stories = Article.objects.published().only(*FEED_FIELDS).select_related("outlet")
        return self.tagged(stories.in_order(ids))


class EntityFeed(TimelineFeed):
    """A company's, person's or product's timeline, with the page's filters."""

    kind = Entity.Kind.COMPANY

    def get_object(self, request, slug):
        return get_object_or_404(Entity, kind=self.kind, slug=slug)

    def title(self, entity):
        return f"Newsdesk — {xml_safe(entity.name)}"

    def description(self, entity):
        return xml_safe(entity.description) or f"Stories about {xml_safe(entity.name)}."

    def link(self, entity):
        return entity.get_absolute_url()

    def stories(self, entity):
        return timeline(entity, subjects_only=self.request.GET.get("mentions") != "all")


class PairFeed(TimelineFeed):
    """The stories naming both companies of a pair."""

    def __call__(self, request, slug_a, slug_b):
        if slug_a > slug_b:
            return redirect(
                request.resolver_match.view_name, slug_a=slug_b, slug_b=slug_a, permanent=True
            )
        return super().__call__(request, slug_a, slug_b)

    def get_object(self, request, slug_a, slug_b):
        companies = list(
            Entity.objects.filter(kind=Entity.Kind.COMPANY, slug__in=[slug_a, slug_b]).order_by(
                "slug"
            )
        )
        if slug_a >= slug_b or len(companies) != 2:
            raise Entity.DoesNotExist
        return companies

    def title(self, pair):
        return f"Newsdesk — {xml_safe(pair[0].name)} and {xml_safe(pair[1].name)}"

    def description(self, pair):
        return f"Stories naming both {xml_safe(pair[0].name)} and {xml_safe(pair[1].name)}."

    def link(self, pair):
        return Relationship(company_a=pair[0], company_b=pair[1]).get_absolute_url()

    def stories(self, pair):
        return pair_timeline(*pair)


class RelationshipKindFeed(StoryFeed):
    """Stories that show a relationship of one kind (partnerships, acquisitions…)."""

    def get_object(self, request, kind):
        if kind not in Relationship.Kind.values:
            raise Relationship.DoesNotExist
        return Relationship.Kind(kind)

    def title(self, kind):
        return f"Newsdesk — {kind.label.lower()} stories"

    def description(self, kind):
        return f"Stories showing a {kind.label.lower()} between two companies."

    def link(self, kind):
        return f"/partnerships/?kind={kind.value}"

    def stories(self, kind):
        return stories_showing(relationship_evidence__relationship__kind=kind)


class TopicFeed(StoryFeed):
    """Stories that show a relationship on one topic (XR, AI, chips…)."""

    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, topic):
        return f"Newsdesk — {xml_safe(topic.name)}"

    def description(self, topic):
        return f"Stories showing a relationship between companies on {xml_safe(topic.name)}."

    def link(self, topic):
        return f"/partnerships/?topic={topic.slug}"

    def stories(self, topic):
        return stories_showing(relationship_evidence__relationship__topics=topic)


def stories_showing(**relationship_lookup):
    """Return published stories giving evidence of a relationship not rejected by an editor."""
    evidence = Article.objects.filter(**relationship_lookup).exclude(
        relationship_evidence__relationship__status=Relationship.Status.REJECTED
    )
    return (
        Article.objects.published()
        .filter(pk__in=evidence.values("pk"))
        .order_by("-published_at", "-pk")
    )
