import os
import pickle
from pathlib import Path

import pytest

from entities.tagging.dictionary import Dictionary, family_name
from entities.tagging.matcher import (
    CONFIDENCE_CUE,
    CONFIDENCE_EXPLICIT,
    FoundEntities,
    find_entities,
)
from entities.tagging.salience import SUBJECT_THRESHOLD, assign_salience
from entities.tagging.types import AliasRecord, EntityKind, EntityRecord

SEED_ARTICLE = (
    Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "meta-lg-xr-ai-fr.txt"
)

COMPANY, PERSON, PRODUCT = EntityKind.COMPANY, EntityKind.PERSON, EntityKind.PRODUCT

ENTITIES = [
    EntityRecord(1, COMPANY, "meta-platforms", "Meta Platforms"),
    EntityRecord(2, COMPANY, "lg-electronics", "LG Electronics", parent_id=3),
    EntityRecord(3, COMPANY, "lg-corp", "LG Corp"),
    EntityRecord(4, COMPANY, "apple", "Apple"),
    EntityRecord(5, COMPANY, "nvidia", "Nvidia"),
    EntityRecord(6, COMPANY, "orange", "Orange"),
    EntityRecord(7, COMPANY, "arm", "Arm"),
    EntityRecord(8, COMPANY, "samsung-electronics", "Samsung Electronics"),
    EntityRecord(9, COMPANY, "loreal", "L’Oréal"),
    EntityRecord(20, PERSON, "mark-zuckerberg", "Mark Zuckerberg", affiliation_id=1),
    EntityRecord(21, PERSON, "william-cho", "William Cho", affiliation_id=2),
    EntityRecord(22, PERSON, "kwon-bong-seok", "Kwon Bong-seok", affiliation_id=3),
    EntityRecord(23, PERSON, "yoon-suk-yeol", "Yoon Suk Yeol"),
    EntityRecord(40, PRODUCT, "apple-vision-pro", "Apple Vision Pro", maker_id=4),
    EntityRecord(41, PRODUCT, "nvidia-h100", "Nvidia H100", maker_id=5),
    EntityRecord(42, PRODUCT, "meta-quest-3", "Meta Quest 3", maker_id=1),
]
ALIASES = [
    AliasRecord(1, "Meta Platforms"),
    AliasRecord(1, "Meta", case_sensitive=True, ambiguous=True),
    AliasRecord(2, "LG Electronics"),
    AliasRecord(2, "LG", case_sensitive=True),
    AliasRecord(3, "LG Corp"),
    AliasRecord(4, "Apple", case_sensitive=True, ambiguous=True),
    AliasRecord(5, "Nvidia"),
    AliasRecord(6, "Orange", case_sensitive=True, ambiguous=True),
    AliasRecord(7, "Arm", case_sensitive=True, ambiguous=True),
    AliasRecord(8, "Samsung Electronics"),
    AliasRecord(8, "Samsung Électronique", language="fr"),
    AliasRecord(8, "Samsung Elec", language="en"),
    AliasRecord(9, "L’Oréal"),
    AliasRecord(20, "Mark Zuckerberg"),
    AliasRecord(20, "Zuckerberg"),
    AliasRecord(21, "William Cho"),
    AliasRecord(22, "Kwon Bong-seok"),
    AliasRecord(23, "Yoon Suk Yeol"),
    AliasRecord(40, "Apple Vision Pro"),
    AliasRecord(40, "Vision Pro"),
    AliasRecord(41, "Nvidia H100"),
    AliasRecord(41, "H100"),
    AliasRecord(42, "Meta Quest 3"),
    AliasRecord(42, "Quest 3"),
]
DICTIONARY = Dictionary(ENTITIES, ALIASES)


def find(text: str, *, title: str = "", language: str = "") -> FoundEntities:
    return find_entities(text, dictionary=DICTIONARY, title=title, language=language)


def slugs(text: str, *, title: str = "", language: str = "") -> set[str]:
    return {match.slug for match in find(text, title=title, language=language).matches}


def mentions(text: str, slug: str, *, title: str = "", language: str = "") -> list[str]:
    found = find(text, title=title, language=language)
    return [span.text for match in found.matches if match.slug == slug for span in match.mentions]


