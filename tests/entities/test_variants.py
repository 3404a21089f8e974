"""Product families and versions in the engine: a family's name extends over the version
written after it, the most specific product known is tagged, and a version the knowledge base
lacks comes out as a suggested new product of its family. English and French."""

import pytest

from entities.tagging import AliasRecord, Dictionary, EntityKind, EntityRecord, tag

COMPANY, PRODUCT = EntityKind.COMPANY, EntityKind.PRODUCT
ENTITIES = [
    EntityRecord(1, COMPANY, "google", "Google"),
    EntityRecord(2, PRODUCT, "pixel", "Pixel", maker_id=1),
    EntityRecord(3, PRODUCT, "pixel-9", "Pixel 9", maker_id=1, variant_of_id=2),
    EntityRecord(4, COMPANY, "apple", "Apple"),
    EntityRecord(5, PRODUCT, "macos", "macOS", maker_id=4),
    EntityRecord(6, PRODUCT, "macos-15", "macOS 15", maker_id=4, variant_of_id=5),
    EntityRecord(7, COMPANY, "qualcomm", "Qualcomm"),
    EntityRecord(8, PRODUCT, "snapdragon", "Snapdragon", maker_id=7),
    EntityRecord(9, COMPANY, "nvidia", "Nvidia"),
    EntityRecord(10, PRODUCT, "nvidia-h100", "Nvidia H100", maker_id=9),
    EntityRecord(11, PRODUCT, "windows", "Windows"),
    EntityRecord(12, PRODUCT, "pixel-9-pro", "Pixel 9 Pro", variant_of_id=3, provisional=True),
]
ALIASES = [
    AliasRecord(1, "Google"),
    AliasRecord(2, "Pixel", case_sensitive=True),
    AliasRecord(3, "Pixel 9"),
    AliasRecord(4, "Apple", case_sensitive=True, ambiguous=True),
    AliasRecord(5, "macOS"),
    AliasRecord(6, "macOS 15"),
    AliasRecord(6, "Sequoia", case_sensitive=True, ambiguous=True),
    AliasRecord(7, "Qualcomm"),
    AliasRecord(8, "Snapdragon"),
    AliasRecord(9, "Nvidia"),
    AliasRecord(10, "Nvidia H100"),
    AliasRecord(10, "H100", case_sensitive=True),
    AliasRecord(11, "Windows", case_sensitive=True),
    AliasRecord(12, "Pixel 9 Pro", case_sensitive=True),
]
DICTIONARY = Dictionary(ENTITIES, ALIASES)


def tagged(text: str, language: str = "en", title: str = ""):
    result = tag(text, dictionary=DICTIONARY, title=title, language=language)
    mentions = {match.slug: [span.text for span in match.mentions] for match in result.entities}
    new = {entity.name: entity for entity in result.new_entities}
    for entity in result.new_entities:
        for span in entity.mentions:
            assert text[span.start : span.end] == span.text
    return mentions, new


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Google showed the Pixel 9 Ultra XL on Tuesday.", "en"),
        ("Google a présenté le Pixel 9 Ultra XL mardi.", "fr"),
    ],
)
def test_a_new_tier_of_a_known_version_is_suggested_as_its_variant(text, language):
    mentions, new = tagged(text, language)
    # The most specific product known is tagged, over the whole name.
    assert mentions["pixel-9"] == ["Pixel 9 Ultra XL"]
    variant = new["Pixel 9 Ultra XL"]
    assert variant.kind == PRODUCT
    assert variant.variant_of_id == 3
    assert variant.maker_id == 1
    assert [span.text for span in variant.mentions] == ["Pixel 9 Ultra XL"]


def test_a_known_version_is_tagged_without_a_suggestion():
    mentions, new = tagged("Google cut the price of the Pixel 9 in Europe.")
    assert mentions["pixel-9"] == ["Pixel 9"]
    assert "pixel" not in mentions
    assert new == {}


def test_a_release_codename_the_knowledge_base_lists_names_the_version():
    mentions, new = tagged("Apple shipped macOS Sequoia to every Mac this week.")
    assert mentions["macos-15"] == ["macOS Sequoia"]
    assert "macos" not in mentions
    assert new == {}
    mentions, new = tagged("Apple a publié macOS Sequoia 15.1 cette semaine.", "fr")
    assert mentions["macos-15"] == ["macOS Sequoia 15.1"]
    assert new["macOS Sequoia 15.1"].variant_of_id == 6


@pytest.mark.parametrize(
    ("text", "language", "version"),
    [
        ("Qualcomm unveiled the Snapdragon 8 Gen 3 in Hawaii.", "en", "Snapdragon 8 Gen 3"),
        ("Qualcomm a dévoilé le Snapdragon 8 Elite à Hawaï.", "fr", "Snapdragon 8 Elite"),
        ("Microsoft will ship Windows 11 24H2 in October.", "en", "Windows 11 24H2"),
        ("Microsoft livrera Windows 2025 en octobre.", "fr", "Windows 2025"),
    ],
)
def test_numbers_generations_tiers_and_years_make_a_new_version(text, language, version):
    _, new = tagged(text, language)
    assert set(new) == {version}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Google sold the Pixel 15 million times.", "en"),
        ("Google a vendu le Pixel 15 millions de fois.", "fr"),
        ("Nvidia sold H100 80GB cards to cloud firms.", "en"),
        ("Nvidia H100 3,000 units were shipped.", "en"),
        ("Le Pixel 10% moins cher attire les clients.", "fr"),
        ("Google praised the Pixel pro photographers use.", "en"),
        ("Google compared the Pixel. Pro users were pleased.", "en"),
    ],
)
def test_quantities_specifications_and_ordinary_words_are_not_versions(text, language):
    _, new = tagged(text, language)
    assert new == {}


def test_another_entitys_name_after_a_product_is_not_its_version():
    mentions, new = tagged("Google's Pixel H100 comparison amused Nvidia.")
    assert mentions["pixel"] == ["Pixel"]
    assert mentions["nvidia-h100"] == ["H100"]
    assert new == {}


def test_a_version_in_the_title_is_suggested_without_body_spans():
    mentions, new = tagged("Nothing else here.", title="Google launches Pixel 10 Pro")
    assert new["Pixel 10 Pro"].in_title
    assert new["Pixel 10 Pro"].mentions == []
    assert "pixel" not in mentions or mentions["pixel"] == []


def test_a_provisional_version_brings_its_accepted_family_along():
    result = tag("Google's Pixel 9 Pro sold out.", dictionary=DICTIONARY, language="en")
    by_slug = {match.slug: match for match in result.entities}
    assert by_slug["pixel-9-pro"].provisional
    assert not by_slug["pixel-9"].provisional
    assert [span.text for span in by_slug["pixel-9"].mentions] == ["Pixel 9 Pro"]


def test_the_dictionary_knows_each_familys_versions_by_the_words_that_follow():
    assert DICTIONARY.versions[2] == {("9",): 3}
    assert DICTIONARY.versions[5] == {("15",): 6, ("sequoia",): 6}
    assert DICTIONARY.versions[3] == {("pro",): 12}
