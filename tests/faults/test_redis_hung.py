"""Redis hangs (SIGSTOP: connections accepted, nothing answered) as both cache and broker.

An editor's save still answers within seconds, the article waiting in pending; public pages
are drawn without the cache; once Redis answers again the sweep sends what the hang held
back and every article is tagged.
"""

import time

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from articles.models import Article
from articles.services import article_request_tagging
from articles.tasks import sweep_stale_tagging
from tests.admin_forms import article_form
from tests.entities.kb import make_small_kb
from tests.factories import ArticleFactory, OutletFactory
from tests.faults.helpers import statuses, tag_differences, tagging_status
from tests.services import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ADD = reverse("admin:articles_article_add")
SAVES = 3
# Each call to the hung Redis gives up after a second (REDIS_TIMEOUTS): a save makes one to
# expire the pages and one to send the task, a page one to read the cache.
SAVE_LIMIT = 3.0
PAGE_LIMIT = 3.0
BODY = (
    "Meta Platforms and LG Electronics signed a partnership on XR headsets.\n\n"
    "Mark Zuckerberg said the devices would use chips from Nvidia."
)


def test_a_hung_redis_costs_a_save_or_a_page_seconds_and_loses_no_tagging(faults, chief_client):
    make_small_kb()
    outlet = OutletFactory()
    worker = faults.processes.worker("worker")
    story = ArticleFactory(
        outlet=outlet, published=True, title="Meta and LG sign an XR deal", body=BODY
    )
    with transaction.atomic():
        article_request_tagging(article=story)
    tagged = wait_until(lambda: tagging_status(story.pk) == Article.TaggingStatus.DONE)
    assert tagged, worker.log()[-3000:]
    reader = Client()
    pages = [
        reverse("public:home"),
        story.get_absolute_url(),
        reverse("public:company", args=["meta-platforms"]),
        reverse("public:latest-rss"),
    ]
    for page in pages:
        assert reader.get(page).status_code == 200, page

    save_seconds = []
    page_seconds = {}
    faults.redis.pause()
    try:
        for number in range(SAVES):
            started = time.monotonic()
            response = chief_client.post(
                ADD,
                article_form(
                    outlet,
                    title=f"Meta and LG widen their headset deal, part {number}",
                    body=BODY,
                    source_url=f"https://news.example/hung-{number}",
                ),
            )
            save_seconds.append(time.monotonic() - started)
            assert response.status_code == 302, response.content.decode()[:2000]
        saved = list(
            Article.objects.filter(source_url__startswith="https://news.example/hung-")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        hung_statuses = statuses(saved)
        for page in pages:
            started = time.monotonic()
            response = reader.get(page)
            page_seconds[page] = time.monotonic() - started
            assert response.status_code == 200, page
    finally:
        faults.redis.resume()
    assert len(saved) == SAVES
    assert hung_statuses == {Article.TaggingStatus.PENDING: SAVES}
    assert max(save_seconds) < SAVE_LIMIT, save_seconds
    assert max(page_seconds.values()) < PAGE_LIMIT, page_seconds

    # What the hang held back is sent again by the sweep (beat would run it every
    # TAGGING_SWEEP_INTERVAL seconds); the worker, still connected, tags it.
    resumed = time.monotonic()
    with override_settings(NEWSDESK_TAGGING_STALE_SECONDS=0):
        resent = sweep_stale_tagging()
    assert wait_until(lambda: statuses(saved) == {Article.TaggingStatus.DONE: SAVES}, timeout=60), (
        statuses(saved),
        worker.log()[-3000:],
    )
    tagged_after = time.monotonic() - resumed
    assert worker.popen.poll() is None, "the worker died in the hang"
    assert tag_differences([story.pk, *saved]) == []
    saves = ", ".join(f"{seconds:.2f}" for seconds in save_seconds)
    page_times = ", ".join(f"{page} {seconds:.2f}" for page, seconds in page_seconds.items())
    print(
        f"\n[faults] Redis hung (SIGSTOP) as cache and broker: {SAVES} editors' saves took "
        f"{saves}s (302, pending); pages took {page_times}s (200); with Redis resumed the "
        f"sweep re-sent {resent}, all {SAVES} tagged {tagged_after:.1f}s later, 0 lost"
    )
