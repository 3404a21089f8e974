"""Public pages are served whole from the cache until a change readers could see.

Every committed editorial change replaces the site's generation; a page is never kept past
the next embargo's end; parameters a page does not read make no new entry; with the cache
down, pages are drawn for each request.
"""

import html
import re
import time

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from articles.cache import GENERATION_KEY, site_generation
from articles.models import Article, Mention
from articles.services import (
    article_delete,
    article_request_tagging,
    article_save,
    article_transition,
    knowledge_save,
    mentions_save,
    public_record_save,
    relationships_set_status,
)
from articles.tasks import sweep_stale_tagging
from entities.models import Entity, Relationship, Topic
from tests.factories import ArticleFactory, OutletFactory

TIMELINE = "/companies/meta-platforms/"
PAIR = "/partnerships/lg-electronics/meta-platforms/"
PAGES = [
    "/",
    TIMELINE,
    "/people/mark-zuckerberg/",
    PAIR,
    "/partnerships/",
    "/companies/",
    "/search/?q=Meta",
    "/feeds/rss/",
    f"{TIMELINE}atom/",
]
STORY_ITEM_TITLE = re.compile(
    r'<li class="story-item">\s*<h3 lang="\w+"><a href="[^"]+">([^<]*)</a>'
)


def titles(response) -> list[str]:
    """Return the titles of the page's story list as readers get them: from its HTML."""
    return [html.unescape(title) for title in STORY_ITEM_TITLE.findall(response.content.decode())]


