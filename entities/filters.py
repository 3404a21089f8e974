import django_filters
from django.db.models import Exists, OuterRef, Q

from articles.filters import SlugFilter, StoryFilter

from .models import Entity, Mention, Relationship, RelationshipEvidence, Topic
from .selectors import SAME_STORY


class CompanyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search")
    letter = django_filters.CharFilter(method="filter_letter", label="First letter", max_length=1)
    sector = django_filters.ChoiceFilter(choices=[], empty_label="Any sector")

    class Meta:
        model = Entity
        fields = []

    def __init__(self, *args, sectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["sector"].extra["choices"] = [(s, s.replace("-", " ")) for s in sectors]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(aliases__text__icontains=value)
        ).distinct()

    def filter_letter(self, queryset, name, value):
        if value == "#":
            return queryset.exclude(name__regex=r"^[A-Za-z]")
        return queryset.filter(name__istartswith=value)


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
