import pytest
from django.db import IntegrityError
from django.utils import timezone

from articles.models import Article, text_fingerprint
from articles.source_urls import InvalidSourceURL, normalize_source_url
from tests.factories import ArticleFactory


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://WWW.Example.COM/a/b/", "https://www.example.com/a/b"),
        ("https://example.com/a#comments", "https://example.com/a"),
        (
            "https://example.com/a?utm_source=x&id=3&utm_medium=email",
            "https://example.com/a?id=3",
        ),
        ("HTTP://example.com:8080/x/", "http://example.com:8080/x"),
        ("  https://example.com/story  ", "https://example.com/story"),
        ("https://example.com/Case/Path", "https://example.com/Case/Path"),
    ],
)
def test_source_urls_are_normalised(given, expected):
    assert normalize_source_url(given) == expected


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://example.com/file", "https://", "not a url", "http://[::1"],
)
def test_unusable_source_urls_are_refused(url):
    with pytest.raises(InvalidSourceURL):
        normalize_source_url(url)


def test_two_spellings_of_one_url_cannot_both_be_saved(db):
    ArticleFactory(source_url="https://example.com/story/?utm_source=feed")
    with pytest.raises(IntegrityError):
        ArticleFactory(source_url="https://EXAMPLE.com/story#top")


def test_published_excludes_drafts_reviews_archives_and_embargoes(db):
    past = timezone.now() - timezone.timedelta(minutes=5)
    visible = ArticleFactory(status=Article.Status.PUBLISHED, published_at=past)
    ArticleFactory(status=Article.Status.DRAFT, published_at=past)
    ArticleFactory(status=Article.Status.IN_REVIEW, published_at=past)
    ArticleFactory(status=Article.Status.ARCHIVED, published_at=past)
    ArticleFactory(
        status=Article.Status.PUBLISHED, published_at=timezone.now() + timezone.timedelta(hours=1)
    )
    assert list(Article.objects.published()) == [visible]


def test_embargoed_story_appears_when_its_time_comes(db, monkeypatch):
    later = timezone.now() + timezone.timedelta(hours=1)
    story = ArticleFactory(status=Article.Status.PUBLISHED, published_at=later)
    assert not Article.objects.published().exists()
    monkeypatch.setattr(timezone, "now", lambda: later + timezone.timedelta(seconds=1))
    assert list(Article.objects.published()) == [story]


def test_fingerprint_follows_title_and_body_only(db):
    article = ArticleFactory(title="A", body="B")
    before = article.fingerprint
    article.byline = "Someone else"
    article.save()
    assert article.fingerprint == before == text_fingerprint("A", "B")
    article.body = "B, revised"
    article.save()
    assert article.fingerprint != before


def test_language_left_blank_is_detected(db):
    french = ArticleFactory(
        language="",
        title="Le fabricant de puces annonce un nouveau processeur",
        body="La société a présenté jeudi une puce destinée aux centres de données.",
    )
    english = ArticleFactory(
        language="",
        title="The chipmaker announces a new processor",
        body="The company presented on Thursday a chip meant for data centres.",
    )
    assert (french.language, english.language) == ("fr", "en")


def test_slug_is_made_from_the_title_and_kept_unique(db):
    first = ArticleFactory(title="Nvidia unveils Blackwell", slug="")
    second = ArticleFactory(title="Nvidia unveils Blackwell", slug="")
    assert first.slug == "nvidia-unveils-blackwell"
    assert second.slug == "nvidia-unveils-blackwell-2"


def test_history_records_each_change(db):
    article = ArticleFactory(title="First title")
    article.title = "Second title"
    article.save()
    assert [h.title for h in article.history.order_by("history_date")] == [
        "First title",
        "Second title",
    ]
