"""Feeds polled by real Celery beat and a real worker, through Redis, on PostgreSQL."""

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from articles.models import Article
from intake.models import Feed, FeedPoll
from tests.entities.kb import make_small_kb
from tests.factories import OutletFactory
from tests.intake.pages import serve_english_feed, serve_site
from tests.services import real_worker, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

BEAT_ENTRY = settings.CELERY_BEAT_SCHEDULE["poll-due-feeds"]
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def polls_finished_at_least(feed, count):
    return FeedPoll.objects.filter(feed=feed, finished_at__isnull=False).count() >= count


def all_tagged():
    return not Article.objects.exclude(tagging_status=Article.TaggingStatus.DONE).exists()


def test_beat_schedule_looks_for_due_feeds_every_minute():
    from newsdesk.celery import app

    assert BEAT_ENTRY["schedule"] == 60
    assert BEAT_ENTRY["task"] in app.tasks


@contextlib.contextmanager
def real_beat(tmp_path):
    """Run `celery -A newsdesk beat` against the real broker, looking for due feeds every second.

    The schedule file is the test's own; beat is stopped on the way out.
    """
    log = (tmp_path / "beat.log").open("w")
    beat = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "newsdesk",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(tmp_path / "beat-schedule"),
        ],
        cwd=PROJECT_ROOT,
        # The project's settings, as `make beat` runs it (the tests' would run tasks in
        # beat itself); beat reads no database, only the broker.
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsdesk.settings",
            "INTAKE_POLL_SECONDS": "1",
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield beat
    finally:
        beat.terminate()
        try:
            beat.wait(timeout=10)
        except subprocess.TimeoutExpired:
            beat.kill()
            beat.wait()
        log.close()


def test_beat_polls_a_feed_creating_its_articles_once_and_nothing_after(
    tmp_path, settings, httpserver
):
    settings.INTAKE_ALLOW_LOOPBACK = True
    make_small_kb()
    serve_site(httpserver)
    serve_english_feed(httpserver)
    # No wait between polls: due again at every one of beat's looks.
    feed = Feed.objects.create(
        outlet=OutletFactory(), url=httpserver.url_for("/feed.xml"), interval_minutes=0
    )

    with real_worker(), real_beat(tmp_path) as beat:
        polled = wait_until(lambda: polls_finished_at_least(feed, 3), timeout=60)
        assert polled, (tmp_path / "beat.log").read_text()
        assert beat.poll() is None, "beat stopped early"
        assert wait_until(all_tagged)

    first, *later = FeedPoll.objects.filter(feed=feed, finished_at__isnull=False).order_by(
        "started_at"
    )
    assert (first.items_new, first.items_refused) == (2, 1)
    assert [(poll.items_new, poll.items_known) for poll in later] == [(0, 2)] * len(later)
    assert Article.objects.count() == 2
