"""import_entities: Wikidata's dump format and our CSV, filtered, linked, safe to run twice.

The input files in tests/entities/data/ are made up by us (companies, people, products and
their Wikidata ids); only the class and industry ids are Wikidata's.
"""

import gzip
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from entities import importers
from entities.importers import csv_records, entities_import, wikidata_records
from entities.models import Alias, Entity

DATA = Path(__file__).resolve().parent / "data"
WIKIDATA = DATA / "wikidata_sample.json"
CSV = DATA / "entities_sample.csv"


def import_file(path: Path, read=None) -> importers.ImportSummary:
    read = read or (csv_records if path.suffix == ".csv" else wikidata_records)
    with path.open("rb") as lines:
        return entities_import(records=read(lines))


def snapshot():
    return (
        list(Entity.objects.order_by("pk").values()),
        list(Alias.objects.order_by("pk").values()),
    )


@pytest.fixture
def kb_changes(monkeypatch):
    calls = []
    monkeypatch.setattr(importers, "kb_changed", lambda: calls.append(1))
    return calls


@pytest.fixture
def known_company(db):
    """A company of the knowledge base with its Wikidata id, not in the file."""
    return Entity.objects.create(
        kind="company", slug="orbita-semi", name="Orbita Semi", wikidata_id="Q900000030"
    )


@pytest.mark.django_db
def test_wikidata_keeps_tech_companies_their_people_and_products(known_company, kb_changes):
    summary = import_file(WIKIDATA)

    companies = set(Entity.objects.filter(kind="company").values_list("slug", flat=True))
    assert companies == {"kestrel-devices", "kestrel-group", "pinecone-games", "orbita-semi"}
    assert set(Entity.objects.filter(kind="person").values_list("slug", flat=True)) == {
        "ines-marlow",
        "lea-fontaine",
    }
    assert set(Entity.objects.filter(kind="product").values_list("slug", flat=True)) == {
        "glide",
        "glide-7",
    }
    assert (summary.created, summary.updated, summary.unchanged) == (7, 0, 0)
    assert summary.skipped == {
        "not a tech company, a person or a product": 2,  # the bakery; a deprecated industry
        "no employer among the kept companies": 1,
        "no maker among the kept companies": 1,
        "no English or French label": 1,
        "not JSON": 1,
        "not a Wikidata item": 1,
    }
    assert summary.examples["not JSON"] == [14]
    assert kb_changes == [1]


@pytest.mark.django_db
def test_wikidata_fields_links_and_aliases(known_company):
    import_file(WIKIDATA)

    kestrel = Entity.objects.get(slug="kestrel-devices")
    assert kestrel.wikidata_id == "Q900000001"
    assert kestrel.website_domain == "kestrel.example"
    assert kestrel.sector == "software"
    assert kestrel.description == "Made-up maker of phones and tablets"
    assert kestrel.parent.slug == "kestrel-group"  # from the group's P355
    assert Entity.objects.get(slug="pinecone-games").sector == "gaming"
    ines = Entity.objects.get(slug="ines-marlow")
    assert ines.affiliation == kestrel  # the current employer, not Pinecone Games, the former
    assert ines.role == "Chief executive officer"
    assert Entity.objects.get(slug="lea-fontaine").affiliation == known_company
    glide_7 = Entity.objects.get(slug="glide-7")
    assert glide_7.maker == kestrel
    assert glide_7.variant_of.slug == "glide"
    aliases = {(a.text, a.language, a.case_sensitive, a.ambiguous) for a in kestrel.aliases.all()}
    assert aliases == {
        ("Kestrel Devices", "", False, False),
        ("Kestrel", "", True, True),  # one word: only with its capital, only with support
        ("Kestrel Appareils", "fr", False, False),
    }
    # A stock ticker is no alias.
    assert set(glide_7.aliases.values_list("text", flat=True)) == {"Glide 7", "Kestrel Glide 7"}
    assert Entity.objects.get(slug="lea-fontaine").aliases.get(text="Léa Fontaine").language == "fr"


@pytest.mark.django_db
@pytest.mark.parametrize("path", [WIKIDATA, CSV], ids=["wikidata", "csv"])
def test_a_second_import_changes_nothing(path, known_company, kb_changes):
    first = import_file(path)
    before = snapshot()

    second = import_file(path)

    assert snapshot() == before
    assert (second.created, second.updated) == (0, 0)
    assert second.unchanged == first.created
    assert second.skipped == first.skipped
    assert kb_changes == [1]


