"""Redis is killed while an editor saves: the save succeeds at once, the sweep tags it later."""

import time

import pytest
from django.urls import reverse

from articles.models import Article, Mention
from tests.admin_forms import article_form
from tests.entities.kb import make_small_kb
from tests.factories import OutletFactory
from tests.faults.helpers import tag_differences, tagging_status
from tests.services import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ADD = reverse("admin:articles_article_add")
BODY = (
    "Meta Platforms and LG Electronics signed a partnership on XR headsets.\n\n"
    "Mark Zuckerberg said the devices would use chips from Nvidia."
)


def test_an_article_saved_while_redis_is_down_is_tagged_once_it_is_back(faults, editor_client):
    make_small_kb()
    outlet = OutletFactory()

    faults.redis.kill()
    try:
        started = time.monotonic()
        response = editor_client.post(
            ADD,
            article_form(
                outlet,
                title="Meta and LG team up on headsets",
                body=BODY,
                source_url="https://news.example/meta-lg-xr",
            ),
        )
        save_seconds = time.monotonic() - started
    finally:
        faults.redis.start()
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(source_url="https://news.example/meta-lg-xr")
    assert tagging_status(article.pk) == Article.TaggingStatus.PENDING
    assert save_seconds < 5

    # Nobody touches the article again: beat runs the sweep, which sends it to the worker.
    back = time.monotonic()
    worker = faults.processes.worker("worker", NEWSDESK_TAGGING_STALE_SECONDS="1")
    faults.processes.beat(TAGGING_SWEEP_INTERVAL="2")
    assert wait_until(
        lambda: tagging_status(article.pk) == Article.TaggingStatus.DONE, timeout=60
    ), worker.log()[-3000:]
    tagged_after = time.monotonic() - back

    assert tag_differences([article.pk]) == []
    assert set(Mention.objects.filter(article=article).values_list("entity__slug", flat=True)) >= {
        "meta-platforms",
        "lg-electronics",
        "mark-zuckerberg",
    }
    print(
        f"\n[faults] Redis killed: the editor's save took {save_seconds:.2f}s (302, article "
        f"pending); with Redis back, worker and beat started, tagged {tagged_after:.1f}s later "
        f"by the sweep"
    )
