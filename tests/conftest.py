import os

import pytest

from tests.factories import UserFactory

PASSWORD = "correct horse battery"


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
