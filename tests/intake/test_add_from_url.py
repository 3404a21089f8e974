"""Add from URL: an editor pastes a story's address and gets a prefilled article form."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles.duplicates import article_index_text
from articles.models import Article
from tests.factories import ArticleFactory, OutletFactory, UserFactory
from tests.intake.pages import (
    ADVERT,
    COMMENT,
    STORY_EN_TEXT,
    STORY_FR_TEXT,
    serve,
    serve_site,
    story_page,
)

pytestmark = pytest.mark.django_db

ADD_FROM_URL = reverse("admin:intake_add_from_url")


@pytest.fixture(autouse=True)
def local_site(settings, httpserver):
    settings.INTAKE_ALLOW_LOOPBACK = True
    settings.INTAKE_READ_TIMEOUT = 1
    serve_site(httpserver)


@pytest.fixture
def english_page(httpserver):
    serve(
        httpserver,
        "/2026/03/harbourline-leeds",
        story_page(
            title="Harbourline Semiconductors to open a design centre in Leeds",
            paragraphs=STORY_EN_TEXT,
            author="Ada Reporter",
            canonical=httpserver.url_for("/2026/03/harbourline-leeds"),
        ),
    )
    return httpserver.url_for("/2026/03/harbourline-leeds")


def test_editor_gets_the_form_to_paste_a_url(editor_client):
    response = editor_client.get(ADD_FROM_URL)
    assert response.status_code == 200
    assert b'name="url"' in response.content


def test_pasted_url_opens_the_article_form_filled_with_the_story_alone(editor_client, english_page):
    response = editor_client.post(ADD_FROM_URL, {"url": english_page})

    assert response.status_code == 200
    initial = response.context["adminform"].form.initial
    assert initial["title"] == "Harbourline Semiconductors to open a design centre in Leeds"
    assert initial["body"] == "\n\n".join(STORY_EN_TEXT)
    assert initial["source_url"] == english_page
    assert initial["byline"] == "Ada Reporter"
    assert initial["language"] == "en"
    assert initial["published_at"].isoformat() == "2026-03-03T09:30:00+00:00"
    content = response.content.decode()
    assert ADVERT not in content
    assert COMMENT not in content
    # The editor's save comes back here, to the desk's add view; nothing is saved yet.
    assert f'action="{ADD_FROM_URL}?step=article"' in content
    assert not Article.objects.exists()


def test_french_page_is_prefilled_in_french(editor_client, httpserver):
    serve(
        httpserver,
        "/fr/bleu-cobalt",
        story_page(
            title="Bleu Cobalt ouvre un centre de recherche à Grenoble",
            paragraphs=STORY_FR_TEXT,
            lang="fr",
        ),
    )
    response = editor_client.post(ADD_FROM_URL, {"url": httpserver.url_for("/fr/bleu-cobalt")})
    initial = response.context["adminform"].form.initial
    assert initial["language"] == "fr"
    assert initial["body"].startswith("La société Bleu Cobalt")


def test_prefilled_form_saved_by_the_editor_creates_the_draft(editor_client, english_page):
    outlet = OutletFactory(name="The Test Wire")
    initial = (
        editor_client.post(ADD_FROM_URL, {"url": english_page}).context["adminform"].form.initial
    )
    response = editor_client.post(
        f"{ADD_FROM_URL}?step=article",
        {
            "title": initial["title"],
            "slug": "",
            "standfirst": "",
            "body": initial["body"],
            "source_url": initial["source_url"],
            "outlet": outlet.pk,
            "byline": initial["byline"],
            "language": initial["language"],
            "published_at_0": "2026-03-03",
            "published_at_1": "09:30:00",
            "mentions-TOTAL_FORMS": "0",
            "mentions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.origin == Article.Origin.URL
    assert article.created_by.username == "editor"
    assert article.body == "\n\n".join(STORY_EN_TEXT)
    assert article.tagging_requested_at is not None


def test_filled_form_with_a_mistake_is_shown_again_with_the_message(editor_client):
    response = editor_client.post(
        f"{ADD_FROM_URL}?step=article",
        {
            "title": "",
            "body": "Some text.",
            "source_url": "https://wire.example/story",
            "outlet": OutletFactory().pk,
            "mentions-TOTAL_FORMS": "0",
            "mentions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title"]
    assert f'action="{ADD_FROM_URL}?step=article"' in response.content.decode()
    assert not Article.objects.exists()


def test_url_of_a_story_already_here_links_to_it(editor_client, english_page):
    existing = ArticleFactory(source_url=english_page, title="Harbourline goes to Leeds")
    response = editor_client.post(ADD_FROM_URL, {"url": f"{english_page}?utm_source=social#top"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Newsdesk already has this story" in content
    assert f'href="{existing.get_admin_url()}"' in content


def test_near_copy_of_a_story_already_here_links_to_it(editor_client, english_page):
    existing = ArticleFactory(
        source_url="https://elsewhere.example/harbourline",
        title="Harbourline Semiconductors to open a design centre in Leeds",
        body="\n\n".join(STORY_EN_TEXT),
    )
    article_index_text(article_id=existing.pk)
    response = editor_client.post(ADD_FROM_URL, {"url": english_page})
    assert f'href="{existing.get_admin_url()}"' in response.content.decode()


def test_page_that_cannot_be_read_gives_a_clear_message(editor_client, httpserver):
    httpserver.expect_request("/broken").respond_with_data("no", status=500)
    response = editor_client.post(ADD_FROM_URL, {"url": httpserver.url_for("/broken")})
    assert response.status_code == 200
    assert "answered HTTP 500" in response.content.decode()


def test_internal_address_is_refused_with_a_message(editor_client, settings, english_page):
    settings.INTAKE_ALLOW_LOOPBACK = False
    response = editor_client.post(ADD_FROM_URL, {"url": english_page})
    assert response.status_code == 200
    assert "private, loopback or reserved address" in response.content.decode()


def test_page_without_a_story_gives_a_clear_message(editor_client, httpserver):
    serve(httpserver, "/empty", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    response = editor_client.post(ADD_FROM_URL, {"url": httpserver.url_for("/empty")})
    assert "No story text was found" in response.content.decode()


def test_not_a_url_is_a_form_error(editor_client):
    response = editor_client.post(ADD_FROM_URL, {"url": "not a web address"})
    assert response.status_code == 200
    assert response.context["form"].errors["url"]


def test_staff_without_permission_to_add_articles_is_refused(client):
    client.force_login(UserFactory(username="visitor"))
    assert client.get(ADD_FROM_URL).status_code == 403


def test_the_article_list_links_add_from_url_for_those_who_may_add(editor_client, client):
    link = reverse("admin:intake_add_from_url")
    assert link in editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    reader = UserFactory(username="viewer", is_staff=True)
    reader.user_permissions.add(*Permission.objects.filter(codename="view_article"))
    client.force_login(reader)
    listing = client.get(reverse("admin:articles_article_changelist"))
    assert listing.status_code == 200
    assert link not in listing.content.decode()
