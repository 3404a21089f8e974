"""Property-based: any value in any public filter, search or page parameter, and any text in a
public URL's slugs, gets an answer (200, 301, 302 or 404), never a server error, and is never
echoed back as markup."""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.site_data import build_public_site

ANSWERS = {200, 301, 302, 404}
MARKER = "<script>x</script>"
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Every parameter a public list or feed reads.
STORY_FILTERS = [
    "published_after",
    "published_before",
    "outlet",
    "language",
    "also",
    "relationship",
    "topic",
    "page",
]
LISTS = {
    "home": ("/", ["page"]),
    "search": ("/search/", ["q", *STORY_FILTERS]),
    "company timeline": ("/companies/nvidia/", ["mentions", *STORY_FILTERS]),
    "person timeline": ("/people/mark-zuckerberg/", ["mentions", *STORY_FILTERS]),
    "pair": ("/partnerships/meta-platforms/nvidia/", STORY_FILTERS),
    "partnerships": ("/partnerships/", ["kind", "topic", "company", "page"]),
    "companies": ("/companies/", ["q", "letter", "sector", "sort", "show", "page"]),
    "latest feed": ("/feeds/rss/", STORY_FILTERS),
    "search feed": ("/search/atom/", ["q", *STORY_FILTERS]),
    "company feed": ("/companies/nvidia/atom/", ["mentions", *STORY_FILTERS]),
    "pair feed": ("/partnerships/meta-platforms/nvidia/rss/", STORY_FILTERS),
    "kind feed": ("/partnerships/kinds/partnership/atom/", STORY_FILTERS),
    "topic feed": ("/partnerships/topics/chips/rss/", STORY_FILTERS),
}
# Values that mean something somewhere, so that valid filters are combined with odd ones.
KNOWN = [
    "",
    "all",
    "en",
    "fr",
    "nvidia",
    "meta-platforms",
    "chips",
    "partnership",
    "supplier_customer",
    "2024-01-01",
    "2024-02-31",
    "9999-12-31",
    "0001-01-01",
    "1",
    "2",
    "0",
    "-1",
    "last",
    "99999999999999999999999",
    "#",
    "N",
    "name",
    "%",
    "_",
    "\x00",
    MARKER,
    "' OR 1=1 --",
    "é" * 300,
]
values = st.one_of(
    st.sampled_from(KNOWN),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    st.integers().map(str),
    st.dates().map(str),
    st.text(max_size=20).map(lambda text: f"{text}{MARKER}"),
)


@pytest.fixture
def site(db):
    return build_public_site()


def check(response, sent):
    assert response.status_code in ANSWERS, sent
    if response.status_code == 200:
        content = response.content.decode()
        assert MARKER not in content, sent
        assert "<script>x" not in content, sent


def query(parameters):
    """A query string with each parameter given once or several times."""
    return st.lists(st.tuples(st.sampled_from(parameters), values), max_size=6) | st.lists(
        st.tuples(st.text(max_size=10), values), max_size=3
    )


@pytest.mark.parametrize("name", list(LISTS))
def test_any_filter_value_gets_an_answer(client, site, name):
    path, parameters = LISTS[name]

    @SETTINGS
    @given(pairs=query(parameters))
    def run(pairs):
        data = {}
        for key, value in pairs:
            data.setdefault(key, []).append(value)
        check(client.get(path, data), (path, pairs))

    run()


@SETTINGS
@given(page=st.one_of(st.integers().map(str), st.text(max_size=12), st.sampled_from(KNOWN)))
def test_any_page_number_gets_an_answer(client, site, page):
    for path in ["/", "/companies/", "/partnerships/", "/companies/nvidia/", "/search/?q=chips"]:
        separator = "&" if "?" in path else "?"
        check(client.get(f"{path}{separator}page={quote(page)}"), (path, page))


@SETTINGS
@given(first=st.text(max_size=40), second=st.text(max_size=40))
def test_any_text_in_a_public_address_gets_an_answer(client, site, first, second):
    one, two = quote(first, safe=""), quote(second, safe="")
    for path in [
        f"/stories/{one}/",
        f"/companies/{one}/",
        f"/people/{one}/",
        f"/products/{one}/atom/",
        f"/companies/{one}/rss/",
        f"/partnerships/{one}/{two}/",
        f"/partnerships/{one}/{two}/atom/",
        f"/partnerships/kinds/{one}/rss/",
        f"/partnerships/topics/{one}/atom/",
        f"/partnerships/nvidia/{one}/",
        f"/{one}",
    ]:
        check(client.get(path), path)
