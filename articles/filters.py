import datetime

import django_filters
from django import forms
from django.utils import timezone

from .language import LANGUAGE_CHOICES
from .models import Article, Outlet

# Relationship kinds, as the entities app names them; kept here as plain values so that the
# story filter needs no import from the app that builds on this one.
RELATIONSHIP_KIND_CHOICES = [
    ("partnership", "Partnership"),
    ("supplier_customer", "Supplier and customer"),
    ("competition", "Competition"),
    ("investment", "Investment"),
    ("acquisition", "Acquisition"),
]
VISIBLE_MENTION_STATUSES = ["suggested", "confirmed"]


class SlugFilter(django_filters.CharFilter):
    field_class = forms.SlugField


def start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class StoryFilter(django_filters.FilterSet):
    """Filters for any list of published stories: timelines, pair pages and search.

    It filters stories, or rows that point at one story each (a subclass names the path):
    a timeline filters the mentions it pages through, so that it never joins the stories
    it does not show.
    """

    story_path = ""
    story_id = "pk"
    published_at = "published_at"

    published_after = django_filters.DateFilter(
        method="filter_published_after",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    published_before = django_filters.DateFilter(
        method="filter_published_before",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    outlet = django_filters.ModelChoiceFilter(
        queryset=Outlet.objects.all(), method="filter_story_field", empty_label="Any"
    )
    language = django_filters.ChoiceFilter(
        choices=LANGUAGE_CHOICES, method="filter_story_field", empty_label="Any"
    )
    also = SlugFilter(
        method="filter_also",
        label="Also naming",
        help_text="An entity's short name, e.g. lg-electronics",
    )
    relationship = django_filters.ChoiceFilter(
        choices=RELATIONSHIP_KIND_CHOICES,
        method="filter_relationship",
        label="Showing a",
        empty_label="Any relationship",
    )
    topic = SlugFilter(method="filter_topic", label="Topic", help_text="e.g. ai, xr, chips")

    class Meta:
        model = Article
        fields = []

    # Dates compare with whole days in the site's time zone, written as a range on the
    # timestamp so that an index on it serves the filter.
    def filter_published_after(self, queryset, name, day):
        if day == datetime.date.min:
            return queryset
        return queryset.filter(**{f"{self.published_at}__gte": start_of_day(day)})

    def filter_published_before(self, queryset, name, day):
        if day == datetime.date.max:
            return queryset
        next_day = start_of_day(day + datetime.timedelta(days=1))
        return queryset.filter(**{f"{self.published_at}__lt": next_day})

    def filter_story_field(self, queryset, name, value):
        return queryset.filter(**{f"{self.story_path}{name}": value})

    def filter_also(self, queryset, name, slug):
        return self.stories_among(
            queryset,
            Article.objects.filter(
                mentions__entity__slug=slug, mentions__status__in=VISIBLE_MENTION_STATUSES
            ),
        )

    def filter_relationship(self, queryset, name, kind):
        return self.stories_among(
            queryset, Article.objects.filter(relationship_evidence__relationship__kind=kind)
        )

    def filter_topic(self, queryset, name, slug):
        return self.stories_among(
            queryset,
            Article.objects.filter(relationship_evidence__relationship__topics__slug=slug),
        )

    def stories_among(self, queryset, stories):
        return queryset.filter(**{f"{self.story_id}__in": stories.values("pk")})


def apply_filters(filterset):
    """Return the filtered queryset, or the unfiltered one when a value is invalid."""
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset
    return filterset.qs
