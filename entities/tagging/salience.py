"""Score how central each entity is to an article, from 0 to 1.

For an entity with mentions in the body:

    body_score = 0.35 × in_first_paragraph
               + 0.40 × mentions / max(most_mentions, 3)
               + 0.25 × (1 − first_mention_offset / body_length)

where in_first_paragraph is 1 if a mention starts in the body's first paragraph (see
`text.paragraph_spans`), most_mentions is the mention count of the most-mentioned
entity of the article (never taken below 3, so that one mention in a short list of single
mentions is not "the most mentioned"), and the last term rewards an early first mention
(it is 0 with no body mention).

    salience = 0.5 + 0.5 × body_score   if the entity is named in the title
    salience = body_score               otherwise

so an entity in the title is always a subject (salience ≥ SUBJECT_THRESHOLD = 0.5). A maker
implied by a product's name ("Apple" in "Apple Vision Pro") and never named on its own
scores IMPLIED_MAKER_WEIGHT × the best salience of the products that imply it; named on its
own too, it keeps the higher of the two scores.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .text import iter_paragraph_spans
from .types import EntityMatch

SUBJECT_THRESHOLD = 0.5
FIRST_PARAGRAPH_WEIGHT = 0.35
FREQUENCY_WEIGHT = 0.40
EARLINESS_WEIGHT = 0.25
# Fewest mentions the most-mentioned entity is taken to have.
MIN_REFERENCE_MENTIONS = 3
IMPLIED_MAKER_WEIGHT = 0.5


def first_paragraph_end(body: str) -> int:
    """Return the offset where the body's first paragraph ends."""
    _, end = next(iter_paragraph_spans(body), (0, len(body)))
    return end


def salience_score(
    *,
    in_title: bool,
    mention_starts: Sequence[int],
    most_mentions: int,
    first_paragraph_end: int,
    body_length: int,
) -> float:
    """Return the salience of an entity from where and how often it is mentioned."""
    body_score = 0.0
    if mention_starts:
        first_start = min(mention_starts)
        if first_start < first_paragraph_end:
            body_score += FIRST_PARAGRAPH_WEIGHT
        reference = max(most_mentions, MIN_REFERENCE_MENTIONS)
        body_score += FREQUENCY_WEIGHT * min(len(mention_starts), reference) / reference
        body_score += EARLINESS_WEIGHT * (1 - first_start / max(body_length, 1))
    if in_title:
        return SUBJECT_THRESHOLD + (1 - SUBJECT_THRESHOLD) * body_score
    return body_score


def assign_salience(
    matches: Sequence[EntityMatch], *, body: str, implied_by: Mapping[int, Sequence[int]]
) -> None:
    """Set the salience of every match of one article."""
    paragraph_end = first_paragraph_end(body)
    most_mentions = max((len(match.mentions) for match in matches), default=0)
    for match in matches:
        match.salience = salience_score(
            in_title=match.in_title,
            mention_starts=[span.start for span in match.mentions],
            most_mentions=most_mentions,
            first_paragraph_end=paragraph_end,
            body_length=len(body),
        )
    salience_by_id = {match.entity_id: match.salience for match in matches}
    for match in matches:
        product_ids = implied_by.get(match.entity_id)
        if product_ids:
            implied = max(salience_by_id[product_id] for product_id in product_ids)
            match.salience = max(match.salience, IMPLIED_MAKER_WEIGHT * implied)
