import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, Outlet


def test_demo_data_loads_once_and_keeps_edits(db):
    call_command("load_demo_data")
    articles = Article.objects.count()
    assert articles >= 6
    assert set(Article.objects.values_list("language", flat=True)) >= {"en", "fr"}
    assert Article.objects.published().count() >= 6
    edited = Article.objects.published().first()
    Article.objects.filter(pk=edited.pk).update(title="Edited by an editor")
    call_command("load_demo_data")
    assert Article.objects.count() == articles
    assert Outlet.objects.count() == 2
    edited.refresh_from_db()
    assert edited.title == "Edited by an editor"


@pytest.mark.parametrize("unset", ["missing", "empty"])
def test_ensure_admin_prints_a_generated_password_once(db, capsys, monkeypatch, unset):
    if unset == "empty":
        monkeypatch.setenv("NEWSDESK_ADMIN_PASSWORD", "")
    else:
        monkeypatch.delenv("NEWSDESK_ADMIN_PASSWORD", raising=False)
    call_command("ensure_admin")
    first = capsys.readouterr().out
    password = first.split("password: ")[1].split()[0]
    assert get_user_model().objects.get(username="admin").check_password(password)
    call_command("ensure_admin")
    assert password not in capsys.readouterr().out


def test_ensure_admin_takes_the_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("NEWSDESK_ADMIN_PASSWORD", "a long chosen password")
    call_command("ensure_admin")
    assert get_user_model().objects.get(username="admin").check_password("a long chosen password")
