"""Tagging through a real Celery worker, Redis broker and PostgreSQL."""

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError

from articles.models import Article
from articles.services import article_save
from articles.tasks import sweep_stale_tagging, tag_article
from tests.entities.kb import make_small_kb
from tests.factories import ArticleFactory, OutletFactory
from tests.services import real_worker, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

BODY = "Meta Platforms and LG Electronics signed a partnership on XR headsets."


def broker_down(*args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def tagging_status(article):
    return Article.objects.values_list("tagging_status", flat=True).get(pk=article.pk)


def test_worker_tags_an_article_saved_in_a_transaction():
    make_small_kb()
    with real_worker():
        with transaction.atomic():
            article = article_save(
                article=ArticleFactory.build(title="XR deal", body=BODY, outlet=OutletFactory()),
                by=None,
            )
        assert wait_until(lambda: tagging_status(article) == Article.TaggingStatus.DONE)
    assert set(article.mentions.values_list("entity__slug", flat=True)) == {
        "meta-platforms",
        "lg-electronics",
    }
    assert article.relationship_evidence.count() == 1


def test_article_saved_while_the_broker_is_down_is_tagged_by_the_sweep(settings, monkeypatch):
    make_small_kb()
    settings.NEWSDESK_TAGGING_STALE_SECONDS = 0
    with real_worker():
        with monkeypatch.context() as outage:
            outage.setattr(tag_article, "apply_async", broker_down)
            with transaction.atomic():
                article = article_save(
                    article=ArticleFactory.build(title="XR", body=BODY, outlet=OutletFactory()),
                    by=None,
                )
        assert tagging_status(article) == Article.TaggingStatus.PENDING
        sweep_stale_tagging.delay()
        assert wait_until(lambda: tagging_status(article) == Article.TaggingStatus.DONE)
    assert article.mentions.count() == 2
