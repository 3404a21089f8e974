import datetime
from string import ascii_uppercase

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from entities.language import LANGUAGE_CHOICES
from entities.models import Alias, Entity, Relationship, Topic

from .models import VISIBLE_STATUSES, Article, Mention, Outlet, RelationshipEvidence
from .selectors import SAME_STORY, name_key, sector_name


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
    # Named explicitly: django-filter labels a filter from the model's field of that name,
    # and a timeline's model (Mention) has no outlet or language.
    outlet = django_filters.ModelChoiceFilter(
        queryset=Outlet.objects.all(),
        method="filter_story_field",
        label="Outlet",
        empty_label="Any",
    )
    language = django_filters.ChoiceFilter(
        choices=LANGUAGE_CHOICES,
        method="filter_story_field",
        label="Language",
        empty_label="Any",
    )
    also = SlugFilter(
        method="filter_also",
        label="Also naming",
        help_text="An entity's short name, e.g. lg-electronics",
    )
    relationship = django_filters.ChoiceFilter(
        choices=Relationship.Kind.choices,
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
                mentions__entity__slug=slug,
                mentions__entity__provisional=False,
                mentions__status__in=VISIBLE_STATUSES,
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


def letter_forms() -> dict[str, str]:
    """Return, for each letter A to Z, the Latin characters a name filed under it may start
    with, accented ones included: "Ébène" is under E."""
    forms = dict.fromkeys(ascii_uppercase, "")
    for char in map(chr, range(0x250)):
        base = name_key(char)[:1].upper()
        if base in forms and char.isalpha():
            forms[base] += char
    return forms


LETTER_FORMS = letter_forms()


class CompanyFilter(django_filters.FilterSet):
    """The company directory's search, sector and first letter, and two choices the
    directory reads itself: its order (`sort`) and whether companies without a public story
    are listed (`show`)."""

    q = django_filters.CharFilter(method="filter_q", label="Name")
    sector = django_filters.ChoiceFilter(choices=[], empty_label="Any sector")
    show = django_filters.ChoiceFilter(
        choices=[("all", "Every company")],
        empty_label="Companies with stories",
        method="read_by_the_directory",
        label="Show",
    )
    # Chosen with the A to Z bar and the order links; kept by the form as hidden fields.
    letter = django_filters.ChoiceFilter(
        choices=[(letter, letter) for letter in [*ascii_uppercase, "#"]],
        method="filter_letter",
        label="First letter",
        widget=forms.HiddenInput,
    )
    sort = django_filters.ChoiceFilter(
        choices=[("name", "Name, A to Z")],
        method="read_by_the_directory",
        label="Order",
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Entity
        fields = []

    def __init__(self, *args, sectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["sector"].extra["choices"] = [(s, sector_name(s)) for s in sectors]

    def filter_q(self, queryset, name, value):
        aliases = Alias.objects.filter(entity=OuterRef("pk"), text__icontains=value)
        return queryset.filter(Q(name__icontains=value) | Exists(aliases))

    def filter_letter(self, queryset, name, value):
        if value == "#":
            return queryset.exclude(name__regex=f"^[{''.join(LETTER_FORMS.values())}]")
        return queryset.filter(name__regex=f"^[{LETTER_FORMS[value]}]")

    def read_by_the_directory(self, queryset, name, value):
        return queryset


class RelationshipFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Relationship.Kind.choices, empty_label="Any kind")
    topic = django_filters.ModelChoiceFilter(
        field_name="topics",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label="Any topic",
    )
    company = SlugFilter(
        method="filter_company",
        label="Company",
        help_text="A company's short name, e.g. meta-platforms",
    )

    class Meta:
        model = Relationship
        fields = []

    def filter_company(self, queryset, name, slug):
        return queryset.filter(Q(company_a__slug=slug) | Q(company_b__slug=slug))


class TimelineFilter(StoryFilter):
    """The story filters, applied to the mentions a timeline or a pair page pages through.

    Each condition on another table is a probe per story (EXISTS on an index), never a list
    of all the stories that meet it: the timeline is already the shorter list.
    """

    story_path = "article__"
    story_id = "article_id"
    published_at = "article_published_at"

    class Meta:
        model = Mention
        fields = []

    def filter_also(self, queryset, name, slug):
        # The ids are looked up first: given an entity id, the planner knows from its
        # statistics which of the two lists is the shorter one to walk.
        entity_ids = list(Entity.objects.filter(slug=slug).values_list("pk", flat=True))
        return queryset.filter(
            Exists(Mention.objects.published().filter(entity_id__in=entity_ids, **SAME_STORY))
        )

    def filter_relationship(self, queryset, name, kind):
        return queryset.filter(
            Exists(
                RelationshipEvidence.objects.filter(
                    article_id=OuterRef("article_id"), relationship__kind=kind
                )
            )
        )

    def filter_topic(self, queryset, name, slug):
        return queryset.filter(
            Exists(
                RelationshipEvidence.objects.filter(
                    article_id=OuterRef("article_id"), relationship__topics__slug=slug
                )
            )
        )


def apply_filters(filterset):
    """Return the filtered queryset, or the unfiltered one when a value is invalid."""
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset
    return filterset.qs
