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
    EntityRecord(13, COMPANY, "samsung", "Samsung"),
    EntityRecord(14, PRODUCT, "galaxy-s", "Galaxy S series", maker_id=13),
    EntityRecord(15, PRODUCT, "galaxy-s24", "Galaxy S24", maker_id=13, variant_of_id=14),
    EntityRecord(16, COMPANY, "huawei", "Huawei"),
    EntityRecord(17, PRODUCT, "huawei-mate", "Huawei Mate", maker_id=16),
    EntityRecord(18, PRODUCT, "huawei-mate-60", "Huawei Mate 60", maker_id=16, variant_of_id=17),
    EntityRecord(19, COMPANY, "arm", "Arm"),
    EntityRecord(20, PRODUCT, "mali", "Mali", maker_id=19),
    EntityRecord(21, COMPANY, "iqoo", "iQOO"),
    EntityRecord(22, PRODUCT, "iqoo-phones", "iQOO phones", maker_id=21),
    EntityRecord(23, COMPANY, "unitree", "Unitree Robotics"),
    EntityRecord(24, PRODUCT, "unitree-g1", "Unitree G1", maker_id=23),
    EntityRecord(25, COMPANY, "hisilicon", "HiSilicon", parent_id=16),
    EntityRecord(26, PRODUCT, "kirin", "Kirin", maker_id=25),
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
    AliasRecord(13, "Samsung"),
    AliasRecord(14, "Galaxy S series"),
    AliasRecord(14, "Galaxy S", case_sensitive=True),
    AliasRecord(15, "Galaxy S24"),
    AliasRecord(16, "Huawei"),
    AliasRecord(17, "Huawei Mate"),
    AliasRecord(18, "Huawei Mate 60"),
    AliasRecord(18, "Mate 60"),
    AliasRecord(19, "Arm", case_sensitive=True),
    AliasRecord(20, "Mali", case_sensitive=True),
    # A brand that names both the company and its phones.
    AliasRecord(21, "iQOO", case_sensitive=True),
    AliasRecord(22, "iQOO", case_sensitive=True),
    AliasRecord(23, "Unitree"),
    AliasRecord(24, "Unitree G1"),
    AliasRecord(25, "HiSilicon"),
    AliasRecord(26, "Kirin", case_sensitive=True, ambiguous=True),
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


