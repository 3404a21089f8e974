"""The Content-Security-Policy, seen by a real browser: the admin works, nothing is refused."""

import json

import pytest

from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.security.site_data import build_public_site


@pytest.fixture
def browser_page(chromium_page):
    page = chromium_page
    # Chromium reports every refused script, style or frame on the console.
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and page.problems.append(f"{page.url}: {message.text}")
        ),
    )
    return page


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_scripts_run_under_the_policy(browser_page, live_server):
    site = build_public_site()
    UserFactory(username="chief", groups=["Chief editor"])
    page = browser_page
    log_in(page, live_server, "chief")
    assert "Site administration" in page.content()

    # The slug is filled in from the title by the admin's prepopulate script.
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_title", "Arm and Qualcomm settle")
    page.locator("#id_title").blur()
    assert page.input_value("#id_slug") == "arm-and-qualcomm-settle"

    # The desk's "add a missed entity" autocomplete (select2 over the admin's JSON view).
    story = site["story"]
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.locator(".desk-add .select2-selection").click()
    page.keyboard.type("Sams")
    page.wait_for_selector(".select2-results__option >> text=Samsung Electronics")

    for path in [
        f"/admin/articles/article/{story.pk}/history/",
        "/admin/articles/article/?status=published",
        f"/admin/entities/entity/{site['kb']['nvidia'].pk}/change/",
        "/admin/entities/relationship/",
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
    assert page.problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_story_page_is_clean_under_the_policy_and_keeps_its_json_ld(browser_page, live_server):
    story = build_public_site()["story"]
    page = browser_page
    response = page.goto(f"{live_server.url}{story.get_absolute_url()}")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Nvidia supplies Meta"
    # The stylesheet applied: the policy lets 'self' styles through.
    assert page.evaluate("document.styleSheets.length") >= 1
    assert page.problems == []
