"""The public story pages: the latest stories, one story, and search."""

import pytest
from django.utils import timezone

from tests.factories import OutletFactory, bulk_published
from tests.public_site import position, tags, text

# The newsroom is built once for the module; every test here sees it.
pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [story.title for story in response.context["stories"]]


# --- Home ---------------------------------------------------------------------------------


NEWEST_FIRST = [
    "nvidia-revenue",
    "meta-lg-fr",
    "meta-lg",
    "samsung-nvidia",
    "apple-samsung",
    "samsung-meta",
]


def test_home_lists_public_stories_newest_first(client, newsroom):
    response = client.get("/")
    assert response.status_code == 200
    assert titles(response) == [newsroom.stories[key].title for key in NEWEST_FIRST]


def test_home_shows_outlet_date_and_entity_chips(client, newsroom):
    html = text(client.get("/"))
    assert "Tech Ledger · <time" in html
    assert '<time datetime="2024-02-29T10:00:00+00:00">29 February 2024</time>' in html
    chip_links = {a["href"] for a in tags(html, "a") if "chip" in a.get("class", "")}
    assert {
        "/companies/meta-platforms/",
        "/companies/lg-electronics/",
        "/people/mark-zuckerberg/",
        "/products/nvidia-h100/",
    } <= chip_links


def test_home_groups_stories_by_month_newest_month_first(client, newsroom):
    html = text(client.get("/"))
    march, february, january, december, november = position(
        html,
        '<h2 class="month-heading">March 2024</h2>',
        '<h2 class="month-heading">February 2024</h2>',
        '<h2 class="month-heading">January 2024</h2>',
        '<h2 class="month-heading">December 2023</h2>',
        '<h2 class="month-heading">November 2023</h2>',
    )
    assert march < february < january < december < november
    assert html.count('<h2 class="month-heading">March 2024</h2>') == 1


@pytest.fixture
def many_stories(newsroom):
    """25 recent stories, on top of the newsroom's 6 older ones (bulk-made: no tagging)."""
    outlet = OutletFactory(name="Bulk Wire")
    start = timezone.now() - timezone.timedelta(days=30)
    return bulk_published(
        outlet,
        range(25),
        title="Routine market update number {n:02d}",
        body="Markets moved a little.",
        published_at=lambda n: start + timezone.timedelta(hours=n),
    )


def test_home_second_page_shows_older_stories(client, newsroom, many_stories):
    first = client.get("/")
    second = client.get("/?page=2")
    assert second.status_code == 200
    assert titles(first)[0] == "Routine market update number 24"
    assert titles(second)[:5] == [f"Routine market update number {n:02d}" for n in range(4, -1, -1)]
    assert titles(second)[5:] == [newsroom.stories[key].title for key in NEWEST_FIRST]
    assert 'rel="next" href="?page=2"' in text(first)
    assert "Page 2" in text(second)
    assert 'rel="next"' not in text(second)


def test_home_page_out_of_range_or_not_a_number_is_not_found(client, many_stories):
    for page in ["3", "999", "0", "-1", "abc", "1.5", "%00", "9" * 40]:
        assert client.get(f"/?page={page}").status_code == 404, page


def test_home_last_page_by_name_works(client, many_stories):
    assert client.get("/?page=last").status_code == 200


# --- Story --------------------------------------------------------------------------------


def test_story_shows_title_standfirst_byline_and_date(client, newsroom):
    story = newsroom.stories["meta-lg"]
    html = text(client.get(story.get_absolute_url()))
    assert f"<h1>{story.title}</h1>" in html
    assert f'<p class="standfirst">{story.standfirst}</p>' in html
    assert "Tech Ledger · Ada Writer · " in html
    assert ">29 February 2024</time>" in html


def test_story_links_tagged_entities_in_its_text(client, newsroom):
    html = text(client.get(newsroom.stories["meta-lg"].get_absolute_url()))
    assert '<a href="/companies/meta-platforms/" class="entity">Meta Platforms</a>' in html
    assert '<a href="/companies/lg-electronics/" class="entity">LG Electronics</a>' in html
    assert '<a href="/people/mark-zuckerberg/" class="entity">Mark Zuckerberg</a>' in html
    assert '<a href="/people/william-cho/" class="entity">William Cho</a>' in html


def test_story_body_keeps_its_paragraphs(client, newsroom):
    html = text(client.get(newsroom.stories["meta-lg"].get_absolute_url()))
    assert "<p>The first headset is planned for next year.</p>" in html


def test_story_shows_relationships_with_evidence_and_pair_link(client, newsroom):
    response = client.get(newsroom.stories["meta-lg"].get_absolute_url())
    html = text(response)
    assert '<a href="/partnerships/lg-electronics/meta-platforms/">' in html
    assert (
        '<blockquote lang="en">Meta Platforms and LG Electronics signed a partnership to build '
        "mixed-reality headsets.</blockquote>" in html
    )
    assert [r.kind for r in response.context["relationships"]] == ["partnership"]


def test_story_links_its_source(client, newsroom):
    story = newsroom.stories["meta-lg"]
    html = text(client.get(story.get_absolute_url()))
    sources = [a["href"] for a in tags(html, "a") if a.get("rel") == "noopener nofollow"]
    assert sources == [story.source_url]
    assert "Read the original at Tech Ledger" in html


