"""A worker SIGKILLed in the middle of tagging: the task is delivered again and done once."""

import random
import time

import psycopg
import pytest
from django.db import connection, transaction

from articles.models import Article, Mention, RelationshipEvidence
from articles.services import article_request_tagging
from tests.entities.kb import make_small_kb
from tests.factories import ArticleFactory
from tests.faults.helpers import story_body, tag_differences, tagging_status
from tests.services import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

VISIBILITY_TIMEOUT = 5


def blocked_backends(blocker_pid: int) -> list[int]:
    """The server processes waiting for a lock that `blocker_pid` holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
            [blocker_pid],
        )
        return [pid for (pid,) in cursor.fetchall()]


def test_a_worker_killed_mid_task_is_replaced_and_the_task_redelivered(faults):
    make_small_kb()
    article = ArticleFactory(title="XR deals", body=story_body(random.Random(1), 40))
    db = connection.settings_dict
    # The worker's first statement on the article (the autocommitted "running" update) goes
    # through; its SELECT ... FOR UPDATE inside the tagging transaction then waits behind this
    # KEY SHARE lock. So the task is deterministically in flight when the worker is killed,
    # with nothing in the application changed.
    blocker = psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
    )
    try:
        with blocker.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM articles_article WHERE id = %s FOR KEY SHARE", [article.pk]
            )
        worker = faults.processes.worker(
            "killed", CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT)
        )
        with transaction.atomic():
            article_request_tagging(article=article)
        assert wait_until(
            lambda: (
                tagging_status(article.pk) == Article.TaggingStatus.RUNNING
                and blocked_backends(blocker.info.backend_pid)
            ),
            timeout=30,
        ), worker.log()[-3000:]
        waiting = blocked_backends(blocker.info.backend_pid)

        worker.kill()
        killed_at = time.monotonic()
        # The killed worker's server process is still waiting for the lock: end it, so that it
        # cannot go on with a half-done transaction once the lock is released.
        with connection.cursor() as cursor:
            for pid in waiting:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        blocker.close()

    broker = faults.redis.client()
    # Unacknowledged (acks_late) and waiting for the visibility timeout: not lost, not queued.
    assert broker.hlen("unacked") == 1
    assert broker.llen("celery") == 0
    assert tagging_status(article.pk) == Article.TaggingStatus.RUNNING
    ((_, delivered_at),) = broker.zrange("unacked_index", 0, -1, withscores=True)
    # A worker puts back the messages older than the visibility timeout when it starts (and
    # then every unacked_restore_interval * throttle seconds): start the new one after it.
    time.sleep(max(0.0, delivered_at + VISIBILITY_TIMEOUT + 0.5 - time.time()))
    replacement = faults.processes.worker(
        "replacement", CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT)
    )
    assert wait_until(
        lambda: tagging_status(article.pk) == Article.TaggingStatus.DONE, timeout=30
    ), replacement.log()[-3000:]
    redelivered_after = time.monotonic() - killed_at
    # The worker logs the task's result just after its transaction commits.
    assert wait_until(replacement.results, timeout=10)
    assert [did_work for _, did_work in replacement.results()] == [True]
    assert worker.results() == []
    assert wait_until(lambda: broker.hlen("unacked") == 0, timeout=10)
    assert tag_differences([article.pk]) == []
    mentions = Mention.objects.filter(article=article).count()
    evidence = RelationshipEvidence.objects.filter(article=article).count()
    assert mentions == len({*Mention.objects.filter(article=article).values_list("entity_id")})
    assert mentions >= 5
    assert evidence >= 1
    print(
        f"\n[faults] worker SIGKILLed mid-task (blocked in its transaction): redelivered and "
        f"tagged {redelivered_after:.1f}s after the kill (visibility timeout "
        f"{VISIBILITY_TIMEOUT}s); 1 run did the work; {mentions} mentions and {evidence} "
        f"evidence rows, identical to a clean tagging"
    )
