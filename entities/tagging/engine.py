"""The tagging engine's entry point: an article in, its entities and relationships out."""

from __future__ import annotations

from .dictionary import Dictionary
from .matcher import find_entities
from .newcomers import find_newcomers
from .relations import detect_relationships
from .salience import assign_salience, first_paragraph_end, salience_score
from .types import EntityKind, TagResult


def tag(text: str, *, dictionary: Dictionary, title: str = "", language: str = "") -> TagResult:
    """Return the entities an article mentions, most salient first, and their relationships."""
    found = find_entities(text, dictionary=dictionary, title=title, language=language)
    assign_salience(found.matches, body=text, implied_by=found.implied_by)
    # A suggested subsidiary ("Acme France") holds its stretch as a known name does.
    taken = [
        (span.start, span.end)
        for match in [*found.matches, *found.new_versions]
        for span in match.mentions
    ]
    companies = [
        (span.start, span.end, match.entity_id)
        for match in found.matches
        if match.kind == EntityKind.COMPANY and not match.provisional
        for span in match.mentions
    ]
    people = [
        (span.start, span.end)
        for match in found.matches
        if match.kind == EntityKind.PERSON
        for span in match.mentions
    ]
    suggested = {(new.kind, new.name) for new in found.new_versions}
    new_entities = found.new_versions + [
        new
        for new in find_newcomers(
            text,
            title=title,
            language=language,
            is_known=dictionary.knows,
            taken=taken,
            companies=companies,
            people=people,
        )
        # One suggestion a name: each becomes one provisional entity.
        if (new.kind, new.name) not in suggested
    ]
    if new_entities:
        paragraph_end = first_paragraph_end(text)
        most_mentions = max(len(match.mentions) for match in [*found.matches, *new_entities])
        for new in new_entities:
            new.salience = salience_score(
                in_title=new.in_title,
                mention_starts=[span.start for span in new.mentions],
                most_mentions=most_mentions,
                first_paragraph_end=paragraph_end,
                body_length=len(text),
            )
    entities = sorted(found.matches, key=lambda match: (-match.salience, match.name))
    relationships = detect_relationships(
        text=text, title=title, language=language, matches=entities, dictionary=dictionary
    )
    return TagResult(
        language=language,
        entities=entities,
        relationships=relationships,
        new_entities=new_entities,
    )
