"""The panels of an entity's page: its stories per month, its relationships, who and what is
named with it.

Counting them is most of the cost of drawing the page, and the counts change only with the
stories naming the entity (an editor's change to their mentions, to the entity's
relationships or to their topics included) or with an entity's kind: they are kept under the
entity's version and the facts' version, and named anew at each drawing, so that an editor
renaming an entity or an outlet does not make every entity's page count again.
"""

from articles.public_cache import (
    FACTS_VERSION,
    cached_parts,
    parts_drawn_together,
    subject_version,
)

from .models import Entity, Mention, Relationship
from .selectors import ENTITY_LINK, co_mentioned, relationship_cards, stories_per_month

NAMED_WITH = {
    Entity.Kind.COMPANY: [Entity.Kind.PERSON, Entity.Kind.PRODUCT],
    Entity.Kind.PERSON: [Entity.Kind.COMPANY],
    Entity.Kind.PRODUCT: [Entity.Kind.COMPANY],
}


def entity_panels(entity: Entity, *, subjects_only: bool) -> dict:
    """Return the context of the entity's panels: `chart`, `named_with` (a list of entities
    with their number of stories, per kind) and, for a company, `relationship_groups`."""
    return _named(entity, counted_panels(entity, subjects_only=subjects_only))


def counted_panels(entity: Entity, *, subjects_only: bool) -> dict:
    """Return what the entity's panels count, counting it only if it is not kept."""
    return cached_parts(
        "entity-panels",
        {entity.pk: (entity.pk, entity.kind, subjects_only)},
        lambda _: {entity.pk: _count(entity, subjects_only)},
        versions=(FACTS_VERSION, subject_version(entity.slug)),
        until_next_publication=True,
    )[entity.pk]


def count_panels_named_in(article_id: int) -> int:
    """Count the panels of what a published story names, ahead of their first reader.

    A story coming out changes the counts of the entities it names, whose pages readers then
    come to: the worker counts them after the story's commit, rather than the first reader
    of each. Only the pages' default view is counted (stories about the entity). Return how
    many entities' panels it looked at.
    """
    named = Entity.objects.filter(
        pk__in=Mention.objects.published().filter(article_id=article_id).values("entity_id")
    ).only("kind", "slug")
    with parts_drawn_together():
        for entity in named:
            counted_panels(entity, subjects_only=True)
    return len(named)


def _count(entity: Entity, subjects_only: bool) -> dict:
    return {
        "chart": stories_per_month(entity, subjects_only=subjects_only),
        "named_with": co_mentioned(entity, NAMED_WITH[entity.kind]),
        "cards": relationship_cards(entity) if entity.kind == Entity.Kind.COMPANY else [],
    }


def _named(entity: Entity, counts: dict) -> dict:
    """Put the entities' current names and links on the counted ids, in one query.

    One that has gone since, or changed kind, is left out.
    """
    named_with, cards = counts["named_with"], counts["cards"]
    entities = Entity.objects.only(*ENTITY_LINK).in_bulk(
        {entity_id for ranked in named_with.values() for entity_id, _ in ranked}
        | {card[company] for card in cards for company in ("company_a_id", "company_b_id")}
    )
    return {
        "chart": counts["chart"],
        "named_with": {
            kind: [
                (entities[entity_id], stories)
                for entity_id, stories in ranked
                if entity_id in entities and entities[entity_id].kind == kind
            ]
            for kind, ranked in named_with.items()
        },
        "relationship_groups": _grouped_cards(entity, cards, entities),
    }


def _grouped_cards(entity: Entity, cards: list[dict], entities: dict[int, Entity]) -> list:
    """Return the cards grouped by kind, partnerships first, each with the entity's partner."""
    grouped: dict[str, list[Relationship]] = {kind: [] for kind in Relationship.Kind.values}
    for card in cards:
        company_a = entities.get(card["company_a_id"])
        company_b = entities.get(card["company_b_id"])
        if company_a is None or company_b is None:
            continue
        relationship = Relationship(
            pk=card["id"],
            kind=card["kind"],
            last_seen=card["last_seen"],
            company_a=company_a,
            company_b=company_b,
        )
        relationship.partner = company_b if company_a.pk == entity.pk else company_a
        relationship.topic_names = card["topic_names"]
        grouped[card["kind"]].append(relationship)
    return [(Relationship.Kind(kind).label, items) for kind, items in grouped.items() if items]
