from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import transaction
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.utils.html import format_html, format_html_join

from articles.public_cache import public_content_changed

from .models import (
    Alias,
    Candidate,
    Entity,
    Mention,
    Relationship,
    RelationshipEvidence,
    Topic,
)
from .services import candidate_accept, candidate_reject, entity_merge, entity_pages_changed


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug", "sector", "parent", "maker", "affiliation"]
    list_filter = ["kind", "sector"]
    list_select_related = ["parent", "maker", "affiliation"]
    search_fields = ["name", "slug", "aliases__text"]
    autocomplete_fields = ["parent", "maker", "affiliation"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AliasInline]
    show_full_result_count = False
    actions = ["merge"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "kind" in form.changed_data:
            # The panels of the entities named with it list it under another kind now.
            transaction.on_commit(public_content_changed)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Autocomplete for a maker, parent or affiliation offers companies only.
        if request.path.endswith("/autocomplete/") and request.GET.get("field_name") in {
            "parent",
            "maker",
            "affiliation",
        }:
            queryset = queryset.filter(kind=Entity.Kind.COMPANY)
        return queryset, may_have_duplicates

    @admin.action(description="Merge the selected entities into one…", permissions=["delete"])
    def merge(self, request, queryset):
        entities = list(queryset.annotate(mention_count=Count("mentions")))
        if len(entities) < 2 or len({entity.kind for entity in entities}) != 1:
            self.message_user(
                request, "Select two or more entities of the same kind to merge.", messages.ERROR
            )
            return None
        if "target" in request.POST:
            target = next((e for e in entities if str(e.pk) == request.POST["target"]), None)
            if target is None:
                self.message_user(request, "Choose which entity to keep.", messages.ERROR)
                return None
            for source in entities:
                if source.pk != target.pk:
                    entity_merge(source=source, target=target)
            self.message_user(
                request, f"Merged {len(entities) - 1} entity(ies) into {target}.", messages.SUCCESS
            )
            return redirect("admin:entities_entity_change", target.pk)
        return render(
            request,
            "admin/entities/merge_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge entities",
                "entities": entities,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


class MentionEntityAutocomplete(AutocompleteSelect):
    """The entity picker of a mention row, labelled from the row's own entity when it has one.

    Django's picker looks its chosen entity up again, one query per row of the article page.
    """

    row_entity = None

    def optgroups(self, name, value, attr=None):
        if self.row_entity is None or list(map(str, value)) != [str(self.row_entity.pk)]:
            return super().optgroups(name, value, attr)
        chosen = self.create_option(name, self.row_entity.pk, str(self.row_entity), True, 0)
        return [(None, [chosen], 0)]


class MentionInline(admin.TabularInline):
    """The article page's tagged entities: editors confirm, reject or add one."""

    model = Mention
    extra = 0
    fields = ["entity", "status", "origin", "count", "salience", "is_subject", "snippet"]
    readonly_fields = ["origin", "count", "salience", "is_subject", "snippet"]
    autocomplete_fields = ["entity"]
    ordering = ["-salience"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entity")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "entity":
            kwargs["widget"] = MentionEntityAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MentionAdminFormSet(forms.BaseInlineFormSet):
    def get_queryset(self):
        mentions = super().get_queryset()
        # Each row is titled with its mention, which names the story: this one, rather than
        # one query per row to load it again.
        for mention in mentions:
            mention.article = self.instance
        return mentions

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if form.instance.pk is not None:
            # The admin wraps the picker in its add / change / view links.
            form.fields["entity"].widget.widget.row_entity = form.instance.entity

    def save_new(self, form, commit=True):
        mention = form.save(commit=False)
        mention.origin = Mention.Origin.EDITOR
        if mention.status == Mention.Status.SUGGESTED:
            mention.status = Mention.Status.CONFIRMED
        if commit:
            mention.save()
        return mention


MentionInline.formset = MentionAdminFormSet


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["text", "likely_kind", "total_count", "article_count", "status", "examples"]
    list_filter = ["status", "likely_kind"]
    search_fields = ["text"]
    readonly_fields = ["text", "likely_kind", "status", "entity"]
    actions = ["accept", "reject"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(total=Sum("sightings__count"), articles=Count("sightings"))
            .prefetch_related("sightings")
        )

    @admin.display(description="count", ordering="total")
    def total_count(self, candidate):
        return candidate.total or 0

    @admin.display(description="articles", ordering="articles")
    def article_count(self, candidate):
        return candidate.articles

    @admin.display(description="example sentences")
    def examples(self, candidate):
        sentences = [s for sighting in candidate.sightings.all() for s in sighting.examples][:3]
        return format_html_join("", "<p>{}</p>", ((sentence,) for sentence in sentences))

    def has_add_permission(self, request):
        return False

    @admin.action(description="Accept: create the entity and re-tag", permissions=["change"])
    def accept(self, request, queryset):
        accepted = [
            candidate_accept(candidate=candidate)
            for candidate in queryset.filter(status=Candidate.Status.PENDING)
        ]
        self.message_user(request, f"{len(accepted)} entity(ies) created.", messages.SUCCESS)

    @admin.action(description="Reject: never suggest again", permissions=["change"])
    def reject(self, request, queryset):
        for candidate in queryset.exclude(status=Candidate.Status.REJECTED):
            candidate_reject(candidate=candidate)
        self.message_user(request, "Rejected.", messages.SUCCESS)


class EvidenceInline(admin.TabularInline):
    model = RelationshipEvidence
    extra = 0
    fields = ["article_link", "sentence", "cues", "confidence"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="article")
    def article_link(self, evidence):
        return format_html(
            '<a href="{}">{}</a> ({})',
            evidence.article.get_admin_url(),
            evidence.article.title,
            evidence.article.get_status_display(),
        )


class RelationshipAdminForm(forms.ModelForm):
    class Meta:
        model = Relationship
        fields = ["status", "topics"]


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    """The review queue for detected relationships."""

    form = RelationshipAdminForm
    list_display = ["__str__", "kind", "status", "topic_list", "evidence_count", "last_seen"]
    list_filter = ["status", "kind", "topics"]
    list_select_related = ["company_a", "company_b"]
    search_fields = ["company_a__name", "company_b__name", "company_a__slug", "company_b__slug"]
    readonly_fields = ["company_a", "company_b", "kind", "first_seen", "last_seen"]
    fields = ["company_a", "company_b", "kind", "status", "topics", "first_seen", "last_seen"]
    filter_horizontal = ["topics"]
    inlines = [EvidenceInline]
    actions = ["confirm", "reject"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(evidence_total=Count("evidence"))
            .prefetch_related("topics")
        )

    @admin.display(description="topics")
    def topic_list(self, relationship):
        return ", ".join(topic.slug for topic in relationship.topics.all())

    @admin.display(description="evidence", ordering="evidence_total")
    def evidence_count(self, relationship):
        return relationship.evidence_total

    def has_add_permission(self, request):
        return False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "topics" in form.changed_data:
            Relationship.objects.filter(pk=form.instance.pk).update(topics_edited=True)

    @admin.action(description="Confirm", permissions=["change"])
    def confirm(self, request, queryset):
        count = self._set_status(queryset, Relationship.Status.CONFIRMED)
        self.message_user(request, f"{count} relationship(s) confirmed.", messages.SUCCESS)

    @admin.action(description="Reject", permissions=["change"])
    def reject(self, request, queryset):
        count = self._set_status(queryset, Relationship.Status.REJECTED)
        self.message_user(request, f"{count} relationship(s) rejected.", messages.SUCCESS)

    @staticmethod
    def _set_status(queryset, status) -> int:
        # An update sends no signal: the pages of the companies involved are expired here.
        entity_pages_changed(queryset.company_ids())
        return queryset.update(status=status)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["slug", "name"]
    search_fields = ["slug", "name"]
