"""The public side of story clusters: a story reported by several outlets is listed once,
by its lead, with "more coverage" links to the other outlets' public articles."""

import datetime

import feedparser
import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from articles.models import Article, StoryCluster
from articles.selectors import story_ids, timeline
from entities.models import Entity
from tests.entities.kb import make_small_kb
from tests.public_site import make_story
from tests.services import require_postgresql
from tests.test_query_counts import LIMITS

OUTLETS = ["Tech Ledger", "Chip Wire", "Le Journal Tech", "Byte Post", "Circuit Daily"]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def report(n: int, *, hours_ago: float, status=Article.Status.PUBLISHED, **fields):
    """One outlet's report (ours) of Meta Platforms and LG Electronics' headset deal."""
    fields.setdefault(
        "body",
        "Meta Platforms and LG Electronics signed a partnership to build mixed-reality "
        f"headsets, {OUTLETS[n]} reports.\n\nThe first headset is planned for next year.",
    )
    return make_story(
        title=f"Meta Platforms and LG Electronics sign a headset deal, by {OUTLETS[n]}",
        outlet=OUTLETS[n],
        status=status,
        published_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        **fields,
    )


def cluster_of(*articles, lead):
    cluster = StoryCluster.objects.create(lead=lead)
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(cluster=cluster)
    return cluster


@pytest.fixture
def story(db):
    """A story from three outlets, the earliest leading, and an unrelated story."""
    make_small_kb()
    lead = report(0, hours_ago=5)
    second = report(1, hours_ago=3)
    third = report(2, hours_ago=2)
    draft = report(3, hours_ago=1, status=Article.Status.DRAFT)
    other = make_story(
        title="Nvidia posts record revenue from data centres",
        body="Nvidia posted record revenue as data centres bought its accelerators.",
        outlet="Chip Wire",
        published_at=timezone.now() - datetime.timedelta(hours=4),
    )
    cluster_of(lead, second, third, draft, lead=lead)
    return {"lead": lead, "second": second, "third": third, "draft": draft, "other": other}


def listed(response) -> list[str]:
    return [story.title for story in response.context["stories"]]


def test_home_lists_a_story_once_by_its_lead_with_more_coverage(client, story):
    response = client.get("/")
    assert listed(response) == [story["other"].title, story["lead"].title]
    lead = next(item for item in response.context["stories"] if item.pk == story["lead"].pk)
    assert [article.pk for article in lead.more_coverage] == [
        story["third"].pk,
        story["second"].pk,
    ]
    assert [chip.slug for chip in lead.chips][:2] == ["meta-platforms", "lg-electronics"]
    html = response.content.decode()
    assert "More coverage" in html
    assert story["third"].get_absolute_url() in html
    assert story["second"].get_absolute_url() in html


def test_more_coverage_never_shows_an_article_readers_cannot_see(client, story):
    html = client.get("/").content.decode()
    assert story["draft"].title not in html
    assert story["draft"].get_absolute_url() not in html


def test_a_story_page_lists_the_other_outlets_public_reports_once(client, story):
    response = client.get(story["second"].get_absolute_url())
    assert [other.pk for other in response.context["story"].more_coverage] == [
        story["third"].pk,
        story["lead"].pk,
    ]
    # Listed as more coverage, not again among the related stories; drafts never.
    assert not {other.pk for other in response.context["related"]} & {
        story["third"].pk,
        story["lead"].pk,
    }
    html = response.content.decode()
    assert "More coverage" in html
    assert story["draft"].get_absolute_url() not in html


def test_a_story_whose_lead_is_not_public_is_listed_by_its_newest_public_article(client, story):
    Article.objects.filter(pk=story["lead"].pk).update(status=Article.Status.DRAFT)
    response = client.get("/")
    assert listed(response) == [story["third"].title, story["other"].title]
    shown = response.context["stories"][0]
    assert [article.pk for article in shown.more_coverage] == [story["second"].pk]


def test_an_article_taken_out_of_a_listed_story_stands_on_its_own(client, story):
    assert client.get(story["second"].get_absolute_url()).status_code == 200


def test_a_company_timeline_lists_a_story_once(client, story):
    response = client.get("/companies/meta-platforms/?mentions=all")
    assert listed(response) == [story["lead"].title]
    response = client.get("/partnerships/lg-electronics/meta-platforms/")
    assert listed(response) == [story["lead"].title]


def test_a_timeline_lists_the_story_by_an_article_it_holds(client, story):
    """When the lead does not name the timeline's entity, the story is listed all the same."""
    nvidia_report = report(4, hours_ago=1, body="Nvidia will supply the chips of the headset.")
    Article.objects.filter(pk=nvidia_report.pk).update(cluster=story["lead"].cluster)
    assert listed(client.get("/companies/nvidia/?mentions=all")) == [
        nvidia_report.title,
        story["other"].title,
    ]


@pytest.mark.parametrize(
    "url", ["/feeds/rss/", "/companies/meta-platforms/rss/?mentions=all", "/feeds/atom/"]
)
def test_feeds_list_a_story_once(client, story, url):
    titles = [entry.title for entry in feedparser.parse(client.get(url).content).entries]
    assert titles.count(story["lead"].title) == 1
    assert story["second"].title not in titles
    assert story["third"].title not in titles


def test_the_relationship_feeds_list_a_story_once(client, story):
    feed = feedparser.parse(client.get("/partnerships/kinds/partnership/rss/").content)
    assert [entry.title for entry in feed.entries] == [story["lead"].title]


@pytest.mark.parametrize(
    ("page", "url"),
    [
        ("home", "/"),
        ("company", "/companies/meta-platforms/?mentions=all"),
        ("pair", "/partnerships/lg-electronics/meta-platforms/"),
    ],
)
def test_pages_with_stories_stay_bounded(client, db, django_assert_max_num_queries, page, url):
    """One query more than without stories (their coverage), however many stories there are."""
    make_small_kb()
    for size in (1, 12):
        for n in range(size):
            articles = [report(outlet, hours_ago=n * 10 + outlet) for outlet in range(3)]
            cluster_of(*articles, lead=articles[0])
        cache.clear()
        with django_assert_max_num_queries(LIMITS[page] + 1):
            response = client.get(url)
        assert len(response.context["stories"]) == size
        Article.objects.all().delete()
        StoryCluster.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_a_timeline_listing_each_story_once_still_reads_the_mention_index(story):
    """The check for a story's other articles runs per row of the page: the page itself is
    still read from the timeline index, in its order, without a sort."""
    require_postgresql()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE articles_mention")
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_bitmapscan = off")
    try:
        meta = Entity.objects.get(slug="meta-platforms")
        text = story_ids(timeline(meta).one_per_story())[:20].explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")
    assert "Index Only Scan using mention_subject_timeline_idx" in text
    assert "Sort" not in text
