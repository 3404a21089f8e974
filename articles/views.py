import datetime
from functools import cached_property, partial, wraps
from string import ascii_uppercase
from urllib.parse import urlencode

from django.db.models import Model
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.views.generic import ListView, TemplateView

from entities.models import Entity, Relationship

from .filters import CompanyFilter, RelationshipFilter, StoryFilter, TimelineFilter, apply_filters
from .models import Article
from .pagination import StoryIdPaginator
from .rendering import linked_paragraphs
from .search import search_stories, search_words
from .selectors import (
    KIND_ORDER,
    NAMED_WITH,
    CompanyDirectory,
    PairDirectory,
    co_mentioned,
    company_cards,
    company_sectors,
    pair_cards,
    pair_evidence,
    pair_timeline,
    related_stories,
    relationship_groups,
    stories_per_month,
    story_ids,
    story_relationships,
    timeline,
)
from .story_list import story_list, with_more_coverage


def feed_links(request, name: str, title: str, *, with_filters: bool = True, **kwargs) -> dict:
    """Return the RSS and Atom addresses of a list's feed, with the list's filters."""
    query = request.GET.copy() if with_filters else {}
    query.pop("page", None)
    suffix = f"?{query.urlencode()}" if query else ""
    return {
        "title": title,
        "rss": reverse(f"{name}-rss", kwargs=kwargs) + suffix,
        "atom": reverse(f"{name}-atom", kwargs=kwargs) + suffix,
    }


class PublishedStoriesMixin:
    """Start every list from the published stories and paginate it.

    A list's queryset gives story ids in the list's order; only the stories of the page
    shown are loaded, with their chips.
    """

    paginate_by = 20
    paginator_class = StoryIdPaginator

    def published_stories(self):
        return Article.objects.published()

    def get_paginator(self, queryset, per_page, **kwargs):
        return super().get_paginator(queryset, per_page, load=story_list, **kwargs)


class FilteredStoriesMixin(PublishedStoriesMixin):
    """A story list with the shared filters; an invalid value shows the unfiltered list."""

    filter_class = StoryFilter
    # Query parameters that are not filters and survive "Clear filters".
    kept_parameters = ()

    def filtered(self, stories):
        self.filterset = self.filter_class(self.request.GET or None, queryset=stories)
        return apply_filters(self.filterset)

    def get_context_data(self, **kwargs):
        keep = [
            (name, self.request.GET[name])
            for name in self.kept_parameters
            if self.request.GET.get(name)
        ]
        return super().get_context_data(
            filterset=self.filterset,
            chosen_filters=chosen_filters(self.filterset),
            keep=keep,
            clear_url=f"{self.request.path}?{urlencode(keep)}" if keep else self.request.path,
            **kwargs,
        )


def chosen_filters(filterset) -> list[str]:
    """Return "Label: value" for each filter the reader set, when every value was understood."""
    if not filterset.is_bound or not filterset.is_valid():
        return []
    form = filterset.form
    chosen = []
    for bound in form:
        value = form.cleaned_data.get(bound.name)
        if value in (None, ""):
            continue
        if isinstance(value, datetime.date):
            shown = date_format(value, "j F Y")
        elif isinstance(value, Model):
            shown = str(value)  # a model's choices would be read again from the database
        else:
            shown = dict(getattr(bound.field, "choices", ())).get(value, value)
        chosen.append(f"{bound.label}: {shown}")
    return chosen


class HomeView(PublishedStoriesMixin, ListView):
    template_name = "articles/home.html"
    context_object_name = "stories"

    def get_queryset(self):
        return self.published_stories().one_per_story().values_list("pk", flat=True)

    def get_context_data(self, **kwargs):
        feed = feed_links(self.request, "public:latest", "Latest stories")
        return super().get_context_data(feed=feed, **kwargs)


class StoryView(PublishedStoriesMixin, TemplateView):
    template_name = "articles/story.html"

    def get_context_data(self, **kwargs):
        story = get_object_or_404(
            self.published_stories().select_related("outlet"), slug=self.kwargs["slug"]
        )
        return super().get_context_data(**story_context(self.request, story), **kwargs)


def story_context(request, story: Article, relationships=None) -> dict:
    """Return what a story's page shows: its linked text, entities, relationships (the public
    ones, or those `relationships` lists), related stories and JSON-LD."""
    mentions = list(story.mentions.visible().select_related("entity"))
    links = [
        (start, end, mention.entity.get_absolute_url())
        for mention in mentions
        for start, end in mention.offsets
    ]
    [story] = with_more_coverage([story])
    coverage = {other.pk for other in story.more_coverage}
    return {
        "story": story,
        "paragraphs": linked_paragraphs(story.body, links),
        "mentions": mentions,
        "relationships": story_relationships(story, among=relationships),
        # Other outlets' reports of the same story are listed as such, not again as related.
        "related": [other for other in related_stories(story) if other.pk not in coverage],
        "json_ld": news_article_json_ld(request, story, mentions),
    }


