import hashlib
import unicodedata
from functools import partial

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from entities.language import LANGUAGE_CHOICES, detect_language
from entities.models import Candidate, Entity, Relationship
from entities.slugs import save_with_unique_slug
from entities.tagging import SUBJECT_THRESHOLD

from .source_urls import canonical_url, normalize_source_url


class Outlet(models.Model):
    name = models.CharField(max_length=200, unique=True)
    homepage = models.URLField(blank=True)
    default_language = models.CharField(
        max_length=2,
        choices=LANGUAGE_CHOICES,
        blank=True,
        help_text="Used for this outlet's articles when their language is left blank.",
    )
    trusted = models.BooleanField(
        default=False,
        help_text="Articles taken in from this outlet go straight to review instead of drafts.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Return the stories readers may see: published, and not under embargo."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        """Return the stories published with a time still to come: they go live then."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def next_publication(self):
        """Return when the next embargoed story comes out, or None."""
        return (
            self.scheduled().order_by("published_at").values_list("published_at", flat=True).first()
        )

    def one_per_story(self):
        """Leave out the articles whose story another article of this list stands for.

        A story reported by several outlets is listed once: by its lead, or when the lead is
        not in the list (not public, say), by its newest article in the list. Each article is
        compared with the other articles of its cluster only, through the cluster's index.
        """
        return self.exclude(covered_within(self.order_by()))

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


class StoryCluster(models.Model):
    """Articles from different outlets reporting the same event: one story for readers."""

    lead = models.ForeignKey(
        "Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The article shown first. Left to Newsdesk, the earliest, most complete one.",
    )
    lead_chosen_by_editor = models.BooleanField(
        default=False, help_text="An editor chose the lead: new articles do not replace it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return f"Story #{self.pk}"


def covered_within(listed):
    """Return the condition, on an article of a story cluster, that another article of its
    story among `listed` stands for it: the lead, or while the lead is not listed, the
    newest listed article (see ArticleQuerySet.one_per_story)."""
    others = listed.filter(cluster_id=OuterRef("cluster_id")).exclude(pk=OuterRef("pk"))
    lead_listed = others.filter(cluster__lead_id=F("pk"))
    newer = others.filter(
        Q(published_at__gt=OuterRef("published_at"))
        | Q(published_at=OuterRef("published_at"), pk__gt=OuterRef("pk"))
    )
    is_lead = StoryCluster.objects.filter(pk=OuterRef("cluster_id"), lead_id=OuterRef("pk"))
    return Q(cluster__isnull=False) & (Exists(lead_listed) | (Exists(newer) & ~Exists(is_lead)))


class Article(models.Model):
    class Origin(models.TextChoices):
        DESK = "desk", "Written on the desk"
        FEED = "feed", "Outlet's feed"
        URL = "url", "Added from a URL"
        IMPORT = "import", "Bulk import"

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
    canonical_url = models.CharField(
        "canonical URL",
        max_length=1000,
        blank=True,
        db_index=True,
        editable=False,
        help_text="The story's address with tracking, AMP and mobile variants taken out.",
    )
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="articles")
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.DESK)
    syndicated_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="syndicated_copies",
        help_text="The original this article republishes, on another outlet.",
    )
    cluster = models.ForeignKey(
        StoryCluster,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        help_text="The story this article reports, with other outlets' articles about it.",
    )
    clustered_by_editor = models.BooleanField(
        default=False,
        editable=False,
        help_text="An editor put this article in its story or took it out: Newsdesk leaves it.",
    )
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
            # Grouping into stories is the desk's, not an edit of the article to revert.
            "cluster",
            "clustered_by_editor",
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
            # Clustering finds the stories still in the desk's queue by their time (publication
            # time, else intake), within a window of days, whatever the queue's length.
            models.Index(
                Coalesce("published_at", "created_at"),
                condition=Q(status__in=["draft", "in_review"]),
                name="article_waiting_time_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.source_url = normalize_source_url(self.source_url)
        self.canonical_url = canonical_url(self.canonical_url) or canonical_url(self.source_url)
        self.fingerprint = text_fingerprint(self.title, self.body)
        if not self.language:
            self.language = detect_language(f"{self.title}\n{self.standfirst}\n{self.body}") or (
                self.outlet.default_language if self.outlet_id else ""
            )
        if not self._state.adding:
            # Above any version before: one restored from the history must not go back.
            stored = Article.objects.filter(pk=self.pk).values_list("version", flat=True).first()
            self.version = max(self.version, stored or 0) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        if self.slug:
            super().save(*args, **kwargs)
        else:
            # Made from the title: if a concurrent save takes it first, the next one will do.
            save_with_unique_slug(
                self,
                save=partial(super().save, *args, **kwargs),
                text=self.title,
                fallback="story",
                siblings=Article.objects.exclude(pk=self.pk),
            )

    def get_absolute_url(self):
        return reverse("public:story", args=[self.slug])

    def get_admin_url(self):
        return reverse("admin:articles_article_change", args=[self.pk])

    @property
    def public_since(self):
        """Return the publication time when the status is published (embargo or not), else None."""
        return self.published_at if self.status == self.Status.PUBLISHED else None

    def publication_state(self) -> str:
        """Say whether readers see the story, and if not, why: for editors' screens."""
        if self.status != self.Status.PUBLISHED:
            return self.get_status_display()
        if self.published_at > timezone.now():
            return f"Embargoed until {timezone.localtime(self.published_at):%d %b %Y, %H:%M}"
        return "Published"

    @property
    def is_public(self) -> bool:
        """Whether Article.objects.published() shows the story now."""
        return self.public_since is not None and self.public_since <= timezone.now()

    @property
    def is_scheduled(self) -> bool:
        """Whether the story is published with a publication time still to come (embargo)."""
        return self.public_since is not None and self.public_since > timezone.now()

    def goes_live_label(self) -> str:
        """Say when a scheduled story goes live ("Goes live 3 Dec, 08:00"); "" otherwise."""
        return f"Goes live {short_time(self.published_at)}" if self.is_scheduled else ""


def short_time(value) -> str:
    """Return a time as editors read it: "3 Dec, 08:00", with the year when not this one."""
    local = timezone.localtime(value)
    year = "" if local.year == timezone.localtime().year else f" {local.year}"
    return f"{local.day} {local:%b}{year}, {local:%H:%M}"


def text_fingerprint(title: str, body: str) -> str:
    """Return a digest that changes when, and only when, the tagged text changes."""
    text = unicodedata.normalize("NFC", f"{title.strip()}\n\n{body.strip()}")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Mentions the public site shows: those an editor has not rejected.
VISIBLE_STATUSES = ["suggested", "confirmed"]
# Mentions in timelines: visible, in a story that is published (embargoed or not).
IN_TIMELINES = Q(status__in=VISIBLE_STATUSES, article_published_at__isnull=False)


class MentionQuerySet(models.QuerySet):
    def visible(self):
        """Return mentions the public site shows: not rejected by an editor, and of an entity a
        chief editor has accepted (a provisional one, suggested by tagging, stays hidden).

        Provisional entities are few: a subquery of their ids, rather than a join with every
        entity, leaves the timelines index-only.
        """
        provisional = Entity.objects.filter(provisional=True).values("pk")
        return self.filter(status__in=VISIBLE_STATUSES).exclude(entity_id__in=provisional)

    def by_salience_in(self, story_ids):
        """Return the mentions of these stories, story by story, the most salient first."""
        return self.filter(article_id__in=story_ids).order_by("article_id", "-salience", "pk")

    def published(self):
        """Return visible mentions in stories Article.objects.published() lets readers see.

        It reads the copy of the publication time kept on each mention (set only while the
        article is published), so that it can walk the timeline indexes.
        """
        return self.visible().filter(article_published_at__lte=timezone.now())

    def one_per_story(self):
        """Leave out the mentions in articles whose story another article of this list
        stands for (see ArticleQuerySet.one_per_story)."""
        listed = Article.objects.filter(Exists(self.order_by().filter(article_id=OuterRef("pk"))))
        covered = Article.objects.filter(pk=OuterRef("article_id")).filter(covered_within(listed))
        return self.exclude(Exists(covered))


class Mention(models.Model):
    class Origin(models.TextChoices):
        AUTO = "auto", "Tagger"
        EDITOR = "editor", "Editor"

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    count = models.PositiveIntegerField(default=0)
    offsets = models.JSONField(default=list, blank=True, help_text="[start, end] in the body.")
    snippet = models.CharField(max_length=400, blank=True)
    confidence = models.FloatField(default=1.0)
    salience = models.FloatField(
        default=0.0, help_text="0 to 1: how much the story is about this entity."
    )
    is_subject = models.BooleanField(
        default=False, help_text=f"Salience of {SUBJECT_THRESHOLD} or more."
    )
    # A copy of the article's publication time while it is published (None otherwise), so
    # that a timeline is one index range scan instead of a join over every mention.
    article_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.AUTO)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUGGESTED)

    objects = MentionQuerySet.as_manager()

    class Meta:
        ordering = ["-salience"]
        constraints = [
            models.UniqueConstraint(fields=["article", "entity"], name="mention_unique_per_article")
        ]
        # Partial on what a timeline shows, so that a timeline, its count and its chart are
        # index-only scans: every column they read is in the index or its condition.
        indexes = [
            models.Index(
                fields=["entity", "is_subject", "-article_published_at", "-article"],
                condition=IN_TIMELINES,
                name="mention_subject_timeline_idx",
            ),
            models.Index(
                fields=["entity", "-article_published_at", "-article"],
                condition=IN_TIMELINES,
                name="mention_timeline_idx",
            ),
        ]

    def __str__(self):
        return f"{self.entity} in {self.article}"

    def save(self, *args, **kwargs):
        self.is_subject = self.counts_as_subject()
        if self._state.adding:
            # The story copies its publication time to its mentions when it is saved, which
            # may come before this one is (the admin saves a story, then its entity rows).
            self.article_published_at = self.article.public_since
        super().save(*args, **kwargs)

    def counts_as_subject(self) -> bool:
        """A story is about what it names saliently, or what an editor added to it."""
        return self.salience >= SUBJECT_THRESHOLD or self.origin == self.Origin.EDITOR


class CandidateSighting(models.Model):
    """One article in which a candidate name was found."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="sightings")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField()
    examples = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "article"], name="sighting_unique_per_article"
            )
        ]

    def __str__(self):
        return f"{self.candidate} in {self.article_id}"


class RelationshipEvidence(models.Model):
    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="evidence"
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="relationship_evidence"
    )
    sentence = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    in_title = models.BooleanField(default=False)
    cues = models.JSONField(default=list)
    confidence = models.FloatField(default=0.0)

    class Meta:
        verbose_name_plural = "relationship evidence"
        ordering = ["article", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "article", "in_title", "start"],
                name="evidence_unique_sentence",
            )
        ]

    def __str__(self):
        return self.sentence[:80]


class ArticleShingleBand(models.Model):
    """One band of an article's MinHash signature: articles sharing one are near-copies.

    See articles/duplicates.py for why the bands are kept in a table.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="shingle_bands")
    band = models.PositiveSmallIntegerField()
    key = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "band"], name="shingle_band_unique")
        ]
        indexes = [models.Index(fields=["band", "key"], name="shingle_band_lookup_idx")]

    def __str__(self):
        return f"{self.article_id} band {self.band}"