@pytest.mark.parametrize(
    ("text", "language", "family", "version"),
    [
        (
            "The headset runs on a Snapdragon XR2+ Gen 2.",
            "en",
            "snapdragon",
            "Snapdragon XR2+ Gen 2",
        ),
        (
            "Le casque embarque un Snapdragon XR2+ Gen 2.",
            "fr",
            "snapdragon",
            "Snapdragon XR2+ Gen 2",
        ),
        ("Arm's new GPU, the Mali-G1 Ultra, is faster.", "en", "mali", "Mali-G1 Ultra"),
        ("Le GPU Mali-G1 d'Arm gagne 20 % en vitesse.", "fr", "mali", "Mali-G1"),
    ],
)
def test_a_plus_and_a_hyphen_joined_model_number_belong_to_the_version(
    text, language, family, version
):
    mentions, new = tagged(text, language)
    assert set(new) == {version}
    assert mentions[family] == [version]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Arm said Mali-based designs sell well.", "en"),
        ("Les puces Snapdragon-X et Mali-Gx restent rares.", "fr"),
        ("Nvidia said H100-4 clusters were in stock.", "en"),
        ("Le Pixel + Windows reste une rareté.", "fr"),
    ],
)
def test_a_hyphenated_word_without_a_digit_or_after_a_number_is_not_a_version(text, language):
    _, new = tagged(text, language)
    assert not [name for name in new if "-" in name or "+" in name]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Samsung will ship the Galaxy S26 Ultra in February.", "en"),
        ("Samsung lancera le Galaxy S26 Ultra en février.", "fr"),
    ],
)
def test_a_number_glued_onto_a_family_name_makes_a_new_version(text, language):
    mentions, new = tagged(text, language)
    assert mentions["galaxy-s"] == ["Galaxy S26 Ultra"]
    assert new["Galaxy S26 Ultra"].variant_of_id == 14
    assert new["Galaxy S26 Ultra"].maker_id == 13


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Samsung sold Galaxy Smartphones in Brazil.", "en"),
        ("Samsung vend des Galaxy Sx en Inde.", "fr"),
        ("Samsung blamed the Galaxy S5G rollout.", "en"),
    ],
)
def test_a_glued_stem_without_a_version_number_names_nothing(text, language):
    mentions, new = tagged(text, language)
    assert "galaxy-s" not in mentions
    assert new == {}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Huawei says the Mate 80 Pro sold out, and the Mate line keeps growing.", "en"),
        ("Huawei affirme que le Mate 80 Pro est épuisé et que la gamme Mate progresse.", "fr"),
    ],
)
def test_a_family_named_without_its_maker_counts_when_the_maker_is_named(text, language):
    mentions, new = tagged(text, language)
    assert mentions["huawei-mate"] == ["Mate 80 Pro", "Mate"]
    assert new["Mate 80 Pro"].variant_of_id == 17


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("A new Mate 80 launched in a pub; my Mate was there.", "en"),
        ("Le nouveau Mate 80 a été lancé hier, selon un ami.", "fr"),
    ],
)
def test_a_family_named_without_its_maker_needs_the_maker_not_just_a_cue(text, language):
    mentions, new = tagged(text, language)
    assert "huawei-mate" not in mentions
    assert new == {}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Vivo's brand iQOO will launch the iQOO 15 next week.", "en"),
        ("La marque iQOO de Vivo lancera l'iQOO 15 la semaine prochaine.", "fr"),
    ],
)
def test_a_brand_names_its_product_only_with_a_version_after_it(text, language):
    mentions, new = tagged(text, language)
    assert mentions["iqoo"] == ["iQOO"]
    assert mentions["iqoo-phones"] == ["iQOO 15"]
    assert set(new) == {"iQOO 15"}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Google's Pixel 13-inch screen is bright.", "en"),
        ("Le Pixel 10 000 exemplaires a surpris Google.", "fr"),
        ("Google made the Pixel 7 nm chip.", "en"),
        ("Google's Pixel 13th birthday party.", "en"),
        ("Google compared the Pixel 5G speeds.", "en"),
        ("Google a présenté le Pixel au 3ème trimestre.", "fr"),
    ],
)
def test_measures_thousands_ordinals_and_network_generations_are_not_versions(text, language):
    _, new = tagged(text, language)
    assert new == {}


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Qualcomm held its Snapdragon Summit in Maui.", ""),
        ("Qualcomm a tenu son Snapdragon Summit à Maui.", ""),
        ("Nothing here.", "Qualcomm Readies Snapdragon Summit"),
    ],
)
def test_a_product_name_before_an_event_word_names_the_event(text, title):
    mentions, _ = tagged(text, title=title)
    assert "snapdragon" not in mentions


def test_the_dictionary_derives_short_names_and_glued_stems_from_versions():
    [short] = DICTIONARY.automaton.get(" mate ").matching("Mate", "mate", "en")[0]
    assert (short.entity_id, short.ambiguous, short.short_name) == (17, True, True)
    assert DICTIONARY.automaton.get(" galaxy s").glued
    # No version of Snapdragon is written with a glued number, nor named without Qualcomm.
    assert not DICTIONARY.automaton.exists(" snapdragon")
    assert DICTIONARY.versions[17] == {("60",): 18}