class SearchView(FilteredStoriesMixin, ListView):
    template_name = "articles/search.html"
    context_object_name = "stories"
    kept_parameters = ("q",)

    def get_queryset(self):
        self.query = search_words(self.request.GET)
        stories = self.filtered(self.published_stories())
        if not self.query:
            return stories.none()
        return search_stories(stories, self.query).values_list("pk", flat=True)

    def get_context_data(self, **kwargs):
        feed = feed_links(self.request, "public:search", f"Stories matching “{self.query}”")
        return super().get_context_data(query=self.query, feed=feed, **kwargs)


class DirectoryPaginator(StoryIdPaginator):
    """Pages through a directory ranked a page at a time: a page of ids, then their cards.

    Nothing is counted to show a page; there is a next one when the ranking gives one id
    more than a page holds.
    """

    cap = 100_000

    @cached_property
    def count(self):
        # Only `?page=last` asks: every entry up to the cap is ranked.
        return len(self.object_list[: self.cap])


class CompanyListView(ListView):
    """The companies readers can follow: the latest written about first, or A to Z."""

    template_name = "entities/company_list.html"
    context_object_name = "companies"
    paginate_by = 24
    paginator_class = DirectoryPaginator

    def get_queryset(self):
        companies = Entity.objects.filter(kind=Entity.Kind.COMPANY)
        self.filterset = CompanyFilter(
            self.request.GET or None, queryset=companies, sectors=company_sectors()
        )
        chosen = self.filterset.form.cleaned_data if self.filterset.is_valid() else {}
        self.order = chosen.get("sort") or "activity"
        return CompanyDirectory(
            apply_filters(self.filterset),
            order=self.order,
            everyone=chosen.get("show") == "all",
        )

    def get_paginator(self, queryset, per_page, **kwargs):
        return super().get_paginator(queryset, per_page, load=company_cards, **kwargs)

    def get_context_data(self, **kwargs):
        # The A to Z bar and the two orders keep what else the reader chose.
        kept = {
            name: self.request.GET[name]
            for name in ("sort", "show", "sector")
            if self.request.GET.get(name)
        }
        letter = self.request.GET.get("letter", "")
        return super().get_context_data(
            filterset=self.filterset,
            order=self.order,
            letter=letter,
            letters=[
                (each, f"?{urlencode({**kept, 'letter': each})}")
                for each in [*ascii_uppercase, "#"]
            ],
            every_letter=f"?{urlencode(kept)}" if kept else self.request.path,
            orders=[
                (value, label, self.with_parameter("sort", value))
                for value, label in [("activity", "Latest story first"), ("name", "Name, A to Z")]
            ],
            **kwargs,
        )

    def with_parameter(self, name: str, value: str) -> str:
        """Return this page's address with one parameter changed (its default dropped), on
        its first page."""
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop(name, None)
        if value != "activity":
            query[name] = value
        return f"?{query.urlencode()}" if query else self.request.path


class TimelineMixin(FilteredStoriesMixin):
    """A list paged through the mentions behind it (their story ids)."""

    context_object_name = "stories"
    filter_class = TimelineFilter


# Most stories naming a company are about something else, so its page lists the stories
# about it; a person or a product is mostly named in passing, so theirs list every story
# naming them (with subjects only, most of those pages would be empty).
SUBJECTS_BY_DEFAULT = frozenset({Entity.Kind.COMPANY})


def subjects_only(kind: str, query) -> bool:
    """Return whether an entity's timeline (page or feed) lists only the stories about it:
    `?mentions=subjects` or `?mentions=all` chooses, else the entity's kind."""
    mentions = query.get("mentions")
    if mentions in ("subjects", "all"):
        return mentions == "subjects"
    return kind in SUBJECTS_BY_DEFAULT


class EntityTimelineView(TimelineMixin, ListView):
    """A company's, person's or product's stories, newest first, grouped by month."""

    template_name = "entities/timeline.html"
    kind = Entity.Kind.COMPANY
    kept_parameters = ("mentions",)

    def get_queryset(self):
        self.entity = get_object_or_404(
            Entity.objects.select_related("parent", "maker", "affiliation"),
            kind=self.kind,
            slug=self.kwargs["slug"],
            provisional=False,
        )
        self.subjects_only = subjects_only(self.kind, self.request.GET)
        mentions = timeline(self.entity, subjects_only=self.subjects_only).one_per_story()
        return story_ids(self.filtered(mentions))

    def get_context_data(self, **kwargs):
        entity = self.entity
        is_company = entity.kind == Entity.Kind.COMPANY
        context = {
            "entity": entity,
            "subsidiaries": entity.subsidiaries.order_by("name") if is_company else [],
            "subjects_only": self.subjects_only,
            "mentions_toggle_url": self.mentions_toggle_url(),
            "chart": stories_per_month(entity, subjects_only=self.subjects_only),
            "relationship_groups": relationship_groups(entity) if is_company else [],
            "feed": feed_links(
                self.request, f"public:{entity.kind}", entity.name, slug=entity.slug
            ),
        }
        named_with = co_mentioned(entity, NAMED_WITH[entity.kind])
        if is_company:
            context["people"] = named_with[Entity.Kind.PERSON]
            context["products"] = named_with[Entity.Kind.PRODUCT]
        else:
            context["companies"] = named_with[Entity.Kind.COMPANY]
        return super().get_context_data(**context, **kwargs)

    def mentions_toggle_url(self) -> str:
        """Return this page with the other choice of stories, its filters kept: the kind's
        default is its address without `mentions`."""
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("mentions", None)
        wants_subjects = not self.subjects_only
        if wants_subjects != (self.kind in SUBJECTS_BY_DEFAULT):
            query["mentions"] = "subjects" if wants_subjects else "all"
        return f"{self.request.path}?{query.urlencode()}" if query else self.request.path


