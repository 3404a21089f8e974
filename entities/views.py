from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import ListView

from articles.pagination import CappedPaginator
from articles.views import FilteredStoriesMixin, feed_links

from .filters import CompanyFilter, RelationshipFilter, TimelineFilter
from .models import Entity, Relationship
from .panels import entity_panels
from .selectors import (
    entity_story_counts,
    pair_timeline,
    published_evidence,
    story_ids,
    timeline,
)


class CompanyListView(ListView):
    template_name = "entities/company_list.html"
    context_object_name = "companies"
    paginate_by = 50
    paginator_class = CappedPaginator

    def get_queryset(self):
        companies = Entity.objects.filter(kind=Entity.Kind.COMPANY).order_by("name")
        sectors = (
            companies.exclude(sector="").order_by("sector").values_list("sector", flat=True)
        ).distinct()
        self.filterset = CompanyFilter(
            self.request.GET or None, queryset=companies, sectors=list(sectors)
        )
        filtered = self.filterset.qs if self.filterset.is_valid() else companies
        return entity_story_counts(filtered)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filterset=self.filterset, letters="ABCDEFGHIJKLMNOPQRSTUVWXYZ#", **kwargs
        )


class TimelineMixin(FilteredStoriesMixin):
    """A list paged through the mentions behind it (their story ids)."""

    context_object_name = "stories"
    filter_class = TimelineFilter


class EntityTimelineView(TimelineMixin, ListView):
    """A company's, person's or product's stories, newest first, grouped by month."""

    template_name = "entities/timeline.html"
    kind = Entity.Kind.COMPANY
    kept_parameters = ("mentions",)

    def get_queryset(self):
        self.entity = get_object_or_404(Entity, kind=self.kind, slug=self.kwargs["slug"])
        self.subjects_only = self.request.GET.get("mentions") != "all"
        return story_ids(self.filtered(timeline(self.entity, subjects_only=self.subjects_only)))

    def get_context_data(self, **kwargs):
        entity = self.entity
        panels = entity_panels(entity, subjects_only=self.subjects_only)
        context = {
            "entity": entity,
            "subjects_only": self.subjects_only,
            "chart": panels["chart"],
            "relationship_groups": panels["relationship_groups"],
            "feed": feed_links(
                self.request, f"entities:{entity.kind}", entity.name, slug=entity.slug
            ),
        }
        named_with = panels["named_with"]
        if entity.kind == Entity.Kind.COMPANY:
            context["people"] = named_with[Entity.Kind.PERSON]
            context["products"] = named_with[Entity.Kind.PRODUCT]
        else:
            context["companies"] = named_with[Entity.Kind.COMPANY]
        return super().get_context_data(**context, **kwargs)


class PartnershipListView(ListView):
    template_name = "entities/partnership_list.html"
    context_object_name = "relationships"
    paginate_by = 20
    paginator_class = CappedPaginator

    def get_queryset(self):
        relationships = (
            Relationship.objects.public()
            .select_related("company_a", "company_b")
            .prefetch_related("topics")
            .newest_first()
        )
        self.filterset = RelationshipFilter(self.request.GET or None, queryset=relationships)
        return self.filterset.qs if self.filterset.is_valid() else relationships

    def get_context_data(self, **kwargs):
        return super().get_context_data(filterset=self.filterset, feed=self.feed(), **kwargs)

    def feed(self):
        """Advertise the feed of the kind or topic chosen, or else of partnerships."""
        form = self.filterset.form
        if form.is_valid() and form.cleaned_data.get("topic"):
            topic = form.cleaned_data["topic"]
            return feed_links(
                self.request, "entities:topic", topic.name, with_filters=False, slug=topic.slug
            )
        kind = (form.is_valid() and form.cleaned_data.get("kind")) or "partnership"
        label = Relationship.Kind(kind).label
        return feed_links(
            self.request, "entities:kind", f"{label} stories", with_filters=False, kind=kind
        )


class PairView(TimelineMixin, ListView):
    """Two companies: every public relationship between them, its evidence, their stories."""

    template_name = "entities/pair.html"

    def get(self, request, *args, **kwargs):
        slug_a, slug_b = kwargs["slug_a"], kwargs["slug_b"]
        if slug_a == slug_b:
            raise Http404("A pair needs two companies.")
        if slug_a > slug_b:
            return redirect("entities:pair", slug_a=slug_b, slug_b=slug_a, permanent=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        companies = Entity.objects.filter(
            kind=Entity.Kind.COMPANY, slug__in=[self.kwargs["slug_a"], self.kwargs["slug_b"]]
        ).order_by("slug")
        if len(companies) != 2:
            raise Http404("No such companies.")
        self.company_a, self.company_b = companies
        return story_ids(self.filtered(pair_timeline(self.company_a, self.company_b)))

    def get_context_data(self, **kwargs):
        relationships = published_evidence(
            Relationship.objects.public()
            .between(self.company_a, self.company_b)
            .prefetch_related("topics")
        )
        return super().get_context_data(
            company_a=self.company_a,
            company_b=self.company_b,
            relationships=relationships,
            feed=feed_links(
                self.request,
                "entities:pair",
                f"{self.company_a.name} and {self.company_b.name}",
                slug_a=self.company_a.slug,
                slug_b=self.company_b.slug,
            ),
            **kwargs,
        )
