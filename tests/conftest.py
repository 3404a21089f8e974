import os
import shutil
from pathlib import Path

import pytest

from tests.factories import UserFactory

PASSWORD = "correct horse battery"
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"


def require_service(what: str) -> None:
    """Skip a test that needs a missing service, or fail it when CI says services are required."""
    message = f"{what} is not available"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{message}, and REQUIRE_SERVICES=1")
    pytest.skip(message)


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", groups=["Editor"])


@pytest.fixture
def chief_editor(db):
    return UserFactory(username="chief", groups=["Chief editor"])


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def chief_client(client, chief_editor):
    client.force_login(chief_editor)
    return client


@pytest.fixture(scope="module")
def newsroom(django_db_setup, django_db_blocker):
    """Tagged public stories and hidden ones (draft, in review, archived, embargoed).

    Built once per module inside a transaction that is rolled back after the module, the way
    TestCase.setUpTestData works: each test still runs in its own rolled-back savepoint, so
    the tests using it need the `db` fixture (or the django_db mark) as usual.
    """
    from django.db import transaction

    from tests.public_site import build_newsroom

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_newsroom()
        transaction.set_rollback(True)


@pytest.fixture
def chromium_page(monkeypatch):
    """A page in Debian's headless chromium (never a downloaded browser)."""
    if not shutil.which(CHROMIUM):
        require_service("Debian chromium")
    # Playwright's sync API runs an event loop in this thread; the test's ORM calls are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        yield page
        browser.close()
