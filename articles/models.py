import hashlib
import unicodedata

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from newsdesk.links import reverse_cached
from newsdesk.slugs import unique_slug

from .language import LANGUAGE_CHOICES, detect_language
from .source_urls import normalize_source_url


class Outlet(models.Model):
    name = models.CharField(max_length=200, unique=True)
    homepage = models.URLField(blank=True)
    default_language = models.CharField(
        max_length=2,
        choices=LANGUAGE_CHOICES,
        blank=True,
        help_text="Used for this outlet's articles when their language is left blank.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Return the stories readers may see: published, and not under embargo."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def in_order(self, ids) -> list:
        """Return the stories with these ids, in the ids' order, leaving out those not here."""
        stories = self.in_bulk(ids)
        return [stories[pk] for pk in ids if pk in stories]

    def stale_tagging(self, older_than):
        """Return articles whose tagging was asked for before `older_than` and never finished."""
        return self.filter(
            tagging_status__in=[Article.TaggingStatus.PENDING, Article.TaggingStatus.RUNNING],
            tagging_requested_at__lt=older_than,
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    class TaggingStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text="The story's address on the public site. Left blank, it is made from the title.",
    )
    standfirst = models.TextField(
        blank=True, help_text="One or two sentences shown under the title and in feeds."
    )
    body = models.TextField(help_text="Plain text. Separate paragraphs with a blank line.")
    source_url = models.URLField(
        "source URL",
        max_length=1000,
        unique=True,
        help_text="Where the story was first published. Tracking parameters are removed.",
    )
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="articles")
    byline = models.CharField(max_length=300, blank=True)
    language = models.CharField(
        max_length=2,
        choices=LANGUAGE_CHOICES,
        blank=True,
        help_text="Left blank, it is detected from the text.",
    )
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="A time in the future holds a published story back until then (embargo).",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    fingerprint = models.CharField(
        max_length=64, editable=False, help_text="SHA-256 of the title and body as tagged."
    )
    tagging_status = models.CharField(
        max_length=16, choices=TaggingStatus.choices, default=TaggingStatus.PENDING
    )
    tagging_error = models.TextField(blank=True)
    tagging_requested_at = models.DateTimeField(null=True, blank=True)
    tagged_at = models.DateTimeField("last tagged", null=True, blank=True)
    tagged_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Goes up with every save; guards against lost edits."
    )

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[
            "tagging_status",
            "tagging_error",
            "tagging_requested_at",
            "tagged_at",
            "tagged_fingerprint",
        ]
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [
            ("publish_article", "Can publish, unpublish and archive articles"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_published_idx"),
            # The admin's list: every article, newest first, and its date hierarchy.
            models.Index(fields=["-published_at", "-id"], name="article_newest_idx"),
            # The admin list's status and language filters: it counts up to 10,000 of the
            # matching articles from the index alone instead of scanning the table.
            models.Index(fields=["status", "language"], name="article_status_language_idx"),
            models.Index(
                fields=["tagging_status", "tagging_requested_at"], name="article_tagging_sweep_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.source_url = normalize_source_url(self.source_url)
        self.fingerprint = text_fingerprint(self.title, self.body)
        if not self.language:
            self.language = detect_language(f"{self.title}\n{self.standfirst}\n{self.body}") or (
                self.outlet.default_language if self.outlet_id else ""
            )
        if not self.slug:
            self.slug = unique_slug(
                self.title, fallback="story", siblings=Article.objects.exclude(pk=self.pk)
            )
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_cached("articles:story", slug=self.slug)

    def get_admin_url(self):
        return reverse("admin:articles_article_change", args=[self.pk])

    @property
    def public_since(self):
        """Return the publication time when the status is published (embargo or not), else None."""
        return self.published_at if self.status == self.Status.PUBLISHED else None

    @property
    def needs_tagging(self) -> bool:
        return self.fingerprint != self.tagged_fingerprint

    @property
    def listed_stamp(self) -> tuple:
        """What changes whenever a list item or a feed entry of the story would: its version
        (an editor's save, or change to its mentions) and its tagging."""
        return (self.pk, self.version, self.tagged_at)


def text_fingerprint(title: str, body: str) -> str:
    """Return a digest that changes when, and only when, the tagged text changes."""
    text = unicodedata.normalize("NFC", f"{title.strip()}\n\n{body.strip()}")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
