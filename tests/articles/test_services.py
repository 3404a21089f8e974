import pytest
from django.core.exceptions import PermissionDenied

from articles import services
from articles.models import Article
from articles.tasks import tag_article
from tests.factories import ArticleFactory


@pytest.fixture
def tagging_requests(monkeypatch):
    """The ids of the articles whose tagging task is sent."""
    sent = []
    monkeypatch.setattr(tag_article, "delay", sent.append)
    return sent


def test_new_article_asks_for_tagging_after_commit(
    db, django_capture_on_commit_callbacks, tagging_requests
):
    article = ArticleFactory.build(outlet=ArticleFactory().outlet, source_url="https://a.example/1")
    with django_capture_on_commit_callbacks() as callbacks:
        services.article_save(article=article, by=None)
        article.refresh_from_db()
        assert article.tagging_status == Article.TaggingStatus.PENDING
        assert tagging_requests == []
    for callback in callbacks:
        callback()
    assert tagging_requests == [article.pk]


def test_only_title_or_body_changes_ask_for_tagging(
    db, django_capture_on_commit_callbacks, tagging_requests
):
    article = ArticleFactory()
    article.byline = "New byline"
    article.standfirst = "New standfirst"
    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(article=article, by=None)
    assert tagging_requests == []
    article.title = "A new title"
    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(article=article, by=None)
    assert tagging_requests == [article.pk]


def test_tagging_request_is_not_sent_when_the_transaction_rolls_back(
    db, django_capture_on_commit_callbacks, tagging_requests
):
    article = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.article_request_tagging(article=article)
    assert len(callbacks) == 1
    assert tagging_requests == []


def test_chief_editor_walks_an_article_through_the_workflow(db, chief_editor):
    article = ArticleFactory()
    for step, status in [
        ("submit", Article.Status.IN_REVIEW),
        ("publish", Article.Status.PUBLISHED),
        ("archive", Article.Status.ARCHIVED),
        ("return_to_draft", Article.Status.DRAFT),
    ]:
        services.article_transition(article=article, step=step, by=chief_editor)
        article.refresh_from_db()
        assert article.status == status
    assert article.published_at is not None


def test_publishing_keeps_a_scheduled_time(db, chief_editor):
    from django.utils import timezone

    later = timezone.now() + timezone.timedelta(days=1)
    article = ArticleFactory(published_at=later)
    services.article_transition(article=article, step="publish", by=chief_editor)
    article.refresh_from_db()
    assert article.published_at == later
    assert not Article.objects.published().exists()


def test_editor_cannot_publish_through_the_service(db, editor):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        services.article_transition(article=article, step="publish", by=editor)
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW


def test_impossible_step_is_refused_with_a_message(db, editor):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    with pytest.raises(services.WorkflowError, match="in review"):
        services.article_transition(article=article, step="submit", by=editor)
