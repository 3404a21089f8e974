"""`list_clusters` prints every story of more than one article, for scripts and checks."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import StoryCluster
from tests.factories import ArticleFactory, OutletFactory


def story(*urls, lead=None, days_ago=0):
    """Make a story cluster of articles with these source URLs, the first one earliest."""
    cluster = StoryCluster.objects.create()
    articles = [
        ArticleFactory(
            source_url=url,
            outlet=OutletFactory(name=f"Outlet of {url}"),
            cluster=cluster,
            published_at=timezone.now() - timezone.timedelta(days=days_ago, hours=10 - n),
        )
        for n, url in enumerate(urls)
    ]
    cluster.lead = articles[lead if lead is not None else 0]
    cluster.save()
    return cluster


def list_clusters(*args) -> list[dict]:
    out = StringIO()
    call_command("list_clusters", "--json", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.django_db
def test_each_story_of_several_articles_is_one_json_line():
    story("https://a.example/one", "https://b.example/one", "https://c.example/one")
    story("https://a.example/two", "https://b.example/two", lead=1)
    story("https://a.example/alone")
    assert list_clusters() == [
        {
            "lead": "https://a.example/one",
            "articles": [
                "https://a.example/one",
                "https://b.example/one",
                "https://c.example/one",
            ],
        },
        {
            "lead": "https://b.example/two",
            "articles": ["https://b.example/two", "https://a.example/two"],
        },
    ]


@pytest.mark.django_db
def test_since_keeps_the_stories_with_an_article_that_day_or_later():
    story("https://a.example/old", "https://b.example/old", days_ago=20)
    story("https://a.example/new", "https://b.example/new", days_ago=1)
    since = (timezone.now() - timezone.timedelta(days=5)).date().isoformat()
    assert [line["lead"] for line in list_clusters("--since", since)] == ["https://a.example/new"]


@pytest.mark.django_db
def test_no_story_prints_nothing():
    assert list_clusters() == []


@pytest.mark.django_db
@pytest.mark.parametrize("date", ["yesterday", "2024-02-30"])
def test_a_date_not_understood_is_refused_clearly(date):
    with pytest.raises(CommandError, match="--since takes a date"):
        list_clusters("--since", date)


@pytest.mark.django_db
def test_without_json_the_lead_comes_first_and_the_others_indented():
    story("https://a.example/one", "https://b.example/one")
    out = StringIO()
    call_command("list_clusters", stdout=out)
    assert out.getvalue().splitlines() == ["https://a.example/one", "  https://b.example/one"]
