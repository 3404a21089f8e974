"""A story reached twice is recognised: by its canonical URL, then by near-copy text."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.duplicates import article_index_text, find_duplicate
from articles.models import Article, ArticleShingleBand
from articles.services import article_save
from articles.source_urls import canonical_url
from intake.services import article_ingest
from tests.factories import ArticleFactory, OutletFactory

# Ours, written for these tests.
ORIGINAL_TITLE = "Regional carrier orders forty electric aircraft for short hops"
ORIGINAL_BODY = (
    "A regional airline based in Brittany has ordered forty small electric aircraft to fly "
    "passengers between islands and the mainland, its chief executive said on Monday. The "
    "nine-seat planes will replace ageing turboprops on routes shorter than two hundred "
    "kilometres, where batteries can already carry a full load with a safe reserve. Deliveries "
    "start in two years, once the manufacturer has certified the motors and the charging "
    "stations the carrier will install at six airports. The airline expects to halve its fuel "
    "bill on those routes and to cut noise for the people living near the runways."
)
# A wire copy on another outlet: a new headline, a sentence trimmed, a credit line added.
SYNDICATED_BODY = (
    ORIGINAL_BODY.replace(", its chief executive said on Monday", "")
    + "\n\nThis article first appeared on our partner's site."
)
UNRELATED_BODY = (
    "A start-up selling refurbished laptops to schools has raised money from two family "
    "offices to open a second workshop, where technicians replace batteries and keyboards "
    "before the machines go back to classrooms with a three-year warranty."
)


@pytest.fixture
def original(db):
    article = ArticleFactory(
        title=ORIGINAL_TITLE,
        body=ORIGINAL_BODY,
        source_url="https://www.skyward.example/news/electric-aircraft-order",
        outlet=OutletFactory(name="Skyward News"),
        published_at=timezone.now() - timezone.timedelta(hours=6),
    )
    article_index_text(article_id=article.pk)
    return article


@pytest.mark.parametrize(
    ("variant", "expected"),
    [
        ("https://example.com/a/story", "https://example.com/a/story"),
        ("HTTP://Example.COM:80/a/story/", "https://example.com/a/story"),
        ("https://example.com:443/a/story#comments", "https://example.com/a/story"),
        ("https://example.com/a/story?utm_source=x&utm_medium=y", "https://example.com/a/story"),
        ("https://example.com/a/story?fbclid=abc&gclid=def", "https://example.com/a/story"),
        ("https://example.com/a/story?page=2&ref=home", "https://example.com/a/story?page=2"),
        ("https://example.com/a/story/amp", "https://example.com/a/story"),
        ("https://example.com/amp/a/story", "https://example.com/a/story"),
        ("https://example.com/a/story?amp=1", "https://example.com/a/story"),
        ("https://example.com/a/story.amp.html", "https://example.com/a/story.html"),
        ("https://amp.example.com/a/story", "https://example.com/a/story"),
        ("https://m.example.com/a/story", "https://example.com/a/story"),
        ("https://mobile.example.com/a/story", "https://example.com/a/story"),
        ("https://www.example.com/a/story", "https://example.com/a/story"),
        ("https://example.com:8443/a/story", "https://example.com:8443/a/story"),
        ("https://example.com/a/story?b=2&a=1", "https://example.com/a/story?a=1&b=2"),
    ],
)
def test_every_variant_of_a_story_url_has_one_canonical_form(variant, expected):
    assert canonical_url(variant) == expected


@pytest.mark.parametrize("address", ["", "ftp://example.com/a", "not a url", "https://"])
def test_an_address_that_is_not_a_web_page_has_no_canonical_form(address):
    assert canonical_url(address) == ""


def test_the_same_canonical_url_is_a_duplicate(original):
    found = find_duplicate(
        url="https://skyward.example/news/electric-aircraft-order",
        title="Another headline",
        body="Another text altogether.",
    )
    assert found.article == original
    assert found.reason == "same canonical URL"
    assert not found.syndicated


@pytest.mark.parametrize(
    "url",
    [
        "https://www.skyward.example/news/electric-aircraft-order?utm_source=feed&fbclid=x",
        "http://skyward.example/news/electric-aircraft-order/#top",
        "https://amp.skyward.example/news/electric-aircraft-order",
        "https://skyward.example/news/electric-aircraft-order/amp/",
        "https://m.skyward.example/news/electric-aircraft-order?amp=1",
    ],
)
def test_tracking_amp_and_mobile_urls_are_duplicates(original, url):
    found = find_duplicate(url=url, title="", body="")
    assert found.article == original
    assert not found.syndicated


def test_the_page_canonical_link_finds_the_story(original):
    found = find_duplicate(
        url="https://skyward.example/p/8812",
        canonical_url="https://www.skyward.example/news/electric-aircraft-order",
        title="",
        body="",
    )
    assert found.article == original


def test_a_copy_on_another_outlet_is_syndicated_from_the_original(original):
    found = find_duplicate(
        url="https://wire.example/aviation/forty-electric-planes",
        title="Airline orders forty electric planes for island routes",
        body=SYNDICATED_BODY,
        outlet=OutletFactory(name="Wire Digest"),
    )
    assert found.article == original
    assert found.reason == "near-copy of the text"
    assert found.syndicated


def test_a_copy_on_the_same_outlet_is_a_plain_duplicate(original):
    found = find_duplicate(
        url="https://skyward.example/news/electric-aircraft-order-updated",
        title=ORIGINAL_TITLE,
        body=SYNDICATED_BODY,
        outlet=original.outlet,
    )
    assert found.article == original
    assert not found.syndicated


def test_a_copy_of_a_syndicated_copy_leads_back_to_the_original(original):
    copy = ArticleFactory(
        title=ORIGINAL_TITLE,
        body=SYNDICATED_BODY,
        source_url="https://wire.example/aviation/forty-electric-planes",
        outlet=OutletFactory(name="Wire Digest"),
        syndicated_from=original,
    )
    article_index_text(article_id=copy.pk)
    original.delete()
    copy.refresh_from_db()
    assert copy.syndicated_from is None
    second_copy = ArticleFactory(
        title=ORIGINAL_TITLE,
        body=ORIGINAL_BODY,
        source_url="https://wire.example/aviation/second",
        outlet=OutletFactory(name="Another Wire"),
        syndicated_from=copy,
    )
    article_index_text(article_id=second_copy.pk)
    found = find_duplicate(
        url="https://third.example/a", title=ORIGINAL_TITLE, body=ORIGINAL_BODY, outlet=None
    )
    assert found.article == copy


def test_a_different_story_is_not_a_duplicate(original):
    assert (
        find_duplicate(
            url="https://skyward.example/news/laptops-for-schools",
            title="Laptop refurbisher raises money for a second workshop",
            body=UNRELATED_BODY,
            outlet=original.outlet,
        )
        is None
    )


def test_a_copy_older_than_the_window_is_not_looked_at(original, settings):
    settings.NEWSDESK_DUPLICATE_WINDOW_DAYS = 30
    Article.objects.filter(pk=original.pk).update(
        published_at=timezone.now() - timezone.timedelta(days=40)
    )
    found = find_duplicate(url="https://wire.example/a", title=ORIGINAL_TITLE, body=SYNDICATED_BODY)
    assert found is None


def test_indexing_twice_keeps_one_key_per_band(original):
    bands = list(ArticleShingleBand.objects.filter(article=original).values_list("band", "key"))
    article_index_text(article_id=original.pk)
    again = list(ArticleShingleBand.objects.filter(article=original).values_list("band", "key"))
    assert sorted(again) == sorted(bands)
    assert len({band for band, _ in bands}) == len(bands) > 1


def test_indexing_an_unchanged_text_again_writes_nothing(original):
    with CaptureQueriesContext(connection) as queries:
        article_index_text(article_id=original.pk)
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []


def test_indexing_an_edited_text_replaces_its_keys(original):
    before = set(ArticleShingleBand.objects.filter(article=original).values_list("band", "key"))
    Article.objects.filter(pk=original.pk).update(body=UNRELATED_BODY)
    article_index_text(article_id=original.pk)
    after = set(ArticleShingleBand.objects.filter(article=original).values_list("band", "key"))
    assert after != before
    assert len(after) == len(before)


def test_tagging_indexes_the_text(kb, django_capture_on_commit_callbacks):
    article = ArticleFactory.build(
        title=ORIGINAL_TITLE, body=ORIGINAL_BODY, outlet=OutletFactory(name="Skyward News")
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=article, by=None)
    assert ArticleShingleBand.objects.filter(article=article).exists()
    found = find_duplicate(url="https://wire.example/b", title="", body=SYNDICATED_BODY)
    assert found.article == article


def test_saving_an_article_stores_its_canonical_url(db):
    article = ArticleFactory(source_url="https://www.example.com/story?utm_source=x")
    assert article.canonical_url == "https://example.com/story"
    linked = ArticleFactory(
        source_url="https://example.com/p/1", canonical_url="http://m.example.com/real-story/"
    )
    assert linked.canonical_url == "https://example.com/real-story"


def test_a_syndicated_copy_taken_in_is_linked_to_its_original(
    kb, django_capture_on_commit_callbacks
):
    def ingest(outlet, url, title, body):
        with django_capture_on_commit_callbacks(execute=True):
            return article_ingest(
                outlet=OutletFactory(name=outlet),
                url=url,
                title=title,
                body=body,
                published_at=timezone.now() - timezone.timedelta(hours=1),
                language="en",
                byline="",
                origin=Article.Origin.FEED,
            )

    original = ingest("Skyward News", "https://skyward.example/a", ORIGINAL_TITLE, ORIGINAL_BODY)
    copy = ingest(
        "Wire Digest",
        "https://wire.example/b",
        "Airline orders forty electric planes for island routes",
        SYNDICATED_BODY,
    )
    again = ingest(
        "Skyward News",
        "https://m.skyward.example/a?utm_source=rss",
        ORIGINAL_TITLE,
        ORIGINAL_BODY,
    )
    assert copy.article.syndicated_from == original.article
    assert copy.duplicate.syndicated
    assert again.article is None
    assert again.duplicate.article == original.article
    assert Article.objects.count() == 2
