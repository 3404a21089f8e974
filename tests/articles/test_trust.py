"""Nothing reaches readers before its story, a revert is a new version, and errors that
cannot pass on retry are not retried."""

import pytest
from django.db import DataError
from django.urls import reverse
from django.utils import timezone

from articles import tagging
from articles.cache import new_site_generation
from articles.models import Article, RelationshipEvidence
from articles.services import article_transition, relationships_set_status
from articles.tasks import discover_candidates, sweep_stale_tagging
from entities.models import Relationship
from tests.admin_forms import article_form
from tests.factories import ArticleFactory, UserFactory

ACQUISITION = "Nvidia agreed to acquire LG Electronics in a deal announced on Monday."


@pytest.fixture
def embargoed(publish):
    """A story published two days ahead that shows an acquisition, confirmed by an editor."""
    story = publish(
        "Nvidia to buy LG Electronics",
        ACQUISITION,
        published_at=timezone.now() + timezone.timedelta(days=2),
    )
    relationship = Relationship.objects.get(kind=Relationship.Kind.ACQUISITION)
    relationships_set_status(
        relationships=Relationship.objects.filter(pk=relationship.pk),
        status=Relationship.Status.CONFIRMED,
    )
    return story, relationship


PAIR = "/partnerships/lg-electronics/nvidia/"
WHERE_A_RELATIONSHIP_SHOWS = [
    "/partnerships/",
    "/partnerships/?kind=acquisition",
    PAIR,
    "/companies/nvidia/",
    "/companies/lg-electronics/",
    "/sitemap-pairs.xml",
]


def test_a_confirmed_relationship_stays_hidden_until_its_story_is_public(
    client, embargoed, monkeypatch
):
    story, relationship = embargoed
    for url in WHERE_A_RELATIONSHIP_SHOWS:
        page = client.get(url).content.decode()
        assert url == PAIR or "lg-electronics/nvidia" not in page, url
        assert ACQUISITION not in page, url
    new_site_generation()
    assert not client.get(PAIR).context["relationships"]

    later = story.published_at + timezone.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    sweep_stale_tagging()
    relationship.refresh_from_db()
    assert relationship.last_seen == story.published_at
    assert Relationship.objects.public().filter(pk=relationship.pk).exists()


def test_evidence_from_a_draft_shows_nothing(client, kb):
    draft = ArticleFactory(title="Nvidia to buy LG Electronics", body=ACQUISITION)
    tagging.article_tag(article_id=draft.pk)
    relationship = Relationship.objects.get(kind=Relationship.Kind.ACQUISITION)
    relationships_set_status(
        relationships=Relationship.objects.filter(pk=relationship.pk),
        status=Relationship.Status.CONFIRMED,
    )
    assert not Relationship.objects.public().exists()
    assert not client.get(PAIR).context["relationships"]


def test_the_review_page_says_which_evidence_is_embargoed(chief_client, embargoed):
    story, relationship = embargoed
    page = chief_client.get(reverse("admin:entities_relationship_change", args=[relationship.pk]))
    local = timezone.localtime(story.published_at)
    assert f"Embargoed until {local:%d %b %Y, %H:%M}" in page.content.decode()
    article_transition(article=story, step="return_to_draft", by=UserFactory(is_superuser=True))
    page = chief_client.get(reverse("admin:entities_relationship_change", args=[relationship.pk]))
    assert "(Draft)" in page.content.decode()
    assert RelationshipEvidence.objects.filter(article=story).exists()


def revert(client, article, version):
    url = reverse("admin:articles_article_simple_history", args=[article.pk, version.history_id])
    return client.post(
        url,
        article_form(
            article.outlet,
            title=version.title,
            source_url=article.source_url,
            body=article.body,
            expected_version=Article.objects.get(pk=article.pk).version,
        ),
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["Chief editor", "Editor"])
def test_a_revert_is_a_new_version_above_every_one_before(client, role):
    """Outside a test's transaction, as in production: the form locks the row it checks."""
    user = UserFactory(username=f"reverter-{role}", groups=[role])
    client.force_login(user)
    article = ArticleFactory(title="First title", created_by=user)
    for title in ["Second title", "Third title", "Fourth title"]:
        article.title = title
        article.save()
    highest = Article.objects.get(pk=article.pk).version
    opened_before = highest
    first = article.history.earliest("history_date")
    response = revert(client, article, first)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.title == "First title"
    assert article.version > highest
    stale = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form(
            article.outlet,
            title="Lost update",
            source_url=article.source_url,
            body=article.body,
            expected_version=opened_before,
        ),
    )
    assert stale.status_code == 200
    assert "after you opened it" in stale.content.decode()
    assert Article.objects.get(pk=article.pk).title == "First title"


def test_an_error_that_cannot_pass_is_not_retried(db, monkeypatch):
    article = ArticleFactory()

    calls = []

    def too_long(**kwargs):
        calls.append(kwargs)
        raise DataError("value too long for type character varying(200)")

    monkeypatch.setattr(tagging, "article_discover", too_long)
    result = discover_candidates.apply(args=[article.pk])
    assert result.state == "FAILURE"
    assert isinstance(result.result, DataError)
    assert len(calls) == 1