def test_every_mention_span_indexes_the_original_text():
    text = "Le PDG d’Apple a déclaré que l’Apple Vision Pro de Nvi\u200bdia et LG Corp…"
    for match in find(text).matches:
        for span in match.mentions:
            assert text[span.start : span.end] == span.text


# Whole-word boundaries


def test_meta_is_not_found_inside_metaverse():
    assert slugs("Meta Platforms bets on the Metaverse") == {"meta-platforms"}
    assert mentions("Meta Platforms bets on the Metaverse", "meta-platforms") == ["Meta Platforms"]


def test_meta_is_not_found_glued_to_letters():
    assert slugs("The MetaX company said it grew") == set()


def test_arm_is_not_found_inside_armenia():
    assert slugs("The Armenia company said it grew") == set()
    assert slugs("The Arm company said it grew") == {"arm"}


def test_h100_is_not_found_in_its_plural():
    assert slugs("Nvidia sold more H100s") == {"nvidia"}


def test_meta_platforms_is_found_before_a_final_dot():
    assert mentions("Meta Platforms Inc. reported", "meta-platforms") == ["Meta Platforms"]


def test_an_attached_hyphen_is_a_word_boundary():
    assert mentions("Meta Platforms said the Meta-owned app grew", "meta-platforms") == [
        "Meta Platforms",
        "Meta",
    ]


@pytest.mark.parametrize(
    "elision", ["l’", "d’", "qu’", "n’", "j’", "s’", "c’", "jusqu’", "lorsqu’"]
)
def test_a_name_after_a_french_elision_is_found(elision):
    assert mentions(f"Le marché {elision}Nvidia progresse", "nvidia") == ["Nvidia"]


def test_an_elided_ambiguous_name_is_found_with_a_cue():
    text = "Le PDG d’Apple a déclaré que les ventes montent"
    assert mentions(text, "apple", language="fr") == ["Apple"]


def test_an_english_possessive_leaves_the_name_found():
    assert mentions("Nvidia’s chips and Nvidia's rivals", "nvidia") == ["Nvidia", "Nvidia"]


def test_french_ia_after_elision_is_not_a_name_unless_it_is_an_alias():
    text = "Meta investit dans l’IA générative"
    assert slugs(text, language="fr") == set()
    with_ia = Dictionary(
        [EntityRecord(1, PRODUCT, "ia", "IA")], [AliasRecord(1, "IA", case_sensitive=True)]
    )
    found = find_entities(text, dictionary=with_ia, language="fr")
    assert [span.text for match in found.matches for span in match.mentions] == ["IA"]


def test_curly_and_straight_apostrophes_match_each_other():
    for text in ("L'Oréal grows", "L’Oréal grows", "Lʼoréal grows", "L′ORÉAL grows"):
        assert slugs(text) == {"loreal"}, text


# Normalisation inside names


def test_a_zero_width_character_inside_a_name_is_ignored_and_covered_by_the_span():
    text = "Les puces de Nvi\u200bdia"
    assert mentions(text, "nvidia") == ["Nvi\u200bdia"]


def test_fullwidth_letters_match_a_case_insensitive_alias():
    text = "株価 ＮＶＩＤＩＡ が上昇"
    [match] = find(text).matches
    [span] = match.mentions
    assert (span.start, span.end, span.text) == (3, 9, "ＮＶＩＤＩＡ")


def test_a_space_matches_the_hyphen_of_an_alias():
    assert mentions("le COO Kwon Bong seok a parlé", "kwon-bong-seok") == ["Kwon Bong seok"]


def test_a_dash_variant_matches_the_hyphen_of_an_alias():
    assert mentions("le COO Kwon Bong‑seok a parlé", "kwon-bong-seok") == ["Kwon Bong‑seok"]


def test_runs_of_whitespace_and_no_break_spaces_match_one_space():
    text = "Mark  Zuckerberg met Mark\u00a0Zuckerberg and Mark\nZuckerberg"
    assert mentions(text, "mark-zuckerberg") == [
        "Mark  Zuckerberg",
        "Mark\u00a0Zuckerberg",
        "Mark\nZuckerberg",
    ]


# Case sensitivity


