"""Readers only ever see published stories whose time has come.

The newsroom holds a draft, a story in review, an archived one and an embargoed one (published
status, publication time next week). None of them, nor anything only they say, may show on any
public page, count, chart, sitemap, search result, related-stories list or relationship.
"""

import re

import pytest
from django.utils import dateformat

from articles.models import Article
from articles.services import article_transition
from entities.models import Relationship
from tests.factories import UserFactory
from tests.public_site import text

# The newsroom is built once for the module; every test here sees it.
pytestmark = pytest.mark.django_db

# Sentences that only the hidden stories' texts contain.
HIDDEN_SENTENCES = [
    "invested two billion dollars",
    "agreed to acquire a unit",
    "partnership extension",
    "slowed down in Europe",
]

ENTITY_PAGES = [
    "/companies/apple/",
    "/companies/lg-corp/",
    "/companies/lg-electronics/",
    "/companies/meta-platforms/",
    "/companies/nvidia/",
    "/companies/samsung-electronics/",
    "/people/mark-zuckerberg/",
    "/people/william-cho/",
    "/products/apple-vision-pro/",
    "/products/nvidia-h100/",
]
PAIR_PAGES = [
    "/partnerships/lg-electronics/meta-platforms/",
    "/partnerships/nvidia/samsung-electronics/",
    "/partnerships/apple/samsung-electronics/",
    "/partnerships/meta-platforms/samsung-electronics/",
    "/partnerships/apple/nvidia/",
    "/partnerships/lg-corp/samsung-electronics/",
]
SEARCHES = [
    "Apple",
    "Nvidia",
    "LG",
    "Meta Platforms",
    "Samsung",
    "Vision Pro",
    "invests",
    "acquires",
    "extend",
    "Europe",
    "headset",
]
PUBLIC_PAGES = [
    "/",
    "/companies/",
    "/partnerships/",
    "/sitemap.xml",
    "/sitemap-stories.xml",
    "/sitemap-entities.xml",
    "/sitemap-pairs.xml",
    *ENTITY_PAGES,
    *[f"{url}?mentions=all" for url in ENTITY_PAGES],
    *PAIR_PAGES,
    *[f"/search/?q={words}" for words in SEARCHES],
]


def assert_nothing_hidden(newsroom, html):
    for hidden in [*newsroom.hidden_texts, *HIDDEN_SENTENCES]:
        assert hidden not in html


