"""The tagging engine's entry point: an article in, its entities and relationships out."""

from __future__ import annotations

from .dictionary import Dictionary
from .matcher import find_entities
from .relations import detect_relationships
from .salience import assign_salience
from .types import TagResult


def tag(text: str, *, dictionary: Dictionary, title: str = "", language: str = "") -> TagResult:
    """Return the entities an article mentions, most salient first, and their relationships."""
    found = find_entities(text, dictionary=dictionary, title=title, language=language)
    assign_salience(found.matches, body=text, implied_by=found.implied_by)
    entities = sorted(found.matches, key=lambda match: (-match.salience, match.name))
    relationships = detect_relationships(
        text=text, title=title, language=language, matches=entities, dictionary=dictionary
    )
    return TagResult(language=language, entities=entities, relationships=relationships)
