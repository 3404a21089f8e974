"""The text layer: sentences, paragraphs and apostrophes of English and French news, checked
on exact offsets."""

import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entities.tagging.text import (
    APOSTROPHE,
    APOSTROPHES,
    paragraph_spans,
    split_sentences,
    straight_apostrophes,
)

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "meta-lg-xr-ai-fr.txt"


def sentences_of(text: str, language: str = "en") -> list[str]:
    """Split text and return the sentences, checking each offset pair against the text."""
    spans = split_sentences(text, language)
    for start, end in spans:
        assert text[start:end] == text[start:end].strip()
        assert start < end
    return [text[start:end] for start, end in spans]


def assert_sentences(text: str, language: str, expected: list[str]) -> None:
    """Check that text splits into exactly the expected sentences, at their exact offsets."""
    expected_spans = []
    cursor = 0
    for sentence in expected:
        start = text.index(sentence, cursor)
        cursor = start + len(sentence)
        expected_spans.append((start, cursor))
    assert split_sentences(text, language) == expected_spans
    assert sentences_of(text, language) == expected


def test_exact_offsets_of_a_two_sentence_text():
    text = "  Apple rose. Samsung fell.\n"
    assert split_sentences(text, "en") == [(2, 13), (14, 27)]


@pytest.mark.parametrize("text", ["", "   ", "\n\n \n"])
def test_blank_text_has_no_sentences(text):
    assert split_sentences(text, "en") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Apple Inc. said it would partner with Samsung Electronics Co. Ltd. on chips. "
            "The deal is worth $3.5 billion.",
            [
                "Apple Inc. said it would partner with Samsung Electronics Co. Ltd. on chips.",
                "The deal is worth $3.5 billion.",
            ],
        ),
        (
            "Mr. Cook met Mrs. Lee and Dr. Su in St. Louis. Apple vs. Samsung is old news.",
            ["Mr. Cook met Mrs. Lee and Dr. Su in St. Louis.", "Apple vs. Samsung is old news."],
        ),
        (
            "Chips, e.g. GPUs, i.e. accelerators, etc. are scarce. It is the No. 1 issue.",
            ["Chips, e.g. GPUs, i.e. accelerators, etc. are scarce.", "It is the No. 1 issue."],
        ),
        (
            "Nvidia Corp. shares rose in the U.S. market. Intel fell.",
            ["Nvidia Corp. shares rose in the U.S. market.", "Intel fell."],
        ),
    ],
)
def test_english_abbreviations_do_not_end_sentences(text, expected):
    assert_sentences(text, "en", expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Shares of Apple Inc. The company fell.", ["Shares of Apple Inc.", "The company fell."]),
        ("It was sold in the U.S. It did well.", ["It was sold in the U.S.", "It did well."]),
        ("Chips, phones, etc. The list goes on.", ["Chips, phones, etc.", "The list goes on."]),
    ],
)
def test_an_ambiguous_abbreviation_ends_a_sentence_before_a_typical_opener(text, expected):
    assert_sentences(text, "en", expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "M. Macron a rencontré Mme. Dupont. Elle dirige la S.A. depuis 2020.",
            ["M. Macron a rencontré Mme. Dupont.", "Elle dirige la S.A. depuis 2020."],
        ),
        (
            "Le groupe Orange S.A.S. La société a levé 3,5 milliards d’euros.",
            ["Le groupe Orange S.A.S.", "La société a levé 3,5 milliards d’euros."],
        ),
        (
            "La filiale de Samsung Electronics Co. Ltd. a signé. Elle livrera en mai.",
            ["La filiale de Samsung Electronics Co. Ltd. a signé.", "Elle livrera en mai."],
        ),
    ],
)
def test_french_abbreviations(text, expected):
    assert_sentences(text, "fr", expected)


def test_decimals_do_not_end_sentences():
    text = "Revenue hit 3.5 billion dollars. Le chiffre atteint 3,5 milliards. Margins were 12.5%."
    assert_sentences(
        text,
        "en",
        [
            "Revenue hit 3.5 billion dollars.",
            "Le chiffre atteint 3,5 milliards.",
            "Margins were 12.5%.",
        ],
    )


