"""The desk's intake screens: outlets' feeds and their polls, and "Add from URL"."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html

from articles.admin import ArticleAdmin
from articles.duplicates import find_duplicate
from articles.models import Article

from .extract import ExtractionError
from .fetch import FetchError
from .models import Feed, FeedPoll
from .services import known_article, story_from_url
from .tasks import poll_feed


class FeedPollInline(admin.TabularInline):
    model = FeedPoll
    fields = [
        "started_at",
        "finished_at",
        "http_status",
        "items_new",
        "items_known",
        "items_refused",
        "error",
        "refusals",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = f"latest polls (the last {FeedPoll.KEPT_PER_FEED} are kept)"

    def has_add_permission(self, request, obj=None):
        return False


class FailingFilter(admin.SimpleListFilter):
    title = "health"
    parameter_name = "health"

    def lookups(self, request, model_admin):
        return [("failing", "Failing"), ("ok", "Answering")]

    def queryset(self, request, queryset):
        if self.value() == "failing":
            return queryset.failing()
        if self.value() == "ok":
            return queryset.filter(consecutive_failures=0)
        return queryset


class FeedAdminForm(forms.ModelForm):
    url = forms.URLField(
        label="Feed URL",
        max_length=1000,
        assume_scheme="https",
        help_text="The address of the outlet's RSS or Atom feed.",
    )

    class Meta:
        model = Feed
        fields = ["outlet", "url", "interval_minutes", "active", "next_poll_at"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("A feed's address starts with http:// or https://.")
        return url


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    form = FeedAdminForm
    list_display = [
        "url",
        "outlet",
        "active",
        "interval_minutes",
        "last_polled_at",
        "next_poll_at",
        "health",
    ]
    list_filter = [FailingFilter, "active", "outlet"]
    list_select_related = ["outlet"]
    search_fields = ["url", "outlet__name"]
    autocomplete_fields = ["outlet"]
    fields = [
        "outlet",
        "url",
        "interval_minutes",
        "active",
        "next_poll_at",
        "last_polled_at",
        "consecutive_failures",
        "last_error",
    ]
    readonly_fields = ["last_polled_at", "consecutive_failures", "last_error"]
    inlines = [FeedPollInline]
    actions = ["poll_now"]

    @admin.display(description="health", ordering="consecutive_failures")
    def health(self, feed):
        if not feed.consecutive_failures:
            return "OK"
        return format_html(
            '<strong class="errornote">Failing ({} in a row): {}</strong>',
            feed.consecutive_failures,
            feed.last_error[:200],
        )

    @admin.action(description="Poll now", permissions=["change"])
    def poll_now(self, request, queryset):
        for feed in queryset:
            poll_feed.delay_on_commit(feed.pk)
        self.message_user(request, f"Poll requested for {len(queryset)} feed(s).")

    def get_urls(self):
        return [
            path(
                "add-from-url/",
                self.admin_site.admin_view(self.add_from_url_view),
                name="intake_add_from_url",
            ),
            *super().get_urls(),
        ]

    def add_from_url_view(self, request):
        """Fetch the page an editor pasted and open the article form filled from it."""
        if not request.user.has_perm("articles.add_article"):
            raise PermissionDenied
        if request.method == "POST" and request.GET.get("step") == "article":
            # The editor saves the filled form: the desk's own add view, checks and all.
            return ArticleFromURLAdmin().add_view(request, form_url=article_form_url())
        form = AddFromURLForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            url = form.cleaned_data["url"]
            if existing := known_article(url=url):
                form.add_error("url", _already_here(existing))
            else:
                try:
                    story = story_from_url(url=url)
                except (FetchError, ExtractionError) as error:
                    form.add_error("url", str(error))
                else:
                    duplicate = find_duplicate(
                        url=url,
                        canonical_url=story.canonical_url,
                        title=story.title,
                        body=story.body,
                    )
                    if duplicate is not None and not duplicate.syndicated:
                        form.add_error("url", _already_here(duplicate.article))
                    else:
                        return _prefilled_article_form(request, url, story)
        context = {
            **self.admin_site.each_context(request),
            "title": "Add an article from its URL",
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "admin/intake/add_from_url.html", context, status=200)


class AddFromURLForm(forms.Form):
    url = forms.URLField(
        label="Story URL",
        max_length=1000,
        assume_scheme="https",
        help_text="Newsdesk reads the page and opens a new article filled from it, to review.",
    )


def _already_here(article) -> str:
    return format_html(
        'Newsdesk already has this story: <a href="{}">{}</a>.',
        article.get_admin_url(),
        article.title,
    )


class ArticleFromURLAdmin(ArticleAdmin):
    """The desk's article add form, filled from a page; what it saves is marked as added
    from a URL."""

    def __init__(self, initial=None):
        super().__init__(Article, admin.site)
        self.initial = initial or {}

    def get_changeform_initial_data(self, request):
        return self.initial

    def save_model(self, request, obj, form, change):
        obj.origin = Article.Origin.URL
        super().save_model(request, obj, form, change)


def article_form_url() -> str:
    """Where the filled article form is posted: back here, to save it as added from a URL."""
    return f"{reverse('admin:intake_add_from_url')}?step=article"


def _prefilled_article_form(request, url, story):
    """Render the article add form filled from the page, for the editor to review."""
    initial = {
        "title": story.title,
        "body": story.body,
        "source_url": url,
        "byline": story.byline,
        "language": story.language,
        "published_at": story.published_at,
    }
    messages.info(request, "Filled from the page: check every field before you save.")
    # Shown as a fresh form: this request's POST was the URL, not an article.
    request.method = "GET"
    return ArticleFromURLAdmin(initial).add_view(request, form_url=article_form_url())
