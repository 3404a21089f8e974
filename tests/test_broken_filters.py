"""Broken or odd filter values never cause a server error.

An invalid value shows a form error and the unfiltered list; a valid but unmatched one shows
an empty list; a page number that is not a page is a 404.
"""

from urllib.parse import urlencode, urlsplit

import pytest

from tests.public_site import text

# The newsroom is built once for the module; every test here sees it.
pytestmark = pytest.mark.django_db

# Pages listing stories through the shared story filters, with what they list unfiltered.
STORY_LISTS = {
    "/companies/meta-platforms/?mentions=all": 4,
    "/companies/samsung-electronics/": 3,
    "/people/mark-zuckerberg/": 1,
    "/products/nvidia-h100/": 1,
    "/partnerships/lg-electronics/meta-platforms/": 2,
    "/search/?q=Samsung": 3,
}

RTL_OVERRIDE = "\u202e"
ZERO_WIDTH = "\u200b"

INVALID_STORY_FILTERS = [
    {"published_after": "2024-02-31"},
    {"published_before": "yesterday"},
    {"published_after": "2024-13-01"},
    {"published_before": "0000-00-00"},
    {"published_after": "9" * 5000},
    {"outlet": "999999"},
    {"outlet": "abc"},
    {"outlet": "-1"},
    {"outlet": "9" * 40},
    {"outlet": "1.5"},
    {"language": "xx"},
    {"language": "EN"},
    {"language": f"en{ZERO_WIDTH}"},
    {"relationship": "friendship"},
    {"relationship": "partnership" * 500},
    {"topic": "x y"},
    {"topic": "\x00"},
    {"also": "\x00"},
    {"also": f"meta-platforms{RTL_OVERRIDE}"},
    {"also": f"meta{ZERO_WIDTH}-platforms"},
    {"also": "🚀"},
    {"also": "é" * 5000},
    {"also": "../../etc/passwd"},
    {"also": "meta-platforms' OR 1=1 --"},
]


# One of each kind, tried on every page; the whole list is tried on one page (the filters are
# the same class everywhere).
SAMPLE_INVALID_STORY_FILTERS = [
    {"published_after": "2024-02-31"},
    {"published_before": "yesterday"},
    {"outlet": "abc"},
    {"language": "xx"},
    {"relationship": "friendship"},
    {"also": "\x00"},
]


def get(client, url, params=None, raw=""):
    """GET the url keeping its own query string, plus params and a raw query string.

    A parameter the page does not read is dropped by a redirect, which is followed.
    """
    query = urlencode(params or {}, doseq=True)
    joined = "&".join(part for part in [urlsplit(url).query, query, raw] if part)
    return client.get(f"{urlsplit(url).path}?{joined}", follow=True)


def story_count(response) -> int:
    # Every list of the newsroom fits on its first page.
    assert not response.context["page_obj"].has_next()
    return len(response.context["stories"])


def assert_unfiltered_with_error(response, url):
    assert response.status_code == 200
    assert response.context["filterset"].errors
    assert "Some filters were not understood, so every story is shown" in text(response)
    assert story_count(response) == STORY_LISTS[url]


@pytest.mark.parametrize("url", STORY_LISTS)
def test_invalid_story_filter_shows_an_error_and_the_unfiltered_list(client, newsroom, url):
    for filters in SAMPLE_INVALID_STORY_FILTERS:
        assert_unfiltered_with_error(get(client, url, filters), url)


@pytest.mark.parametrize(
    "filters", INVALID_STORY_FILTERS, ids=[str(i) for i in range(len(INVALID_STORY_FILTERS))]
)
def test_every_kind_of_invalid_filter_value_is_refused(client, newsroom, filters):
    url = "/companies/meta-platforms/?mentions=all"
    assert_unfiltered_with_error(get(client, url, filters), url)


def test_invalid_and_valid_filters_together_show_the_unfiltered_list(client, newsroom):
    url = "/companies/meta-platforms/?mentions=all"
    response = get(client, url, {"language": "fr", "published_after": "2024-02-31"})
    assert_unfiltered_with_error(response, url)


@pytest.mark.parametrize("url", STORY_LISTS)
def test_valid_but_unmatched_filters_show_an_empty_list_without_errors(client, newsroom, url):
    filters = {
        "also": "a" * 5000,
        "topic": "no-such-topic",
        "published_after": "2999-01-01",
        "language": "de",
    }
    for name, value in filters.items():
        response = get(client, url, {name: value})
        assert response.status_code == 200, name
        assert not response.context["filterset"].errors, name
        assert story_count(response) == 0, name
        empty = (
            "No story matches “Samsung” with these filters." if "q=" in url else "No stories match."
        )
        assert empty in text(response)


