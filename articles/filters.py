import django_filters
from django import forms

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


class SlugFilter(django_filters.CharFilter):
    field_class = forms.SlugField


class StoryFilter(django_filters.FilterSet):
    """Filters for any list of published stories: timelines, pair pages and search."""

    published_after = django_filters.DateFilter(
        field_name="published_at",
        lookup_expr="date__gte",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    published_before = django_filters.DateFilter(
        field_name="published_at",
        lookup_expr="date__lte",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    outlet = django_filters.ModelChoiceFilter(queryset=Outlet.objects.all(), empty_label="Any")
    language = django_filters.ChoiceFilter(choices=LANGUAGE_CHOICES, empty_label="Any")
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

    def filter_also(self, queryset, name, slug):
        return queryset.filter(
            pk__in=Article.objects.filter(
                mentions__entity__slug=slug,
                mentions__status__in=["suggested", "confirmed"],
            ).values("pk")
        )

    def filter_relationship(self, queryset, name, kind):
        return queryset.filter(
            pk__in=Article.objects.filter(
                relationship_evidence__relationship__kind=kind,
            ).values("pk")
        )

    def filter_topic(self, queryset, name, slug):
        return queryset.filter(
            pk__in=Article.objects.filter(
                relationship_evidence__relationship__topics__slug=slug,
            ).values("pk")
        )


def apply_filters(filterset):
    """Return the filtered queryset, or the unfiltered one when a value is invalid."""
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset
    return filterset.qs
