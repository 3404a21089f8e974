"""load_starter_kb: every file of each kind's folder, checked links, nothing changed twice."""

import io
import json
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command

from entities import importers
from entities.importers import KnowledgeBaseDataError, starter_kb_load, starter_rows
from entities.models import Alias, Entity


def company(slug, name, **fields):
    return {"slug": slug, "name": name, "aliases": [{"text": name}], **fields}


def write(data_dir, folder, name, rows):
    (data_dir / folder).mkdir(parents=True, exist_ok=True)
    (data_dir / folder / name).write_text(json.dumps(rows), "utf-8")


@pytest.fixture
def data_dir(tmp_path):
    write(
        tmp_path,
        "companies",
        "starter.json",
        [
            company("kestrel-group", "Kestrel Group", sector="conglomerate"),
            company("kestrel-devices", "Kestrel Devices", parent="kestrel-group"),
        ],
    )
    write(tmp_path, "companies", "chips.json", [company("orbita-semi", "Orbita Semi")])
    write(
        tmp_path,
        "people",
        "starter.json",
        [
            {
                "slug": "ines-marlow",
                "name": "Ines Marlow",
                "affiliation": "kestrel-devices",
                "role": "Chief executive officer",
                "aliases": [
                    {"text": "Ines Marlow"},
                    {"text": "Marlow", "case_sensitive": True},
                ],
            }
        ],
    )
    write(
        tmp_path,
        "products",
        "phones.json",
        [
            {"slug": "glide", "name": "Glide", "maker": "kestrel-devices", "aliases": []},
            {"slug": "glide-7", "name": "Glide 7", "maker": "kestrel-devices",
             "variant_of": "glide", "aliases": [{"text": "Glide 7"}]},
            {"slug": "glide-7-pro", "name": "Glide 7 Pro", "maker": "kestrel-devices",
             "variant_of": "glide-7", "aliases": [{"text": "Glide 7 Pro"}]},
        ],
    )  # fmt: skip
    write(
        tmp_path,
        "products",
        "chips.json",
        [
            {"slug": "orbit-x2", "name": "Orbit X2", "maker": "orbita-semi",
             "aliases": [{"text": "X2", "case_sensitive": True, "ambiguous": True}]},
        ],
    )  # fmt: skip
    return tmp_path


@pytest.mark.django_db
def test_every_file_of_each_folder_is_loaded_with_its_links(data_dir):
    counts = starter_kb_load(data_dir=data_dir)

    assert counts["companies"] == 3
    assert counts["people"] == 1
    assert counts["products"] == 4
    assert counts["entities_created"] == 8
    assert counts["aliases_created"] == 8
    assert Entity.objects.get(slug="kestrel-devices").parent.slug == "kestrel-group"
    assert Entity.objects.get(slug="ines-marlow").affiliation.slug == "kestrel-devices"
    pro = Entity.objects.get(slug="glide-7-pro")
    assert pro.maker.slug == "kestrel-devices"
    assert pro.variant_of.slug == "glide-7"
    assert pro.variant_of.variant_of.slug == "glide"
    assert Entity.objects.get(slug="orbit-x2").maker.slug == "orbita-semi"
    x2 = Alias.objects.get(text="X2")
    assert (x2.case_sensitive, x2.ambiguous) == (True, True)
    assert Alias.objects.get(text="Marlow").case_sensitive


@pytest.mark.django_db
def test_a_second_run_changes_nothing(data_dir):
    starter_kb_load(data_dir=data_dir)
    before = list(Entity.objects.values_list("pk", "updated_at").order_by("pk"))
    aliases = list(Alias.objects.values_list("pk", "text", "case_sensitive").order_by("pk"))

    counts = starter_kb_load(data_dir=data_dir)

    assert counts["entities_created"] == counts["entities_updated"] == 0
    assert counts["aliases_created"] == counts["aliases_updated"] == 0
    assert list(Entity.objects.values_list("pk", "updated_at").order_by("pk")) == before
    assert list(Alias.objects.values_list("pk", "text", "case_sensitive").order_by("pk")) == aliases


@pytest.mark.django_db
def test_an_edited_file_updates_only_what_it_changed(data_dir):
    starter_kb_load(data_dir=data_dir)
    write(
        data_dir,
        "products",
        "chips.json",
        [
            {"slug": "orbit-x2", "name": "Orbit X2", "maker": "orbita-semi",
             "variant_of": "glide", "aliases": [{"text": "X2", "case_sensitive": True}]},
        ],
    )  # fmt: skip

    counts = starter_kb_load(data_dir=data_dir)

    assert counts["entities_created"] == 0
    assert counts["entities_updated"] == 1
    assert counts["aliases_updated"] == 1
    assert Entity.objects.get(slug="orbit-x2").variant_of.slug == "glide"
    assert not Alias.objects.get(text="X2").ambiguous


