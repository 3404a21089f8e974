"""Tag articles with the companies, people and products they mention; no Django here."""

from .dictionary import Dictionary
from .engine import tag
from .salience import SUBJECT_THRESHOLD
from .types import (
    AliasRecord,
    Candidate,
    EntityKind,
    EntityMatch,
    EntityRecord,
    Evidence,
    NewEntity,
    RelationshipKind,
    RelationshipMatch,
    Span,
    TagResult,
)

__all__ = [
    "SUBJECT_THRESHOLD",
    "AliasRecord",
    "Candidate",
    "Dictionary",
    "EntityKind",
    "EntityMatch",
    "EntityRecord",
    "Evidence",
    "NewEntity",
    "RelationshipKind",
    "RelationshipMatch",
    "Span",
    "TagResult",
    "tag",
]