def test_a_case_sensitive_alias_ignores_the_common_noun():
    assert slugs("I ate an apple with a lg spoon") == set()


def test_a_case_insensitive_alias_ignores_case():
    assert mentions("NVIDIA and nvidia", "nvidia") == ["NVIDIA", "nvidia"]


# Overlaps


def test_lg_electronics_wins_over_lg():
    found = find("LG Electronics and LG Corp, then LG alone")
    assert {match.slug: [s.text for s in match.mentions] for match in found.matches} == {
        "lg-electronics": ["LG Electronics", "LG"],
        "lg-corp": ["LG Corp"],
    }


def test_apple_vision_pro_is_one_product_mention_that_implies_apple():
    found = find("Reviewers tried the Apple Vision Pro")
    by_slug = {match.slug: match for match in found.matches}
    assert set(by_slug) == {"apple-vision-pro", "apple"}
    assert [span.text for span in by_slug["apple-vision-pro"].mentions] == ["Apple Vision Pro"]
    assert by_slug["apple"].kind == COMPANY
    assert by_slug["apple"].mentions == []
    assert by_slug["apple"].confidence < CONFIDENCE_EXPLICIT
    assert found.implied_by == {4: [40]}


def test_nvidia_h100_implies_nvidia_but_h100_alone_does_not():
    assert slugs("The Nvidia H100 ships") == {"nvidia-h100", "nvidia"}
    assert slugs("The H100 ships") == {"nvidia-h100"}


def test_a_product_name_without_its_maker_does_not_imply_the_maker():
    assert slugs("Le casque Vision Pro est sorti", language="fr") == {"apple-vision-pro"}


def test_non_overlapping_mentions_all_count():
    text = "Nvidia H100, H100 and Nvidia"
    assert mentions(text, "nvidia-h100") == ["Nvidia H100", "H100"]
    assert mentions(text, "nvidia") == ["Nvidia"]


# Ambiguity


def test_an_ambiguous_alias_without_context_is_dropped():
    assert slugs("Apple fell from the tree.") == set()


def test_an_ambiguous_alias_with_a_cue_word_counts_with_lower_confidence():
    [match] = find("Apple, the iPhone maker, said it would grow.").matches
    assert match.slug == "apple"
    assert match.confidence == CONFIDENCE_CUE


def test_a_cue_word_too_far_away_does_not_count():
    text = "Apple fell from the very old tree in the garden, the company said."
    assert slugs(text) == set()


def test_an_ambiguous_french_alias_without_context_is_dropped():
    assert slugs("Orange est une couleur chaude.", language="fr") == set()
    assert slugs("Apple est tombée de l’arbre.", language="fr") == set()


def test_an_ambiguous_french_alias_with_a_cue_word_counts():
    assert slugs("L’opérateur Orange a annoncé une hausse.", language="fr") == {"orange"}
    assert slugs("Le géant Apple prépare un casque.", language="fr") == {"apple"}


def test_an_ambiguous_alias_counts_when_the_entity_is_also_named_unambiguously():
    text = "Meta Platforms grew. Later, Meta grew again."
    assert mentions(text, "meta-platforms") == ["Meta Platforms", "Meta"]


def test_an_ambiguous_alias_counts_when_a_related_entity_is_named():
    assert slugs("Apple fell. Vision Pro grew.") == {"apple", "apple-vision-pro"}
    assert slugs("Meta grew, Mark Zuckerberg wrote.") == {"meta-platforms", "mark-zuckerberg"}
    assert slugs("Apple fell. Le casque Vision Pro.", language="fr") == {
        "apple",
        "apple-vision-pro",
    }


def test_an_ambiguous_alias_in_the_title_counts_with_the_entity_in_the_body():
    found = find("Meta Platforms grew.", title="Meta bets on headsets")
    [match] = found.matches
    assert match.in_title
    assert [span.text for span in match.mentions] == ["Meta Platforms"]


def test_an_unrelated_entity_gives_no_support():
    assert slugs("Nvidia grew. Apple fell from the tree.") == {"nvidia"}


# Languages