@pytest.mark.django_db
def test_an_existing_entity_keeps_what_editors_wrote_and_gains_what_it_lacked(kb_changes):
    kestrel = Entity.objects.create(
        kind="company", slug="kestrel", name="Kestrel Devices", description="Written by an editor."
    )
    Alias.objects.create(entity=kestrel, text="Kestrel", case_sensitive=False)

    summary = import_file(WIKIDATA)

    kestrel.refresh_from_db()
    assert kestrel.slug == "kestrel"
    assert kestrel.description == "Written by an editor."
    assert kestrel.wikidata_id == "Q900000001"
    assert kestrel.website_domain == "kestrel.example"
    assert kestrel.parent.slug == "kestrel-group"
    assert not kestrel.aliases.get(text="Kestrel").case_sensitive  # the editor's flags stay
    assert kestrel.aliases.filter(text="Kestrel Appareils", language="fr").exists()
    assert summary.updated == 1
    assert Entity.objects.get(slug="glide").maker == kestrel


@pytest.mark.django_db
def test_a_name_held_by_an_entity_with_another_wikidata_id_is_skipped():
    other = Entity.objects.create(
        kind="company", slug="kestrel-devices", name="Kestrel Devices", wikidata_id="Q900000777"
    )

    summary = import_file(WIKIDATA)

    assert summary.skipped["name or slug taken by an entity with another Wikidata id"] == 1
    other.refresh_from_db()
    assert other.website_domain == ""
    # Its products had no other maker; its chief executive falls back on a former employer.
    assert not Entity.objects.filter(slug__in=["glide", "glide-7"]).exists()
    assert Entity.objects.get(slug="ines-marlow").affiliation.slug == "pinecone-games"


@pytest.mark.django_db
def test_csv_rows_are_linked_by_slug_and_bad_rows_skipped_with_their_reason(kb_changes):
    summary = import_file(CSV)

    forge = Entity.objects.get(slug="lumen-forge")
    assert forge.wikidata_id == "Q900000100"
    assert forge.website_domain == "lumenforge.example"
    assert set(forge.aliases.values_list("text", flat=True)) == {"Lumen Forge", "Lumen", "LF Labs"}
    assert Entity.objects.get(slug="lumen-forge-cloud").parent == forge
    ada = Entity.objects.get(slug="ada-quill")
    assert (ada.affiliation, ada.role) == (forge, "Chief executive officer")
    assert Entity.objects.get(slug="forge-studio-3").variant_of.slug == "forge-studio"
    assert (summary.created, summary.updated) == (5, 0)
    assert summary.skipped == {
        "unknown maker": 1,
        "unknown variant_of": 1,  # its family was skipped for its unknown maker
        "maker given for a person": 1,
        "unknown kind": 1,
        "wrong number of columns": 1,
        "not a Wikidata id": 1,
        "given twice in the file": 1,
    }
    assert summary.examples["unknown maker"] == [7]
    assert kb_changes == [1]


@pytest.mark.django_db
def test_csv_links_may_name_entities_of_the_knowledge_base():
    Entity.objects.create(kind="company", slug="no-such-maker", name="Now It Exists")

    summary = import_file(CSV)

    assert Entity.objects.get(slug="orphan-tool-2").variant_of.slug == "orphan-tool"
    assert "unknown maker" not in summary.skipped


@pytest.mark.django_db
def test_a_csv_header_not_understood_imports_nothing(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("kind,name,employer\nperson,Ada Quill,lumen-forge\n", "utf-8")

    with pytest.raises(CommandError, match=r"Nothing was imported .* it has kind, name, employer"):
        call_command("import_entities", path, verbosity=0, stdout=io.StringIO())
    assert not Entity.objects.exists()


@pytest.mark.django_db
def test_the_command_reads_compressed_dumps_and_prints_a_summary(tmp_path, known_company):
    path = tmp_path / "latest-all.json.gz"
    with WIKIDATA.open("rb") as source, gzip.open(path, "wb") as target:
        shutil.copyfileobj(source, target)
    out = io.StringIO()

    call_command("import_entities", path, verbosity=0, stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "Imported latest-all.json.gz: 7 created, 0 updated, 0 unchanged, 7 skipped."
    assert "  skipped 1: not JSON (line 14)" in lines


@pytest.mark.django_db
def test_the_format_option_overrides_the_file_name(tmp_path):
    path = tmp_path / "export.txt"
    shutil.copy(CSV, path)
    out = io.StringIO()

    call_command("import_entities", path, "--format", "csv", verbosity=0, stdout=out)

    assert out.getvalue().startswith("Imported export.txt: 5 created")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_entities", tmp_path / "nope.json", verbosity=0)
