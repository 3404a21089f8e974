"""`make run` gives a newcomer an Editor and a Chief editor to try both roles."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.test_make_run import dry_run

pytestmark = pytest.mark.django_db

VARIABLES = ["NEWSDESK_EDITOR_PASSWORD", "NEWSDESK_CHIEF_EDITOR_PASSWORD"]


def run(capsys) -> str:
    call_command("ensure_demo_accounts")
    return capsys.readouterr().out


def test_make_run_creates_the_demo_accounts_after_the_admin():
    commands = dry_run()
    assert commands.index("manage.py ensure_admin") < commands.index(
        "manage.py ensure_demo_accounts"
    )


def test_the_demo_accounts_take_their_passwords_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("NEWSDESK_EDITOR_PASSWORD", "editor pass phrase")
    monkeypatch.setenv("NEWSDESK_CHIEF_EDITOR_PASSWORD", "chief pass phrase")
    output = run(capsys)
    assert "pass phrase" not in output
    users = get_user_model().objects
    editor, chief = users.get(username="editor"), users.get(username="chief")
    assert editor.check_password("editor pass phrase")
    assert chief.check_password("chief pass phrase")
    assert [g.name for g in editor.groups.all()] == ["Editor"]
    assert [g.name for g in chief.groups.all()] == ["Chief editor"]
    assert editor.is_staff
    assert not editor.is_superuser
    assert chief.is_staff
    assert not chief.is_superuser
    assert editor.has_perm("articles.add_article")
    assert not editor.has_perm("articles.publish_article")
    assert chief.has_perm("articles.publish_article")


@pytest.mark.parametrize("unset", ["missing", "empty"])
def test_random_passwords_are_printed_once_and_work(monkeypatch, capsys, unset):
    for variable in VARIABLES:
        if unset == "empty":
            monkeypatch.setenv(variable, "")
        else:
            monkeypatch.delenv(variable, raising=False)
    output = run(capsys)
    passwords = {
        line.split("'")[1]: line.rsplit(": ", 1)[1]
        for line in output.splitlines()
        if "with password:" in line
    }
    users = get_user_model().objects
    assert set(passwords) == {"editor", "chief"}
    for username, password in passwords.items():
        assert users.get(username=username).check_password(password)
    again = run(capsys)
    assert "with password" not in again
    assert again.count("already exists") == 2


def test_existing_users_are_left_as_they_are(monkeypatch, capsys):
    users = get_user_model().objects
    users.create_user("editor", password="my own password")
    monkeypatch.setenv("NEWSDESK_EDITOR_PASSWORD", "another")
    run(capsys)
    editor = users.get(username="editor")
    assert editor.check_password("my own password")
    assert not editor.is_staff
    assert not editor.groups.exists()
    assert users.filter(username="chief").exists()
