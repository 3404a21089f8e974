"""The desk's feed screens: failing feeds stand out and can be filtered; polls are shown."""

import pytest
from django.urls import reverse

from intake.models import Feed, FeedPoll
from tests.factories import OutletFactory
from tests.intake.pages import rss, serve, serve_site

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:intake_feed_changelist")


@pytest.fixture
def feeds(db):
    outlet = OutletFactory(name="The Test Wire")
    healthy = Feed.objects.create(outlet=outlet, url="https://wire.example/feed.xml")
    failing = Feed.objects.create(
        outlet=outlet,
        url="https://wire.example/broken.xml",
        consecutive_failures=3,
        last_error="https://wire.example/broken.xml answered HTTP 500.",
    )
    return healthy, failing


def test_failing_feed_is_highlighted_with_its_error(admin_client, feeds):
    content = admin_client.get(CHANGELIST).content.decode()
    assert "Failing (3 in a row): https://wire.example/broken.xml answered HTTP 500." in content
    assert "errornote" in content


def test_failing_feeds_can_be_listed_alone(admin_client, feeds):
    healthy, failing = feeds
    response = admin_client.get(CHANGELIST, {"health": "failing"})
    assert list(response.context["cl"].result_list) == [failing]
    response = admin_client.get(CHANGELIST, {"health": "ok"})
    assert list(response.context["cl"].result_list) == [healthy]


def test_feed_list_costs_the_same_queries_for_many_feeds(
    admin_client, django_assert_max_num_queries
):
    for number in range(40):
        Feed.objects.create(
            outlet=OutletFactory(name=f"Outlet {number}"), url=f"https://o{number}.example/rss"
        )
    with django_assert_max_num_queries(12):
        assert admin_client.get(CHANGELIST).status_code == 200


def test_feed_page_shows_its_polls(admin_client, feeds):
    _, failing = feeds
    FeedPoll.objects.create(feed=failing, http_status=500, error="answered HTTP 500")
    FeedPoll.objects.create(feed=failing, http_status=200, items_new=4, items_known=6)
    response = admin_client.get(reverse("admin:intake_feed_change", args=[failing.pk]))
    assert response.status_code == 200
    assert len(response.context["inline_admin_formsets"][0].formset.forms) == 2


def test_poll_now_polls_the_chosen_feeds(
    admin_client, settings, httpserver, django_capture_on_commit_callbacks
):
    settings.INTAKE_ALLOW_LOOPBACK = True
    serve_site(httpserver)
    serve(httpserver, "/feed.xml", rss([]), content_type="application/rss+xml")
    feed = Feed.objects.create(outlet=OutletFactory(), url=httpserver.url_for("/feed.xml"))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CHANGELIST, {"action": "poll_now", "_selected_action": [feed.pk]}, follow=True
        )
    assert "Poll requested for 1 feed(s)." in response.content.decode()
    assert feed.polls.get().http_status == 200


def test_feed_list_links_to_add_from_url(admin_client):
    assert reverse("admin:intake_add_from_url") in admin_client.get(CHANGELIST).content.decode()


def test_feed_address_must_be_http_or_https(admin_client):
    response = admin_client.post(
        reverse("admin:intake_feed_add"),
        {
            "outlet": OutletFactory().pk,
            "url": "ftp://wire.example/feed.xml",
            "interval_minutes": 15,
            "active": "on",
            "next_poll_at_0": "2026-03-03",
            "next_poll_at_1": "09:00:00",
            "polls-TOTAL_FORMS": "0",
            "polls-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "starts with http:// or https://" in response.content.decode()
    assert not Feed.objects.exists()


def test_chief_editor_manages_feeds_and_an_editor_only_sees_them(
    chief_client, editor, feeds, client
):
    assert chief_client.get(reverse("admin:intake_feed_add")).status_code == 200
    client.force_login(editor)
    assert client.get(CHANGELIST).status_code == 200
    assert client.get(reverse("admin:intake_feed_add")).status_code == 403