class PartnershipListView(ListView):
    """Pairs of companies with public relationships, the newest evidence first."""

    template_name = "entities/partnership_list.html"
    context_object_name = "pairs"
    paginate_by = 20
    paginator_class = DirectoryPaginator

    def get_queryset(self):
        relationships = Relationship.objects.public()
        self.filterset = RelationshipFilter(self.request.GET or None, queryset=relationships)
        return PairDirectory(apply_filters(self.filterset))

    def get_paginator(self, queryset, per_page, **kwargs):
        return super().get_paginator(queryset, per_page, load=pair_cards, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(filterset=self.filterset, feed=self.feed(), **kwargs)

    def feed(self):
        """Advertise the feed of the kind or topic chosen, or else of partnerships."""
        form = self.filterset.form
        if form.is_valid() and form.cleaned_data.get("topic"):
            topic = form.cleaned_data["topic"]
            return feed_links(
                self.request, "public:topic", topic.name, with_filters=False, slug=topic.slug
            )
        kind = (form.is_valid() and form.cleaned_data.get("kind")) or "partnership"
        label = Relationship.Kind(kind).label
        return feed_links(
            self.request, "public:kind", f"{label} stories", with_filters=False, kind=kind
        )


class PairView(TimelineMixin, ListView):
    """Two companies: their public relationships, what the stories say, their stories."""

    template_name = "entities/pair.html"

    def get_queryset(self):
        self.company_a, self.company_b = company_pair_or_404(
            self.kwargs["slug_a"], self.kwargs["slug_b"]
        )
        mentions = pair_timeline(self.company_a, self.company_b).one_per_story()
        return story_ids(self.filtered(mentions))

    def get_paginator(self, queryset, per_page, **kwargs):
        # Each story lists the pair's two companies among its chips.
        pinned = (self.company_a.pk, self.company_b.pk)
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        paginator.load = partial(paginator.load, pinned=pinned)
        return paginator

    def get_context_data(self, **kwargs):
        relationships = sorted(
            Relationship.objects.public()
            .between(self.company_a, self.company_b)
            .prefetch_related("topics"),
            key=lambda relationship: KIND_ORDER[relationship.kind],
        )
        topics = {topic.pk: topic for r in relationships for topic in r.topics.all()}
        return super().get_context_data(
            company_a=self.company_a,
            company_b=self.company_b,
            relationships=relationships,
            topics=sorted(topics.values(), key=lambda topic: topic.slug),
            evidence=pair_evidence(relationships),
            feed=feed_links(
                self.request,
                "public:pair",
                f"{self.company_a.name} and {self.company_b.name}",
                slug_a=self.company_a.slug,
                slug_b=self.company_b.slug,
            ),
            **kwargs,
        )


def pair_in_order(view):
    """Send a pair's page or feed addressed as b/a to a/b, its one address."""

    @wraps(view)
    def in_order(request, slug_a, slug_b):
        if slug_a > slug_b:
            return redirect(
                request.resolver_match.view_name, slug_a=slug_b, slug_b=slug_a, permanent=True
            )
        return view(request, slug_a=slug_a, slug_b=slug_b)

    return in_order


def company_pair_or_404(slug_a: str, slug_b: str) -> tuple[Entity, Entity]:
    """Return the two companies of a pair page or feed, in the address's order."""
    companies = Entity.objects.filter(kind=Entity.Kind.COMPANY, slug__in=[slug_a, slug_b])
    pair = sorted(companies, key=lambda company: company.slug)
    if slug_a >= slug_b or len(pair) != 2:
        raise Http404("No such pair of companies.")
    return pair[0], pair[1]


def news_article_json_ld(request, story, mentions) -> dict:
    """Return schema.org NewsArticle data naming the story's entities."""

    def thing(entity):
        return {
            "@type": {"company": "Organization", "person": "Person"}.get(entity.kind, "Product"),
            "name": entity.name,
            "url": request.build_absolute_uri(entity.get_absolute_url()),
        }

    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title,
        "description": story.standfirst,
        "datePublished": story.published_at.isoformat(),
        "dateModified": story.updated_at.isoformat(),
        "inLanguage": story.language,
        "url": request.build_absolute_uri(story.get_absolute_url()),
        "isBasedOn": story.source_url,
        "publisher": {"@type": "Organization", "name": story.outlet.name},
        "author": {"@type": "Person", "name": story.byline} if story.byline else None,
        "about": [thing(m.entity) for m in mentions if m.is_subject],
        "mentions": [thing(m.entity) for m in mentions if not m.is_subject],
    }
