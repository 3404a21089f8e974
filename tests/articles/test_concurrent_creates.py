"""Two stories created at the same moment: each editor gets a saved story or a form error saying
why, never a 500.

The races themselves run on PostgreSQL, two editors posting the admin's add form from two
threads (two connections) whose forms are both checked before either story is saved. The
same paths are reached on any database by making the first look miss what a concurrent save
inserts just after it.
"""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

from articles.admin import ArticleAdmin
from articles.forms import ArticleAdminForm
from articles.models import Article
from articles.source_urls import normalize_source_url
from entities import slugs
from tests.admin_forms import article_form
from tests.factories import ArticleFactory, OutletFactory, UserFactory
from tests.services import require_postgresql

ADD = "/admin/articles/article/add/"
SOURCE_URL_TAKEN = "This source URL is already used by"
ADDRESS_TAKEN = "Another story has this address"


def post_at_once(monkeypatch, user, forms: list[dict]) -> list:
    """Post each form to the add page from its own thread and connection; return the responses.

    Every form is checked before any story is saved: each thread waits for the others just
    before its first save.
    """
    barrier = threading.Barrier(len(forms), timeout=30)
    waited = threading.local()
    save_model = ArticleAdmin.save_model

    def save_model_together(admin, request, obj, form, change):
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()
        save_model(admin, request, obj, form, change)

    monkeypatch.setattr(ArticleAdmin, "save_model", save_model_together)
    responses, errors = [None] * len(forms), []

    def post(index, data):
        try:
            client = Client()
            client.force_login(user)
            responses[index] = client.post(ADD, data)
        except Exception as error:  # a 500: the test client raises what the view raised
            errors.append(error)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=item) for item in enumerate(forms)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return responses


def outcome(responses) -> list[int]:
    return sorted(response.status_code for response in responses)


def refusal(responses) -> str:
    return next(r for r in responses if r.status_code == 200).content.decode()


@pytest.fixture
def racing(monkeypatch):
    """Post these add forms at once, as a Chief editor, on PostgreSQL."""
    require_postgresql()
    chief_editor, outlet = UserFactory(username="chief", groups=["Chief editor"]), OutletFactory()
    return lambda *forms: post_at_once(
        monkeypatch, chief_editor, [article_form(outlet, **fields) for fields in forms]
    )


@pytest.mark.django_db(transaction=True)
def test_one_source_url_posted_twice_at_once_saves_one_story_and_names_it(racing):
    responses = racing(
        {"title": "Arm wins its case", "source_url": "https://news.example/arm"},
        {"title": "Arm wins in court", "source_url": "https://news.example/arm?utm_source=x"},
    )
    assert outcome(responses) == [200, 302]
    saved = Article.objects.get()
    assert SOURCE_URL_TAKEN in refusal(responses)
    assert saved.title in refusal(responses)


@pytest.mark.django_db(transaction=True)
def test_one_title_posted_twice_at_once_saves_both_stories_at_two_addresses(racing):
    responses = racing(
        {"title": "Arm wins its case", "source_url": "https://news.example/arm-1"},
        {"title": "Arm wins its case", "source_url": "https://news.example/arm-2"},
    )
    assert outcome(responses) == [302, 302]
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "arm-wins-its-case",
        "arm-wins-its-case-2",
    ]


@pytest.mark.django_db(transaction=True)
def test_one_typed_address_posted_twice_at_once_saves_one_story(racing):
    responses = racing(
        {"title": "Arm wins", "slug": "arm", "source_url": "https://news.example/arm-1"},
        {"title": "Arm wins again", "slug": "arm", "source_url": "https://news.example/arm-2"},
    )
    assert outcome(responses) == [200, 302]
    assert Article.objects.get().slug == "arm"
    assert ADDRESS_TAKEN in refusal(responses)


@pytest.mark.django_db(transaction=True)
def test_one_story_posted_twice_at_once_is_saved_once(racing):
    same = {"title": "Arm wins its case", "source_url": "https://news.example/arm"}
    responses = racing(same, same)
    assert outcome(responses) == [200, 302]
    assert Article.objects.count() == 1
    assert SOURCE_URL_TAKEN in refusal(responses)


def test_a_title_address_taken_after_the_look_gives_way_to_the_next_one(db, monkeypatch):
    ArticleFactory(title="Arm wins its case")
    looks, unique_slug = [], slugs.unique_slug

    def first_look_misses(text, **kwargs):
        looks.append(text)
        return "arm-wins-its-case" if len(looks) == 1 else unique_slug(text, **kwargs)

    monkeypatch.setattr(slugs, "unique_slug", first_look_misses)
    article = ArticleFactory(title="Arm wins its case")
    assert article.slug == "arm-wins-its-case-2"
    assert len(looks) == 2
    # The refused insert was undone alone: the transaction goes on.
    assert Article.objects.count() == 2


def test_a_source_url_already_used_is_refused_by_the_database_not_renamed_around(db):
    rival = ArticleFactory(title="Arm wins its case")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(title="Arm wins its case", source_url=rival.source_url)
    assert list(Article.objects.all()) == [rival]


@pytest.fixture
def first_look_misses(monkeypatch):
    """Make the add form's first check miss the stories that hold its source URL or address, as
    one made just before a concurrent save committed would."""
    passes = []
    clean_source_url = ArticleAdminForm.clean_source_url
    validate_unique = ArticleAdminForm.validate_unique

    def clean_source_url_once_blind(form):
        passes.append(form)
        if len(passes) == 1:
            return normalize_source_url(form.cleaned_data["source_url"])
        return clean_source_url(form)

    def validate_unique_once_blind(form):
        if len(passes) > 1:
            validate_unique(form)

    monkeypatch.setattr(ArticleAdminForm, "clean_source_url", clean_source_url_once_blind)
    monkeypatch.setattr(ArticleAdminForm, "validate_unique", validate_unique_once_blind)
    return passes


def test_a_source_url_taken_after_the_form_checked_it_gets_the_form_error(
    chief_client, first_look_misses
):
    rival = ArticleFactory(title="Arm wins its case", source_url="https://news.example/arm")
    response = chief_client.post(
        ADD, article_form(rival.outlet, title="Arm wins", source_url="https://news.example/arm")
    )
    assert response.status_code == 200
    assert f"{SOURCE_URL_TAKEN} <a" in response.content.decode()
    assert len(first_look_misses) == 2
    assert list(Article.objects.all()) == [rival]


def test_an_address_taken_after_the_form_checked_it_gets_the_form_error(
    chief_client, first_look_misses
):
    rival = ArticleFactory(slug="arm")
    response = chief_client.post(ADD, article_form(rival.outlet, title="Arm wins", slug="arm"))
    assert response.status_code == 200
    assert ADDRESS_TAKEN in response.content.decode()
    assert list(Article.objects.all()) == [rival]


def test_a_typed_address_already_used_gets_a_form_error(chief_client):
    rival = ArticleFactory(slug="arm")
    response = chief_client.post(ADD, article_form(rival.outlet, title="Arm wins", slug="arm"))
    assert response.status_code == 200
    assert ADDRESS_TAKEN in response.content.decode()
    assert list(Article.objects.all()) == [rival]