@pytest.mark.parametrize("url", STORY_LISTS)
def test_repeated_parameters_use_one_value_and_never_fail(client, newsroom, url):
    repeated = "language=en&language=fr&language=xx&outlet=1&outlet=abc&also=x&also=%00"
    assert get(client, url, raw=repeated).status_code == 200
    last_wins = get(client, url, raw="language=xx&language=en")
    assert not last_wins.context["filterset"].errors


@pytest.mark.parametrize("url", STORY_LISTS)
def test_odd_unicode_in_any_parameter_never_fails(client, newsroom, url):
    for value in [RTL_OVERRIDE + "abc", "🚀🔥", "%ff%fe%00"]:
        response = get(client, url, raw=f"published_after={value}&unknown={value}")
        assert response.status_code == 200, value
        assert story_count(response) == STORY_LISTS[url], value


@pytest.mark.parametrize("url", STORY_LISTS)
def test_a_page_that_does_not_exist_is_not_found(client, newsroom, url):
    for page in ["-1", "abc", "999"]:
        assert get(client, url, raw=f"page={page}").status_code == 404, page


def test_no_odd_page_number_is_a_server_error(client, newsroom):
    url = "/companies/meta-platforms/?mentions=all"
    for page in ["0", "1e3", "%00", "9" * 50, "1.0", ZERO_WIDTH + "1"]:
        assert get(client, url, raw=f"page={page}").status_code == 404, page
    assert get(client, url, raw="page=1").status_code == 200
    assert get(client, url, raw="page=last").status_code == 200


@pytest.mark.parametrize(
    "filters",
    [
        {"sector": "farming"},
        {"sector": "\x00"},
        {"letter": "ab"},
        {"letter": "\x00"},
        {"letter": "%"},
        {"letter": "_"},
        {"sort": "size"},
        {"show": "\x00"},
        {"q": "\x00"},
        {"q": "x" * 5000, "letter": "toolong"},
    ],
)
def test_company_list_invalid_filter_shows_every_company(client, newsroom, filters):
    response = client.get("/companies/", filters)
    assert response.status_code == 200
    assert response.context["filterset"].errors
    assert "Some filters were not understood, so every company is shown" in text(response)
    # Every company named in a public story: LG Corp is named in none.
    assert len(response.context["companies"]) == 5


@pytest.mark.parametrize(
    "filters",
    [{"q": "%"}, {"q": "_"}, {"q": RTL_OVERRIDE}, {"q": "🚀"}],
)
def test_company_list_wildcard_characters_match_literally(client, newsroom, filters):
    response = client.get("/companies/", filters)
    assert response.status_code == 200
    assert not response.context["filterset"].errors
    assert len(response.context["companies"]) == 0


@pytest.mark.parametrize(
    "filters",
    [
        {"kind": "friendship"},
        {"kind": "\x00"},
        {"topic": "no-such-topic"},
        {"topic": "\x00"},
        {"company": f"meta{RTL_OVERRIDE}"},
        {"company": "\x00"},
        {"company": "🚀", "kind": "x" * 5000},
    ],
)
def test_partnership_list_invalid_filter_shows_every_relationship(client, newsroom, filters):
    response = client.get("/partnerships/", filters)
    assert response.status_code == 200
    assert response.context["filterset"].errors
    assert "Some filters were not understood, so every relationship is shown" in text(response)
    assert len(response.context["pairs"]) == 4


def test_partnership_and_company_lists_answer_404_for_missing_pages(client, newsroom):
    for page in ["-1", "abc", "999"]:
        assert client.get("/partnerships/", {"page": page}).status_code == 404
        assert client.get("/companies/", {"page": page}).status_code == 404


@pytest.mark.parametrize(
    "words",
    [
        "\x00",
        "Samsung\x00",
        "x" * 5000,
        "\"unterminated 'quote",
        "-",
        "!",
        "& | ! : * ( )",
        "OR OR OR",
        RTL_OVERRIDE + "Samsung",
        "Samsung" + ZERO_WIDTH,
        "🚀",
        "%_%",
        "\\",
    ],
)
def test_odd_search_words_never_fail(client, newsroom, words):
    response = client.get("/search/", {"q": words})
    assert response.status_code == 200
