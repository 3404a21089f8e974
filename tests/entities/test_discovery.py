"""Tests for discovery: names in an article that the knowledge base does not know yet."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entities.tagging import discovery
from entities.tagging.discovery import (
    NAME_MAX_CHARS,
    CapitalisedSpanFinder,
    FoundName,
    SpacyFrenchFinder,
    discover_candidates,
    load_french_ner,
    normalise_name,
)
from entities.tagging.text import APOSTROPHES, split_sentences
from entities.tagging.types import Candidate, EntityKind

SEED_ARTICLE = (
    Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "meta-lg-xr-ai-fr.txt"
)

ENGLISH_ARTICLE = (
    "Meta Platforms agreed on Thursday to invest in Scale AI, the data-labelling start-up,"
    " and to hire its chief executive, Alexandr Wang, people familiar with the deal said."
    " Wang will lead a new research lab in South Korea and Japan from June."
    " Analysts expect Scale AI to keep its other clients."
)

FRENCH_ARTICLE = (
    "La start-up française Pasqal a annoncé mardi une levée de fonds de 100 millions"
    " d’euros, a déclaré son PDG, Loïc Henriet.\n\n"
    "Selon Loïc Henriet, la société veut construire un ordinateur quantique d’ici 2026."
    " Henriet a ajouté que les premiers clients seront des industriels européens.\n\n"
    "La société d’Anthropic a présenté son modèle Claude 4 aux développeurs à Paris en mars,"
    " a indiqué Dario Amodei."
)


def names(found: list[FoundName]) -> list[str]:
    return [name.text for name in found]


def by_text(candidates: list[Candidate]) -> dict[str, Candidate]:
    return {candidate.text: candidate for candidate in candidates}


def english_candidates(text: str) -> dict[str, Candidate]:
    return by_text(discover_candidates(text=text, language="en", known_spans=[]))


def spans_of(text: str, names_to_find: list[str]) -> list[tuple[int, int]]:
    """Return the offsets of every whole-word occurrence of each name."""
    return [
        match.span()
        for name in names_to_find
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)
    ]


class _FixedFinder:
    """Return the given names, each once, from a text that lists them."""

    def __init__(self, names_to_return: list[str]) -> None:
        self.text = " | ".join(names_to_return)
        self._names = names_to_return

    def find(self, text: str) -> list[FoundName]:
        found = []
        for name in self._names:
            start = text.index(name)
            found.append(FoundName(name, start, start + len(name)))
        return found


class _EveryOccurrenceFinder:
    """Return every whole-word occurrence of one name."""

    def __init__(self, name: str) -> None:
        self.name = name

    def find(self, text: str) -> list[FoundName]:
        return [FoundName(self.name, start, end) for start, end in spans_of(text, [self.name])]


# --- the capitalised-span rule (English) ---


def test_capitalised_finder_finds_a_company_and_a_person_with_their_kinds():
    found = {name.text: name for name in CapitalisedSpanFinder().find(ENGLISH_ARTICLE)}

    assert found["Scale AI"].likely_kind is EntityKind.COMPANY
    assert found["Alexandr Wang"].likely_kind is EntityKind.PERSON
    assert found["Meta Platforms"].likely_kind is EntityKind.COMPANY


def test_capitalised_finder_skips_sentence_starts_months_weekdays_and_places():
    found = names(CapitalisedSpanFinder().find(ENGLISH_ARTICLE))

    for skipped in ("Analysts", "Thursday", "June", "South Korea", "Japan"):
        assert skipped not in found
    assert not any("Korea" in name or "June" in name for name in found)


def test_capitalised_finder_keeps_a_sentence_start_that_recurs_mid_sentence():
    text = "Nvidia shipped chips. Analysts said demand for Nvidia parts is high."

    assert names(CapitalisedSpanFinder().find(text)) == ["Nvidia", "Nvidia"]


def test_capitalised_finder_keeps_a_name_shaped_sentence_start():
    text = "TSMC raised prices. OpenAI agreed."

    assert names(CapitalisedSpanFinder().find(text)) == ["TSMC", "OpenAI"]


def test_capitalised_finder_drops_an_ordinary_first_word_the_article_uses_in_lowercase():
    text = "Shares of Apple fell on Monday. The shares recovered later."

    assert names(CapitalisedSpanFinder().find(text)) == ["Apple"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The deal with Johnson & Johnson closed.", ["Johnson & Johnson"]),
        ("The lender Bank of America agreed.", ["Bank of America"]),
        ("He met Tim Cook of Apple yesterday.", ["Tim Cook", "Apple"]),
        ("He met Apple and Google in Austin.", ["Apple", "Google"]),
        ("It sold units to Procter and Gamble Co last year.", ["Procter and Gamble Co"]),
        ("The chip maker said C.C. Wei would travel.", ["C.C. Wei"]),
        ("It launched the Quest 3 and the iPhone 15 Pro Max.", ["Quest 3", "iPhone 15 Pro Max"]),
        ("The talks with OpenAI and xAI stalled.", ["OpenAI", "xAI"]),
        ("The chairman of LG Corp, Kwon Bong-seok, spoke.", ["LG Corp", "Kwon Bong-seok"]),
        ("The suppliers include TSMC and SK Hynix.", ["TSMC", "SK Hynix"]),
        ("The CEO Sam Altman spoke first.", ["Sam Altman"]),
        ("He visited Seoul, Paris and New York in May.", []),
        ("Demand for AI and XR chips grew in Q3.", []),
    ],
)
def test_capitalised_finder_name_shapes(text: str, expected: list[str]):
    assert names(CapitalisedSpanFinder().find(text)) == expected


def test_capitalised_finder_stops_a_name_at_a_possessive():
    text = "The launch of OpenAI’s GPT-4o model went well."

    assert names(CapitalisedSpanFinder().find(text)) == ["OpenAI", "GPT-4o"]


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("Investors backed Helix Robotics this week.", "Helix Robotics", EntityKind.COMPANY),
        ("Investors backed Orbital Labs this week.", "Orbital Labs", EntityKind.COMPANY),
        ("The new Pixel 9 sold out.", "Pixel 9", EntityKind.PRODUCT),
        ("The new Vision Pro sold out.", "Vision Pro", EntityKind.PRODUCT),
        ("The start-up, led by founder Maya Lindqvist, grew.", "Maya Lindqvist", EntityKind.PERSON),
        ("The plan was approved, Jonas Berg said.", "Jonas Berg", EntityKind.PERSON),
        ("The plan of Jonas Berg was approved.", "Jonas Berg", None),
        ("The team at Blue Harbor grew.", "Blue Harbor", None),
    ],
)
def test_capitalised_finder_guesses_kind_from_cues(text: str, name: str, kind: EntityKind | None):
    found = {found.text: found for found in CapitalisedSpanFinder().find(text)}

    assert found[name].likely_kind is kind


def test_capitalised_finder_ignores_a_title_case_headline():
    text = (
        "Meta Hires Startup Founder In Blockbuster Data Deal\n\n"
        "The deal values the start-up at $29 billion, said Helena Ruiz."
    )

    assert names(CapitalisedSpanFinder().find(text)) == ["Helena Ruiz"]


def test_capitalised_finder_strips_french_elisions_from_its_spans():
    text = "Le PDG d’Anthropic a rencontré les dirigeants de l’Oréal et d’Apple."
    found = CapitalisedSpanFinder().find(text)

    assert names(found) == ["Anthropic", "Oréal", "Apple"]
    assert all(text[name.start : name.end] == name.text for name in found)


@pytest.mark.parametrize("apostrophe", list(APOSTROPHES))
def test_every_apostrophe_makes_an_elision_or_a_possessive(apostrophe: str):
    text = (
        f"Le PDG d{apostrophe}Anthropic a vu l{apostrophe}équipe d{apostrophe}OpenAI{apostrophe}s."
    )

    found = CapitalisedSpanFinder("fr").find(text)

    assert names(found) == ["Anthropic", "OpenAI"]
    assert normalise_name(f"L{apostrophe}Oréal") == "Oréal"
    assert normalise_name(f"OpenAI{apostrophe}s") == "OpenAI"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_capitalised_finder_never_raises_and_spans_match_the_text(text: str):
    for name in CapitalisedSpanFinder().find(text):
        assert 0 <= name.start < name.end <= len(text)
        assert text[name.start : name.end] == name.text


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *("Apple", "d’OpenAI", "OpenAI’s", "C.C.", "Wei", "and", "of", "&", "3", "Le"),
                *("the", "Corée", "du", "Sud", ".", ",", "\n", "\n\n", "’", "Bong-seok", "É"),
            ]
        )
    ).map(" ".join)
)
def test_discover_candidates_never_raises_on_name_like_text(text: str):
    for candidate in discover_candidates(text=text, language="en", known_spans=[]):
        assert candidate.count >= 1
        assert len(candidate.text) > 1


# --- discover_candidates ---


def test_possessive_is_stripped_and_counted_with_the_bare_name():
    candidates = english_candidates("The board met OpenAI’s lawyers. Rivals sued OpenAI.")

    assert candidates["OpenAI"].count == 2
    assert "OpenAI’s" not in candidates


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("d’OpenAI", "OpenAI"),
        ("d'Anthropic", "Anthropic"),
        ("l’Oréal", "Oréal"),
        ("OpenAI’s", "OpenAI"),
        ("OpenAI's", "OpenAI"),
        ("  Scale\u00a0\n AI ", "Scale AI"),
        ("«Pasqal»", "Pasqal"),
    ],
)
def test_normalise_name(raw: str, normalised: str):
    assert normalise_name(raw) == normalised


def test_known_spans_are_excluded():
    text = "Regulators met Scale AI and Alexandr Wang, the CEO, said."
    known = spans_of(text, ["Scale AI"])

    candidates = by_text(discover_candidates(text=text, language="en", known_spans=known))

    assert "Scale AI" not in candidates
    assert "Alexandr Wang" in candidates


def test_a_name_partly_covered_by_a_known_span_is_excluded():
    text = "Regulators met Scale AI Labs on Monday."
    known = spans_of(text, ["Scale AI"])

    assert discover_candidates(text=text, language="en", known_spans=known) == []


def test_bare_surname_after_the_full_name_counts_toward_the_full_name():
    text = (
        "The start-up hired Alexandr Wang, its founder said. Investors like Wang."
        " Critics called Wang ambitious."
    )

    candidates = english_candidates(text)

    assert candidates["Alexandr Wang"].count == 3
    assert candidates["Alexandr Wang"].likely_kind is EntityKind.PERSON
    assert "Wang" not in candidates


def test_bare_surname_before_any_full_name_stays_its_own_candidate():
    text = "Investors like Wang. The start-up hired Alexandr Wang, its founder said."

    candidates = english_candidates(text)

    assert candidates["Wang"].count == 1
    assert candidates["Alexandr Wang"].count == 1


def test_bare_word_after_a_non_person_name_is_not_linked():
    text = "Buyers love Blue Harbor boats. Sailors praise Harbor too."

    candidates = english_candidates(text)

    assert candidates["Blue Harbor"].count == 1
    assert candidates["Harbor"].count == 1


def test_family_name_first_korean_name_links_the_family_name():
    text = (
        "The board named Kwon Bong-seok, the COO of the holding, as chair."
        " Investors expect Kwon to cut costs."
    )

    candidates = english_candidates(text)

    assert candidates["Kwon Bong-seok"].count == 2
    assert "Kwon" not in candidates


def test_bare_surname_of_an_earlier_known_name_is_not_a_candidate():
    text = "Analysts met William Cho, the CEO. Reporters asked Cho about sales."
    known = spans_of(text, ["William Cho"])

    assert discover_candidates(text=text, language="en", known_spans=known) == []


def test_counts_examples_and_order():
    text = (
        "Orbital Labs raised money. Critics doubt Orbital Labs. Buyers like Orbital Labs."
        " Fans of Orbital Labs cheered. Rivals of Helix Robotics waited."
    )

    candidates = discover_candidates(text=text, language="en", known_spans=[], max_examples=2)

    assert [(c.text, c.count) for c in candidates] == [("Orbital Labs", 4), ("Helix Robotics", 1)]
    assert candidates[0].examples == ["Orbital Labs raised money.", "Critics doubt Orbital Labs."]
    assert candidates[1].examples == ["Rivals of Helix Robotics waited."]


def test_ties_are_sorted_by_text():
    text = "Buyers met Zeta Labs, Alpha Labs and Mid Labs."

    candidates = discover_candidates(text=text, language="en", known_spans=[])

    assert [c.text for c in candidates] == ["Alpha Labs", "Mid Labs", "Zeta Labs"]


def test_one_sentence_gives_one_example_however_often_the_name_occurs():
    text = "Fans of Orbital Labs and critics of Orbital Labs met."

    [candidate] = discover_candidates(text=text, language="en", known_spans=[])

    assert candidate.count == 2
    assert candidate.examples == [text]


def test_long_example_sentence_is_trimmed_around_the_name():
    filler = " ".join(["the market grew"] * 40)
    text = f"In a long report {filler} while Orbital Labs kept hiring {filler}."

    [candidate] = discover_candidates(text=text, language="en", known_spans=[])

    [example] = candidate.examples
    assert len(example) <= 300
    assert "Orbital Labs" in example
    assert example.startswith("…")
    assert example.endswith("…")


def test_single_letters_and_numbers_are_never_candidates():
    finder = _FixedFinder(["X", "2024", "350 000", "Z9"])

    candidates = discover_candidates(text=finder.text, language="en", known_spans=[], finder=finder)

    assert [c.text for c in candidates] == ["Z9"]


@pytest.mark.parametrize("language", ["en", "fr", ""])
def test_examples_are_the_engines_sentences(language: str):
    text = (
        "Apple Inc. said C.C. Wei met Dr. Ruiz of Orbital Labs. Then it rained!\n"
        "Orbital Labs said M. Dupont agreed.\n\nOrbital Labs grew"
    )

    [candidate] = discover_candidates(
        text=text,
        language=language,
        known_spans=[],
        finder=_EveryOccurrenceFinder("Orbital Labs"),
        max_examples=5,
    )

    assert candidate.examples == [
        text[start:end]
        for start, end in split_sentences(text, language)
        if "Orbital Labs" in text[start:end]
    ]
    assert len(candidate.examples) == 3


def test_a_hard_wrapped_line_keeps_a_person_cue_in_the_names_sentence():
    text = "Reporters were told that the company's founder,\nJonas Berg, would travel."

    [found] = CapitalisedSpanFinder("en").find(text)

    assert (found.text, found.likely_kind) == ("Jonas Berg", EntityKind.PERSON)


# --- bounds ---


def test_a_very_long_capitalised_word_is_never_a_candidate():
    text = "Investors met " + "Q" + "x" * 250 + " and Orbital Labs on Monday."

    candidates = discover_candidates(text=text, language="en", known_spans=[])

    assert [c.text for c in candidates] == ["Orbital Labs"]


def test_a_long_run_of_capitalised_words_is_never_a_candidate():
    run = " ".join(f"Zork{index}" for index in range(60))
    text = f"Investors met {run} on Monday."

    candidates = discover_candidates(text=text, language="en", known_spans=[])

    assert all(len(c.text) <= NAME_MAX_CHARS for c in candidates)
    assert candidates == []


def test_a_found_name_too_long_for_the_knowledge_base_is_dropped():
    finder = _FixedFinder(["Orbital Labs", "Helix " * 40 + "Robotics"])

    candidates = discover_candidates(text=finder.text, language="en", known_spans=[], finder=finder)

    assert [c.text for c in candidates] == ["Orbital Labs"]


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from("Qxé ’.\n"), max_size=600))
def test_candidate_names_always_fit_the_knowledge_base(text: str):
    for candidate in discover_candidates(text=text, language="en", known_spans=[]):
        assert len(candidate.text) <= NAME_MAX_CHARS
        assert len(candidate.text.casefold()) <= NAME_MAX_CHARS


# --- which finder ---


def test_french_articles_use_spacy_and_others_the_capitalised_finder(
    monkeypatch: pytest.MonkeyPatch,
):
    used = []
    monkeypatch.setattr(SpacyFrenchFinder, "find", lambda self, text: used.append("spacy") or [])
    monkeypatch.setattr(
        CapitalisedSpanFinder, "find", lambda self, text: used.append(self.language) or []
    )

    for language in ("fr", "fr-FR", "en", "de", ""):
        discover_candidates(text="Orbital Labs grew.", language=language, known_spans=[])

    assert used == ["spacy", "spacy", "en", "de", ""]


# --- French, with spaCy ---


def test_spacy_french_finder_finds_people_and_companies():
    found = {name.text: name for name in SpacyFrenchFinder().find(FRENCH_ARTICLE)}

    assert found["Loïc Henriet"].likely_kind is EntityKind.PERSON
    assert found["Dario Amodei"].likely_kind is EntityKind.PERSON
    assert found["Claude 4"].likely_kind is EntityKind.PRODUCT
    # The medium model calls Pasqal a place; "La start-up française" marks it a company.
    assert found["Pasqal"].likely_kind is EntityKind.COMPANY
    assert "Paris" not in found


def test_spacy_french_finder_offsets_index_the_whole_text():
    found = SpacyFrenchFinder().find(FRENCH_ARTICLE)

    assert found
    assert all(FRENCH_ARTICLE[name.start : name.end] == name.text for name in found)


def test_french_candidates_link_surnames_and_strip_elisions():
    candidates = by_text(discover_candidates(text=FRENCH_ARTICLE, language="fr", known_spans=[]))

    assert candidates["Loïc Henriet"].count == 3
    assert candidates["Loïc Henriet"].likely_kind is EntityKind.PERSON
    assert "Henriet" not in candidates
    assert candidates["Anthropic"].likely_kind is EntityKind.COMPANY
    assert not any(text.startswith(("d’", "d'")) for text in candidates)
    assert candidates["Loïc Henriet"].examples[0].startswith("La start-up française Pasqal")


def test_french_known_spans_are_excluded():
    known = spans_of(FRENCH_ARTICLE, ["Pasqal", "Loïc Henriet", "Henriet"])

    candidates = by_text(discover_candidates(text=FRENCH_ARTICLE, language="fr", known_spans=known))

    assert "Pasqal" not in candidates
    assert "Loïc Henriet" not in candidates
    assert "Dario Amodei" in candidates


def test_french_ner_loads_once_with_only_the_ner_pipe():
    assert load_french_ner() is load_french_ner()
    assert load_french_ner().pipe_names == ["ner"]
    assert discovery.load_french_ner.cache_info().currsize == 1


# --- the real seed article ---

SEED_KNOWN_NAMES = [
    "Meta Platforms",
    "Meta",
    "LG Electronics",
    "LG Corp",
    "LG",
    "Apple",
    "Nvidia",
    "Mark Zuckerberg",
    "Zuckerberg",
    "William Cho",
    "Cho",
    "Kwon Bong-seok",
    "Yoon Suk Yeol",
    "Vision Pro",
    "H100",
]
SEED_PLACES = {"corée du sud", "japon", "inde", "asie", "jakarta"}


def _seed_article() -> str:
    if not SEED_ARTICLE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"seed article missing: {SEED_ARTICLE}")
        pytest.skip(f"seed article missing: {SEED_ARTICLE}")
    return SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_seed_article_gives_no_places_months_or_known_names(language: str):
    # "en" runs the capitalised-span fallback over the same French text.
    text = _seed_article()
    known = spans_of(text, SEED_KNOWN_NAMES)

    candidates = discover_candidates(text=text, language=language, known_spans=known)

    found = {candidate.text.casefold() for candidate in candidates}
    assert not found & SEED_PLACES
    assert not found & discovery.MONTHS_AND_WEEKDAYS
    assert not found & {name.casefold() for name in SEED_KNOWN_NAMES}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_seed_article_without_known_spans_rediscovers_the_knowledge_base_names(language: str):
    text = _seed_article()

    candidates = by_text(discover_candidates(text=text, language=language, known_spans=[]))

    # Surnames ("Cho", "Zuckerberg") count toward the full names introduced earlier.
    assert candidates["Mark Zuckerberg"].count == 5
    assert candidates["William Cho"].count == 3
    assert candidates["Kwon Bong-seok"].likely_kind is EntityKind.PERSON
    assert candidates["LG Electronics"].likely_kind is EntityKind.COMPANY
    assert candidates["Vision Pro"].likely_kind is EntityKind.PRODUCT
    assert "Cho" not in candidates
