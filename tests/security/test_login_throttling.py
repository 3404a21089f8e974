"""Password guessing at the admin login is throttled by django-axes (username + address)."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from newsdesk.middleware import client_ip_address
from tests.conftest import PASSWORD
from tests.factories import UserFactory

LOGIN = "/admin/login/"
LIMIT = settings.AXES_FAILURE_LIMIT


@pytest.fixture
def editor_account(db):
    return UserFactory(username="editor", groups=["Editor"])


def log_in(client, username, password, address="203.0.113.7"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def guess_wrong(client, username, times, address="203.0.113.7"):
    for attempt in range(times):
        response = log_in(client, username, f"wrong guess {attempt}", address)
        assert response.status_code in {200, 429}


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_the_right_password_logs_in(client, editor_account):
    assert logged_in(log_in(client, "editor", PASSWORD))


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(client, editor_account):
    guess_wrong(client, "editor", LIMIT - 1)
    assert logged_in(log_in(client, "editor", PASSWORD))


def test_after_the_limit_even_the_right_password_is_refused_with_a_clear_page(
    client, editor_account
):
    guess_wrong(client, "editor", LIMIT)
    response = log_in(client, "editor", PASSWORD)
    assert response.status_code == 429
    content = response.content.decode()
    assert "Too many failed logins" in content
    assert f"after {LIMIT} wrong passwords" in content
    assert "Try again in 0:15:00" in content
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still not logged in
    # The lockout page is an admin page like any other.
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_lockout_page_escapes_the_username(client, db):
    hostile = '<script>alert(1)</script>"'
    guess_wrong(client, hostile, LIMIT)
    content = log_in(client, hostile, "x").content.decode()
    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;" in content


def test_another_user_from_the_same_address_is_unaffected(client, editor_account):
    UserFactory(username="chief", groups=["Chief editor"])
    guess_wrong(client, "editor", LIMIT)
    assert log_in(client, "editor", PASSWORD).status_code == 429
    assert logged_in(log_in(client, "chief", PASSWORD))


def test_the_same_user_from_another_address_is_unaffected(client, editor_account):
    guess_wrong(client, "editor", LIMIT, address="203.0.113.7")
    assert logged_in(log_in(client, "editor", PASSWORD, address="198.51.100.20"))


def test_a_success_resets_the_count(client, editor_account):
    guess_wrong(client, "editor", LIMIT - 1)
    assert logged_in(log_in(client, "editor", PASSWORD))
    client.logout()
    guess_wrong(client, "editor", LIMIT - 1)
    assert logged_in(log_in(client, "editor", PASSWORD))


@pytest.mark.parametrize(
    "reset",
    [
        lambda: call_command("axes_reset"),
        lambda: call_command("axes_reset_username", "editor"),
        lambda: call_command("axes_reset_ip", "203.0.113.7"),
    ],
    ids=["axes_reset", "axes_reset_username", "axes_reset_ip"],
)
def test_an_administrator_lifts_the_lockout(client, editor_account, reset):
    guess_wrong(client, "editor", LIMIT)
    assert log_in(client, "editor", PASSWORD).status_code == 429
    reset()
    assert logged_in(log_in(client, "editor", PASSWORD))


def test_the_lockout_ends_after_the_cool_off(client, editor_account):
    guess_wrong(client, "editor", LIMIT)
    assert log_in(client, "editor", PASSWORD).status_code == 429
    # As if the cool-off period had passed since the last failure.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timezone.timedelta(seconds=1)
    )
    assert logged_in(log_in(client, "editor", PASSWORD))


def test_force_login_is_not_throttled(client, editor_account):
    guess_wrong(client, "editor", LIMIT + 2)
    client.force_login(editor_account)
    assert client.get("/admin/").status_code == 200


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9")
    settings.NEWSDESK_TRUST_X_FORWARDED_FOR = False
    assert client_ip_address(request) == "10.0.0.2"
    settings.NEWSDESK_TRUST_X_FORWARDED_FOR = True
    # The client may forge the first entries, not the one our proxy appended.
    assert client_ip_address(request) == "198.51.100.9"
    assert client_ip_address(rf.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
