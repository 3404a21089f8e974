"""Bulk import from a JSON Lines file: created once, refused with reasons, tagged before return."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, Outlet
from tests.factories import OutletFactory
from tests.intake.pages import STORY_EN_TEXT, STORY_FR_TEXT

pytestmark = pytest.mark.django_db

HARBOURLINE = {
    "title": "Harbourline Semiconductors to open a design centre in Leeds",
    "body": "\n\n".join(STORY_EN_TEXT),
    "url": "https://wire.example/2026/03/harbourline-leeds",
    "outlet": "The Test Wire",
    "published_at": "2026-03-03T09:30:00Z",
}
BLEU_COBALT = {
    "title": "Bleu Cobalt ouvre un centre de recherche à Grenoble",
    "body": "\n\n".join(STORY_FR_TEXT),
    "url": "https://fil.example/bleu-cobalt",
    "outlet": "www.fil.example",
    "published_at": "2026-03-03",
    "language": "fr",
}


def write(tmp_path, lines):
    path = tmp_path / "articles.jsonl"
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines),
        encoding="utf-8",
    )
    return path


def run(path, capsys, django_capture_on_commit_callbacks, *options):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_articles", str(path), *options)
    return capsys.readouterr()


@pytest.fixture
def imported(tmp_path, capsys, kb, django_capture_on_commit_callbacks):
    def run_import(*lines):
        return run(write(tmp_path, lines), capsys, django_capture_on_commit_callbacks).out

    return run_import


def test_import_creates_tagged_drafts_and_outlets(imported):
    out = imported(HARBOURLINE, BLEU_COBALT)

    assert "Created 2, duplicates 0, refused 0." in out
    english = Article.objects.get(source_url=HARBOURLINE["url"])
    assert english.origin == Article.Origin.IMPORT
    assert english.status == Article.Status.DRAFT
    assert english.outlet.name == "The Test Wire"
    assert english.published_at.isoformat() == "2026-03-03T09:30:00+00:00"
    # Tagged in-process before the command returned (no broker in the tests).
    assert english.tagging_status == Article.TaggingStatus.DONE
    french = Article.objects.get(source_url=BLEU_COBALT["url"])
    assert french.language == "fr"
    assert (french.outlet.name, french.outlet.homepage) == (
        "www.fil.example",
        "https://fil.example",
    )


def test_outlet_given_by_domain_is_found_by_its_homepage(imported):
    outlet = OutletFactory(name="Le Fil", homepage="https://www.fil.example/")
    imported(BLEU_COBALT)
    assert Article.objects.get().outlet == outlet
    assert Outlet.objects.count() == 1


def test_outlet_given_by_domain_is_not_one_whose_domain_merely_contains_it(imported):
    OutletFactory(name="Profil", homepage="https://www.profil.example/")
    OutletFactory(name="Le Fil ailleurs", homepage="https://other.example/fil.example")
    imported(BLEU_COBALT)
    outlet = Article.objects.get().outlet
    assert (outlet.name, outlet.homepage) == ("www.fil.example", "https://fil.example")
    assert Outlet.objects.count() == 3


def test_second_import_of_the_same_file_creates_nothing(imported):
    imported(HARBOURLINE, BLEU_COBALT)
    out = imported(HARBOURLINE, {**BLEU_COBALT, "url": BLEU_COBALT["url"] + "?utm_source=x"})
    assert "Created 0, duplicates 2, refused 0." in out
    assert Article.objects.count() == 2


def test_bad_lines_are_refused_with_their_numbers_and_reasons(imported, settings):
    settings.NEWSDESK_MAX_BODY_CHARS = 2_000
    out = imported(
        HARBOURLINE,
        "{not json",
        '["a", "list"]',
        {**BLEU_COBALT, "title": ""},
        {**BLEU_COBALT, "url": "https://fil.example/a", "published_at": "yesterday"},
        {**BLEU_COBALT, "url": "https://fil.example/b", "body": "mot " * 1_000},
        {**BLEU_COBALT, "url": "ftp://fil.example/c"},
        {**BLEU_COBALT, "url": "https://fil.example/d", "published_at": "2099-01-01"},
        {**BLEU_COBALT, "url": "https://fil.example/e", "title": 42},
        {**BLEU_COBALT, "url": "https://fil.example/f", "outlet": "O" * 201},
        {**BLEU_COBALT, "url": "https://fil.example/g", "outlet": "Never Made", "body": " "},
    )
    lines = out.splitlines()
    assert "Created 1, duplicates 0, refused 10." in out
    assert lines[1].startswith("  line 2: Not JSON")
    assert lines[2] == "  line 3: Not a JSON object."
    assert lines[3] == "  line 4: Missing title."
    assert lines[4] == "  line 5: Bad publication date 'yesterday'."
    assert lines[5] == "  line 6: The text is 3,999 characters long; the limit is 2,000."
    assert lines[6] == "  line 7: The source URL must start with http:// or https://."
    assert lines[7] == "  line 8: The publication date 2099-01-01 is in the future."
    assert lines[8] == "  line 9: Every value must be a string."
    assert lines[9] == "  line 10: The outlet's name is longer than 200 characters."
    assert lines[10] == "  line 11: The story has no text."
    # Refused lines leave nothing behind, not even their outlet.
    assert set(Outlet.objects.values_list("name", flat=True)) == {"The Test Wire"}


def test_hidden_characters_are_cleaned_from_imported_text(imported):
    imported(
        {
            **HARBOURLINE,
            "title": "Harbourline\u202e picks\u200b Leeds\x07",
            "body": HARBOURLINE["body"] + "\x00\u2066",
            "byline": "Ada \u2066Reporter",
        }
    )
    article = Article.objects.get()
    assert article.title == "Harbourline picks Leeds"
    assert article.body == HARBOURLINE["body"]
    assert article.byline == "Ada Reporter"


def test_blank_lines_are_skipped(imported):
    assert "Created 1, duplicates 0, refused 0." in imported("", HARBOURLINE, "   ")


def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_articles", str(tmp_path / "missing.jsonl"))


def test_progress_bar_goes_to_stderr_and_the_summary_to_stdout(
    tmp_path, capsys, kb, django_capture_on_commit_callbacks
):
    output = run(write(tmp_path, [HARBOURLINE]), capsys, django_capture_on_commit_callbacks)
    assert "Importing" in output.err
    assert "Importing" not in output.out
