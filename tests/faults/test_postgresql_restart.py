"""PostgreSQL restarts while a worker is tagging: every task retries and succeeds."""

import random
import time

import pytest
from django.db import connection, transaction

from articles.models import Article
from articles.services import article_request_tagging
from tests.entities.kb import make_small_kb
from tests.factories import ArticleFactory, OutletFactory
from tests.faults.helpers import count_done, statuses, story_body, tag_differences
from tests.services import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ARTICLES = 50


def test_every_article_is_tagged_across_a_postgresql_restart(faults):
    make_small_kb()
    outlet = OutletFactory()
    rng = random.Random(3)
    articles = [ArticleFactory(outlet=outlet, body=story_body(rng, 20)) for _ in range(ARTICLES)]
    ids = [article.pk for article in articles]
    worker = faults.processes.worker("worker")

    started = time.monotonic()
    with transaction.atomic():
        for article in articles:
            article_request_tagging(article=article)
    # Restart once the worker is well into the queue, so that tasks are in flight.
    assert wait_until(lambda: (count_done(ids) or 0) >= 5, timeout=60), worker.log()[-3000:]
    done_before = count_done(ids)
    restart_started = time.monotonic()
    faults.postgresql.restart()
    restart_seconds = time.monotonic() - restart_started
    # This process's own connection died with the server: open a new one.
    connection.close()

    assert wait_until(lambda: count_done(ids) == ARTICLES, timeout=120, interval=0.5), (
        statuses(ids),
        worker.log()[-5000:],
    )
    elapsed = time.monotonic() - started
    connection.close()
    assert statuses(ids) == {Article.TaggingStatus.DONE: ARTICLES}
    assert done_before < ARTICLES, "the restart came after the work: nothing was tested"
    assert wait_until(lambda: len(worker.results()) >= ARTICLES, timeout=10)
    retries = worker.retries()
    results = worker.results()
    assert retries >= 1, worker.log()[-5000:]
    assert sum(did_work for _, did_work in results) == ARTICLES
    assert tag_differences(ids) == []
    print(
        f"\n[faults] PostgreSQL restarted ({restart_seconds:.1f}s) with {done_before}/{ARTICLES} "
        f"articles tagged: {retries} task retries, all {ARTICLES} done {elapsed:.1f}s after "
        f"enqueuing, each tagged once and as a clean tagging would"
    )