def test_a_language_specific_alias_matches_only_its_language():
    text = "Samsung Électronique et Samsung Elec"
    assert mentions(text, "samsung-electronics", language="fr") == ["Samsung Électronique"]
    assert mentions(text, "samsung-electronics", language="en") == ["Samsung Elec"]


def test_an_article_of_unknown_language_matches_aliases_of_every_language():
    text = "Samsung Électronique et Samsung Elec"
    assert mentions(text, "samsung-electronics") == ["Samsung Électronique", "Samsung Elec"]


def test_a_regional_language_tag_counts_as_its_language():
    assert slugs("Samsung Électronique", language="fr-FR") == {"samsung-electronics"}


# Surnames


def test_family_name_is_the_last_token_or_the_first_before_a_hyphenated_given_name():
    assert family_name("William Cho") == "Cho"
    assert family_name("Kwon Bong-seok") == "Kwon"
    assert family_name("Martin Luther King Jr.") == "King"
    assert family_name("Anne Smith-Jones") == "Smith-Jones"
    assert family_name("Cho Ju‑wan") == "Cho"
    assert family_name("Madonna") is None


def test_a_surname_after_the_full_name_links_to_the_person():
    text = "Le PDG William Cho a parlé. Cho a également déclaré que LG grandit."
    assert mentions(text, "william-cho", language="fr") == ["William Cho", "Cho"]


def test_a_surname_without_the_full_name_is_dropped():
    assert slugs("Cho a également déclaré que tout va bien.", language="fr") == set()


def test_a_surname_before_the_full_name_is_dropped():
    text = "Cho said so. William Cho runs LG Electronics."
    assert mentions(text, "william-cho") == ["William Cho"]


def test_a_surname_counts_after_the_full_name_in_the_title():
    found = find("Cho said the deal is near.", title="William Cho meets Mark Zuckerberg")
    assert {match.slug for match in found.matches} == {"william-cho", "mark-zuckerberg"}
    assert mentions("Cho said the deal is near.", "william-cho", title="William Cho") == ["Cho"]


def test_a_korean_surname_is_the_first_token():
    text = "Kwon Bong-seok a parlé. Kwon a ajouté que Bong-seok était là."
    assert mentions(text, "kwon-bong-seok") == ["Kwon Bong-seok", "Kwon"]


def test_a_derived_surname_is_case_sensitive():
    assert mentions("William Cho spoke. CHO agreed.", "william-cho") == ["William Cho"]


def test_a_surname_links_to_the_most_recently_named_person():
    dictionary = Dictionary(
        [
            EntityRecord(1, PERSON, "william-cho", "William Cho"),
            EntityRecord(2, PERSON, "cho-ju-wan", "Cho Ju-wan"),
        ],
        [AliasRecord(1, "William Cho"), AliasRecord(2, "Cho Ju-wan")],
    )
    text = "William Cho met Cho Ju-wan. Cho said yes."
    found = find_entities(text, dictionary=dictionary)
    by_slug = {match.slug: [span.text for span in match.mentions] for match in found.matches}
    assert by_slug == {"william-cho": ["William Cho"], "cho-ju-wan": ["Cho Ju-wan", "Cho"]}


def test_a_bare_surname_loses_to_another_entitys_explicit_alias():
    dictionary = Dictionary(
        [
            EntityRecord(1, PERSON, "william-cho", "William Cho"),
            EntityRecord(2, COMPANY, "cho-industries", "Cho Industries"),
        ],
        [AliasRecord(1, "William Cho"), AliasRecord(2, "Cho", case_sensitive=True)],
    )
    found = find_entities("William Cho spoke. Cho shares rose.", dictionary=dictionary)
    by_slug = {match.slug: [span.text for span in match.mentions] for match in found.matches}
    assert by_slug == {"william-cho": ["William Cho"], "cho-industries": ["Cho"]}


# Confidence


def test_a_non_ambiguous_alias_gives_full_confidence():
    [match] = find("Nvidia grew").matches
    assert match.confidence == CONFIDENCE_EXPLICIT


# The dictionary


def test_dictionary_counts_the_aliases_it_indexed():
    assert DICTIONARY.alias_count == len(ALIASES)
    assert DICTIONARY.entities[5].slug == "nvidia"


