"""The editors' desk: stories, their mentions, and the knowledge base they are tagged from.

Every screen writes through the services, which say what follows each change (tagging,
the compiled dictionary, the public pages).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from entities.forms import (
    AliasAdminForm,
    CandidateReviewForm,
    EntityAdminForm,
    TopicAdminForm,
    clean_search_term,
)
from entities.models import Alias, Candidate, Entity, Relationship, Topic

from .forms import ArticleAdminForm, OutletAdminForm
from .models import (
    Article,
    CandidateSighting,
    Mention,
    Outlet,
    RelationshipEvidence,
    StoryCluster,
    short_time,
)
from .pagination import CappedPaginator
from .rendering import marked_paragraphs, names_marked
from .search import matching_stories
from .selectors import desk_mentions, story_relationships
from .services import (
    STEPS_NEEDING_PUBLISH_PERMISSION,
    TRANSITIONS,
    AlreadyInKnowledgeBase,
    article_delete,
    article_request_tagging,
    article_save,
    article_transition,
    candidate_accept,
    candidate_link,
    candidate_reject,
    cluster_set_lead,
    cluster_take_out,
    clusters_merge,
    entity_merge,
    knowledge_save,
    mentions_save,
    public_record_save,
    public_records_delete,
    relationship_save,
    relationships_set_status,
)
from .source_urls import InvalidSourceURL, normalize_source_url
from .tagging import entities_accept
from .tasks import tagging_stale_before
from .views import story_context


def highlight_mention(text: str, mention: Mention):
    """Draw one place the story names an entity: coloured by kind, marked by status and
    salience, which it also says in words for screen readers."""
    salience = "subject" if mention.is_subject else "passing"
    return format_html(
        '<mark class="mention kind-{} status-{} {}" data-mention="{}">{}'
        '<span class="visually-hidden"> ({}, {}, {})</span></mark>',
        mention.entity.kind,
        mention.status,
        salience,
        mention.pk,
        text,
        mention.entity.get_kind_display().lower(),
        mention.get_status_display().lower(),
        salience,
    )


class PublicRecordAdmin(admin.ModelAdmin):
    """An admin for records the public pages show (outlets, topics, relationships)."""

    def save_model(self, request, obj, form, change):
        public_record_save(record=obj)

    def delete_model(self, request, obj):
        public_records_delete(records=obj)

    def delete_queryset(self, request, queryset):
        public_records_delete(records=queryset)


@admin.register(Outlet)
class OutletAdmin(PublicRecordAdmin):
    form = OutletAdminForm
    list_display = ["name", "homepage", "default_language"]
    search_fields = ["name"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class EntityPicker(AutocompleteSelect):
    """The admin's entity autocomplete with a placeholder: select2 names its box by the text
    it shows, so screen readers hear what to type rather than nothing."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        return {**super().build_attrs(base_attrs, extra_attrs), "data-placeholder": "Type a name"}


class MentionAddForm(forms.Form):
    """The desk's "add a missed entity": an entity picked through the admin's autocomplete."""

    entity = forms.ModelChoiceField(Entity.objects.all(), label="Add a missed entity")

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, prefix="desk", **kwargs)
        entity = self.fields["entity"]
        entity.widget = EntityPicker(
            Mention._meta.get_field("entity"), admin_site, attrs={"form": "desk-mentions-form"}
        )
        entity.widget.choices = entity.choices


class RelationshipDeskForm(forms.ModelForm):
    """A relationship's kind and topics, edited on the page of a story that shows it."""

    class Meta:
        model = Relationship
        fields = ["kind", "topics"]

    def __init__(self, *args, topic_choices, **kwargs):
        super().__init__(*args, prefix=f"relationship-{kwargs['instance'].pk}", **kwargs)
        for field in self.fields.values():
            field.widget.attrs["form"] = "desk-relationships-form"
        # The topics are few, and listed once for every relationship of the page.
        self.fields["topics"].widget.choices = topic_choices
        self.fields["topics"].help_text = ""

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        relationship = self.instance
        taken = Relationship.objects.filter(
            company_a=relationship.company_a_id, company_b=relationship.company_b_id, kind=kind
        ).exclude(pk=relationship.pk)
        if taken.exists():
            raise forms.ValidationError(
                f"{relationship.company_a} and {relationship.company_b} already have a "
                f"{Relationship.Kind(kind).label.lower()} relationship: review that one instead."
            )
        return kind


def wants_json(request) -> bool:
    """Whether the desk's script asked (it accepts JSON only); a plain form post accepts HTML."""
    return not request.accepts("text/html")


# What each workflow button says; publishing says when it will happen (the embargo).
STEP_LABELS = {
    "submit": "Submit for review",
    "return_to_draft": "Send back to draft",
    "archive": "Archive",
}
STEP_DONE = {
    "submit": "submitted for review",
    "return_to_draft": "sent back to draft",
    "archive": "archived",
}


