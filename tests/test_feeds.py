"""RSS and Atom feeds: content, escaping, published-only, caching and conditional GET."""

import time

import feedparser
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Mention
from articles.services import (
    article_request_tagging,
    article_save,
    article_transition,
    knowledge_save,
    mentions_save,
)
from entities.models import Entity
from tests.factories import ArticleFactory, OutletFactory, bulk_published

HOSTILE = "<script>alert('x')</script> & ]]> \u202eevil\u202c \x01"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def parse(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.status_code
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


FEEDS = [
    ("public:latest", {}),
    ("public:company", {"slug": "meta-platforms"}),
    ("public:person", {"slug": "mark-zuckerberg"}),
    ("public:person", {"slug": "william-cho"}),
    ("public:pair", {"slug_a": "lg-electronics", "slug_b": "meta-platforms"}),
    ("public:kind", {"kind": "partnership"}),
    ("public:topic", {"slug": "xr"}),
]


@pytest.mark.parametrize(("name", "kwargs"), FEEDS)
@pytest.mark.parametrize("flavour", ["rss", "atom"])
def test_every_feed_lists_the_published_stories_in_english_and_french(
    client, stories, name, kwargs, flavour
):
    english, french = stories
    feed = parse(client, reverse(f"{name}-{flavour}", kwargs=kwargs))
    assert [entry.title for entry in feed.entries] == [english.title, french.title]
    entry = feed.entries[0]
    assert entry.link.endswith(english.get_absolute_url())
    assert entry.id == f"urn:newsdesk:story:{english.pk}"
    assert entry.summary == english.standfirst
    assert entry.author == "Ada Reporter"
    assert entry.published_parsed[:5] == english.published_at.utctimetuple()[:5]
    assert {"Meta Platforms", "LG Electronics", "Mark Zuckerberg"} <= {
        tag.term for tag in entry.tags
    }
    assert entry.source.title == "Newsdesk Wire"
    assert english.source_url in {link.href for link in entry.links} | {
        entry.source.get("href", "")
    }


def test_feeds_hold_at_most_fifty_items_newest_first(client, kb):
    outlet = OutletFactory()
    now = timezone.now()
    bulk_published(
        outlet,
        range(60),
        title="Story {n}",
        body="Body.",
        published_at=lambda n: now - timezone.timedelta(minutes=n + 1),
    )
    feed = parse(client, reverse("public:latest-rss"))
    assert [entry.title for entry in feed.entries] == [f"Story {n}" for n in range(50)]


def test_unpublished_stories_never_appear_and_unpublishing_drops_a_story(
    client, stories, chief_editor, django_capture_on_commit_callbacks
):
    english, french = stories
    ArticleFactory(title="A draft", status=Article.Status.DRAFT)
    ArticleFactory(
        title="Embargoed",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + timezone.timedelta(days=1),
    )
    url = reverse("public:company-rss", kwargs={"slug": "meta-platforms"})
    assert len(parse(client, url).entries) == 2
    with django_capture_on_commit_callbacks(execute=True):
        article_transition(article=french, step="return_to_draft", by=chief_editor)
    titles = [entry.title for entry in parse(client, url).entries]
    assert titles == [english.title]
    latest = [e.title for e in parse(client, reverse("public:latest-rss")).entries]
    assert "A draft" not in latest
    assert "Embargoed" not in latest


def test_unknown_entity_pair_kind_or_topic_gives_404(client, kb):
    for url in [
        reverse("public:company-rss", kwargs={"slug": "no-such-company"}),
        reverse("public:person-atom", kwargs={"slug": "meta-platforms"}),
        reverse("public:pair-rss", kwargs={"slug_a": "apple", "slug_b": "nobody"}),
        reverse("public:kind-rss", kwargs={"kind": "friendship"}),
        reverse("public:topic-atom", kwargs={"slug": "knitting"}),
    ]:
        assert client.get(url).status_code == 404, url


def test_reversed_pair_feed_redirects_to_the_canonical_one(client, kb):
    url = reverse("public:pair-rss", kwargs={"slug_a": "meta-platforms", "slug_b": "apple"})
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == reverse(
        "public:pair-rss", kwargs={"slug_a": "apple", "slug_b": "meta-platforms"}
    )


def test_filtered_timeline_feed_takes_the_page_filters(client, stories):
    french = stories[1]
    url = reverse("public:company-atom", kwargs={"slug": "meta-platforms"})
    assert [e.title for e in parse(client, f"{url}?language=fr").entries] == [french.title]
    bad = parse(client, f"{url}?published_after=2024-02-31")
    assert len(bad.entries) == 2


def test_hostile_text_gives_well_formed_escaped_xml(client, publish, kb):
    Entity.objects.filter(pk=kb["nvidia"].pk).update(name=f"Nvidia {HOSTILE}")
    story = publish(
        f"Nvidia {HOSTILE}",
        f"Nvidia sells H100 chips. {HOSTILE}",
        standfirst=f"Standfirst {HOSTILE}",
        byline=f"Byline {HOSTILE}",
    )
    for flavour in ["rss", "atom"]:
        response = client.get(reverse(f"public:company-{flavour}", kwargs={"slug": "nvidia"}))
        assert b"<script>" not in response.content
        assert b"]]>" not in response.content
        feed = feedparser.parse(response.content)
        assert feed.bozo == 0, feed.get("bozo_exception")
        entry = feed.entries[0]
        assert entry.title == story.title.replace("\x01", "").strip()
        expected_name = f"Nvidia {HOSTILE}".replace("\x01", "").strip()
        assert expected_name in {tag.term.strip() for tag in entry.tags}


def test_guid_survives_edits_and_retagging(client, stories, django_capture_on_commit_callbacks):
    english, _ = stories
    url = reverse("public:latest-rss")
    before = {entry.title: entry.id for entry in parse(client, url).entries}[english.title]
    english.title = "Meta and LG Electronics sign their XR partnership"
    english.slug = "renamed-story"
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=english, by=None)
    after = {entry.title: entry.id for entry in parse(client, url).entries}[english.title]
    assert before == after


