from django.db import models
from django.utils import timezone

from articles.models import Outlet


class FeedQuerySet(models.QuerySet):
    def due(self, now=None):
        """Return the active feeds whose next poll time has come."""
        return self.filter(active=True, next_poll_at__lte=now or timezone.now())

    def failing(self):
        return self.filter(consecutive_failures__gt=0)


class Feed(models.Model):
    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="feeds")
    url = models.URLField("feed URL", max_length=1000, unique=True)
    interval_minutes = models.PositiveIntegerField(
        default=15, help_text="Minutes between two polls while the feed answers."
    )
    active = models.BooleanField(default=True, help_text="Untick to stop polling this feed.")
    next_poll_at = models.DateTimeField(default=timezone.now)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    # What the server said last time, sent back so that an unchanged feed answers 304.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(
        default=0, help_text="Polls failed in a row; each one doubles the wait, up to a day."
    )
    last_error = models.TextField(blank=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["outlet__name", "url"]
        indexes = [models.Index(fields=["active", "next_poll_at"], name="feed_due_idx")]

    def __str__(self):
        return self.url


class FeedPoll(models.Model):
    """One reading of a feed: what it answered and what came of it."""

    # Older polls are deleted: enough to see a feed's recent health.
    KEPT_PER_FEED = 50

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="polls")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    items_new = models.PositiveIntegerField(default=0)
    items_known = models.PositiveIntegerField(default=0)
    items_refused = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why the feed could not be read.")
    refusals = models.JSONField(
        default=list, blank=True, help_text="Items skipped, each with its link and the reason."
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["feed", "-started_at"], name="feedpoll_latest_idx")]

    def __str__(self):
        return f"{self.feed} at {self.started_at:%Y-%m-%d %H:%M}"
