"""What a reader meets on timelines, pair pages and search: labelled filters folded away,
errors named by their labels, the stories each kind of page is expected to list, readable
topic names."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from articles.cache import new_site_generation
from articles.tagging import _topic_ids, topic_name
from entities.models import Topic
from tests.public_site import tags, text

pytestmark = pytest.mark.django_db

STORY_LISTS = [
    "/companies/meta-platforms/",
    "/people/mark-zuckerberg/",
    "/products/nvidia-h100/",
    "/partnerships/lg-electronics/meta-platforms/",
    "/search/?q=Meta",
]


def titles(response) -> list[str]:
    return [story.title for story in response.context["stories"]]


def links(html: str) -> set[str]:
    return {a.get("href") for a in tags(html, "a")}


@pytest.fixture
def passing(publish, stories):
    """A story about Samsung Electronics that names Nvidia, its H100 and Mark Zuckerberg in
    passing (none of them a subject), next to the Meta and LG stories of `stories`."""
    story = publish(
        "Samsung Electronics doubles its memory output",
        "Samsung Electronics doubled its memory output this quarter. Samsung Electronics said "
        "prices would rise, and Samsung Electronics will hire.\n\n"
        "Samsung Electronics expects more orders next year.\n\n"
        "One buyer is Nvidia, for its H100, an analyst said; Mark Zuckerberg visited the plant.",
        published_at=timezone.now() - timezone.timedelta(minutes=30),
    )
    named = {m.entity.slug: m.is_subject for m in story.mentions.select_related("entity")}
    assert named == {
        "samsung-electronics": True,
        "nvidia": False,
        "nvidia-h100": False,
        "mark-zuckerberg": False,
    }
    return story


# --- 1. Labels ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", STORY_LISTS)
def test_every_story_filter_has_a_label(client, stories, url):
    html = text(client.get(url))
    assert '<label for="id_outlet">Outlet</label>' in html
    assert '<label for="id_language">Language</label>' in html
    assert "[invalid name]" not in html


# --- 2. Errors ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", STORY_LISTS)
def test_a_value_not_understood_is_named_by_its_label(client, stories, url):
    separator = "&" if "?" in url else "?"
    html = text(client.get(f"{url}{separator}published_after=2024-02-31&outlet=abc"))
    assert "<li>From: Enter a valid date.</li>" in html
    assert "<li>Outlet: Select a valid choice." in html
    errors = html[html.index('<div class="form-errors"') :]
    assert "published_after" not in errors[: errors.index("</div>")]


def test_the_error_in_french_words_reads_the_same(client, stories):
    html = text(client.get("/companies/meta-platforms/", {"language": "français"}))
    assert "<li>Language: Select a valid choice. français is not one of the available" in html


# --- 3. Folded filters --------------------------------------------------------------------


def details(html: str) -> dict:
    (found,) = [d for d in tags(html, "details") if d.get("class") == "filters"]
    return found


@pytest.mark.parametrize("url", STORY_LISTS)
def test_filters_are_folded_until_the_reader_opens_them(client, stories, url):
    html = text(client.get(url))
    assert "open" not in details(html)
    assert "<summary>Filter the stories</summary>" in html
    assert "Clear filters" not in html


@pytest.mark.parametrize("url", STORY_LISTS)
def test_filters_open_when_a_value_needs_fixing(client, stories, url):
    separator = "&" if "?" in url else "?"
    html = text(client.get(f"{url}{separator}published_before=yesterday"))
    assert "open" in details(html)


def test_filters_set_are_named_outside_the_fold(client, stories):
    _, french = stories
    response = client.get(
        "/companies/meta-platforms/",
        {"language": "fr", "published_after": "2020-01-31", "outlet": french.outlet_id},
    )
    html = text(response)
    assert titles(response) == [french.title]
    assert "open" not in details(html)
    assert (
        "Only stories with From: 31 January 2020, Outlet: Newsdesk Wire, Language: French. "
        '<a href="/companies/meta-platforms/">Clear filters</a>'
    ) in html
    assert "<summary>Change the filters</summary>" in html


def test_french_filter_summary_keeps_the_search_words(client, stories):
    html = text(client.get("/search/", {"q": "réalité", "language": "fr"}))
    assert "Only stories with Language: French." in html
    assert '<a href="/search/?q=r%C3%A9alit%C3%A9">Clear filters</a>' in html


# --- 4. Which stories a timeline lists by default ---------------------------------------


@pytest.mark.parametrize("url", ["/people/mark-zuckerberg/", "/products/nvidia-h100/"])
def test_person_and_product_pages_list_every_story_naming_them(client, passing, url):
    response = client.get(url)
    assert passing.title in titles(response)
    assert passing.title not in titles(client.get(url, {"mentions": "subjects"}))
    assert passing.title in titles(client.get(url, {"mentions": "all"}))


@pytest.mark.parametrize("url", ["/people/mark-zuckerberg/", "/products/nvidia-h100/"])
@pytest.mark.parametrize("feed", ["rss", "atom"])
def test_person_and_product_feeds_list_every_story_naming_them(client, passing, url, feed):
    assert passing.title in client.get(f"{url}{feed}/").content.decode()
    subjects = client.get(f"{url}{feed}/", {"mentions": "subjects"}).content.decode()
    assert passing.title not in subjects


def test_company_page_lists_the_stories_about_it_unless_asked_for_all(client, passing):
    response = client.get("/companies/nvidia/")
    assert titles(response) == []
    html = text(response)
    assert "No story is about Nvidia. " in html
    assert '<a href="/companies/nvidia/?mentions=all">Show every story that names it</a>' in html
    assert passing.title in titles(client.get("/companies/nvidia/", {"mentions": "all"}))
    assert passing.title not in client.get("/companies/nvidia/rss/").content.decode()
    assert passing.title in client.get("/companies/nvidia/rss/?mentions=all").content.decode()


def test_mentions_switch_keeps_the_filters_and_links_the_plain_address(client, passing):
    person = text(client.get("/people/mark-zuckerberg/", {"language": "en", "page": "1"}))
    switch = "/people/mark-zuckerberg/?language=en&amp;mentions=subjects"
    assert f'<a href="{switch}">Show only stories about it</a>' in person
    subjects = text(
        client.get("/people/mark-zuckerberg/", {"language": "en", "mentions": "subjects"})
    )
    assert (
        '<a href="/people/mark-zuckerberg/?language=en">Show every story that names it</a>'
        in subjects
    )
    # "Clear filters" keeps the choice of stories.
    assert '<a href="/people/mark-zuckerberg/?mentions=subjects">Clear filters</a>' in subjects
    company = text(client.get("/companies/meta-platforms/", {"mentions": "all", "language": "fr"}))
    assert '<a href="/companies/meta-platforms/?language=fr">Show only stories about it</a>' in (
        company
    )


@pytest.mark.parametrize(
    "url",
    [
        "/people/mark-zuckerberg/?mentions=subjects",
        "/products/nvidia-h100/rss/?mentions=subjects",
        "/companies/nvidia/atom/?mentions=all",
    ],
)
def test_the_page_cache_keeps_the_mentions_choice(client, passing, url):
    assert client.get(url).status_code == 200


def test_timeline_pages_feed_links_carry_the_choice(client, passing):
    html = text(client.get("/people/mark-zuckerberg/", {"mentions": "subjects"}))
    assert "/people/mark-zuckerberg/rss/?mentions=subjects" in links(html)


# --- 5. Topic names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "name"),
    [
        ("ai", "AI"),
        ("xr", "XR"),
        ("chips", "Chips"),
        ("cloud", "Cloud"),
        ("automotive", "Automotive"),
        ("5g", "5G"),
        ("data-centres", "Data Centres"),
    ],
)
def test_topic_names_are_readable(slug, name):
    assert topic_name(slug) == name


def test_tagging_creates_topics_with_readable_names(db):
    Topic.objects.create(slug="gaming", name="Video games")  # an editor's name stays
    _topic_ids({"ai", "chips", "cloud", "gaming", "xr"})
    assert dict(Topic.objects.values_list("slug", "name")) == {
        "ai": "AI",
        "chips": "Chips",
        "cloud": "Cloud",
        "gaming": "Video games",
        "xr": "XR",
    }


def test_tagged_relationships_show_readable_topics(client, publish):
    publish(
        "Samsung Electronics buys H100 chips from Nvidia",
        "Samsung Electronics will buy H100 chips from Nvidia for its cloud data centres.",
    )
    new_site_generation()
    html = text(client.get("/companies/samsung-electronics/"))
    assert '<span class="topic">Chips</span>' in html
    assert '<span class="topic">chips</span>' not in html


def test_migration_gives_lower_case_topics_readable_names(db):
    migration = importlib.import_module("articles.migrations.0005_readable_topic_names")
    for slug, name in [
        ("chips", "chips"),
        ("cloud", "cloud"),
        ("ai", "AI"),
        ("payments", "Payments"),
        ("gaming", "video games"),
    ]:
        Topic.objects.create(slug=slug, name=name)
    migration.name_topics(apps, None)
    assert dict(Topic.objects.values_list("slug", "name")) == {
        "ai": "AI",
        "chips": "Chips",
        "cloud": "Cloud",
        "gaming": "video games",
        "payments": "Payments",
    }


# --- 3. Folded filters, in a browser --------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_stories_come_before_the_filters(chromium_page, live_server):
    from tests.public_site import build_newsroom

    newsroom = build_newsroom()
    page = chromium_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/companies/meta-platforms/?mentions=all")
    fold = page.locator("details.filters")
    language = page.locator("select[name=language]")
    folded = fold.bounding_box()
    first_story = page.locator(".story-item").first.bounding_box()
    assert folded["height"] < 60
    assert first_story["y"] - (folded["y"] + folded["height"]) < 150
    assert not language.is_visible()

    page.get_by_text("Filter the stories").click()
    assert language.is_visible()
    open_on_a_phone = fold.bounding_box()["height"]
    language.select_option("fr")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    assert page.locator(".story-item h3").all_inner_texts() == [
        newsroom.stories["meta-lg-fr"].title
    ]
    assert not language.is_visible()
    assert page.get_by_text("Only stories with Language: French.").is_visible()

    page.goto(f"{live_server.url}/companies/meta-platforms/?published_after=2024-02-31")
    assert page.get_by_text("From: Enter a valid date.").is_visible()
    assert page.locator("input[name=published_after]").is_visible()

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/companies/meta-platforms/")
    page.get_by_text("Filter the stories").click()
    # One field a line on a phone; side by side, in two or three lines, on a wide screen.
    assert fold.bounding_box()["height"] < open_on_a_phone / 2
    assert page.problems == []