def test_conditional_get_answers_304(client, stories):
    url = reverse("public:latest-atom")
    first = client.get(url)
    assert first["ETag"]
    assert first["Last-Modified"]
    assert "max-age=" in first["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    repeat = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert repeat.status_code == 304


def test_publishing_editing_and_tagging_invalidate_cached_feeds(
    client, stories, publish_through_workflow, django_capture_on_commit_callbacks
):
    english = stories[0]
    url = reverse("public:company-rss", kwargs={"slug": "meta-platforms"})
    etag = client.get(url)["ETag"]
    publish_through_workflow(
        "Meta Platforms opens a lab", "Meta Platforms opened a research lab.", english.outlet
    )
    published = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert published.status_code == 200
    assert "Meta Platforms opens a lab" in published.content.decode()

    english.standfirst = "A new standfirst."
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=english, by=None)
    assert "A new standfirst." in client.get(url).content.decode()

    nvidia = Mention.objects.get(article=english, entity__slug="nvidia")
    nvidia.status = Mention.Status.REJECTED
    lg = Mention.objects.get(article=english, entity__slug="lg-electronics")
    with django_capture_on_commit_callbacks(execute=True):
        mentions_save(article=english, changed=[nvidia], deleted=[lg])
    categories = {tag.term for tag in feedparser.parse(client.get(url).content).entries[1].tags}
    assert "LG Electronics" not in categories


def categories(feed_entry) -> set[str]:
    return {tag.term for tag in feed_entry.tags}


