import pytest

from entities.tagging.normalize import (
    folded_words,
    has_word_character,
    name_forms,
    search_key,
    searchable,
)
from entities.tagging.text import APOSTROPHES


def found_stretches(text: str, name: str) -> list[str]:
    """Return the stretches of text where the search form shows name as whole words."""
    key = search_key(name_forms(name)[1])
    searchable_text = searchable(text)
    stretches = []
    position = searchable_text.padded.find(key)
    while position != -1:
        start, end = searchable_text.original_bounds(position + len(key) - 1, len(key))
        stretches.append(text[start:end])
        position = searchable_text.padded.find(key, position + 1)
    return stretches


@pytest.mark.parametrize("apostrophe", list(APOSTROPHES))
def test_every_apostrophe_variant_becomes_a_straight_apostrophe(apostrophe):
    assert name_forms(f"L{apostrophe}Oréal") == ("L'Oréal", "l'oréal")


@pytest.mark.parametrize("apostrophe", list(APOSTROPHES))
def test_every_apostrophe_separates_an_elision_from_the_name(apostrophe):
    assert found_stretches(f"Le PDG d{apostrophe}Apple et l{apostrophe}IA", "Apple") == ["Apple"]
    assert found_stretches(f"l{apostrophe}IA", "IA") == ["IA"]


@pytest.mark.parametrize("dash", ["-", "‐", "‑", "‒", "–", "—", "―", "−"])
def test_every_dash_variant_matches_a_space(dash):
    assert name_forms(f"Kwon Bong{dash}seok")[1] == name_forms("Kwon Bong seok")[1]


@pytest.mark.parametrize("zero_width", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])
def test_zero_width_characters_are_ignored_in_names(zero_width):
    assert name_forms(f"Nvi{zero_width}dia") == ("Nvidia", "nvidia")


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u2009", "\u3000", "\t", "\n"])
def test_every_kind_of_space_is_a_space(space):
    assert name_forms(f"Mark{space}Zuckerberg")[0] == "Mark Zuckerberg"


def test_runs_of_whitespace_inside_a_name_are_one_space():
    assert name_forms("Mark \n\t Zuckerberg")[0] == "Mark Zuckerberg"


def test_name_forms_apply_nfkc():
    assert name_forms("ＮＶＩＤＩＡ") == ("NVIDIA", "nvidia")
    assert name_forms("ﬁnance") == ("finance", "finance")


def test_name_forms_compose_decomposed_accents():
    assert name_forms("Socie\u0301te\u0301 Ge\u0301ne\u0301rale") == name_forms("Société Générale")


def test_casefolded_form_folds_beyond_lowercase():
    assert name_forms("Straße")[1] == "strasse"


def test_trademark_sign_does_not_glue_letters_to_the_name():
    assert name_forms("Apple™")[0] == "Apple"


def test_search_key_is_padded_and_turns_punctuation_into_spaces():
    assert search_key("l'oréal") == " l oréal "
    assert search_key("meta platforms inc.") == " meta platforms inc  "


def test_has_word_character_rejects_punctuation_only_names():
    assert has_word_character("H100")
    assert not has_word_character("--- '' !")


def test_folded_words_split_french_elisions():
    assert folded_words("L’entreprise a DÉCLARÉ") == ["l", "entreprise", "a", "déclaré"]


@pytest.mark.parametrize(
    "elision", ["l’", "d’", "qu’", "n’", "j’", "s’", "c’", "jusqu’", "lorsqu’", "d'"]
)
def test_french_elision_leaves_the_name_a_whole_word(elision):
    assert found_stretches(f"Le PDG {elision}Apple a déclaré", "Apple") == ["Apple"]


@pytest.mark.parametrize("possessive", ["’s", "'s"])
def test_english_possessive_leaves_the_name_a_whole_word(possessive):
    assert found_stretches(f"Apple{possessive} chief executive", "Apple") == ["Apple"]


