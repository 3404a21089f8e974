"""Read the public site in Debian's chromium, as a reader would: follow links, filter, search."""

import pytest

from tests.conftest import SCREENSHOTS
from tests.public_site import build_newsroom


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"public-{name}.png", full_page=True)


def path_of(page, live_server) -> str:
    return page.url.removeprefix(live_server.url)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reader_goes_from_the_home_page_to_a_partnership(reader, live_server):
    newsroom = build_newsroom()
    story = newsroom.stories["meta-lg"]
    page = reader

    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Latest stories"
    assert newsroom.hidden["embargoed"].title not in page.content()
    screenshot(page, "home")

    page.get_by_role("link", name=story.title).click()
    page.wait_for_load_state()
    assert path_of(page, live_server) == story.get_absolute_url()
    assert page.locator("article.story h1").inner_text() == story.title
    assert page.locator("article.story").get_attribute("lang") == "en"
    assert "29 February 2024" in page.locator("article.story .meta").inner_text()
    screenshot(page, "story")

    page.locator(".story-body a.entity", has_text="Meta Platforms").first.click()
    page.wait_for_load_state()
    assert path_of(page, live_server) == "/companies/meta-platforms/"
    assert page.locator("h1").inner_text() == "Meta Platforms"
    assert page.locator(".chart svg rect.bar").count() == page.locator(".chart tbody tr").count()
    screenshot(page, "company")

    page.locator(".relationships a", has_text="LG Electronics").click()
    page.wait_for_load_state()
    assert path_of(page, live_server) == "/partnerships/lg-electronics/meta-platforms/"
    assert page.locator("blockquote[lang=fr]").count() == 1
    assert page.locator("blockquote[lang=en]").count() == 1
    screenshot(page, "pair")

    assert page.problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reader_applies_a_filter_and_clears_it(reader, live_server):
    newsroom = build_newsroom()
    page = reader
    page.goto(f"{live_server.url}/companies/meta-platforms/?mentions=all")
    stories = page.locator(".story-item h3")
    assert stories.count() == 4

    page.get_by_text("Filter the stories").click()  # the filters are folded away
    page.select_option("select[name=language]", "fr")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    assert "language=fr" in page.url
    assert "mentions=all" in page.url
    assert stories.all_inner_texts() == [newsroom.stories["meta-lg-fr"].title]
    assert stories.first.get_attribute("lang") == "fr"
    screenshot(page, "company-filtered")

    page.get_by_text("Change the filters").click()
    page.fill("input[name=published_after]", "2024-03-15")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    assert stories.count() == 0
    assert page.get_by_text("No stories match.").is_visible()

    page.get_by_role("link", name="Clear filters").click()
    page.wait_for_load_state()
    assert path_of(page, live_server) == "/companies/meta-platforms/?mentions=all"
    assert stories.count() == 4

    page.goto(f"{live_server.url}/partnerships/")
    page.select_option("select[name=kind]", "supplier_customer")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    assert page.locator(".relationship-list .card").count() == 1
    screenshot(page, "partnerships-filtered")
    page.get_by_role("link", name="Clear filters").click()
    page.wait_for_load_state()
    assert page.locator(".relationship-list .card").count() == 4

    assert page.problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reader_searches_in_french_with_and_without_accents(reader, live_server):
    newsroom = build_newsroom()
    french = newsroom.stories["meta-lg-fr"]
    page = reader
    page.goto(f"{live_server.url}/")
    box = "#site-q"  # the header's box, then the search page's own
    for words in ["réalité", "realite", "REALITE"]:
        page.fill(box, words)
        page.locator(box).press("Enter")
        page.wait_for_load_state()
        assert page.locator(".story-item h3").all_inner_texts() == [french.title], words
        assert page.locator("#q").input_value() == words
        assert page.locator("#site-q").count() == 0
        box = "#q"
    screenshot(page, "search-french")
    page.get_by_role("link", name=french.title).click()
    page.wait_for_load_state()
    assert page.locator("article.story").get_attribute("lang") == "fr"
    assert page.problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reader_searches_and_meets_a_missing_page(reader, live_server):
    newsroom = build_newsroom()
    page = reader
    page.goto(f"{live_server.url}/")
    page.fill("#site-q", "Samsung")
    page.locator("#site-q").press("Enter")
    page.wait_for_load_state()
    assert page.locator(".story-item h3").count() == 3
    assert page.get_by_text("3 stories match “Samsung”.").is_visible()
    screenshot(page, "search")

    draft = f"{live_server.url}{newsroom.hidden['draft'].get_absolute_url()}"
    response = page.goto(draft)
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Not found"
    assert newsroom.hidden["draft"].title not in page.content()
    screenshot(page, "not-found")
    # The 404 of the draft itself is reported; nothing else may be.
    assert [problem for problem in page.problems if draft not in problem] == []
