"""Polling outlets' feeds: what is created, what is known, what is refused and recorded."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import Article
from intake.extract import html_text
from intake.models import Feed, FeedPoll
from intake.services import feed_poll
from intake.tasks import poll_due_feeds, poll_feed
from tests.factories import OutletFactory
from tests.intake.pages import (
    ADVERT,
    COMMENT,
    NAVIGATION,
    STORY_EN_TEXT,
    STORY_FR_TEXT,
    atom,
    english_feed_items,
    paragraphs_html,
    rss,
    serve,
    serve_english_feed,
    serve_site,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def local_site(settings, httpserver):
    settings.INTAKE_ALLOW_LOOPBACK = True
    settings.INTAKE_READ_TIMEOUT = 1
    serve_site(httpserver)


def make_feed(httpserver, path="/feed.xml", **fields):
    outlet = fields.pop("outlet", None) or OutletFactory(name="The Test Wire")
    return Feed.objects.create(outlet=outlet, url=httpserver.url_for(path), **fields)


def poll(feed):
    feed.refresh_from_db()
    return feed_poll(feed=feed)


def test_poll_creates_drafts_from_items_and_records_the_broken_one(httpserver):
    serve_english_feed(httpserver)
    feed = make_feed(httpserver)

    result = poll(feed)

    assert (result.http_status, result.items_new, result.items_known, result.items_refused) == (
        200,
        2,
        0,
        1,
    )
    assert result.error == ""
    assert result.refusals == [
        {
            "link": "",
            "title": "An item whose link the feed forgot",
            "reason": "The item has no link.",
        }
    ]
    quarry = Article.objects.get(title__startswith="Quarry Robotics")
    assert quarry.status == Article.Status.DRAFT
    assert quarry.origin == Article.Origin.FEED
    assert quarry.outlet == feed.outlet
    assert quarry.byline == "Ben Writer"
    # Tracking parameters are not part of the story's address.
    assert quarry.source_url == httpserver.url_for("/2026/03/quarry-robotics")
    assert quarry.body.startswith("Quarry Robotics, a start-up")
    assert "\n\nThe company plans" in quarry.body
    assert quarry.published_at == dt.datetime(2026, 3, 3, 9, 30, tzinfo=dt.UTC)
    assert quarry.tagging_status == Article.TaggingStatus.PENDING
    assert quarry.tagging_requested_at is not None


def test_summary_only_item_gets_its_text_from_the_page_without_what_surrounds_it(httpserver):
    serve_english_feed(httpserver)
    poll(make_feed(httpserver))

    story = Article.objects.get(title__startswith="Harbourline")
    assert story.body == "\n\n".join(STORY_EN_TEXT)
    for noise in (ADVERT, COMMENT, NAVIGATION, "Copyright"):
        assert noise not in story.body
    assert story.language == "en"


def test_second_poll_answered_304_creates_nothing(httpserver):
    feed_xml = rss(english_feed_items(httpserver))
    httpserver.expect_request("/feed.xml", headers={"If-None-Match": '"v1"'}).respond_with_data(
        "", status=304
    )
    serve(
        httpserver,
        "/feed.xml",
        feed_xml,
        content_type="application/rss+xml",
        headers={"ETag": '"v1"'},
    )
    feed = make_feed(httpserver)
    poll(feed)
    created = Article.objects.count()

    second = poll(feed)

    assert second.http_status == 304
    assert (second.items_new, second.items_known, second.error) == (0, 0, "")
    assert Article.objects.count() == created == 2


def test_second_full_poll_knows_every_item_and_fetches_no_page_again(httpserver):
    serve_english_feed(httpserver)
    feed = make_feed(httpserver)
    poll(feed)
    httpserver.clear_log()

    second = poll(feed)

    assert (second.items_new, second.items_known, second.items_refused) == (0, 2, 1)
    assert Article.objects.count() == 2
    assert [request.path for request, _ in httpserver.log] == ["/robots.txt", "/feed.xml"]


def test_trusted_outlet_items_go_to_review(httpserver):
    serve_english_feed(httpserver)
    poll(make_feed(httpserver, outlet=OutletFactory(name="Trusted Wire", trusted=True)))
    assert set(Article.objects.values_list("status", flat=True)) == {Article.Status.IN_REVIEW}


def test_french_atom_feed_is_taken_in_french(httpserver):
    entries = [
        {
            "title": "Bleu Cobalt ouvre un centre de recherche à Grenoble",
            "link": httpserver.url_for("/fr/bleu-cobalt"),
            "content": paragraphs_html(STORY_FR_TEXT),
        }
    ]
    serve(httpserver, "/atom.xml", atom(entries), content_type="application/atom+xml")
    result = poll(make_feed(httpserver, "/atom.xml"))
    assert result.items_new == 1
    story = Article.objects.get()
    assert story.language == "fr"
    assert story.body == "\n\n".join(STORY_FR_TEXT)
    assert story.byline == "Rédaction"


def test_same_story_in_two_feeds_with_tracking_parameters_is_created_once(httpserver):
    item = {
        "title": "Quarry Robotics raises money",
        "content": paragraphs_html(["Quarry Robotics raised forty million euros this week."]),
    }
    serve(
        httpserver,
        "/a.xml",
        rss([{**item, "link": httpserver.url_for("/quarry?utm_campaign=a")}]),
        content_type="application/rss+xml",
    )
    serve(
        httpserver,
        "/b.xml",
        rss([{**item, "link": httpserver.url_for("/quarry?fbclid=xyz#top")}]),
        content_type="application/rss+xml",
    )
    outlet = OutletFactory(name="The Test Wire")
    assert poll(make_feed(httpserver, "/a.xml", outlet=outlet)).items_new == 1
    assert poll(make_feed(httpserver, "/b.xml", outlet=outlet)).items_known == 1
    assert Article.objects.count() == 1


def test_syndicated_copy_on_another_outlet_is_linked_to_its_original(httpserver):
    text = paragraphs_html(STORY_EN_TEXT)
    serve(
        httpserver,
        "/wire.xml",
        rss(
            [
                {
                    "title": "Harbourline picks Leeds",
                    "link": httpserver.url_for("/wire/1"),
                    "content": text,
                }
            ]
        ),
        content_type="application/rss+xml",
    )
    serve(
        httpserver,
        "/daily.xml",
        rss(
            [
                {
                    "title": "Harbourline picks Leeds",
                    "link": httpserver.url_for("/daily/9"),
                    "content": text,
                }
            ]
        ),
        content_type="application/rss+xml",
    )
    poll(make_feed(httpserver, "/wire.xml", outlet=OutletFactory(name="Wire")))
    poll(make_feed(httpserver, "/daily.xml", outlet=OutletFactory(name="Daily")))
    original = Article.objects.get(outlet__name="Wire")
    copy = Article.objects.get(outlet__name="Daily")
    assert copy.syndicated_from == original


def test_item_whose_page_cannot_be_read_is_refused_and_the_feed_asked_in_full_again(httpserver):
    items = [{"title": "Gone", "link": httpserver.url_for("/gone"), "summary": "Short."}]
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    serve(
        httpserver,
        "/feed.xml",
        rss(items),
        content_type="application/rss+xml",
        headers={"ETag": '"v1"'},
    )
    feed = make_feed(httpserver)

    result = poll(feed)

    assert result.items_refused == 1
    assert "HTTP 404" in result.refusals[0]["reason"]
    assert not Article.objects.exists()
    feed.refresh_from_db()
    assert feed.etag == ""


def test_failing_feed_backs_off_exponentially_up_to_the_cap(settings, httpserver):
    settings.INTAKE_MAX_BACKOFF_MINUTES = 100
    httpserver.expect_request("/feed.xml").respond_with_data("down", status=500)
    feed = make_feed(httpserver, interval_minutes=15)

    waits = []
    for _ in range(4):
        result = poll(feed)
        feed.refresh_from_db()
        waits.append(round((feed.next_poll_at - result.finished_at).total_seconds() / 60))

    assert result.http_status == 500
    assert "HTTP 500" in result.error
    assert feed.consecutive_failures == 4
    assert "HTTP 500" in feed.last_error
    assert waits == [30, 60, 100, 100]


def test_feed_answering_again_is_healthy_and_polled_at_its_interval(httpserver):
    serve(httpserver, "/feed.xml", rss([]), content_type="application/rss+xml")
    feed = make_feed(httpserver, interval_minutes=20, consecutive_failures=3, last_error="x")
    result = poll(feed)
    feed.refresh_from_db()
    assert (feed.consecutive_failures, feed.last_error) == (0, "")
    assert feed.next_poll_at == result.finished_at + dt.timedelta(minutes=20)


def test_page_instead_of_a_feed_is_a_recorded_error(httpserver):
    serve(httpserver, "/feed.xml", "<html><body><p>Our news</p></body></html>")
    result = poll(make_feed(httpserver))
    assert "not an RSS or Atom feed" in result.error


def test_timed_out_feed_is_a_recorded_error(settings, httpserver):
    settings.INTAKE_READ_TIMEOUT = 0.3
    import time

    from werkzeug import Response

    def slow(request):
        # Past the time-out, but not so long that the next test's request waits.
        time.sleep(0.6)
        return Response(rss([]), content_type="application/rss+xml")

    httpserver.expect_request("/feed.xml").respond_with_handler(slow)
    result = poll(make_feed(httpserver))
    assert "took longer" in result.error
    assert result.http_status is None


def test_one_broken_feed_does_not_stop_the_others(httpserver, django_capture_on_commit_callbacks):
    httpserver.expect_request("/broken.xml").respond_with_data("down", status=500)
    serve_english_feed(httpserver)
    broken = make_feed(httpserver, "/broken.xml")
    working = make_feed(httpserver, "/feed.xml", outlet=broken.outlet)

    with django_capture_on_commit_callbacks(execute=True):
        assert poll_due_feeds() == 2

    assert broken.polls.get().error
    assert working.polls.get().items_new == 2
    assert Article.objects.count() == 2


def test_only_active_due_feeds_are_polled_and_each_is_held_back(
    httpserver, django_capture_on_commit_callbacks
):
    serve(httpserver, "/feed.xml", rss([]), content_type="application/rss+xml")
    later = timezone.now() + dt.timedelta(hours=1)
    make_feed(httpserver, "/later.xml", next_poll_at=later)
    make_feed(httpserver, "/paused.xml", active=False)
    due = make_feed(httpserver, "/feed.xml")

    with django_capture_on_commit_callbacks(execute=True):
        assert poll_due_feeds() == 1
    assert list(FeedPoll.objects.values_list("feed", flat=True)) == [due.pk]
    # Polled: its next time is its interval away, so the next minute's look skips it.
    assert poll_due_feeds() == 0


def test_only_the_latest_polls_are_kept(httpserver):
    serve(httpserver, "/feed.xml", rss([]), content_type="application/rss+xml")
    feed = make_feed(httpserver)
    for _ in range(FeedPoll.KEPT_PER_FEED + 2):
        poll(feed)
    assert feed.polls.count() == FeedPoll.KEPT_PER_FEED


def test_feed_item_html_is_made_paragraphs_once_each():
    html = (
        "<p>First <b>bold</b> words.</p><ul><li><p>Listed point</p></li></ul>"
        "<script>alert(1)</script><blockquote><p>Quoted</p></blockquote>"
    )
    assert html_text(html) == "First bold words.\n\nListed point\n\nQuoted"


RSS_091 = """<?xml version="1.0"?>
<rss version="0.91"><channel><title>The Test Wire</title><link>http://localhost/</link>
<description>Old feed</description><language>en</language>
<item><title>Harbourline picks Leeds</title><link>{link}</link>
<description>The Dutch chip designer picks Leeds.</description></item>
</channel></rss>"""
RSS_10 = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://localhost/"><title>The Test Wire</title>
<link>http://localhost/</link><description>RDF feed</description></channel>
<item rdf:about="{link}"><title>Harbourline picks Leeds</title><link>{link}</link>
<description>The Dutch chip designer picks Leeds.</description>
<dc:date>{date}</dc:date></item>
</rdf:RDF>"""


@pytest.mark.parametrize("template", [RSS_091, RSS_10], ids=["rss-0.91", "rss-1.0"])
def test_older_rss_versions_are_read(httpserver, template):
    english_feed_items(httpserver)  # serves the story's page
    link = httpserver.url_for("/2026/03/harbourline-leeds")
    date = timezone.now().isoformat()
    serve(
        httpserver,
        "/feed.xml",
        template.format(link=link, date=date),
        content_type="application/rss+xml",
    )
    assert poll(make_feed(httpserver)).items_new == 1
    assert Article.objects.get().body == "\n\n".join(STORY_EN_TEXT)


def test_poll_of_a_feed_deleted_meanwhile_does_nothing():
    assert poll_feed(987654) == 0
    assert not FeedPoll.objects.exists()