def test_search_form_finds_no_name_inside_a_longer_word():
    assert found_stretches("The Metaverse and MetaX and Armenia", "Meta") == []
    assert found_stretches("Nvidia sold H100s", "H100") == []


def test_search_form_treats_an_attached_hyphen_as_a_boundary():
    assert found_stretches("the Meta-owned app", "Meta") == ["Meta"]


def test_search_form_keeps_a_final_dot_outside_the_name():
    assert found_stretches("Meta Platforms Inc. said", "Meta Platforms") == ["Meta Platforms"]


def test_search_form_maps_offsets_after_paragraph_breaks():
    text = "Premier paragraphe.\n\n\nSelon LG Electronics, l’entreprise\n\n  LG Electronics"
    assert found_stretches(text, "LG Electronics") == ["LG Electronics", "LG Electronics"]


def test_search_form_collapses_whitespace_runs_inside_a_name():
    text = "le PDG Kwon \n Bong-seok et Kwon\u00a0Bong seok"
    assert found_stretches(text, "Kwon Bong-seok") == ["Kwon \n Bong-seok", "Kwon\u00a0Bong seok"]


def test_search_form_span_covers_a_zero_width_character_inside_a_name():
    assert found_stretches("chez Nvi\u200bdia", "Nvidia") == ["Nvi\u200bdia"]
    assert found_stretches("chez Nvi\u00addia", "Nvidia") == ["Nvi\u00addia"]


def test_search_form_of_fullwidth_text_maps_back_to_the_fullwidth_characters():
    text = "株 ＮＶＩＤＩＡ 社"
    assert found_stretches(text, "Nvidia") == ["ＮＶＩＤＩＡ"]


def test_search_form_of_text_outside_windows_1252_keeps_offsets():
    text = "Łukasz Nowak met Nvidia’s Jensen\u202fHuang in Kraków"
    assert found_stretches(text, "Nvidia") == ["Nvidia"]
    assert found_stretches(text, "Jensen Huang") == ["Jensen\u202fHuang"]


def test_search_form_of_text_with_ligatures_and_decomposed_accents_keeps_offsets():
    text = "La ﬁliale de Socie\u0301te\u0301 Ge\u0301ne\u0301rale et Nvidia"
    assert found_stretches(text, "Société Générale") == ["Socie\u0301te\u0301 Ge\u0301ne\u0301rale"]
    assert found_stretches(text, "Nvidia") == ["Nvidia"]


def test_search_form_of_text_with_sharp_s_keeps_offsets():
    text = "Die Straße von Nvidia"
    assert found_stretches(text, "Nvidia") == ["Nvidia"]
    assert found_stretches(text, "Strasse") == ["Straße"]


def test_search_form_of_astral_characters_keeps_offsets():
    text = "🚀🚀 Nvidia 𝐇𝟏𝟎𝟎 🚀"
    assert found_stretches(text, "Nvidia") == ["Nvidia"]
    assert found_stretches(text, "H100") == ["𝐇𝟏𝟎𝟎"]


def test_search_form_of_empty_text_is_the_two_pads():
    assert searchable("").padded == "  "


def test_search_form_treats_an_ellipsis_as_a_boundary():
    assert found_stretches("Nvidia…Apple… et Nvidia…", "Nvidia") == ["Nvidia", "Nvidia"]


def test_search_form_skips_a_trademark_sign_inside_a_name():
    assert found_stretches("l’Apple™ Vision Pro", "Apple Vision Pro") == ["Apple™ Vision Pro"]


def test_search_form_of_french_typography_keeps_offsets():
    text = "« Nvidia\u202f» : 350\u202f000 puces pour Meta\u00a0Platforms\u202f!"
    assert found_stretches(text, "Nvidia") == ["Nvidia"]
    assert found_stretches(text, "Meta Platforms") == ["Meta\u00a0Platforms"]
