"""Plain data passed into and out of the tagging engine.

The engine never sees Django: callers turn their rows into these records, and
turn the results back into rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class EntityKind(StrEnum):
    COMPANY = "company"
    PERSON = "person"
    PRODUCT = "product"


class RelationshipKind(StrEnum):
    PARTNERSHIP = "partnership"
    SUPPLIER_CUSTOMER = "supplier_customer"
    COMPETITION = "competition"
    INVESTMENT = "investment"
    ACQUISITION = "acquisition"


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """One knowledge-base entity, as the engine needs it."""

    id: int
    kind: EntityKind
    slug: str
    name: str
    # The company a product is made by, a person works for, a company belongs to.
    maker_id: int | None = None
    affiliation_id: int | None = None
    parent_id: int | None = None
    # Products only: the family this product is a version or variant of.
    variant_of_id: int | None = None
    # Suggested by tagging and not yet accepted by a chief editor.
    provisional: bool = False


@dataclass(frozen=True, slots=True)
class AliasRecord:
    """One surface form of an entity."""

    entity_id: int
    text: str
    # "" matches in any language; otherwise an ISO 639-1 code such as "en" or "fr".
    language: str = ""
    case_sensitive: bool = False
    # An ambiguous alias counts only with supporting context in the article.
    ambiguous: bool = False


# A named tuple rather than a frozen dataclass: an article has dozens of spans, and a frozen
# dataclass costs three times as much to build.
class Span(NamedTuple):
    """A stretch of the original body text: text[start:end] == self.text."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class EntityMatch:
    """Everything the engine found about one entity in one article."""

    entity_id: int
    kind: EntityKind
    slug: str
    name: str
    mentions: list[Span] = field(default_factory=list)
    in_title: bool = False
    # 0..1; at or above SUBJECT_THRESHOLD the entity is a subject of the story.
    salience: float = 0.0
    confidence: float = 1.0
    provisional: bool = False


@dataclass(slots=True)
class NewEntity:
    """A name the knowledge base lacks, found with enough confidence to suggest it as a
    provisional entity: a new version of a known product, or a person or company named with
    a cue that says what it is ("chief executive X", "the start-up X")."""

    kind: EntityKind
    name: str
    mentions: list[Span] = field(default_factory=list)
    in_title: bool = False
    # Products: the family it is a version of (the most specific product known), and its maker.
    variant_of_id: int | None = None
    maker_id: int | None = None
    # People: the company their role names ("chief executive of Acme, Jane Doe").
    affiliation_id: int | None = None
    # Companies: the known company whose subsidiary it is ("Acme France").
    parent_id: int | None = None
    # The words that made it confident ("chief executive", "Inc."), or the family's name.
    cue: str = ""
    confidence: float = 0.0
    salience: float = 0.0


@dataclass(slots=True)
class Evidence:
    """The sentence that shows a relationship, with the cue words found in it."""

    start: int
    end: int
    text: str
    cues: list[str] = field(default_factory=list)
    confidence: float = 0.0
    # True when the sentence is the title, where start/end index the title.
    in_title: bool = False
    # True when a strong cue shows the relationship, one that names it outright.
    strong: bool = False


@dataclass(slots=True)
class RelationshipMatch:
    """Two companies the article says are related, with the sentences that show it."""

    kind: RelationshipKind
    # Entity ids of the two companies, ordered by slug (canonical order).
    company_ids: tuple[int, int]
    company_slugs: tuple[str, str]
    topics: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class Candidate:
    """A name the knowledge base does not know yet."""

    text: str
    count: int
    likely_kind: EntityKind | None
    examples: list[str] = field(default_factory=list)


@dataclass(slots=True)
class TagResult:
    language: str
    entities: list[EntityMatch] = field(default_factory=list)
    relationships: list[RelationshipMatch] = field(default_factory=list)
    # Suggested provisional entities: new product versions and confidently named newcomers.
    new_entities: list[NewEntity] = field(default_factory=list)
