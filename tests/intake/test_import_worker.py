"""import_articles through a real worker: it returns once what it imported is tagged."""

import json

import pytest
from django.core.management import call_command

from articles.models import Article
from tests.entities.kb import make_small_kb
from tests.intake.pages import STORY_EN_TEXT
from tests.intake.test_clusters import HEADSET_DEAL_EN, HEADSET_DEAL_REWRITE
from tests.services import real_worker

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_import_waits_for_the_worker_to_tag_what_it_created(tmp_path, capsys):
    make_small_kb()
    path = tmp_path / "articles.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(
                {
                    "title": f"Meta Platforms and LG Electronics, part {number}",
                    "body": f"Meta Platforms and LG Electronics met again, round {number}.\n\n"
                    + STORY_EN_TEXT[number],
                    "url": f"https://wire.example/meta-lg-{number}",
                    "outlet": "wire.example",
                }
            )
            for number in range(3)
        ),
        encoding="utf-8",
    )
    with real_worker():
        call_command("import_articles", str(path), "--wait-timeout", "60")
    assert "Created 3, duplicates 0, refused 0." in capsys.readouterr().out
    assert set(Article.objects.values_list("tagging_status", flat=True)) == {
        Article.TaggingStatus.DONE
    }


def test_import_returns_with_two_outlets_reports_of_one_event_in_one_story(tmp_path, capsys):
    make_small_kb()
    path = tmp_path / "articles.jsonl"
    reports = [(HEADSET_DEAL_EN, "wire.example"), (HEADSET_DEAL_REWRITE, "gazette.example")]
    path.write_text(
        "\n".join(
            json.dumps(
                {
                    "title": title,
                    "body": body,
                    "url": f"https://{outlet}/headsets",
                    "outlet": outlet,
                    "language": "en",
                }
            )
            for (title, body), outlet in reports
        ),
        encoding="utf-8",
    )
    with real_worker():
        call_command("import_articles", str(path), "--wait-timeout", "60")
    assert "Created 2, duplicates 0, refused 0." in capsys.readouterr().out
    [cluster] = {article.cluster_id for article in Article.objects.all()}
    assert cluster is not None
