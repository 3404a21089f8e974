# ruff: noqa: E501 - the expectation table reads best one row per line
"""The desk's permission matrix: every new button of the article page, posted by each role,
on a draft and on a published story (as tests/security/test_permissions.py does for the rest).

Editors confirm, reject and add the entities of stories they may change (their drafts), re-tag
them and submit them; publishing, sending back, archiving and reviewing relationships are the
chief editor's.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import tagging
from articles.models import Article, Mention
from entities.models import Relationship
from tests.admin_forms import article_form
from tests.factories import ArticleFactory

ROLES = ["anonymous", "editor", "chief", "superuser"]
STAFF = {"editor", "chief", "superuser"}
CHIEF = {"chief", "superuser"}


@pytest.fixture
def stories(kb):
    """A tagged draft and a tagged published story, each showing a supply relationship."""
    body = "Meta Platforms will buy H100 chips from Nvidia in a new supply deal."
    draft = ArticleFactory(title="Nvidia supplies Meta", body=body)
    published = ArticleFactory(
        title="Nvidia supplies Meta again",
        body=body,
        published=True,
        source_url="https://news.example/again",
    )
    for story in (draft, published):
        tagging.article_tag(article_id=story.pk)
        story.refresh_from_db()
    return {"draft": draft, "published": published}


def desk(story, part):
    return reverse(f"admin:articles_article_desk_{part}", args=[story.pk])


def nvidia(story):
    return story.mentions.get(entity__slug="nvidia")


def supply():
    return Relationship.objects.get(kind="supplier_customer")


def page_form(story, step):
    return article_form(
        story.outlet, title=story.title, source_url=story.source_url, body=story.body,
        expected_version=story.version, _workflow=step,
    )  # fmt: skip


def status_of(story):
    return Article.objects.get(pk=story.pk).status


# (name, story, url(story), data(story, kb), done(story, kb), roles allowed)
POSTS = [
    ("reject an entity", "draft", lambda s: desk(s, "mentions"), lambda s, kb: {"reject": nvidia(s).pk}, lambda s, kb: nvidia(s).status == "rejected", STAFF),
    ("reject an entity", "published", lambda s: desk(s, "mentions"), lambda s, kb: {"reject": nvidia(s).pk}, lambda s, kb: nvidia(s).status == "rejected", CHIEF),
    ("confirm every suggestion", "published", lambda s: desk(s, "mentions"), lambda s, kb: {"confirm_suggested": "1"}, lambda s, kb: nvidia(s).status == "confirmed", CHIEF),
    ("add an entity", "draft", lambda s: desk(s, "mentions"), lambda s, kb: {"add": "1", "desk-entity": kb["apple"].pk}, lambda s, kb: s.mentions.filter(entity=kb["apple"]).exists(), STAFF),
    ("add an entity", "published", lambda s: desk(s, "mentions"), lambda s, kb: {"add": "1", "desk-entity": kb["apple"].pk}, lambda s, kb: s.mentions.filter(entity=kb["apple"]).exists(), CHIEF),
    ("re-run tagging", "draft", lambda s: desk(s, "tagging"), lambda s, kb: {}, lambda s, kb: Article.objects.get(pk=s.pk).tagging_status == "pending", STAFF),
    ("re-run tagging", "published", lambda s: desk(s, "tagging"), lambda s, kb: {}, lambda s, kb: Article.objects.get(pk=s.pk).tagging_status == "pending", CHIEF),
    ("confirm a relationship", "draft", lambda s: desk(s, "relationships"), lambda s, kb: {"confirm": supply().pk}, lambda s, kb: supply().status == "confirmed", CHIEF),
    ("reject a relationship", "published", lambda s: desk(s, "relationships"), lambda s, kb: {"reject": supply().pk}, lambda s, kb: supply().status == "rejected", CHIEF),
    ("change a relationship's kind", "published", lambda s: desk(s, "relationships"), lambda s, kb: {"save": supply().pk, f"relationship-{supply().pk}-kind": "investment"}, lambda s, kb: Relationship.objects.filter(kind="investment").exists(), CHIEF),
    ("submit from the page", "draft", lambda s: reverse("admin:articles_article_change", args=[s.pk]), lambda s, kb: page_form(s, "submit"), lambda s, kb: status_of(s) == "in_review", STAFF),
    ("publish from the page", "draft", lambda s: reverse("admin:articles_article_change", args=[s.pk]), lambda s, kb: page_form(s, "publish"), lambda s, kb: status_of(s) == "published", CHIEF),
    ("archive from the page", "draft", lambda s: reverse("admin:articles_article_change", args=[s.pk]), lambda s, kb: page_form(s, "archive"), lambda s, kb: status_of(s) == "archived", CHIEF),
    ("send back from the page", "published", lambda s: reverse("admin:articles_article_change", args=[s.pk]), lambda s, kb: page_form(s, "return_to_draft"), lambda s, kb: status_of(s) == "draft", CHIEF),
]  # fmt: skip


def post_cases():
    for name, state, url, data, done, allowed in POSTS:
        for role in ROLES:
            yield pytest.param(
                role, state, url, data, done, role in allowed, id=f"{name}: {state} as {role}"
            )


@pytest.mark.parametrize(("role", "state", "url", "data", "done", "allowed"), list(post_cases()))
def test_desk_post(role_client, stories, kb, role, state, url, data, done, allowed):
    story = stories[state]
    response = role_client(role).post(url(story), data(story, kb))
    assert done(story, kb) == allowed
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    elif not allowed:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", ["draft", "published"])
def test_the_page_offers_each_role_only_what_it_may_do(role_client, stories, role, state):
    story = stories[state]
    response = role_client(role).get(reverse("admin:articles_article_change", args=[story.pk]))
    if role == "anonymous":
        assert response.status_code == 302
        return
    page = response.content.decode()
    may_edit = role in CHIEF or state == "draft"
    assert (f'id="reject-{nvidia(story).pk}"' in page) == may_edit
    assert ('id="desk-add"' in page) == may_edit
    assert ('id="desk-retag"' in page) == may_edit
    assert (f'id="relationship-confirm-{supply().pk}"' in page) == (role in CHIEF)
    assert ('value="publish"' in page) == (role in CHIEF and state == "draft")
    # Everyone on the staff reads the tagged text, the entities and the relationships.
    assert "> (company, suggested, subject)</span>" in page
    assert "Meta Platforms and Nvidia: supplier and customer" in page


@pytest.mark.parametrize("role", ROLES)
def test_the_preview_is_for_staff(role_client, stories, role):
    story = stories["draft"]
    response = role_client(role).get(reverse("admin:articles_article_preview", args=[story.pk]))
    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert story.title in response.content.decode()


def test_a_scheduled_story_shows_when_it_goes_live_on_its_page(role_client, stories):
    story = stories["published"]
    later = timezone.now() + timezone.timedelta(hours=5)
    Article.objects.filter(pk=story.pk).update(published_at=later)
    Mention.objects.filter(article=story).update(article_published_at=later)
    story.refresh_from_db()
    page = role_client("editor").get(reverse("admin:articles_article_change", args=[story.pk]))
    assert story.goes_live_label() in page.content.decode()
