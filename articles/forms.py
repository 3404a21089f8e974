from django import forms
from django.conf import settings
from django.utils.html import format_html

from entities.forms import INVISIBLE_CHARACTERS, plain_name, without_hidden_characters

from .models import Article
from .source_urls import InvalidSourceURL, normalize_source_url

# The standfirst is "one or two sentences", shown under the title in lists and in feeds.
STANDFIRST_MAX_CHARS = 1000


class ArticleAdminForm(forms.ModelForm):
    source_url = forms.URLField(
        label="Source URL",
        max_length=1000,
        assume_scheme="https",
        help_text=Article._meta.get_field("source_url").help_text,
    )

    # The version the editor started from: a save on top of someone else's is refused.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "standfirst",
            "body",
            "source_url",
            "outlet",
            "byline",
            "language",
            "published_at",
        ]
        error_messages = {
            "slug": {
                "unique": "Another story has this address: change it, or leave it blank to "
                "make one from the title."
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "published_at" in self.fields:  # not on a read-only page
            # The date and time boxes share one label: each gets its own name.
            date, time = self.fields["published_at"].widget.widgets
            date.attrs["aria-label"] = "Publication date"
            time.attrs["aria-label"] = "Publication time"
        if self.instance.pk:
            # The stored version, not the instance's: a reverted history entry carries its own.
            self.fields["expected_version"].initial = (
                Article.objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        # Locked until the admin's transaction ends, so two saves cannot both pass this check.
        current = (
            Article.objects.select_for_update()
            .only("version", "updated_at", "updated_by")
            .get(pk=self.instance.pk)
        )
        if cleaned_data.get("expected_version") != current.version:
            who = current.updated_by.username if current.updated_by_id else "someone else"
            raise forms.ValidationError(
                f"{who} saved this article at {current.updated_at:%H:%M:%S} (UTC) after you "
                "opened it, so your changes were not saved. Copy them, reload the page to see "
                "the latest version, and apply them again.",
                code="edit_conflict",
            )
        return cleaned_data

    def clean_title(self):
        return plain_name(self.cleaned_data["title"], label="title")

    def clean_standfirst(self):
        standfirst = without_hidden_characters(self.cleaned_data["standfirst"])
        if len(standfirst) > STANDFIRST_MAX_CHARS:
            # It is shown in every list and feed: a pasted body here would bloat them all.
            raise forms.ValidationError(
                f"The standfirst is {len(standfirst):,} characters long; the limit is "
                f"{STANDFIRST_MAX_CHARS:,}. One or two sentences are enough."
            )
        return standfirst

    def clean_byline(self):
        return without_hidden_characters(self.cleaned_data["byline"])

    def clean_body(self):
        body = without_hidden_characters(self.cleaned_data["body"].replace("\r\n", "\n"))
        if not INVISIBLE_CHARACTERS.sub("", body).strip():
            raise forms.ValidationError("The body is empty.")
        limit = settings.NEWSDESK_MAX_BODY_CHARS
        if len(body) > limit:
            raise forms.ValidationError(
                f"The body is {len(body):,} characters long; the limit is {limit:,}. "
                "Split the story or shorten it."
            )
        return body

    def clean_source_url(self):
        try:
            url = normalize_source_url(self.cleaned_data["source_url"])
        except InvalidSourceURL as error:
            raise forms.ValidationError(str(error)) from error
        existing = Article.objects.filter(source_url=url).exclude(pk=self.instance.pk).first()
        if existing:
            raise forms.ValidationError(
                format_html(
                    'This source URL is already used by <a href="{}">{}</a>.',
                    existing.get_admin_url(),
                    existing.title,
                )
            )
        return url


# The admin supplies the model and the fields.
class OutletAdminForm(forms.ModelForm):
    def clean_name(self):
        return plain_name(self.cleaned_data["name"], label="name")
