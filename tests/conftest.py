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
