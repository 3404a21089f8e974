from urllib.parse import urlencode

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import ListView, TemplateView

from entities.selectors import related_stories, story_relationships

from .filters import StoryFilter, apply_filters
from .models import Article
from .pagination import StoryIdPaginator
from .rendering import linked_paragraphs
from .search import search_stories
from .story_list import story_list


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
            keep=keep,
            clear_url=f"{self.request.path}?{urlencode(keep)}" if keep else self.request.path,
            **kwargs,
        )


class HomeView(PublishedStoriesMixin, ListView):
    template_name = "articles/home.html"
    context_object_name = "stories"

    def get_queryset(self):
        return self.published_stories().values_list("pk", flat=True)

    def get_context_data(self, **kwargs):
        feed = feed_links(self.request, "articles:latest", "Latest stories")
        return super().get_context_data(feed=feed, **kwargs)


class StoryView(PublishedStoriesMixin, TemplateView):
    template_name = "articles/story.html"

    def get_context_data(self, **kwargs):
        story = get_object_or_404(
            self.published_stories().select_related("outlet"), slug=self.kwargs["slug"]
        )
        mentions = list(story.mentions.visible().select_related("entity"))
        links = [
            (start, end, mention.entity.get_absolute_url())
            for mention in mentions
            for start, end in mention.offsets
        ]
        return super().get_context_data(
            story=story,
            paragraphs=linked_paragraphs(story.body, links),
            mentions=mentions,
            relationships=story_relationships(story),
            related=related_stories(story),
            json_ld=news_article_json_ld(self.request, story, mentions),
            **kwargs,
        )


class SearchView(FilteredStoriesMixin, ListView):
    template_name = "articles/search.html"
    context_object_name = "stories"
    kept_parameters = ("q",)

    def get_queryset(self):
        # NUL can be typed in a URL but not stored or searched for (PostgreSQL refuses it).
        self.query = self.request.GET.get("q", "").replace("\x00", "").strip()[:200]
        stories = self.filtered(self.published_stories())
        if not self.query:
            return stories.none()
        return search_stories(stories, self.query).values_list("pk", flat=True)

    def get_context_data(self, **kwargs):
        feed = feed_links(self.request, "articles:search", f"Stories matching “{self.query}”")
        return super().get_context_data(query=self.query, feed=feed, **kwargs)


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