def test_dictionary_rejects_an_alias_of_an_unknown_entity():
    with pytest.raises(ValueError, match="unknown entity"):
        Dictionary([], [AliasRecord(1, "Ghost")])


def test_dictionary_skips_an_alias_without_any_letter_or_digit():
    dictionary = Dictionary([EntityRecord(1, COMPANY, "dots", "Dots")], [AliasRecord(1, "...")])
    assert dictionary.alias_count == 0
    assert find_entities("... and ...", dictionary=dictionary).matches == []


def test_dictionary_survives_pickling():
    text = "Apple, the iPhone maker, said William Cho met Cho at LG Electronics."
    copy = pickle.loads(pickle.dumps(DICTIONARY))  # noqa: S301 - our own pickle
    assert find_entities(text, dictionary=copy) == find_entities(text, dictionary=DICTIONARY)


# The French seed article


@pytest.fixture
def seed_article() -> tuple[str, str]:
    if not SEED_ARTICLE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"seed article missing: {SEED_ARTICLE}")
        pytest.skip(f"seed article missing: {SEED_ARTICLE}")
    title, _, body = SEED_ARTICLE.read_text(encoding="utf-8").partition("\n")
    return title, body


def test_seed_article_tags_exactly_the_entities_it_names(seed_article):
    title, body = seed_article
    found = find_entities(body, dictionary=DICTIONARY, title=title, language="fr")
    by_kind = {
        kind: {match.slug for match in found.matches if match.kind == kind} for kind in EntityKind
    }
    assert by_kind == {
        COMPANY: {"meta-platforms", "lg-electronics", "lg-corp", "apple", "nvidia"},
        PERSON: {"mark-zuckerberg", "william-cho", "kwon-bong-seok", "yoon-suk-yeol"},
        PRODUCT: {"apple-vision-pro", "nvidia-h100"},
    }


def test_seed_article_spans_cover_the_names(seed_article):
    title, body = seed_article
    found = find_entities(body, dictionary=DICTIONARY, title=title, language="fr")
    by_slug = {match.slug: match for match in found.matches}
    assert {span.text for span in by_slug["meta-platforms"].mentions} == {"Meta Platforms", "Meta"}
    assert [span.text for span in by_slug["william-cho"].mentions] == ["William Cho", "Cho", "Cho"]
    assert [span.text for span in by_slug["apple-vision-pro"].mentions] == ["Vision Pro"]
    assert by_slug["mark-zuckerberg"].in_title
    for match in found.matches:
        for span in match.mentions:
            assert body[span.start : span.end] == span.text


def test_seed_article_subjects_are_meta_lg_electronics_and_zuckerberg(seed_article):
    title, body = seed_article
    found = find_entities(body, dictionary=DICTIONARY, title=title, language="fr")
    assign_salience(found.matches, body=body, implied_by=found.implied_by)
    salience = {match.slug: match.salience for match in found.matches}
    for subject in ("meta-platforms", "lg-electronics", "mark-zuckerberg"):
        assert salience[subject] >= SUBJECT_THRESHOLD, subject
    for side_entity in ("nvidia", "nvidia-h100", "yoon-suk-yeol"):
        assert salience[side_entity] < SUBJECT_THRESHOLD, side_entity


def test_a_company_alias_matches_without_its_legal_form():
    dictionary = Dictionary(
        [EntityRecord(1, EntityKind.COMPANY, "smic", "SMIC")],
        [AliasRecord(1, "Semiconductor Manufacturing International Corporation")],
    )
    for text in (
        "Chips made at Semiconductor Manufacturing International Corp in Shanghai.",
        "Des puces gravées par Semiconductor Manufacturing International à Shanghai.",
    ):
        found = find_entities(text, dictionary=dictionary, language="en")
        assert [match.slug for match in found.matches] == ["smic"]
    assert dictionary.knows("Semiconductor Manufacturing International")


def test_a_one_word_short_form_is_not_derived():
    dictionary = Dictionary(
        [EntityRecord(1, EntityKind.COMPANY, "snap", "Snap Inc.")], [AliasRecord(1, "Snap Inc.")]
    )
    assert find_entities("A snap decision.", dictionary=dictionary, language="en").matches == []
    assert not dictionary.knows("Snap")