def test_initials_do_not_end_sentences():
    text = "TSMC chief C.C. Wei met Samsung's Jay Y. Lee in Seoul. They spoke about chips."
    assert_sentences(
        text,
        "en",
        [
            "TSMC chief C.C. Wei met Samsung's Jay Y. Lee in Seoul.",
            "They spoke about chips.",
        ],
    )


def test_a_sentence_can_end_inside_english_quotes():
    text = "“We will compete,” Cho said. “This is a big deal.” Then he left."
    assert_sentences(
        text,
        "en",
        [
            "“We will compete,” Cho said.",
            "“This is a big deal.”",
            "Then he left.",
        ],
    )


def test_a_sentence_can_end_inside_french_quotes_with_narrow_spaces():
    text = "Il a parlé d’« un accord historique. » Le groupe a confirmé."
    assert_sentences(
        text,
        "fr",
        [
            "Il a parlé d’« un accord historique. »",
            "Le groupe a confirmé.",
        ],
    )
    spaced = "Il a dit\u202f: «\u00a0Nous signons.\u00a0» Elle a approuvé."
    assert_sentences(
        spaced,
        "fr",
        [
            "Il a dit\u202f: «\u00a0Nous signons.\u00a0»",
            "Elle a approuvé.",
        ],
    )


def test_question_and_exclamation_marks():
    text = "Will Apple buy it? Nobody knows! Yahoo! said nothing."
    assert_sentences(
        text,
        "en",
        [
            "Will Apple buy it?",
            "Nobody knows!",
            "Yahoo! said nothing.",
        ],
    )


def test_ellipsis_ends_a_sentence_only_before_a_capital():
    text = "Sales fell... and then rose. Profit fell… Analysts shrugged."
    assert_sentences(
        text,
        "en",
        [
            "Sales fell... and then rose.",
            "Profit fell…",
            "Analysts shrugged.",
        ],
    )


@pytest.mark.parametrize(
    ("text", "language", "first"),
    [
        (
            "JAKARTA - Le PDG de Meta a parlé. Il est reparti.",
            "fr",
            "JAKARTA - Le PDG de Meta a parlé.",
        ),
        (
            "SEOUL (Reuters) - Samsung Electronics Co. said on Monday it would invest. "
            "Shares rose.",
            "en",
            "SEOUL (Reuters) - Samsung Electronics Co. said on Monday it would invest.",
        ),
        (
            "PARIS, 3 mars (AFP) — Le groupe a annoncé un accord. Il sera signé en mai.",
            "fr",
            "PARIS, 3 mars (AFP) — Le groupe a annoncé un accord.",
        ),
    ],
)
def test_a_dateline_stays_with_the_first_sentence(text, language, first):
    assert sentences_of(text, language)[0] == first
    assert len(sentences_of(text, language)) == 2


def test_a_full_stop_glued_to_a_capitalised_word_splits():
    text = "Meta prévoit de le faire cette année.Ils prévoient aussi des achats."
    assert_sentences(
        text,
        "fr",
        [
            "Meta prévoit de le faire cette année.",
            "Ils prévoient aussi des achats.",
        ],
    )


@pytest.mark.parametrize(
    "text",
    [
        # Scraper debris glued to the last sentence is left attached.
        "Ils prévoient de soutenir l’appel.Python",
        "Le site meta.com est en ligne.",
        "Les ventes des U.S.A.Inc sont stables.",
    ],
)
def test_a_glued_full_stop_without_a_following_sentence_does_not_split(text):
    assert_sentences(text, "fr", [text])


def test_blank_lines_end_paragraphs_and_single_line_breaks_do_not():
    text = "Headline without a stop\n\nFirst line of a\nwrapped sentence. Second one.\n \nlast"
    assert_sentences(
        text,
        "en",
        [
            "Headline without a stop",
            "First line of a\nwrapped sentence.",
            "Second one.",
            "last",
        ],
    )


def test_brand_names_starting_lower_case_open_sentences():
    text = "Apple sold more. iPhone sales rose. eBay fell."
    assert_sentences(text, "en", ["Apple sold more.", "iPhone sales rose.", "eBay fell."])


def test_unknown_language_uses_every_language_abbreviations():
    text = "M. Cho et Mr. Lee se sont parlé. Ils ont signé."
    assert_sentences(text, "", ["M. Cho et Mr. Lee se sont parlé.", "Ils ont signé."])