def goes_live(article) -> str:
    """Return when a scheduled story goes live, as editors read it ("3 Dec, 08:00")."""
    return date_format(timezone.localtime(article.published_at), "j M, H:i")


class TaggingStateFilter(admin.SimpleListFilter):
    title = "tagging state"
    parameter_name = "tagging_status"

    def lookups(self, request, model_admin):
        return [*Article.TaggingStatus.choices, ("stalled", "Stalled")]

    def queryset(self, request, queryset):
        if self.value() == "stalled":
            return queryset.stale_tagging(tagging_stale_before())
        if self.value() in Article.TaggingStatus.values:
            return queryset.filter(tagging_status=self.value())
        return queryset


class ScheduledFilter(admin.SimpleListFilter):
    title = "scheduled"
    parameter_name = "scheduled"

    def lookups(self, request, model_admin):
        return [("yes", "Scheduled: goes live later")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.scheduled()
        return queryset


class IncomingFilter(admin.SimpleListFilter):
    title = "incoming"
    parameter_name = "incoming"

    def lookups(self, request, model_admin):
        return [("yes", "Brought in by intake (feeds, URLs, imports)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(origin=Article.Origin.DESK)
        return queryset


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    """The article page is the review desk: the story's workflow, its tagged text, entities,
    relationships and tagging state, each change made through the services."""

    form = ArticleAdminForm
    list_display = [
        "title",
        "publication",
        "tagging_state",
        "outlet",
        "published_at",
        "entity_count",
        "story",
    ]
    list_filter = [
        "status",
        TaggingStateFilter,
        ScheduledFilter,
        IncomingFilter,
        "origin",
        "outlet",
        "language",
    ]
    list_select_related = ["outlet"]
    # Shows the search box; get_search_results below does the searching.
    search_fields = ["title", "body", "source_url"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    # A full COUNT(*) over a large archive makes every filtered list slow.
    show_full_result_count = False
    paginator = CappedPaginator
    list_per_page = 50
    # The tagging state is the desk's (desk.html), with its re-run button.
    readonly_fields = [
        "status",
        "story",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body", "expected_version"]}),
        ("Source", {"fields": ["source_url", "outlet", "byline", "language"]}),
        ("Publication", {"fields": ["status", "published_at", "story"]}),
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": ["created_by", "created_at", "updated_by", "updated_at"],
            },
        ),
    ]
    actions = ["submit_for_review", "publish", "return_to_draft", "archive", "rerun_tagging"]
    # The workflow buttons above the form too (submit_line.html).
    save_on_top = True

    class Media:
        css = {"all": ["desk/desk.css"]}
        js = ["desk/desk.js"]

    def get_queryset(self, request):
        # Counted for the rows shown only: a subquery per row of the page, not a join over
        # every mention of the archive.
        entities = (
            Mention.objects.visible()
            .filter(article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(count=Count("pk"))
            .values("count")
        )
        # The story cluster's size, the same way.
        reports = (
            Article.objects.filter(cluster=OuterRef("cluster"))
            .order_by()
            .values("cluster")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(entity_total=Subquery(entities), cluster_size=Subquery(reports))
        )

    @admin.display(description="status", ordering="status")
    def publication(self, article):
        if article.is_scheduled:
            return f"Scheduled — goes live {goes_live(article)}"
        return article.get_status_display()

    @admin.display(description="tagging", ordering="tagging_status")
    def tagging_state(self, article):
        state = article.get_tagging_status_display()
        if article.tagging_status == Article.TaggingStatus.FAILED:
            return format_html(
                '{} <span class="quiet">{}</span>',
                state,
                Truncator(article.tagging_error).chars(80),
            )
        stalled = (
            article.tagging_requested_at and article.tagging_requested_at < tagging_stale_before()
        )
        if (
            article.tagging_status in {Article.TaggingStatus.PENDING, Article.TaggingStatus.RUNNING}
            and stalled
        ):
            return f"Stalled ({state.lower()})"
        return state

    @admin.display(description="entities")
    def entity_count(self, article):
        return article.entity_total or 0

    @admin.display(description="story")
    def story(self, article):
        """The story cluster other outlets' reports share with this one, linked."""
        if article is None or article.cluster_id is None:
            return "—"
        size = getattr(article, "cluster_size", None)
        if size is None:
            size = Article.objects.filter(cluster_id=article.cluster_id).count()
        return format_html(
            '<a href="{}">{} reports</a>',
            reverse("admin:articles_storycluster_change", args=[article.cluster_id]),
            size,
        )

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        # A pasted source URL finds its article (however it was written); words are looked
        # up in the full-text index rather than by scanning every body.
        try:
            return queryset.filter(source_url=normalize_source_url(search_term)), False
        except InvalidSourceURL:
            found = matching_stories(Article.objects.all(), search_term).values("pk")
            return queryset.filter(pk__in=found), False

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        # Editors work on drafts; once submitted, a story is the Chief editor's.
        return (
            obj is None
            or obj.status == Article.Status.DRAFT
            or (self.has_publish_permission(request))
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        step = request.POST.get("_workflow") if request.method == "POST" else None
        if step is not None and step not in TRANSITIONS:
            return HttpResponseBadRequest("Unknown workflow step.")
        if step in STEPS_NEEDING_PUBLISH_PERMISSION and not self.has_publish_permission(request):
            # Refused whole, before the form saves anything.
            raise PermissionDenied
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            if request.method != "POST":
                raise
            # A concurrent save took this source URL or address after the form checked it,
            # and has committed (PostgreSQL refuses the insert only then). This attempt was
            # rolled back whole: checked again, the form says which is taken.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            # The status moves only through the workflow actions, never through a form
            # (nor by reverting to an old version whose status differed).
            obj.status = Article.objects.values_list("status", flat=True).get(pk=obj.pk)
        article_save(article=obj, by=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        if "_workflow" in request.POST:
            return self._take_step(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_workflow" in request.POST:
            return self._take_step(request, obj)
        return super().response_change(request, obj)

    def _take_step(self, request, article):
        """Move the story just saved one workflow step, as the button said; stay on its page."""
        step = request.POST["_workflow"]
        try:
            article_transition(article=article, step=step, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            reason = " ".join(getattr(error, "messages", [str(error)]))
            self.message_user(request, f"Saved, but not moved on: {reason}", messages.ERROR)
        else:
            if step != "publish":
                done = STEP_DONE[step]
            elif article.is_scheduled:
                done = f"scheduled: it goes live {short_time(article.published_at)}"
            else:
                done = "published: readers can see it now"
            self.message_user(request, f"“{article}” saved and {done}.", messages.SUCCESS)
        return redirect(article.get_admin_url())

    def workflow_buttons(self, request, article) -> list[tuple[str, str]]:
        """Return the (step, label) of each workflow button this user has for this story."""
        buttons = []
        for step, (sources, _) in TRANSITIONS.items():
            if article.status not in sources or (article._state.adding and step == "archive"):
                continue
            if step in STEPS_NEEDING_PUBLISH_PERMISSION and not self.has_publish_permission(
                request
            ):
                continue
            if step != "publish":
                label = STEP_LABELS[step]
            elif article.published_at and article.published_at > timezone.now():
                label = f"Schedule for {short_time(article.published_at)}"
            else:
                label = "Publish now"
            buttons.append((step, label))
        return buttons

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["workflow_buttons"] = self.workflow_buttons(
            request, context["adminform"].form.instance
        )
        context["server_now"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M:%S")
        if obj is not None:
            context.update(self.desk_context(request, obj))
        context["media"] = context["media"] + MentionAddForm(admin_site=self.admin_site).media
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- The review desk -------------------------------------------------------------------

    def may_edit_mentions(self, request, article) -> bool:
        # As the mention rows allowed: on stories this user may change.
        return request.user.has_perm("articles.change_mention") and self.has_change_permission(
            request, article
        )

    def may_add_mentions(self, request, article) -> bool:
        return self.may_edit_mentions(request, article) and request.user.has_perm(
            "articles.add_mention"
        )

    def may_review_relationship(self, request) -> bool:
        return self.admin_site._registry[Relationship].has_change_permission(request)

    def desk_context(self, request, article, relationship_forms=None) -> dict:
        """Return what the desk shows of a story: its highlighted text, entities, relationships
        (with a form each for those who review them) and tagging state."""
        mentions = desk_mentions(article)
        relationships = list(
            story_relationships(article, among=Relationship.objects.all()).order_by(
                "company_a__name", "company_b__name", "kind"
            )
        )
        may_review = self.may_review_relationship(request)
        forms_by_pk = relationship_forms or {}
        topic_choices = list(Topic.objects.values_list("pk", "name")) if relationships else []
        for relationship in relationships:
            relationship.desk_form = (
                forms_by_pk.get(relationship.pk)
                or RelationshipDeskForm(instance=relationship, topic_choices=topic_choices)
                if may_review
                else None
            )
        highlights = [
            (start, end, mention) for mention in mentions for start, end in mention.offsets
        ]
        return {
            "desk_article": article,
            "desk_mentions": mentions,
            "desk_paragraphs": marked_paragraphs(article.body, highlights, highlight_mention),
            "desk_relationships": relationships,
            "desk_add_form": MentionAddForm(admin_site=self.admin_site),
            "may_edit_mentions": self.may_edit_mentions(request, article),
            "may_add_mentions": self.may_add_mentions(request, article),
            "may_retag": self.has_change_permission(request, article),
            "entity_kinds": Entity.Kind.choices,
            "desk_unscheduled": article.status != Article.Status.PUBLISHED
            and article.published_at is not None
            and article.published_at > timezone.now(),
        }

    def get_urls(self):
        def desk(view):
            return self.admin_site.admin_view(require_POST(view))

        return [
            # admin_view marks every one never_cache.
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="articles_article_preview",
            ),
            path(
                "<path:object_id>/desk/mentions/",
                desk(self.desk_mentions_view),
                name="articles_article_desk_mentions",
            ),
            path(
                "<path:object_id>/desk/relationships/",
                desk(self.desk_relationships_view),
                name="articles_article_desk_relationships",
            ),
            path(
                "<path:object_id>/desk/tagging/",
                desk(self.desk_tagging_view),
                name="articles_article_desk_tagging",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        """Show a story exactly as its public page will, to staff only, never indexed."""
        story = self.get_object(request, unquote(object_id))
        if story is None:
            raise Http404("No such article.")
        if not self.has_view_permission(request, story):
            raise PermissionDenied
        # As it would read if published now; the relationships it would make public.
        story.published_at = story.published_at or timezone.now()
        context = story_context(
            request,
            story,
            relationships=Relationship.objects.exclude(status=Relationship.Status.REJECTED),
        )
        response = TemplateResponse(request, "admin/articles/article/preview.html", context)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def _desk_article(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        return article

    def desk_mentions_view(self, request, object_id):
        """Confirm or reject an entity of the story, confirm every suggestion, or add one."""
        article = self._desk_article(request, object_id)
        if not self.may_edit_mentions(request, article):
            raise PermissionDenied
        opened = article.version
        if "add" in request.POST:
            if not self.may_add_mentions(request, article):
                raise PermissionDenied
            form = MentionAddForm(request.POST, admin_site=self.admin_site)
            if not form.is_valid():
                return self._desk_reply(request, article, opened, "Choose an entity to add.", 400)
            entity = form.cleaned_data["entity"]
            mention = article.mentions.filter(entity=entity).first() or Mention(
                article=article, entity=entity
            )
            mention.status = Mention.Status.CONFIRMED
            mentions_save(article=article, changed=[mention], deleted=[])
            return self._desk_reply(request, article, opened, f"{entity} added, confirmed.")
        if "confirm_suggested" in request.POST:
            suggested = list(article.mentions.filter(status=Mention.Status.SUGGESTED))
            for mention in suggested:
                mention.status = Mention.Status.CONFIRMED
            mentions_save(article=article, changed=suggested, deleted=[])
            return self._desk_reply(request, article, opened, f"{len(suggested)} confirmed.")
        decision = next((d for d in ("confirm", "reject") if d in request.POST), None)
        mention_id = request.POST.get(decision or "", "")
        mention = (
            article.mentions.select_related("entity").filter(pk=mention_id).first()
            if mention_id.isdigit()
            else None
        )
        if mention is None:
            return self._desk_reply(
                request, article, opened, "That entity is no longer tagged in this story.", 400
            )
        mention.status = (
            Mention.Status.CONFIRMED if decision == "confirm" else Mention.Status.REJECTED
        )
        mentions_save(article=article, changed=[mention], deleted=[])
        return self._desk_reply(
            request, article, opened, f"{mention.entity} {mention.get_status_display().lower()}."
        )

    def desk_relationships_view(self, request, object_id):
        """Confirm or reject a relationship the story shows, or change its kind and topics."""
        article = self._desk_article(request, object_id)
        if not self.may_review_relationship(request):
            raise PermissionDenied
        decision = next((d for d in ("confirm", "reject", "save") if d in request.POST), None)
        relationship_id = request.POST.get(decision or "", "")
        relationship = (
            Relationship.objects.filter(pk=relationship_id, evidence__article=article)
            .select_related("company_a", "company_b")
            .first()
            if relationship_id.isdigit()
            else None
        )
        if relationship is None:
            return self._desk_reply(
                request, article, None, "This story no longer shows that relationship.", 400
            )
        if decision != "save":
            status = {
                "confirm": Relationship.Status.CONFIRMED,
                "reject": Relationship.Status.REJECTED,
            }
            relationships_set_status(
                relationships=Relationship.objects.filter(pk=relationship.pk),
                status=status[decision],
            )
            relationship.status = status[decision]
            return self._desk_reply(
                request,
                article,
                None,
                f"{relationship} {relationship.get_status_display().lower()}.",
            )
        form = RelationshipDeskForm(
            request.POST,
            instance=relationship,
            topic_choices=Topic.objects.values_list("pk", "name"),
        )
        if not form.is_valid():
            errors = " ".join(error for errors in form.errors.values() for error in errors)
            return self._desk_reply(
                request, article, None, errors, 400, relationship_forms={relationship.pk: form}
            )
        topics = form.cleaned_data["topics"] if "topics" in form.changed_data else None
        try:
            with transaction.atomic():
                relationship_save(relationship=form.save(commit=False), topics=topics)
        except IntegrityError:
            # Another editor gave the pair that kind meanwhile.
            return self._desk_reply(
                request, article, None, "That kind was just taken: reload and review again.", 409
            )
        return self._desk_reply(request, article, None, f"{relationship} saved.")

    def desk_tagging_view(self, request, object_id):
        """Ask for the story to be tagged again (as the list's action does)."""
        article = self._desk_article(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        article_request_tagging(article=article)
        return self._desk_reply(request, article, None, "Tagging requested.")

    def _desk_reply(self, request, article, opened, message, status=200, relationship_forms=None):
        """Answer the desk's script with the desk drawn again and the story's new version,
        or a plain form post with a message and the story's page."""
        level = messages.SUCCESS if status < 400 else messages.ERROR
        if not wants_json(request):
            self.message_user(request, message, level)
            return redirect(f"{article.get_admin_url()}#desk")
        article.refresh_from_db()
        desk = render_to_string(
            "admin/articles/article/desk.html",
            self.desk_context(request, article, relationship_forms),
            request=request,
        )
        # The page's form may take the new version only if it had the one this change
        # replaced: a save by someone else meanwhile must still be refused.
        version = (
            article.version
            if opened is not None and request.POST.get("expected_version") == str(opened)
            else None
        )
        return JsonResponse(
            {
                "message": message,
                "level": messages.DEFAULT_TAGS[level],
                "desk": desk,
                "version": version,
            },
            status=status,
        )

    def delete_model(self, request, obj):
        article_delete(article=obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            article_delete(article=article)

    @transaction.atomic
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # In one transaction, as Django's own change view: the form locks the row it checks.
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.action(description="Submit for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._transition(request, queryset, "submit")

    @admin.action(description="Publish", permissions=["publish"])
    def publish(self, request, queryset):
        self._transition(request, queryset, "publish")

    @admin.action(description="Send back to draft", permissions=["publish"])
    def return_to_draft(self, request, queryset):
        self._transition(request, queryset, "return_to_draft")

    @admin.action(description="Archive", permissions=["publish"])
    def archive(self, request, queryset):
        self._transition(request, queryset, "archive")

    @admin.action(description="Re-run tagging", permissions=["change"])
    def rerun_tagging(self, request, queryset):
        # Re-tagging rewrites a story's entity tags: only for articles this user may change
        # (an Editor's drafts), as the action's "change" permission is checked without one.
        allowed = [article for article in queryset if self.has_change_permission(request, article)]
        if skipped := len(queryset) - len(allowed):
            self.message_user(
                request,
                f"{skipped} article(s) skipped: you may not change them.",
                messages.ERROR,
            )
        for article in allowed:
            article_request_tagging(article=article)
        if allowed:
            self.message_user(request, f"Tagging requested for {len(allowed)} article(s).")

    def _transition(self, request, queryset, step):
        moved = 0
        for article in queryset:
            try:
                article_transition(article=article, step=step, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(
                    request,
                    " ".join(error.messages) if hasattr(error, "messages") else str(error),
                    messages.ERROR,
                )
            else:
                moved += 1
        if moved:
            self.message_user(request, f"{moved} article(s) updated.", messages.SUCCESS)


class AliasInline(admin.TabularInline):
    model = Alias
    form = AliasAdminForm
    extra = 1


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    form = EntityAdminForm
    list_display = ["name", "kind", "slug", "sector", "parent", "maker", "affiliation"]
    list_filter = ["kind", "provisional", "sector"]
    list_select_related = ["parent", "maker", "affiliation"]
    search_fields = ["name", "slug", "aliases__text"]
    autocomplete_fields = ["parent", "maker", "affiliation"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AliasInline]
    show_full_result_count = False
    actions = ["accept", "merge"]

    def save_model(self, request, obj, form, change):
        knowledge_save(saved=[obj])

    def save_formset(self, request, form, formset, change):
        knowledge_save(saved=formset.save(commit=False), deleted=formset.deleted_objects)

    def delete_model(self, request, obj):
        knowledge_save(deleted=[obj])

    def delete_queryset(self, request, queryset):
        knowledge_save(deleted=queryset)

    def get_search_results(self, request, queryset, search_term):
        # PostgreSQL refuses NUL in a query: control characters become spaces, here and in
        # the pickers that search through this admin (mention rows, parent, maker…).
        search_term = clean_search_term(search_term)
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Autocomplete for a maker, parent or affiliation offers companies only.
        if request.path.endswith("/autocomplete/") and request.GET.get("field_name") in {
            "parent",
            "maker",
            "affiliation",
        }:
            queryset = queryset.filter(kind=Entity.Kind.COMPANY)
        return queryset, may_have_duplicates

    @admin.action(description="Accept the selected suggested entities", permissions=["change"])
    def accept(self, request, queryset):
        accepted = entities_accept(entities=queryset)
        self.message_user(
            request, f"Accepted {accepted} suggested entity(ies): readers see them now."
        )

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


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    """The candidate queue: each name is accepted as an entity, linked to one, or rejected."""

    form = CandidateReviewForm
    list_display = ["text", "likely_kind", "total_count", "article_count", "status", "examples"]
    list_filter = ["status", "likely_kind"]
    search_fields = ["text"]
    readonly_fields = ["text", "likely_kind", "status", "entity", "sentences"]
    actions = ["accept", "reject"]
    # The stories a candidate page quotes: the latest ones, and how many more there are.
    sightings_shown = 20

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(total=Sum("sightings__count"), articles=Count("sightings"))
            # The list quotes three sentences: three stories give them, however many name it.
            .prefetch_related(
                Prefetch(
                    "sightings",
                    CandidateSighting.objects.order_by("-pk")[:3],
                    to_attr="recent_sightings",
                )
            )
        )

    def get_fieldsets(self, request, obj=None):
        summary = (None, {"fields": self.readonly_fields})
        if obj is None or not self.has_change_permission(request, obj):
            return [summary]
        return [
            summary,
            (
                "Accept as a new entity",
                {"fields": ["kind", "name", "aliases", "maker", "affiliation", "parent"]},
            ),
            ("Link to an existing entity", {"fields": ["link_to"]}),
        ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # A decided candidate is a record: its page says what became of it.
        return super().has_change_permission(request, obj) and (
            obj is None or obj.status == Candidate.Status.PENDING
        )

    @admin.display(description="count", ordering="total")
    def total_count(self, candidate):
        return candidate.total or 0

    @admin.display(description="articles", ordering="articles")
    def article_count(self, candidate):
        return candidate.articles

    @admin.display(description="example sentences")
    def examples(self, candidate):
        sentences = [s for sighting in candidate.recent_sightings for s in sighting.examples][:3]
        return format_html_join(
            "", "<p>{}</p>", ((names_marked(sentence, [candidate.text]),) for sentence in sentences)
        )

    @admin.display(description="seen in")
    def sentences(self, candidate):
        sightings = (
            CandidateSighting.objects.filter(candidate=candidate)
            .select_related("article")
            .order_by("-pk")[: self.sightings_shown]
        )
        stories = format_html_join(
            "",
            '<li><a href="{}">{}</a> <span class="quiet">({}, {})</span>{}</li>',
            (
                (
                    sighting.article.get_admin_url(),
                    sighting.article.title,
                    sighting.article.publication_state(),
                    "once" if sighting.count == 1 else f"{sighting.count} times",
                    format_html_join(
                        "",
                        "<blockquote>{}</blockquote>",
                        (
                            (names_marked(example, [candidate.text]),)
                            for example in sighting.examples
                        ),
                    ),
                )
                for sighting in sightings
            ),
        )
        more = candidate.articles - len(sightings)
        return format_html(
            '<ul class="desk-sightings">{}</ul>{}',
            stories or format_html("<li>{}</li>", "No story names it now."),
            format_html("<p>…and {} more stories.</p>", more) if more > 0 else "",
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except AlreadyInKnowledgeBase as refusal:
            # The name was added since the form checked it: nothing was saved.
            self.message_user(request, refusal.message, messages.ERROR)
            return redirect(request.path)

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data["decision"]
        if decision == "accept":
            candidate_accept(
                candidate=obj,
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                aliases=form.cleaned_data["aliases"],
                maker=form.cleaned_data["maker"],
                affiliation=form.cleaned_data["affiliation"],
                parent=form.cleaned_data["parent"],
            )
        elif decision == "link":
            candidate_link(candidate=obj, entity=form.cleaned_data["link_to"])
        else:
            candidate_reject(candidate=obj)

    def construct_change_message(self, request, form, formsets, add=False):
        return CandidateReviewForm.DECISIONS[form.cleaned_data["decision"]]

    def response_change(self, request, obj):
        if obj.status == Candidate.Status.REJECTED:
            self.message_user(request, f"“{obj}” rejected: it will not be suggested again.")
        else:
            self.message_user(
                request,
                f"“{obj}” is now a name of {obj.entity} ({obj.entity.get_kind_display().lower()})"
                ": the stories that name it are being tagged again.",
                messages.SUCCESS,
            )
        # The next candidate waiting.
        return redirect(reverse("admin:entities_candidate_changelist") + "?status__exact=pending")

    @admin.action(description="Accept: create the entity and re-tag", permissions=["change"])
    def accept(self, request, queryset):
        accepted = 0
        for candidate in queryset.filter(status=Candidate.Status.PENDING):
            try:
                candidate_accept(candidate=candidate)
            except AlreadyInKnowledgeBase as refusal:
                self.message_user(request, refusal.message, messages.ERROR)
            else:
                accepted += 1
        if accepted:
            self.message_user(request, f"{accepted} entity(ies) created.", messages.SUCCESS)

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
            evidence.article.publication_state(),
        )


class RelationshipAdminForm(forms.ModelForm):
    class Meta:
        model = Relationship
        fields = ["status", "topics"]


def object_id(value) -> int | None:
    """Return the id a filter's parameter names, or None for anything that is not one."""
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 19 else None


class ChosenObjectFilter(admin.SimpleListFilter):
    """A filter on one object named by its id in the address (`?article=12`), as the desk's
    links and each row's own links set it; it lists only the object chosen, to clear it."""

    model = None

    def lookups(self, request, model_admin):
        if self.value() is None:
            return []
        chosen = object_id(self.value())
        found = self.model._default_manager.filter(pk=chosen).first() if chosen else None
        return [(self.value(), str(found) if found else f"No such {self.title}")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        chosen = object_id(self.value())
        return self.filter(queryset, chosen) if chosen else queryset.none()


class RelationshipStoryFilter(ChosenObjectFilter):
    title = "story"
    parameter_name = "article"
    model = Article

    def filter(self, queryset, article_id):
        shown = RelationshipEvidence.objects.filter(article_id=article_id)
        return queryset.filter(pk__in=shown.values("relationship_id"))


class RelationshipCompanyFilter(ChosenObjectFilter):
    title = "company"
    parameter_name = "company"
    model = Entity

    def filter(self, queryset, company_id):
        return queryset.filter(Q(company_a_id=company_id) | Q(company_b_id=company_id))


@admin.register(Relationship)
class RelationshipAdmin(PublicRecordAdmin):
    """The review queue for detected relationships: each row quotes the sentence that shows it."""

    form = RelationshipAdminForm
    list_display = [
        "companies",
        "kind",
        "status",
        "evidence_sentence",
        "topic_list",
        "evidence_count",
        "last_seen",
    ]
    list_filter = [
        "status",
        "kind",
        RelationshipStoryFilter,
        RelationshipCompanyFilter,
        "topics",
    ]
    list_select_related = ["company_a", "company_b"]
    search_fields = ["company_a__name", "company_b__name", "company_a__slug", "company_b__slug"]
    readonly_fields = ["company_a", "company_b", "kind", "first_seen", "last_seen"]
    fields = ["company_a", "company_b", "kind", "status", "topics", "first_seen", "last_seen"]
    filter_horizontal = ["topics"]
    inlines = [EvidenceInline]
    actions = ["confirm", "reject"]

    class Media:
        css = {"all": ["admin/newsdesk_desk.css"]}

    def get_queryset(self, request):
        # The sentence a row quotes: the latest found, or the chosen story's.
        evidence = RelationshipEvidence.objects.select_related("article").order_by("-pk")
        if story := object_id(request.GET.get(RelationshipStoryFilter.parameter_name)):
            evidence = evidence.filter(article_id=story)
        return (
            super()
            .get_queryset(request)
            .annotate(evidence_total=Count("evidence"))
            .prefetch_related(
                "topics",
                "company_a__aliases",
                "company_b__aliases",
                Prefetch("evidence", evidence[:1], to_attr="quoted_evidence"),
            )
        )

    @admin.display(description="companies", ordering="company_a__name")
    def companies(self, relationship):
        return f"{relationship.company_a} – {relationship.company_b}"

    @admin.display(description="evidence")
    def evidence_sentence(self, relationship):
        if not relationship.quoted_evidence:
            return "—"
        [evidence] = relationship.quoted_evidence
        names = [
            text
            for company in (relationship.company_a, relationship.company_b)
            for text in [company.name, *(alias.text for alias in company.aliases.all())]
        ]
        return format_html(
            '<p class="desk-evidence">{}</p><p class="quiet">in <a href="{}">{}</a> · '
            '<a href="?article={}">all from this story</a>{}</p>',
            names_marked(evidence.sentence, names),
            evidence.article.get_admin_url(),
            evidence.article.title,
            evidence.article_id,
            format_html_join(
                "",
                ' · <a href="?company={}">all of {}</a>',
                (
                    (company.pk, company)
                    for company in (relationship.company_a, relationship.company_b)
                ),
            ),
        )

    @admin.display(description="topics")
    def topic_list(self, relationship):
        return ", ".join(topic.slug for topic in relationship.topics.all())

    @admin.display(description="evidence", ordering="evidence_total")
    def evidence_count(self, relationship):
        return relationship.evidence_total

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        topics = form.cleaned_data["topics"] if "topics" in form.changed_data else None
        relationship_save(relationship=obj, topics=topics)

    def save_related(self, request, form, formsets, change):
        # The topics were saved with the relationship; the evidence inline is read-only.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.action(description="Confirm", permissions=["change"])
    def confirm(self, request, queryset):
        count = relationships_set_status(
            relationships=queryset, status=Relationship.Status.CONFIRMED
        )
        self.message_user(request, f"{count} relationship(s) confirmed.", messages.SUCCESS)

    @admin.action(description="Reject", permissions=["change"])
    def reject(self, request, queryset):
        count = relationships_set_status(
            relationships=queryset, status=Relationship.Status.REJECTED
        )
        self.message_user(request, f"{count} relationship(s) rejected.", messages.SUCCESS)


@admin.register(Topic)
class TopicAdmin(PublicRecordAdmin):
    form = TopicAdminForm
    list_display = ["slug", "name"]
    search_fields = ["slug", "name"]


class StoryClusterAdminForm(forms.ModelForm):
    """Choose a story's lead among its articles, or take articles out of it."""

    take_out = forms.ModelMultipleChoiceField(
        queryset=Article.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="These articles leave the story; Newsdesk will not put them back.",
    )

    class Meta:
        model = StoryCluster
        fields = ["lead"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = Article.objects.filter(cluster=self.instance).select_related("outlet")
        self.fields["lead"].queryset = members
        self.fields["lead"].required = True
        self.fields["lead"].label_from_instance = article_with_outlet
        self.fields["take_out"].queryset = members
        self.fields["take_out"].label_from_instance = article_with_outlet


def article_with_outlet(article: Article) -> str:
    return f"{article.title} ({article.outlet.name}, {article.get_status_display()})"


@admin.register(StoryCluster)
class StoryClusterAdmin(admin.ModelAdmin):
    """Stories reported by several outlets: editors merge them, split them, choose the lead."""

    form = StoryClusterAdminForm
    list_display = ["__str__", "lead", "lead_outlet", "article_count", "updated_at"]
    list_select_related = ["lead__outlet"]
    search_fields = ["articles__title"]
    readonly_fields = ["story_articles", "lead_chosen_by_editor", "created_at", "updated_at"]
    fields = ["lead", "take_out", "story_articles", "lead_chosen_by_editor", "created_at"]
    actions = ["merge"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    def has_add_permission(self, request):
        # Stories are made by grouping articles, never empty by hand.
        return False

    def has_delete_permission(self, request, obj=None):
        # Taking every article out dissolves a story; deleting it would hide how.
        return False

    @admin.display(description="outlet", ordering="lead__outlet__name")
    def lead_outlet(self, cluster):
        return cluster.lead.outlet.name if cluster.lead else "—"

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, cluster):
        return cluster.article_count

    @admin.display(description="articles in this story")
    def story_articles(self, cluster):
        articles = cluster.articles.select_related("outlet").order_by("published_at", "pk")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> — {}, {}</li>',
                (
                    (a.get_admin_url(), a.title, a.outlet.name, a.publication_state())
                    for a in articles
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        taken_out = form.cleaned_data["take_out"]
        lead = form.cleaned_data["lead"]
        if "lead" in form.changed_data and lead not in taken_out:
            cluster_set_lead(cluster=obj, article=lead)
        if taken_out:
            cluster_take_out(cluster=obj, articles=taken_out)

    def save_related(self, request, form, formsets, change):
        # Nothing else to save: the articles moved in save_model.
        pass

    def response_change(self, request, obj):
        if not StoryCluster.objects.filter(pk=obj.pk).exists():
            self.message_user(
                request, "The story had one article left and was dissolved.", messages.INFO
            )
            return redirect("admin:articles_storycluster_changelist")
        return super().response_change(request, obj)

    @admin.action(description="Merge the selected stories into one", permissions=["change"])
    def merge(self, request, queryset):
        clusters = list(queryset)
        if len(clusters) < 2:
            self.message_user(request, "Select two or more stories to merge.", messages.ERROR)
            return None
        target = clusters_merge(clusters=clusters)
        self.message_user(
            request, f"Merged {len(clusters)} stories into {target}.", messages.SUCCESS
        )
        return redirect("admin:articles_storycluster_change", target.pk)