def test_a_short_name_that_another_entity_owns_is_not_derived():
    dictionary = Dictionary(
        [*ENTITIES, EntityRecord(99, COMPANY, "mate-labs", "Mate Labs")],
        [*ALIASES, AliasRecord(99, "Mate", case_sensitive=True)],
    )
    entries = dictionary.automaton.get(" mate ").matching("Mate", "mate", "en")[0]
    assert [entry.entity_id for entry in entries] == [99]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Unitree sells its humanoid robots abroad; the G1 costs $16,000.", "en"),
        ("Unitree vend ses humanoïdes à l'étranger ; le G1 coûte 16 000 dollars.", "fr"),
    ],
)
def test_a_model_number_named_without_its_maker_counts_when_the_maker_is_named(text, language):
    mentions, _ = tagged(text, language)
    assert mentions["unitree-g1"] == ["G1"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The new G1 model launched today, and the G1 visa rules changed.", "en"),
        ("Le nouveau modèle G1 a été lancé hier.", "fr"),
    ],
)
def test_a_model_number_named_without_its_maker_needs_the_maker_not_just_a_cue(text, language):
    mentions, _ = tagged(text, language)
    assert "unitree-g1" not in mentions


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Huawei's phones run on the Kirin line.", "en"),
        ("Les téléphones de Huawei tournent sur la gamme Kirin.", "fr"),
    ],
)
def test_a_subsidiarys_product_counts_in_a_story_about_its_parent(text, language):
    mentions, _ = tagged(text, language)
    assert mentions["kirin"] == ["Kirin"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Kirin beer sold well in Japan.", "en"),
        ("La bière Kirin se vend bien au Japon.", "fr"),
    ],
)
def test_a_subsidiarys_product_needs_support_without_its_parent(text, language):
    mentions, _ = tagged(text, language)
    assert "kirin" not in mentions


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Huawei will put the Kirin Pro and the Kirin XR in its phones.", "en"),
        ("Huawei mettra le Kirin Pro et le Kirin XR dans ses téléphones.", "fr"),
    ],
)
def test_a_tier_or_model_code_after_an_ambiguous_product_is_its_version(text, language):
    mentions, new = tagged(text, language)
    assert mentions["kirin"] == ["Kirin Pro", "Kirin"]
    assert set(new) == {"Kirin Pro"}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Huawei staff met on Kirin Street in Shenzhen.", "en"),
        ("Les salariés de Huawei se sont retrouvés rue Kirin Street.", "fr"),
    ],
)
def test_an_ordinary_capitalised_word_after_an_ambiguous_product_makes_a_longer_name(
    text, language
):
    mentions, _ = tagged(text, language)
    assert "kirin" not in mentions


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Apple shipped macOS 15.2 and macOS Sequoia 15.3.1 this week.", "en"),
        ("Apple a publié macOS 15.2 et macOS Sequoia 15.3.1 cette semaine.", "fr"),
    ],
)
def test_a_point_release_after_a_known_version_is_a_new_version(text, language):
    mentions, new = tagged(text, language)
    assert mentions["macos-15"] == ["macOS 15.2", "macOS Sequoia 15.3.1"]
    assert set(new) == {"macOS 15.2", "macOS Sequoia 15.3.1"}
    assert new["macOS 15.2"].variant_of_id == 6


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Apple said macOS 15.5% of Macs run it. Then came macOS 15. It sold.", "en"),
        ("Apple affirme que macOS 15,5 % des Mac l'utilisent.", "fr"),
    ],
)
def test_a_decimal_or_a_full_stop_after_a_known_version_is_no_point_release(text, language):
    _, new = tagged(text, language)
    assert new == {}


@pytest.mark.parametrize(
    ("text", "language", "version"),
    [
        ("Google will sell a Pixel 9 Fold next year.", "en", "Pixel 9 Fold"),
        ("Samsung vendra un Galaxy S24 FE moins cher.", "fr", "Galaxy S24 FE"),
    ],
)
def test_fan_editions_and_foldables_are_tiers(text, language, version):
    _, new = tagged(text, language)
    assert set(new) == {version}
