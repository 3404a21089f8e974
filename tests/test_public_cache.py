"""Public pages are served from the cache until what they show changes.

A page is rendered once and then served with no query until an editor's change (publishing,
editing, re-tagging, an entity or a relationship) or an embargo's end makes it stale.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles.services import article_save, article_transition
from entities.models import Entity, Mention, Relationship
from tests.factories import ArticleFactory

TIMELINE = "/companies/meta-platforms/"
PAIR = "/partnerships/lg-electronics/meta-platforms/"
PAGES = ["/", TIMELINE, "/people/mark-zuckerberg/", PAIR, "/partnerships/", "/search/?q=Meta"]


def titles(response) -> list[str]:
    return [story.title for story in response.context["stories"]]


@pytest.mark.parametrize("url", PAGES)
def test_a_page_read_again_runs_no_query_and_answers_conditional_requests(
    client, stories, django_assert_num_queries, url
):
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert "max-age=" in again["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_story_page_is_cached_and_unknown_pages_are_not(client, stories):
    story = stories[0].get_absolute_url()
    assert client.get(story).status_code == 200
    assert client.get("/stories/no-such-story/").status_code == 404
    # A 404 was not kept: the story, published now under that address, is found.
    ArticleFactory(slug="no-such-story", published=True)
    assert client.get("/stories/no-such-story/").status_code == 200


def test_publishing_editing_and_retagging_reach_the_cached_pages(
    client, stories, chief_editor, publish_through_workflow, django_capture_on_commit_callbacks
):
    english = stories[0]
    client.get(TIMELINE)
    draft = publish_through_workflow(
        "Meta Platforms opens a lab", "Meta Platforms opened a research lab.", english.outlet
    )
    assert "Meta Platforms opens a lab" in titles(client.get(TIMELINE))

    english.title = "Meta and LG Electronics sign for XR headsets"
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=english, by=None)
    assert english.title in titles(client.get(TIMELINE))

    with django_capture_on_commit_callbacks(execute=True):
        article_transition(article=draft, step="return_to_draft", by=chief_editor)
    assert "Meta Platforms opens a lab" not in titles(client.get(TIMELINE))


def test_an_editor_s_change_to_an_entity_or_a_relationship_reaches_the_pages(
    client, stories, django_capture_on_commit_callbacks
):
    assert client.get(PAIR).context["relationships"]
    meta = Entity.objects.get(slug="meta-platforms")
    meta.description = "Owner of Facebook, Instagram and WhatsApp."
    with django_capture_on_commit_callbacks(execute=True):
        meta.save()
    assert meta.description in client.get(TIMELINE).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        for relationship in Relationship.objects.all():
            relationship.status = Relationship.Status.REJECTED
            relationship.save()
    assert not client.get(PAIR).context["relationships"]

    story = stories[0].get_absolute_url()
    assert 'href="/people/william-cho/"' in client.get(story).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Mention.objects.get(article=stories[0], entity__slug="william-cho").delete()
    assert 'href="/people/william-cho/"' not in client.get(story).content.decode()


def test_a_cached_page_ends_when_an_embargoed_story_comes_out(client, publish, monkeypatch):
    publish("Meta Platforms earlier story", "Meta Platforms said things.")
    release = timezone.now() + timezone.timedelta(minutes=2)
    publish("Meta Platforms embargoed story", "Meta Platforms will say more.", published_at=release)
    first = client.get(TIMELINE)
    assert titles(first) == ["Meta Platforms earlier story"]
    max_age = int(first["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= 120
    later = release + timezone.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert titles(client.get(TIMELINE))[0] == "Meta Platforms embargoed story"


def test_each_host_has_its_own_cached_page(client, stories, settings):
    settings.ALLOWED_HOSTS = ["news.example", "mirror.example"]
    story = stories[0].get_absolute_url()
    main = client.get(story, HTTP_HOST="news.example").content.decode()
    mirror = client.get(story, HTTP_HOST="mirror.example").content.decode()
    assert 'rel="canonical" href="http://news.example/' in main
    assert 'rel="canonical" href="http://mirror.example/' in mirror


def test_pages_are_served_when_the_cache_is_down(client, stories, monkeypatch):
    def cache_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(cache, "get_or_set", cache_down)
    monkeypatch.setattr(cache, "set", cache_down)
    for url in PAGES:
        assert client.get(url).status_code == 200
    assert titles(client.get(TIMELINE)) == [story.title for story in stories]


def test_the_admin_is_never_cached(chief_client, stories):
    changelist = reverse("admin:articles_article_changelist")
    first = chief_client.get(changelist)
    assert "ETag" not in first
    assert "no-store" in first["Cache-Control"]


def test_no_page_is_kept_when_the_cache_time_is_zero(client, stories, settings):
    settings.NEWSDESK_PUBLIC_CACHE_SECONDS = 0
    client.get(TIMELINE)
    stories[1].title = "Un autre titre"
    stories[1].save()  # no expiry hook runs inside the test's transaction
    assert "Un autre titre" in titles(client.get(TIMELINE))