def assert_no_embargo_date(newsroom, html):
    embargo = newsroom.hidden["embargoed"].published_at
    assert dateformat.format(embargo, "j F Y") not in html
    assert embargo.date().isoformat() not in html


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_no_public_page_shows_anything_from_unpublished_stories(client, newsroom, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_nothing_hidden(newsroom, text(response))


def test_no_story_page_shows_anything_from_unpublished_stories(client, newsroom):
    for story in newsroom.stories.values():
        response = client.get(story.get_absolute_url())
        assert response.status_code == 200
        assert_nothing_hidden(newsroom, text(response))


def test_related_stories_are_never_unpublished(client, newsroom):
    hidden = {story.pk for story in newsroom.hidden.values()}
    for story in newsroom.stories.values():
        related = client.get(story.get_absolute_url()).context["related"]
        assert not {other.pk for other in related} & hidden, story.slug


def test_search_for_words_only_unpublished_stories_use_finds_nothing(client, newsroom):
    for words in ["invests", "acquires", "extend", "Europe", "undisclosed"]:
        response = client.get("/search/", {"q": words})
        assert list(response.context["stories"]) == [], words


def test_the_company_directory_leaves_unpublished_stories_out(client, newsroom):
    companies = client.get("/companies/", {"sort": "name"}).context["companies"]
    latest = {company.slug: company.latest_story.slug for company in companies}
    # LG Corp is only named in the story under review; Apple also in the draft and the
    # archived story; Meta and LG Electronics also in the embargoed one.
    assert "lg-corp" not in latest
    assert latest["apple"] == newsroom.stories["apple-samsung"].slug
    assert latest["meta-platforms"] == newsroom.stories["nvidia-revenue"].slug
    assert latest["lg-electronics"] == newsroom.stories["meta-lg-fr"].slug
    everyone = client.get("/companies/", {"show": "all"}).context["companies"]
    assert [c.latest_story for c in everyone if c.slug == "lg-corp"] == [None]


def chart_total(response) -> int:
    found = re.search(r"<desc id=\"chart-desc\">(\d+) stor", text(response))
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize(
    ("url", "total"),
    [
        ("/companies/apple/?mentions=all", 1),
        ("/companies/nvidia/?mentions=all", 2),
        ("/companies/lg-corp/?mentions=all", 0),
        ("/companies/meta-platforms/", 3),
        ("/companies/lg-electronics/", 2),
        ("/products/apple-vision-pro/", 1),
    ],
)
def test_charts_count_public_stories_only(client, newsroom, url, total):
    response = client.get(url)
    assert chart_total(response) == total
    assert "March 2024: 1 story" not in text(client.get("/products/apple-vision-pro/"))


def test_timelines_list_public_stories_only(client, newsroom):
    for url in ENTITY_PAGES:
        stories = client.get(url, {"mentions": "all"}).context["stories"]
        assert all(story.status == Article.Status.PUBLISHED for story in stories), url
        assert not {story.pk for story in stories} & {s.pk for s in newsroom.hidden.values()}


def test_relationship_known_only_from_unpublished_stories_is_not_listed(client, newsroom):
    listed = {
        (pair.company_a.slug, pair.company_b.slug)
        for pair in client.get("/partnerships/").context["pairs"]
    }
    assert ("apple", "nvidia") not in listed
    assert ("lg-corp", "samsung-electronics") not in listed
    cards = client.get("/companies/apple/").context["relationship_groups"]
    assert [label for label, _ in cards] == ["Competition"]
    assert client.get("/companies/lg-corp/").context["relationship_groups"] == []


@pytest.mark.parametrize(
    "url", ["/partnerships/apple/nvidia/", "/partnerships/lg-corp/samsung-electronics/"]
)
def test_pair_page_of_an_unpublished_relationship_shows_no_evidence(client, newsroom, url):
    response = client.get(url)
    assert response.status_code == 200
    assert list(response.context["relationships"]) == []
    assert "<blockquote" not in text(response)
    assert "no public relationship between these two companies" in text(response)


def test_pair_page_leaves_out_evidence_from_an_embargoed_story(client, newsroom):
    response = client.get("/partnerships/lg-electronics/meta-platforms/")
    shown = {item.story.slug for item in response.context["evidence"]}
    assert shown == {newsroom.stories["meta-lg"].slug, newsroom.stories["meta-lg-fr"].slug}


@pytest.mark.parametrize(
    "url", ["/partnerships/", "/companies/meta-platforms/", "/companies/lg-electronics/"]
)
def test_relationship_dates_do_not_reveal_an_embargoed_story(client, newsroom, url):
    """The Meta Platforms and LG Electronics partnership was last seen in a public story on
    12 March 2024; the embargoed story that also shows it must not move that date."""
    html = text(client.get(url))
    assert "latest 12 March 2024" in html
    assert_no_embargo_date(newsroom, html)


def test_sitemaps_list_only_public_stories_entities_and_pairs(client, newsroom):
    stories = text(client.get("/sitemap-stories.xml"))
    entities = text(client.get("/sitemap-entities.xml"))
    pairs = text(client.get("/sitemap-pairs.xml"))
    for story in newsroom.hidden.values():
        assert story.get_absolute_url() not in stories
    assert "/companies/lg-corp/" not in entities
    assert "/partnerships/apple/nvidia/" not in pairs
    assert "/partnerships/lg-corp/samsung-electronics/" not in pairs


def test_a_story_sent_back_to_draft_leaves_every_page(client, newsroom):
    chief = UserFactory(username="chief", groups=["Chief editor"])
    story = newsroom.stories["meta-lg"]
    article_transition(article=story, step="return_to_draft", by=chief)

    assert client.get(story.get_absolute_url()).status_code == 404
    for url in ["/", "/companies/meta-platforms/", "/people/mark-zuckerberg/", "/search/?q=Meta"]:
        assert story.title not in text(client.get(url)), url
    companies = client.get("/companies/").context["companies"]
    assert story not in [company.latest_story for company in companies]
    pair = client.get("/partnerships/lg-electronics/meta-platforms/")
    assert [item.story.slug for item in pair.context["evidence"]] == [
        newsroom.stories["meta-lg-fr"].slug
    ]
    assert story.get_absolute_url() not in text(client.get("/sitemap-stories.xml"))
    assert "/people/william-cho/" not in text(client.get("/sitemap-entities.xml"))


def test_a_rejected_relationship_is_not_listed(client, newsroom):
    Relationship.objects.filter(kind="competition").update(status=Relationship.Status.REJECTED)
    pairs = client.get("/partnerships/").context["pairs"]
    listed = [r.kind for pair in pairs for r in pair.relationships]
    assert "competition" not in listed
    assert "/partnerships/apple/samsung-electronics/" not in text(client.get("/sitemap-pairs.xml"))
