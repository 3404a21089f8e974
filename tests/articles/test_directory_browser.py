"""The chart and the directories on a 390 px wide phone, in Debian's chromium."""

import pytest

from tests.conftest import SCREENSHOTS
from tests.public_site import build_newsroom

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(chromium_page):
    chromium_page.set_viewport_size(PHONE)
    return chromium_page


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"phone-{name}.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_chart_text_is_readable_on_a_phone(phone, live_server):
    build_newsroom()
    phone.goto(f"{live_server.url}/companies/samsung-electronics/?mentions=all")
    chart = phone.locator(".chart svg")
    chart.scroll_into_view_if_needed()
    smallest = chart.evaluate(
        """svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            const sizes = [...svg.querySelectorAll("text")].map(
                text => parseFloat(getComputedStyle(text).fontSize) * scale);
            return Math.min(...sizes);
        }"""
    )
    assert smallest >= 11
    assert (
        phone.locator(".chart svg rect.bar").count()
        == phone.locator(".chart table tbody tr").count()
    )
    phone.locator(".chart").screenshot(path=SCREENSHOTS / "phone-chart.png")
    assert phone.problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "path",
    [
        "/companies/",
        "/companies/?sort=name",
        "/partnerships/",
        "/partnerships/lg-electronics/meta-platforms/",
    ],
)
def test_the_directories_fit_a_phone(phone, live_server, path):
    build_newsroom()
    phone.goto(f"{live_server.url}{path}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, path.strip("/").replace("/", "-").replace("?", "-") or "home")
    assert phone.problems == []
