from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from simple_history.admin import SimpleHistoryAdmin

from entities.admin import MentionInline

from .forms import ArticleAdminForm
from .models import Article, Outlet
from .pagination import CappedPaginator
from .search import matching_stories
from .services import article_request_tagging, article_save, article_transition
from .source_urls import InvalidSourceURL, normalize_source_url


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "homepage", "default_language"]
    search_fields = ["name"]


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleAdminForm
    inlines = [MentionInline]
    list_display = ["title", "outlet", "language", "status", "published_at", "tagging_status"]
    list_filter = ["status", "outlet", "language", "tagging_status"]
    list_select_related = ["outlet"]
    # Shows the search box; get_search_results below does the searching.
    search_fields = ["title", "body", "source_url"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    # A full COUNT(*) over a large archive makes every filtered list slow.
    show_full_result_count = False
    paginator = CappedPaginator
    list_per_page = 50
    readonly_fields = [
        "status",
        "tagging_status",
        "tagging_error",
        "tagged_at",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body", "expected_version"]}),
        ("Source", {"fields": ["source_url", "outlet", "byline", "language"]}),
        ("Publication", {"fields": ["status", "published_at"]}),
        (
            "Tagging",
            {
                "classes": ["collapse"],
                "fields": ["tagging_status", "tagging_error", "tagged_at"],
            },
        ),
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": ["created_by", "created_at", "updated_by", "updated_at"],
            },
        ),
    ]
    actions = ["submit_for_review", "publish", "return_to_draft", "archive", "rerun_tagging"]

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

    def save_model(self, request, obj, form, change):
        if change:
            # The status moves only through the workflow actions, never through a form
            # (nor by reverting to an old version whose status differed).
            obj.status = Article.objects.values_list("status", flat=True).get(pk=obj.pk)
        article_save(article=obj, by=request.user)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
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
