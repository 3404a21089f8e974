"""The real French article in shared/seed, tagged against the shipped starter knowledge base.

The article is read from outside the project at test time; its text is never copied here.
"""

import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "meta-lg-xr-ai-fr.txt"


@pytest.fixture(scope="module")
def starter_kb(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_starter_kb", stdout=io.StringIO())
        yield
        from entities.models import Entity

        Entity.objects.all().delete()


def tag_text(text: str, title: str = "", lang: str | None = None) -> dict:
    out = io.StringIO()
    options = {"title": title, "stdout": out}
    if lang:
        options["lang"] = lang
    call_command("tag_text", stdin=io.BytesIO(text.encode("utf-8")), **options)
    return json.loads(out.getvalue())


def seed_text() -> tuple[str, str]:
    if not SEED.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{SEED} is missing")
        pytest.skip(f"{SEED} is missing")
    title, _, body = SEED.read_text(encoding="utf-8").partition("\n\n")
    return title.strip(), body


def by_kind(output: dict) -> dict[str, set[str]]:
    kinds: dict[str, set[str]] = {"company": set(), "person": set(), "product": set()}
    for entity in output["entities"]:
        kinds[entity["kind"]].add(entity["slug"])
    return kinds


@pytest.mark.django_db
def test_seed_article_gives_exactly_the_expected_entities(starter_kb):
    title, body = seed_text()
    output = tag_text(body, title=title)
    assert output["language"] == "fr"
    assert by_kind(output) == {
        "company": {"meta-platforms", "lg-electronics", "lg-corp", "apple", "nvidia"},
        "person": {"mark-zuckerberg", "william-cho", "kwon-bong-seok", "yoon-suk-yeol"},
        "product": {"apple-vision-pro", "nvidia-h100"},
    }
    for entity in output["entities"]:
        for mention in entity["mentions"]:
            assert body[mention["start"] : mention["end"]] == mention["text"]


@pytest.mark.django_db
def test_seed_article_gives_exactly_the_expected_relationships(starter_kb):
    title, body = seed_text()
    relationships = {
        (r["kind"], tuple(r["companies"])): r for r in tag_text(body, title=title)["relationships"]
    }
    assert set(relationships) == {
        ("partnership", ("lg-electronics", "meta-platforms")),
        ("competition", ("apple", "meta-platforms")),
        ("supplier_customer", ("meta-platforms", "nvidia")),
    }
    partnership = relationships["partnership", ("lg-electronics", "meta-platforms")]
    assert {"ai", "xr"} <= set(partnership["topics"])
    evidence = [e["text"] for e in partnership["evidence"]]
    assert any(
        "Mark Zuckerberg" in text and "LG Electronics" in text and "partenariat" in text
        for text in evidence
    )


@pytest.mark.django_db
def test_our_french_demo_article_is_tagged_the_same_way(starter_kb):
    demo = json.loads(
        (Path(__file__).resolve().parents[2] / "articles/data/demo_articles.json").read_text()
    )
    article = next(a for a in demo["articles"] if "Séoul" in a["title"])
    output = tag_text(article["body"], title=article["title"])
    kinds = by_kind(output)
    assert kinds["company"] == {"meta-platforms", "lg-electronics", "lg-corp", "apple"}
    assert kinds["person"] == {"mark-zuckerberg", "william-cho", "kwon-bong-seok"}
    assert kinds["product"] == {"meta-quest-3", "apple-vision-pro"}
    pairs = {(r["kind"], tuple(r["companies"])) for r in output["relationships"]}
    assert ("partnership", ("lg-electronics", "meta-platforms")) in pairs
    assert ("competition", ("apple", "meta-platforms")) in pairs


@pytest.mark.django_db
def test_tag_text_output_keeps_its_documented_shape(starter_kb):
    output = tag_text("Nvidia a présenté la puce H100 à Paris.", lang="fr")
    assert set(output) == {"language", "entities", "relationships", "candidates"}
    nvidia = next(e for e in output["entities"] if e["slug"] == "nvidia")
    assert set(nvidia) == {"kind", "name", "slug", "salience", "mentions"}
    assert nvidia["mentions"] == [{"start": 0, "end": 6, "text": "Nvidia"}]


@pytest.mark.django_db
def test_starter_kb_loads_idempotently_with_enough_entities(starter_kb):
    from entities.models import Alias, Entity

    counts = {kind: Entity.objects.filter(kind=kind).count() for kind in Entity.Kind.values}
    aliases = Alias.objects.count()
    call_command("load_starter_kb", stdout=io.StringIO())
    assert counts == {kind: Entity.objects.filter(kind=kind).count() for kind in Entity.Kind.values}
    assert Alias.objects.count() == aliases
    assert counts["company"] >= 300
    assert counts["person"] >= 150
    assert counts["product"] >= 200
    lg = Entity.objects.get(slug="lg-electronics")
    assert lg.parent.slug == "lg-corp"
    assert Entity.objects.get(slug="mark-zuckerberg").affiliation.slug == "meta-platforms"
    assert Entity.objects.get(slug="apple-vision-pro").maker.slug == "apple"
    assert Alias.objects.filter(language="fr").exists()


@pytest.mark.django_db
def test_tag_text_refuses_input_that_is_not_utf8(starter_kb):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("tag_text", stdin=io.BytesIO(b"\xff\xfe Nvidia"), stdout=io.StringIO())