_WORDS = st.sampled_from(
    ["Apple", "Inc.", "said", "3.5", "U.S.", "«", "»", "“Yes.”", "M.", "d’Apple", "e.g.", "x"]
)
_SEPARATORS = st.sampled_from([" ", "  ", "\n", "\n\n", ". ", "! ", "? ", "… ", ".\n\n", "."])


@given(st.lists(st.tuples(_WORDS, _SEPARATORS), max_size=30), st.sampled_from(["en", "fr", ""]))
def test_offsets_are_ordered_stripped_and_cover_every_word(pieces, language):
    text = "".join(word + separator for word, separator in pieces)
    spans = split_sentences(text, language)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace()
        assert not text[end - 1].isspace()
        previous_end = end
    covered = "".join(text[start:end] for start, end in spans)
    assert "".join(covered.split()) == "".join(text.split())


def test_seed_article_sentences():
    if not SEED.exists():
        if os.environ.get("CI"):
            pytest.fail(f"seed article missing: {SEED}")
        pytest.skip(f"seed article missing: {SEED}")
    body = SEED.read_text(encoding="utf-8").partition("\n\n")[2]
    sentences = sentences_of(body, "fr")
    assert len(sentences) == 12
    assert sentences[0].startswith("JAKARTA - Le PDG de Meta Platforms, Mark Zuckerberg,")
    assert sentences[0].endswith("a déclaré LG.")
    assert sentences[-1].startswith("Ils prévoient également de sécuriser")
    assert sentences[-1].endswith("pour soutenir l’appel.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Machine translation often starts a sentence in lower case.
        (
            "Le marché a progressé. selon les analystes, la demande reste forte.",
            ["Le marché a progressé.", "selon les analystes, la demande reste forte."],
        ),
        # Known abbreviations still hold the sentence together.
        (
            "Chips, phones, etc. and more. It was big.",
            ["Chips, phones, etc. and more.", "It was big."],
        ),
        ("Meet at 3 p.m. on Monday. Bye.", ["Meet at 3 p.m. on Monday.", "Bye."]),
        ("Apple Inc. said so.", ["Apple Inc. said so."]),
        # After a closing quote or an ellipsis a lower-case word continues the sentence.
        ("“Done.” he said. It was.", ["“Done.” he said.", "It was."]),
        ("The group will... maybe not.", ["The group will... maybe not."]),
    ],
)
def test_a_lower_case_word_after_a_lone_full_stop_starts_a_sentence(text, expected):
    assert_sentences(text, "fr", expected)


# --- paragraphs ---


def test_paragraphs_are_separated_by_blank_lines_and_stripped():
    text = "  One.\nStill one.  \n \t\nTwo.\r\n\r\nThree\n\n\n"

    assert [text[start:end] for start, end in paragraph_spans(text)] == [
        "One.\nStill one.",
        "Two.",
        "Three",
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n \n"])
def test_blank_text_has_no_paragraphs(text):
    assert paragraph_spans(text) == []


@given(st.lists(st.tuples(_WORDS, _SEPARATORS), max_size=30), st.sampled_from(["en", "fr", ""]))
def test_sentences_never_cross_a_paragraph_and_paragraphs_start_and_end_sentences(pieces, language):
    text = "".join(word + separator for word, separator in pieces)
    sentences = split_sentences(text, language)
    paragraphs = paragraph_spans(text)

    for start, end in sentences:
        assert any(p_start <= start and end <= p_end for p_start, p_end in paragraphs)
    assert {start for start, _ in paragraphs} <= {start for start, _ in sentences}
    assert {end for _, end in paragraphs} <= {end for _, end in sentences}


# --- apostrophes ---


@pytest.mark.parametrize("apostrophe", list(APOSTROPHES))
def test_every_apostrophe_variant_straightens(apostrophe):
    assert straight_apostrophes(f"d{apostrophe}Apple, l{apostrophe}IA") == "d'Apple, l'IA"
    assert re.fullmatch(APOSTROPHE, apostrophe)


def test_curly_and_straight_apostrophes_are_one_set():
    assert {"'", "’", "‘", "ʼ"} <= set(APOSTROPHES)
    assert straight_apostrophes("OpenAI’s “deal”") == "OpenAI's “deal”"
