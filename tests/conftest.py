import os
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from articles.cache import new_site_generation
from articles.models import Article
from articles.services import article_save, article_transition
from entities.knowledge_base import kb_changed
from tests.entities.kb import make_small_kb
from tests.factories import ArticleFactory, OutletFactory, UserFactory

PASSWORD = "correct horse battery"
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"


def require_service(what: str) -> None:
    """Skip a test that needs a missing service, or fail it when CI says services are required."""
    message = f"{what} is not available"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{message}, and REQUIRE_SERVICES=1")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def fresh_caches():
    """Start each test with no cached page and a dictionary compiled anew: the database they
    were made from is gone.

    Inside a test, the hooks that run on commit do not run (the test's transaction is rolled
    back, never committed): a test that changes what a page shows and reads it again runs
    them itself (django_capture_on_commit_callbacks), as tests/test_public_cache.py does.
    """
    new_site_generation()
    kb_changed()


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


@pytest.fixture
def role_client(client, db):
    """Log the client in as one of the roles of the permission matrices: "anonymous",
    "editor", "chief" or "superuser"."""

    def log_in(role):
        user = {
            "anonymous": None,
            "editor": lambda: UserFactory(username="editor", groups=["Editor"]),
            "chief": lambda: UserFactory(username="chief", groups=["Chief editor"]),
            "superuser": lambda: UserFactory(username="root", is_superuser=True),
        }[role]
        if user is not None:
            client.force_login(user())
        return client

    return log_in


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
    """A page in Debian's headless chromium (never a downloaded browser).

    `page.problems` collects the page's uncaught errors.
    """
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
        # What went wrong in the page, for the test to assert on; each test adds what it
        # counts as a problem on the console.
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(f"{page.url}: {error}"))
        yield page
        browser.close()


@pytest.fixture
def reader(chromium_page):
    """A chromium page that also records console errors and failed responses."""
    page = chromium_page
    page.on(
        "console",
        lambda message: (
            message.type == "error" and page.problems.append(f"{page.url}: {message.text}")
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and page.problems.append(f"{response.status} {response.url}")
        ),
    )
    return page


@pytest.fixture
def kb(db):
    return make_small_kb()


@pytest.fixture
def publish(kb, django_capture_on_commit_callbacks):
    """Save, tag and publish a story the way the admin does."""

    def make(title, body, language="en", published_at=None, **fields):
        article = ArticleFactory.build(
            title=title,
            body=body,
            language=language,
            outlet=OutletFactory(name="Newsdesk Wire"),
            status=Article.Status.PUBLISHED,
            published_at=published_at or timezone.now() - timezone.timedelta(hours=1),
            **fields,
        )
        with django_capture_on_commit_callbacks(execute=True):
            article_save(article=article, by=None)
        article.refresh_from_db()
        return article

    return make


@pytest.fixture
def stories(publish):
    """An English and a French story about the Meta and LG Electronics partnership."""
    english = publish(
        "Meta and LG Electronics agree an XR partnership",
        "Meta Platforms chief Mark Zuckerberg and LG Electronics head William Cho signed a "
        "partnership on XR headsets.\n\nMeta will also buy H100 chips from Nvidia.",
        standfirst="The two companies will build headsets together.",
        byline="Ada Reporter",
    )
    french = publish(
        "Meta et LG Electronics signent un partenariat sur la réalité étendue",
        "Mark Zuckerberg, PDG de Meta Platforms, a signé avec William Cho un partenariat avec "
        "LG Electronics sur les casques XR. Meta achètera aussi des puces H100 auprès de Nvidia.",
        language="fr",
        standfirst="Un accord sur les casques.",
        published_at=timezone.now() - timezone.timedelta(hours=2),
    )
    return english, french


@pytest.fixture
def publish_through_workflow(chief_editor, django_capture_on_commit_callbacks):
    """Save a draft, then publish it by the workflow, the commit hooks run as in production."""

    def publish(title, body, outlet):
        draft = ArticleFactory.build(title=title, body=body, outlet=outlet)
        with django_capture_on_commit_callbacks(execute=True):
            article_save(article=draft, by=None)
        with django_capture_on_commit_callbacks(execute=True):
            article_transition(article=draft, step="publish", by=chief_editor)
        return draft

    return publish
