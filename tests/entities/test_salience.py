import pytest
from django.utils.html import escape

from articles.rendering import linked_paragraphs
from entities.tagging.dictionary import Dictionary
from entities.tagging.matcher import find_entities
from entities.tagging.salience import (
    SUBJECT_THRESHOLD,
    assign_salience,
    first_paragraph_end,
    salience_score,
)
from entities.tagging.text import paragraph_spans
from entities.tagging.types import AliasRecord, EntityKind, EntityMatch, EntityRecord, Span

DICTIONARY = Dictionary(
    [
        EntityRecord(1, EntityKind.COMPANY, "apple", "Apple"),
        EntityRecord(2, EntityKind.PRODUCT, "apple-vision-pro", "Apple Vision Pro", maker_id=1),
        EntityRecord(3, EntityKind.COMPANY, "nvidia", "Nvidia"),
        EntityRecord(4, EntityKind.COMPANY, "lg-electronics", "LG Electronics"),
    ],
    [
        AliasRecord(1, "Apple", case_sensitive=True, ambiguous=True),
        AliasRecord(2, "Apple Vision Pro"),
        AliasRecord(3, "Nvidia"),
        AliasRecord(4, "LG Electronics"),
    ],
)

PARAGRAPHS = [
    "LG Electronics a présenté ses résultats. LG Electronics vise la croissance.",
    "Selon LG Electronics, la demande reste forte dans tous les marchés.",
    "Les analystes saluent la stratégie de LG Electronics pour l’année.",
    "Le groupe utilise aussi des puces de Nvidia.",
]
BODY = "\n\n".join(PARAGRAPHS)


def scored(body: str, *, title: str = "") -> dict[str, float]:
    found = find_entities(body, dictionary=DICTIONARY, title=title)
    assign_salience(found.matches, body=body, implied_by=found.implied_by)
    return {match.slug: match.salience for match in found.matches}


def test_first_paragraph_ends_at_the_first_blank_line():
    assert first_paragraph_end("One.\nStill one.\n  \nTwo.") == len("One.\nStill one.")


def test_first_paragraph_skips_leading_blank_lines():
    assert first_paragraph_end("\n\n\nOne.\n\nTwo.") == len("\n\n\nOne.")


def test_a_body_without_blank_lines_is_one_paragraph():
    assert first_paragraph_end("One. Two.") == len("One. Two.")


@pytest.mark.parametrize(
    "body",
    [
        BODY,
        "  Apple rose.  \n \t\nNvidia fell.\r\n\r\nLG Electronics held.\n",
        "Apple rose.\u00a0\n\u00a0\nNvidia fell.",
        "One line\nand another\n\n\n\n   Last",
    ],
)
def test_salience_and_the_rendered_page_agree_on_paragraphs(body: str):
    paragraphs = paragraph_spans(body)

    assert first_paragraph_end(body) == paragraphs[0][1]
    assert linked_paragraphs(body, []) == [
        escape(body[start:end]).replace("\n", "<br>") for start, end in paragraphs
    ]


def test_a_mention_after_a_blank_line_is_outside_the_first_paragraph_and_linked_in_the_second():
    body = "Apple rose.\n \nNvidia fell."
    start = body.index("Nvidia")

    rendered = linked_paragraphs(body, [(start, start + len("Nvidia"), "/nvidia/")])

    assert start > first_paragraph_end(body)
    assert rendered[1] == '<a href="/nvidia/" class="entity">Nvidia</a> fell.'


def test_title_entity_is_a_subject_even_without_body_mentions():
    score = salience_score(
        in_title=True, mention_starts=[], most_mentions=5, first_paragraph_end=50, body_length=500
    )
    assert score == SUBJECT_THRESHOLD


def test_title_entity_is_a_subject():
    assert scored(BODY, title="Nvidia fournit LG")["nvidia"] >= SUBJECT_THRESHOLD


def test_entity_named_often_and_first_is_a_subject():
    assert scored(BODY)["lg-electronics"] >= SUBJECT_THRESHOLD


def test_entity_named_once_in_the_last_paragraph_is_not_a_subject():
    assert scored(BODY)["nvidia"] < SUBJECT_THRESHOLD


def test_the_only_entity_named_once_in_the_last_paragraph_is_not_a_subject():
    body = "Premier paragraphe.\n\nDeuxième paragraphe.\n\nEnfin, Nvidia."
    assert scored(body)["nvidia"] < SUBJECT_THRESHOLD


def test_maker_implied_by_a_product_named_once_is_not_a_subject():
    body = "Un long premier paragraphe sans nom.\n\nLes testeurs ont essayé l’Apple Vision Pro."
    salience = scored(body)
    assert set(salience) == {"apple", "apple-vision-pro"}
    assert salience["apple"] < SUBJECT_THRESHOLD
    assert salience["apple"] < salience["apple-vision-pro"]


def test_maker_implied_by_a_product_in_the_title_is_not_a_subject():
    salience = scored("Un test.", title="Apple Vision Pro : le test")
    assert salience["apple-vision-pro"] >= SUBJECT_THRESHOLD
    assert salience["apple"] < SUBJECT_THRESHOLD


def test_mentions_count_relative_to_the_most_mentioned_entity():
    common = {"in_title": False, "first_paragraph_end": 0, "body_length": 1000}
    often = salience_score(mention_starts=[500, 600, 700, 800], most_mentions=8, **common)
    rarely = salience_score(mention_starts=[500], most_mentions=8, **common)
    assert often - rarely == pytest.approx(0.40 * 3 / 8)


def test_one_mention_among_single_mentions_is_not_counted_as_the_most_mentioned():
    score = salience_score(
        in_title=False,
        mention_starts=[900],
        most_mentions=1,
        first_paragraph_end=0,
        body_length=1000,
    )
    assert score == pytest.approx(0.40 / 3 + 0.25 * 0.1)


def test_an_earlier_first_mention_scores_higher():
    common = {"in_title": False, "most_mentions": 1, "first_paragraph_end": 0, "body_length": 1000}
    assert salience_score(mention_starts=[100], **common) > salience_score(
        mention_starts=[800], **common
    )


def test_a_mention_in_the_first_paragraph_adds_its_weight():
    common = {"in_title": False, "most_mentions": 3, "body_length": 1000, "mention_starts": [10]}
    in_first = salience_score(first_paragraph_end=50, **common)
    later = salience_score(first_paragraph_end=5, **common)
    assert in_first - later == pytest.approx(0.35)


def test_salience_stays_between_zero_and_one():
    highest = salience_score(
        in_title=True,
        mention_starts=[0, 1, 2],
        most_mentions=3,
        first_paragraph_end=10,
        body_length=10,
    )
    lowest = salience_score(
        in_title=False, mention_starts=[], most_mentions=3, first_paragraph_end=10, body_length=10
    )
    assert (lowest, highest) == (0.0, 1.0)


def test_salience_of_an_empty_body_is_defined():
    match = EntityMatch(1, EntityKind.COMPANY, "apple", "Apple", in_title=True)
    assign_salience([match], body="", implied_by={})
    assert match.salience == SUBJECT_THRESHOLD


def test_assign_salience_reads_mention_offsets():
    first = EntityMatch(3, EntityKind.COMPANY, "nvidia", "Nvidia", mentions=[Span(0, 6, "Nvidia")])
    assign_salience([first], body="Nvidia" + " filler" * 20, implied_by={})
    assert first.salience == pytest.approx(0.35 + 0.40 / 3 + 0.25)