def max_age(response) -> int:
    return int(response["Cache-Control"].split("max-age=")[1].split(",")[0])


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change with its commit hooks, as a request's transaction would."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


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
    assert "public" in again["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_missing_page_is_not_kept(client, stories):
    assert client.get("/stories/no-such-story/").status_code == 404
    ArticleFactory(slug="no-such-story", published=True)
    assert client.get("/stories/no-such-story/").status_code == 200


def test_publishing_editing_retagging_and_unpublishing_reach_every_page(
    client, stories, chief_editor, committed
):
    english = stories[0]
    draft = ArticleFactory(
        title="Meta Platforms opens a lab", body="Meta Platforms opened a research lab."
    )
    committed(article_request_tagging, article=draft)
    client.get(TIMELINE)
    client.get("/")
    committed(article_transition, article=draft, step="publish", by=chief_editor)
    assert "Meta Platforms opens a lab" in titles(client.get(TIMELINE))
    assert "Meta Platforms opens a lab" in titles(client.get("/"))

    english.title = "Meta and LG Electronics sign for XR headsets"
    committed(article_save, article=english, by=None)
    assert english.title in titles(client.get(TIMELINE))

    cho = "/people/william-cho/"
    assert english.title in titles(client.get(cho))
    english.body = english.body.replace("William Cho", "its chief")
    committed(article_save, article=english, by=None)
    assert english.title not in titles(client.get(cho))

    committed(article_transition, article=draft, step="return_to_draft", by=chief_editor)
    assert "Meta Platforms opens a lab" not in titles(client.get(TIMELINE))


@pytest.mark.parametrize("names_entities", [True, False], ids=["with-mentions", "no-mentions"])
def test_a_deleted_story_leaves_every_page_at_once(client, publish, committed, names_entities):
    body = "Meta Platforms opened a lab." if names_entities else "A quiet day in the markets."
    story = publish("A story soon deleted", body)
    assert (Mention.objects.filter(article=story).exists()) is names_entities
    urls = ["/", "/feeds/rss/", "/feeds/atom/", "/search/?q=deleted", story.get_absolute_url()]
    for url in urls:
        assert "A story soon deleted" in client.get(url).content.decode()
    committed(article_delete, article=story)
    for url in urls:
        response = client.get(url)
        assert "A story soon deleted" not in response.content.decode(), url


def test_a_story_deleted_in_the_admin_leaves_the_home_page(
    client, chief_client, publish, django_capture_on_commit_callbacks
):
    story = publish("A story the chief deletes", "A quiet day in the markets.")
    assert "A story the chief deletes" in titles(client.get("/"))
    delete = reverse("admin:articles_article_delete", args=[story.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert chief_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=story.pk).exists()
    assert "A story the chief deletes" not in titles(client.get("/"))


def test_editors_decisions_on_mentions_relationships_entities_topics_and_outlets_show_at_once(
    client, stories, committed
):
    story = stories[0].get_absolute_url()
    assert 'href="/people/william-cho/"' in client.get(story).content.decode()
    cho = Mention.objects.get(article=stories[0], entity__slug="william-cho")
    committed(mentions_save, article=stories[0], changed=[], deleted=[cho])
    assert 'href="/people/william-cho/"' not in client.get(story).content.decode()

    assert client.get(PAIR).context["relationships"]
    committed(
        relationships_set_status,
        relationships=Relationship.objects.all(),
        status=Relationship.Status.REJECTED,
    )
    assert not client.get(PAIR).context["relationships"]

    meta = Entity.objects.get(slug="meta-platforms")
    meta.description = "Owner of Facebook, Instagram and WhatsApp."
    committed(knowledge_save, saved=[meta])
    assert meta.description in client.get(TIMELINE).content.decode()

    outlet = stories[0].outlet
    outlet.name = "Renamed Wire"
    committed(public_record_save, record=outlet)
    assert "Renamed Wire" in client.get("/").content.decode()

    topic = Topic.objects.create(slug="robots", name="Robots")
    Relationship.objects.update(status=Relationship.Status.CONFIRMED)
    Relationship.objects.first().topics.add(topic)
    committed(public_record_save, record=topic)
    assert "Robots" in client.get("/partnerships/").content.decode()


def test_a_sweep_that_changes_nothing_readers_see_leaves_the_cache_alone(
    client, stories, committed, django_assert_num_queries
):
    client.get("/")
    generation = site_generation()
    committed(sweep_stale_tagging)
    assert site_generation() == generation
    with django_assert_num_queries(0):
        client.get("/")


def test_a_sweep_that_dates_a_relationship_anew_expires_the_pages(client, stories, committed):
    relationship = Relationship.objects.get(kind=Relationship.Kind.PARTNERSHIP)
    Relationship.objects.filter(pk=relationship.pk).update(last_seen=None, first_seen=None)
    generation = site_generation()
    committed(sweep_stale_tagging)
    relationship.refresh_from_db()
    assert relationship.last_seen is not None
    assert site_generation() != generation


def test_tagging_a_draft_leaves_the_cache_alone_and_tagging_a_public_story_expires_it(
    stories, committed
):
    generation = site_generation()
    draft = ArticleFactory(title="Meta Platforms draft", body="Meta Platforms and Nvidia talk.")
    committed(article_request_tagging, article=draft)
    assert Mention.objects.filter(article=draft).exists()
    assert site_generation() == generation
    committed(article_request_tagging, article=stories[0])
    assert site_generation() != generation


def test_parameters_a_page_does_not_read_are_dropped_by_a_redirect(client, stories):
    assert client.get("/?x=1")["Location"] == "/"
    assert client.get("/?page=1&utm_source=feed")["Location"] == "/?page=1"
    assert client.get(f"{TIMELINE}?language=")["Location"] == TIMELINE
    assert client.get(f"{TIMELINE}?mentions=all&language=en").status_code == 200
    assert client.get("/search/rss/?q=Meta&fbclid=1")["Location"] == "/search/rss/?q=Meta"


def test_an_unknown_parameter_makes_no_new_cache_entry(client, stories, settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    }
    client.get("/")
    kept = len(caches["pages"]._cache)
    assert kept
    for n in range(5):
        assert client.get(f"/?x={n}", follow=True).status_code == 200
    assert len(caches["pages"]._cache) == kept


def test_a_generation_lost_from_the_cache_never_brings_back_an_older_page(
    client, stories, committed
):
    client.get("/")
    stories[0].title = "Meta and LG Electronics widen their XR partnership"
    committed(article_save, article=stories[0], by=None)
    assert stories[0].title in titles(client.get("/"))
    caches["default"].delete(GENERATION_KEY)
    assert stories[0].title in titles(client.get("/"))


def test_a_cached_page_ends_when_an_embargoed_story_comes_out(client, publish, settings):
    publish("Meta Platforms earlier story", "Meta Platforms said things.")
    # The cache keeps time by the clock (Redis's own, in production): the embargo is real.
    release = timezone.now() + timezone.timedelta(seconds=2)
    publish("Meta Platforms embargoed story", "Meta Platforms will say more.", published_at=release)
    first = client.get(TIMELINE)
    assert titles(first) == ["Meta Platforms earlier story"]
    assert max_age(first) <= 2
    time.sleep((release - timezone.now()).total_seconds() + 0.2)
    out = client.get(TIMELINE)
    assert titles(out)[0] == "Meta Platforms embargoed story"
    # With no embargo left, pages are kept as long as the settings allow again.
    assert max_age(out) == settings.NEWSDESK_PUBLIC_CACHE_SECONDS


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

    for alias in ("default", "pages"):
        for operation in ("get", "add", "set", "get_many", "set_many"):
            monkeypatch.setattr(caches[alias], operation, cache_down)
    for url in PAGES:
        assert client.get(url).status_code == 200
    assert titles(client.get(TIMELINE)) == [story.title for story in stories]


def test_an_editor_s_save_succeeds_when_the_cache_is_down(stories, monkeypatch, committed):
    def cache_down(*args, **kwargs):
        raise ConnectionError("Connection refused.")

    monkeypatch.setattr(caches["default"], "set", cache_down)
    stories[0].title = "Saved while the cache was down"
    committed(article_save, article=stories[0], by=None)
    assert Article.objects.get(pk=stories[0].pk).title == "Saved while the cache was down"


def test_the_admin_is_never_cached(chief_client, stories):
    changelist = reverse("admin:articles_article_changelist")
    first = chief_client.get(changelist)
    assert "ETag" not in first
    assert "no-store" in first["Cache-Control"]


def test_no_page_is_kept_when_the_cache_time_is_zero(client, stories, settings):
    settings.NEWSDESK_PUBLIC_CACHE_SECONDS = 0
    client.get(TIMELINE)
    Article.objects.filter(pk=stories[1].pk).update(title="Un autre titre")
    assert "Un autre titre" in titles(client.get(TIMELINE))


def test_feeds_keep_nothing_of_a_request_on_the_shared_feed_instance(client, stories):
    from articles.urls import urlpatterns

    feed = next(p.callback for p in urlpatterns if p.name == "company-rss").__wrapped__
    before = dict(vars(feed))
    english = client.get(f"{TIMELINE}rss/?language=en").content.decode()
    french = client.get(f"{TIMELINE}rss/?language=fr").content.decode()
    assert vars(feed) == before
    assert (stories[0].title in english, stories[1].title in english) == (True, False)
    assert (stories[1].title in french, stories[0].title in french) == (True, False)


def test_the_search_feed_links_to_its_search_with_the_words_encoded(client, stories):
    OutletFactory(name="Other")
    feed = client.get("/search/rss/?q=Meta+%26+LG").content.decode()
    assert "/search/?q=Meta+%26+LG</link>" in feed
