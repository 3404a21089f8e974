"""A burst of 2,000 articles, tagged by two workers: none lost, none tagged twice."""

import random
import time

import pytest
from django.db import transaction
from django.utils.text import slugify

from articles.models import Article, text_fingerprint
from articles.services import article_request_tagging
from tests.entities.kb import make_small_kb
from tests.factories import OutletFactory
from tests.faults.helpers import count_done, statuses, story_body, tag_differences
from tests.services import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ARTICLES = 2000


def new_articles(count: int) -> list[Article]:
    outlet = OutletFactory()
    rng = random.Random(4)
    articles = []
    for number in range(count):
        title = f"Burst story {number}: {rng.choice(['chips', 'headsets', 'phones'])}"
        body = story_body(rng, rng.randint(2, 6))
        articles.append(
            Article(
                title=title,
                slug=slugify(title),
                body=body,
                source_url=f"https://news.example/burst-{number}",
                outlet=outlet,
                language="en",
                # What Article.save() would compute, which bulk_create does not call.
                fingerprint=text_fingerprint(title, body),
            )
        )
    return Article.objects.bulk_create(articles, batch_size=500)


def test_a_burst_of_articles_is_tagged_once_each_by_two_workers(faults):
    make_small_kb()
    articles = new_articles(ARTICLES)
    ids = [article.pk for article in articles]
    workers = [faults.processes.worker(f"burst{number}", wait_ready=False) for number in (1, 2)]
    for worker in workers:
        worker.wait_ready()

    started = time.monotonic()
    # Each article asks for tagging the normal way: the task is sent when the commit is done.
    with transaction.atomic():
        for article in articles:
            article_request_tagging(article=article)
    enqueued = time.monotonic() - started
    assert wait_until(lambda: count_done(ids) == ARTICLES, timeout=240, interval=0.5), (
        statuses(ids),
        [worker.log()[-2000:] for worker in workers],
    )
    elapsed = time.monotonic() - started

    assert Article.objects.filter(pk__in=ids).count() == ARTICLES
    assert statuses(ids) == {Article.TaggingStatus.DONE: ARTICLES}
    assert wait_until(
        lambda: sum(len(worker.results()) for worker in workers) >= ARTICLES, timeout=10
    )
    results = [result for worker in workers for result in worker.results()]
    did_work = [task_id for task_id, worked in results if worked]
    # One run per article did the work; a second run would have found the text tagged.
    assert len(did_work) == ARTICLES
    assert len(set(did_work)) == ARTICLES
    assert len(results) == ARTICLES
    assert all(worker.results() for worker in workers), "one worker did nothing"
    assert tag_differences(ids) == []
    per_worker = "/".join(str(len(worker.results())) for worker in workers)
    print(
        f"\n[faults] burst: {ARTICLES} articles enqueued in {enqueued:.1f}s, all tagged in "
        f"{elapsed:.1f}s by two workers ({per_worker} tasks) = {ARTICLES / elapsed:.0f} "
        f"articles/s; {len(did_work)} runs did work, none twice, none lost"
    )
