import django_filters
from django.db.models import Q

from articles.filters import SlugFilter

from .models import Entity, Relationship, Topic


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
