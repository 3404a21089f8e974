"""The policy that lets a suggested entity reach readers without a chief editor: once
NEWSDESK_ACCEPT_SUGGESTED_AFTER_OUTLETS outlets' public stories name it."""

import pytest
from django.utils import timezone

from articles import tasks
from articles.models import Article, Mention
from articles.services import article_save, article_transition
from entities.models import Entity
from tests.factories import ArticleFactory, OutletFactory

pytestmark = pytest.mark.django_db

FIRST_STORY = "The start-up Vellum Labs raised money to build chips for Nvidia."
LATER_STORY = "Vellum Labs hired engineers from Nvidia this month."
PAGE = "/companies/vellum-labs/"


@pytest.fixture
def report(kb, django_capture_on_commit_callbacks):
    """Save and tag an outlet's story, public unless told otherwise."""

    def make(outlet, body, status=Article.Status.PUBLISHED, published_at=None):
        article = ArticleFactory.build(
            title=f"{outlet} on Vellum Labs",
            body=body,
            outlet=OutletFactory(name=outlet),
            status=status,
            published_at=published_at or timezone.now() - timezone.timedelta(hours=1),
        )
        with django_capture_on_commit_callbacks(execute=True):
            article_save(article=article, by=None)
        return article

    return make


@pytest.fixture
def after_two_outlets(settings):
    settings.NEWSDESK_ACCEPT_SUGGESTED_AFTER_OUTLETS = 2


def vellum_is_provisional() -> bool:
    return Entity.objects.get(name="Vellum Labs").provisional


def test_by_default_only_a_chief_editor_accepts_a_suggested_entity(report, client):
    for outlet in ("Wire One", "Wire Two", "Wire Three"):
        report(outlet, FIRST_STORY)
    assert vellum_is_provisional()
    assert client.get(PAGE).status_code == 404


def test_a_second_outlets_public_story_accepts_it(after_two_outlets, report, client):
    report("Wire One", FIRST_STORY)
    # Another story of the same outlet is still one outlet.
    report("Wire One", LATER_STORY)
    assert vellum_is_provisional()
    assert client.get(PAGE).status_code == 404

    report("Wire Two", LATER_STORY)
    assert not vellum_is_provisional()
    assert client.get(PAGE).status_code == 200


def test_a_draft_counts_once_it_is_published(after_two_outlets, report, chief_editor, client):
    report("Wire One", FIRST_STORY)
    draft = report("Wire Two", LATER_STORY, status=Article.Status.DRAFT)
    # A check made by another public story does not count the draft either.
    report("Wire One", LATER_STORY)
    assert vellum_is_provisional()

    article_transition(article=draft, step="publish", by=chief_editor)
    assert not vellum_is_provisional()
    assert client.get(PAGE).status_code == 200


def test_an_embargoed_story_counts_once_its_embargo_lifts(after_two_outlets, report, client):
    report("Wire One", FIRST_STORY)
    embargoed = report(
        "Wire Two", LATER_STORY, published_at=timezone.now() + timezone.timedelta(hours=1)
    )
    assert vellum_is_provisional()
    tasks.sweep_stale_tagging()
    assert vellum_is_provisional()

    # The hour passes.
    lifted = timezone.now() - timezone.timedelta(minutes=1)
    Article.objects.filter(pk=embargoed.pk).update(published_at=lifted)
    Mention.objects.filter(article=embargoed).update(article_published_at=lifted)
    tasks.sweep_stale_tagging()
    assert not vellum_is_provisional()
    assert client.get(PAGE).status_code == 200


def test_a_rejected_mention_does_not_count(after_two_outlets, report, chief_editor, client):
    report("Wire One", FIRST_STORY)
    draft = report("Wire Two", LATER_STORY, status=Article.Status.DRAFT)
    draft.mentions.filter(entity__name="Vellum Labs").update(status=Mention.Status.REJECTED)

    article_transition(article=draft, step="publish", by=chief_editor)
    assert vellum_is_provisional()
    assert client.get(PAGE).status_code == 404
