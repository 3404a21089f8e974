"""Feeds polled through a real Celery worker, Redis broker and PostgreSQL, as beat sends them."""

import pytest
from django.conf import settings
from django.utils import timezone

from articles.models import Article
from intake.models import Feed, FeedPoll
from tests.entities.kb import make_small_kb
from tests.factories import OutletFactory
from tests.intake.pages import english_feed_items, rss, serve, serve_site
from tests.services import real_worker, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

BEAT_ENTRY = settings.CELERY_BEAT_SCHEDULE["poll-due-feeds"]


def polls_finished(feed, count):
    return FeedPoll.objects.filter(feed=feed, finished_at__isnull=False).count() == count


def all_tagged():
    return not Article.objects.exclude(tagging_status=Article.TaggingStatus.DONE).exists()


def test_beat_schedule_looks_for_due_feeds_every_minute():
    from newsdesk.celery import app

    assert BEAT_ENTRY["schedule"] == 60
    assert BEAT_ENTRY["task"] in app.tasks


def test_a_poll_creates_the_articles_once_and_a_second_creates_nothing(settings, httpserver):
    settings.INTAKE_ALLOW_LOOPBACK = True
    make_small_kb()
    serve_site(httpserver)
    serve(
        httpserver,
        "/feed.xml",
        rss(english_feed_items(httpserver)),
        content_type="application/rss+xml",
    )
    feed = Feed.objects.create(outlet=OutletFactory(), url=httpserver.url_for("/feed.xml"))

    with real_worker() as app:
        # What beat sends every minute.
        app.send_task(BEAT_ENTRY["task"])
        assert wait_until(lambda: polls_finished(feed, 1))
        assert wait_until(all_tagged)
        assert Article.objects.count() == 2

        Feed.objects.filter(pk=feed.pk).update(next_poll_at=timezone.now())
        app.send_task(BEAT_ENTRY["task"])
        assert wait_until(lambda: polls_finished(feed, 2))

    first, second = FeedPoll.objects.filter(feed=feed).order_by("started_at")
    assert (first.items_new, first.items_refused) == (2, 1)
    assert (second.items_new, second.items_known) == (0, 2)
    assert Article.objects.count() == 2