@pytest.mark.django_db
def test_editors_additions_are_kept(data_dir):
    starter_kb_load(data_dir=data_dir)
    glide = Entity.objects.get(slug="glide")
    Alias.objects.create(entity=glide, text="Glide phone")
    Entity.objects.create(kind="company", slug="added-by-an-editor", name="Added")

    starter_kb_load(data_dir=data_dir)

    assert glide.aliases.filter(text="Glide phone").exists()
    assert Entity.objects.filter(slug="added-by-an-editor").exists()


@pytest.mark.django_db
def test_a_slug_in_two_files_of_a_kind_is_refused_and_nothing_is_loaded(data_dir):
    write(data_dir, "companies", "more.json", [company("orbita-semi", "Orbita Semiconductor")])

    with pytest.raises(KnowledgeBaseDataError) as error:
        starter_kb_load(data_dir=data_dir)

    assert "'orbita-semi' is in companies/chips.json and companies/more.json" in str(error.value)
    assert not Entity.objects.exists()


def test_the_same_slug_in_two_kinds_is_allowed(data_dir):
    write(data_dir, "people", "more.json", [company("glide", "Glide Person")])

    assert len(starter_rows(data_dir)["person"]) == 2


@pytest.mark.parametrize(
    ("folder", "row", "message"),
    [
        ("companies", company("lone", "Lone", parent="nobody"), "'lone': unknown parent 'nobody'"),
        (
            "people",
            {"slug": "ann-b", "name": "Ann B", "affiliation": "orbit-x2"},
            "'ann-b': unknown affiliation 'orbit-x2'",
        ),
        (
            "products",
            {"slug": "pad", "name": "Pad", "maker": "glide"},
            "'pad': unknown maker 'glide'",
        ),
        (
            "products",
            {"slug": "pad", "name": "Pad", "variant_of": "kestrel-devices"},
            "'pad': unknown variant_of 'kestrel-devices'",
        ),
        (
            "products",
            {"slug": "pad", "name": "Pad", "variant_of": "pad"},
            "'pad': its variant_of chain comes back to it",
        ),
    ],
)
def test_a_link_to_no_record_of_the_right_kind_is_refused(data_dir, folder, row, message):
    write(data_dir, folder, "zz.json", [row])

    with pytest.raises(KnowledgeBaseDataError, match=message):
        starter_rows(data_dir)


def test_an_alias_given_twice_in_a_record_is_refused(data_dir):
    write(
        data_dir,
        "people",
        "zz.json",
        [
            {"slug": "li-ping", "name": "Li Ping", "aliases": [
                {"text": "Li Ping"}, {"text": "Li Ping", "case_sensitive": True},
            ]},
        ],
    )  # fmt: skip

    with pytest.raises(KnowledgeBaseDataError, match="person 'li-ping': an alias is given twice"):
        starter_rows(data_dir)


def test_a_loop_of_versions_is_refused(data_dir):
    write(
        data_dir,
        "products",
        "zz.json",
        [
            {"slug": "loop-a", "name": "Loop A", "variant_of": "loop-b"},
            {"slug": "loop-b", "name": "Loop B", "variant_of": "loop-a"},
        ],
    )

    with pytest.raises(KnowledgeBaseDataError, match="'loop-a': its variant_of chain"):
        starter_rows(data_dir)


@pytest.mark.django_db
def test_the_command_reports_counts_and_refuses_bad_data_clearly(data_dir, monkeypatch):
    monkeypatch.setattr(importers, "DATA_DIR", data_dir)
    out = io.StringIO()
    call_command("load_starter_kb", stdout=out)
    assert "3 company, 1 person and 4 product records: 8 entities created" in out.getvalue()

    write(data_dir, "products", "zz.json", [{"slug": "pad", "name": "Pad", "maker": "nobody"}])
    with pytest.raises(CommandError, match="not loaded:\nproduct 'pad': unknown maker 'nobody'"):
        call_command("load_starter_kb", stdout=io.StringIO())


def test_the_shipped_data_is_consistent():
    rows = starter_rows()

    assert len(rows["company"]) >= 386
    for kind_rows in rows.values():
        for row in kind_rows:
            assert row["name"].strip()
            assert row.get("aliases"), row["slug"]


def test_the_shipped_products_chain_versions_to_their_families():
    products = {row["slug"]: row for row in starter_rows()["product"]}

    def families(slug):
        chain = []
        while slug := products[slug].get("variant_of"):
            chain.append(slug)
        return chain

    assert len(products) >= 800
    assert families("pixel-9-pro") == ["pixel-9", "pixel"]
    assert families("iphone-16-pro") == ["iphone-16", "iphone"]
    assert families("exynos-2400") == ["exynos"]
    assert families("windows-11-24h2") == ["windows-11", "windows"]
    assert families("claude-3-5-sonnet") == ["claude-sonnet", "claude"]


def test_no_shipped_product_alias_names_another_entity_too():
    owners = defaultdict(set)
    for kind, rows in starter_rows().items():
        for row in rows:
            for alias in row.get("aliases", []):
                owners[alias["text"].casefold()].add((kind, row["slug"]))

    shared = {
        text: entities
        for text, entities in owners.items()
        if len(entities) > 1 and any(kind == "product" for kind, _ in entities)
    }
    assert shared == {}
