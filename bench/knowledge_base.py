"""The benchmark knowledge base: the starter KB plus generated names, 50,000 aliases in all.

The engine benchmark compiles it from records; the database benchmarks load the same
records into the bench database (once: loading again finds them there).
"""

from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Max

from entities.importers import starter_rows as starter_rows_by_kind
from entities.knowledge_base import kb_changed
from entities.models import Alias, Entity
from entities.tagging import AliasRecord, EntityKind, EntityRecord

from .engine import knowledge_base_records

TOTAL_ALIASES = 50_000
# Generated slugs look like "company-123"; the starter KB's are real names.
GENERATED_SLUG_REGEX = r"^(company|person|product)-[0-9]+$"
LINK_FIELDS = ("maker_id", "affiliation_id", "parent_id")


def starter_rows() -> list[tuple[EntityKind, dict]]:
    """Return the starter KB's JSON rows with their kind."""
    return [
        (EntityKind(kind), row) for kind, rows in starter_rows_by_kind().items() for row in rows
    ]


def starter_records(first_id: int) -> list[EntityRecord | AliasRecord]:
    """Return the starter KB as engine records, numbered from first_id."""
    rows = starter_rows()
    ids = {(kind, row["slug"]): first_id + index for index, (kind, row) in enumerate(rows)}
    company_id = {slug: pk for (kind, slug), pk in ids.items() if kind == EntityKind.COMPANY}
    records: list[EntityRecord | AliasRecord] = []
    for kind, row in rows:
        pk = ids[(kind, row["slug"])]
        records.append(
            EntityRecord(
                id=pk,
                kind=kind,
                slug=row["slug"],
                name=row["name"],
                maker_id=company_id.get(row.get("maker") or ""),
                affiliation_id=company_id.get(row.get("affiliation") or ""),
                parent_id=company_id.get(row.get("parent") or ""),
            )
        )
        records.extend(
            AliasRecord(
                entity_id=pk,
                text=alias["text"],
                language=alias.get("lang", ""),
                case_sensitive=alias.get("case_sensitive", False),
                ambiguous=alias.get("ambiguous", False),
            )
            for alias in row.get("aliases", [])
        )
    return records


def generated_alias_count() -> int:
    """Return how many aliases to generate so that the starter KB brings the total to 50,000."""
    starter_aliases = sum(len(row.get("aliases", [])) for _, row in starter_rows())
    return TOTAL_ALIASES - starter_aliases


def load_into_database() -> dict[str, int]:
    """Load the starter KB and the generated entities unless they are there; return counts,
    and whether the generated entities were made anew (`regenerated`)."""
    starter = starter_rows()
    starter_aliases = sum(len(row.get("aliases", [])) for _, row in starter)
    if (
        Entity.objects.exclude(slug__regex=GENERATED_SLUG_REGEX).count() < len(starter)
        or Alias.objects.exclude(entity__slug__regex=GENERATED_SLUG_REGEX).count() < starter_aliases
    ):
        call_command("load_starter_kb", verbosity=0)
    generated_entities, generated_aliases = knowledge_base_records(
        alias_count=generated_alias_count()
    )
    present = Entity.objects.filter(slug__regex=GENERATED_SLUG_REGEX).count()
    regenerated = present != len(generated_entities)
    if regenerated:
        _insert_generated(generated_entities, generated_aliases)
    return {
        "entities": Entity.objects.count(),
        "aliases": Alias.objects.count(),
        "regenerated": regenerated,
    }


@transaction.atomic
def _insert_generated(entities: list[EntityRecord], aliases: list[AliasRecord]) -> None:
    Entity.objects.filter(slug__regex=GENERATED_SLUG_REGEX).delete()
    # Ids are given, after the highest one used, so that each row carries its links at once.
    first_id = (Entity.objects.aggregate(highest=Max("id"))["highest"] or 0) + 1
    Entity.objects.bulk_create(
        (
            Entity(
                id=first_id + record.id,
                kind=record.kind,
                # "kind-id" for every one: the common-word brands' slugs ("apple") are taken.
                slug=f"{record.kind}-{record.id}",
                name=record.name,
                **{
                    field: first_id + getattr(record, field)
                    for field in LINK_FIELDS
                    if getattr(record, field) is not None
                },
            )
            for record in entities
        ),
        batch_size=5_000,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('entities_entity', 'id'), max(id))"
            " FROM entities_entity"
        )
    Alias.objects.bulk_create(
        (
            Alias(
                entity_id=first_id + alias.entity_id,
                text=alias.text,
                language=alias.language,
                case_sensitive=alias.case_sensitive,
                ambiguous=alias.ambiguous,
            )
            for alias in aliases
        ),
        batch_size=5_000,
    )
    # bulk_create sends no signals: tell the workers' dictionaries ourselves.
    kb_changed()