def test_story_page_only_links_http_sources_and_site_pages(client, newsroom):
    for story in newsroom.stories.values():
        html = text(client.get(story.get_absolute_url()))
        for link in tags(html, "a"):
            assert link["href"].startswith(("/", "#", "?", "http://", "https://")), link


def test_related_stories_share_entities_and_are_public(client, newsroom):
    response = client.get(newsroom.stories["meta-lg"].get_absolute_url())
    related = [story.title for story in response.context["related"]]
    assert related[0] == newsroom.stories["meta-lg-fr"].title
    assert set(related) == {
        newsroom.stories[key].title for key in ["meta-lg-fr", "samsung-meta", "nvidia-revenue"]
    }
    assert newsroom.stories["meta-lg-fr"].title in text(response)


@pytest.mark.parametrize("key", ["draft", "in_review", "archived", "embargoed"])
def test_unpublished_story_is_not_found(client, newsroom, key):
    response = client.get(newsroom.hidden[key].get_absolute_url())
    assert response.status_code == 404
    assert "Not found" in text(response)
    assert newsroom.hidden[key].title not in text(response)


def test_unknown_story_is_not_found(client, db):
    assert client.get("/stories/no-such-story/").status_code == 404


# --- Languages and dates ------------------------------------------------------------------


def test_french_story_is_marked_french_and_english_one_english(client, newsroom):
    french = text(client.get(newsroom.stories["meta-lg-fr"].get_absolute_url()))
    english = text(client.get(newsroom.stories["meta-lg"].get_absolute_url()))
    assert '<article class="story" lang="fr">' in french
    assert '<blockquote lang="fr">Meta Platforms et LG Electronics ont signé' in french
    assert '<article class="story" lang="en">' in english


def test_story_lists_mark_each_title_and_standfirst_with_its_language(client, newsroom):
    html = text(client.get("/"))
    french = newsroom.stories["meta-lg-fr"]
    english = newsroom.stories["meta-lg"]
    assert f'<h3 lang="fr"><a href="{french.get_absolute_url()}">{french.title}</a></h3>' in html
    assert f'<p class="standfirst" lang="fr">{french.standfirst}</p>' in html
    assert f'<h3 lang="en"><a href="{english.get_absolute_url()}">{english.title}</a></h3>' in html


def test_dates_read_day_month_year_in_english_even_on_french_stories(client, newsroom):
    html = text(client.get(newsroom.stories["meta-lg-fr"].get_absolute_url()))
    assert ">12 March 2024</time>" in html


# --- Search -------------------------------------------------------------------------------


def test_search_finds_public_stories_by_their_words(client, newsroom):
    response = client.get("/search/", {"q": "headsets"})
    assert response.status_code == 200
    assert set(titles(response)) == {
        newsroom.stories["meta-lg"].title,
        newsroom.stories["apple-samsung"].title,
    }
    assert "2 stories match “headsets”." in text(response)


def test_search_without_words_lists_nothing(client, newsroom):
    response = client.get("/search/", {"q": "   "})
    assert response.status_code == 200
    assert list(response.context["stories"]) == []


def test_search_finds_a_french_story_with_its_accents(client, newsroom):
    response = client.get("/search/", {"q": "réalité"})
    assert titles(response) == [newsroom.stories["meta-lg-fr"].title]


def test_search_folds_accents(client, newsroom):
    response = client.get("/search/", {"q": "realite"})
    assert titles(response) == [newsroom.stories["meta-lg-fr"].title]


SAMSUNG_STORIES = {"samsung-nvidia", "apple-samsung", "samsung-meta"}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, SAMSUNG_STORIES),
        ({"relationship": "competition"}, {"apple-samsung"}),
        ({"topic": "chips"}, {"samsung-nvidia"}),
        ({"also": "apple"}, {"apple-samsung"}),
        ({"language": "en"}, SAMSUNG_STORIES),
        ({"published_after": "2024-01-01"}, {"samsung-nvidia"}),
        ({"published_before": "2023-11-30"}, {"samsung-meta"}),
        ({"relationship": "partnership", "published_before": "2023-12-31"}, {"samsung-meta"}),
    ],
)
def test_search_filters_narrow_the_results(client, newsroom, filters, expected):
    response = client.get("/search/", {"q": "Samsung", **filters})
    assert response.status_code == 200
    assert not response.context["filterset"].errors
    assert set(titles(response)) == {newsroom.stories[key].title for key in expected}


def test_search_outlet_filter_narrows_the_results(client, newsroom):
    chip_wire = newsroom.stories["samsung-nvidia"].outlet
    response = client.get("/search/", {"q": "Samsung", "outlet": chip_wire.pk})
    assert titles(response) == [newsroom.stories["samsung-nvidia"].title]


def test_search_keeps_the_words_when_filters_are_cleared(client, newsroom):
    response = client.get("/search/", {"q": "Samsung", "language": "en"})
    html = text(response)
    assert '<input type="hidden" name="q" value="Samsung">' in html
    assert '<a href="/search/?q=Samsung">Clear filters</a>' in html


def test_search_second_page_keeps_the_words(client, many_stories):
    first = client.get("/search/", {"q": "Routine market"})
    assert 'rel="next" href="?q=Routine%20market&amp;page=2"' in text(first)
    second = client.get("/search/", {"q": "Routine market", "page": 2})
    assert second.status_code == 200
    assert len(second.context["stories"]) == 5
    assert client.get("/search/", {"q": "Routine market", "page": 999}).status_code == 404