def test_a_story_re_tagged_or_an_entity_renamed_changes_the_categories(
    client, stories, django_capture_on_commit_callbacks
):
    english = stories[0]
    url = reverse("public:company-rss", kwargs={"slug": "meta-platforms"})
    assert "Samsung Electronics" not in categories(parse(client, url).entries[0])
    Article.objects.filter(pk=english.pk).update(
        title="Samsung Electronics watches Meta and LG Electronics"
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_request_tagging(article=english)
    assert "Samsung Electronics" in categories(parse(client, url).entries[0])
    samsung = Entity.objects.get(slug="samsung-electronics")
    samsung.name = "Samsung Electronics Co."
    with django_capture_on_commit_callbacks(execute=True):
        knowledge_save(saved=[samsung])
    assert "Samsung Electronics Co." in categories(parse(client, url).entries[0])


def test_scheduled_story_enters_the_feed_when_its_time_comes(client, publish):
    publish("Meta Platforms earlier story", "Meta Platforms said things.")
    # The cache keeps time by the clock (Redis's own, in production): the embargo is real.
    release = timezone.now() + timezone.timedelta(seconds=2)
    publish(
        "Meta Platforms embargoed story", "Meta Platforms will say things.", published_at=release
    )
    url = reverse("public:latest-rss")
    first = client.get(url)
    assert "embargoed" not in first.content.decode()
    max_age = int(first["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age <= 2
    time.sleep((release - timezone.now()).total_seconds() + 0.2)
    assert "Meta Platforms embargoed story" in client.get(url).content.decode()


def test_feed_queries_stay_bounded(client, kb, django_assert_max_num_queries):
    outlet = OutletFactory()

    def add_stories(count, start):
        articles = bulk_published(
            outlet,
            range(start, start + count),
            title="Meta Platforms story {n}",
            body="Meta Platforms did things.",
            published_at=lambda n: timezone.now() - timezone.timedelta(minutes=n + 1),
        )
        Mention.objects.bulk_create(
            Mention(
                article=article,
                entity=entity,
                count=1,
                salience=0.9,
                is_subject=True,
                article_published_at=article.published_at,
            )
            for article in articles
            for entity in (kb["meta-platforms"], kb["nvidia"], kb["apple"])
        )

    url = reverse("public:company-rss", kwargs={"slug": "meta-platforms"})
    add_stories(1, 0)
    with django_assert_max_num_queries(6):
        assert len(parse(client, url).entries) == 1
    add_stories(49, 1)
    cache.clear()
    with django_assert_max_num_queries(6):
        assert len(parse(client, url).entries) == 50


def test_list_pages_advertise_their_feeds(client, stories):
    pages = {
        reverse("public:home"): reverse("public:latest-rss"),
        reverse("public:company", kwargs={"slug": "meta-platforms"}): reverse(
            "public:company-rss", kwargs={"slug": "meta-platforms"}
        ),
        reverse(
            "public:pair", kwargs={"slug_a": "lg-electronics", "slug_b": "meta-platforms"}
        ): reverse(
            "public:pair-rss", kwargs={"slug_a": "lg-electronics", "slug_b": "meta-platforms"}
        ),
        reverse("public:partnerships") + "?kind=competition": reverse(
            "public:kind-rss", kwargs={"kind": "competition"}
        ),
        reverse("public:search") + "?q=Meta": reverse("public:search-rss") + "?q=Meta",
    }
    for page, feed in pages.items():
        content = client.get(page).content.decode()
        assert 'rel="alternate" type="application/rss+xml"' in content, page
        assert f'href="{feed}"' in content, page
        assert 'class="follow"' in content, page


def test_feeds_are_served_when_the_cache_is_down(client, stories, monkeypatch):
    def cache_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    for operation in ("get", "get_many", "get_or_set", "set", "set_many"):
        monkeypatch.setattr(cache, operation, cache_down)
    feed = parse(client, reverse("public:latest-rss"))
    assert [entry.title for entry in feed.entries] == [story.title for story in stories]
    assert {"Meta Platforms", "LG Electronics"} <= categories(feed.entries[0])
