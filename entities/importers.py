"""Bring entities into the knowledge base from files.

`starter_kb_load` upserts the starter knowledge base shipped in `entities/data/<kind folder>/`.
"""

import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from entities.knowledge_base import kb_changed
from entities.models import Alias, Entity

DATA_DIR = Path(__file__).resolve().parent / "data"
FOLDERS = {
    Entity.Kind.COMPANY: "companies",
    Entity.Kind.PERSON: "people",
    Entity.Kind.PRODUCT: "products",
}
# A record's link field: the kind of record that has it, and the kind of record it names.
LINKS = {
    "parent": (Entity.Kind.COMPANY, Entity.Kind.COMPANY),
    "affiliation": (Entity.Kind.PERSON, Entity.Kind.COMPANY),
    "maker": (Entity.Kind.PRODUCT, Entity.Kind.COMPANY),
    "variant_of": (Entity.Kind.PRODUCT, Entity.Kind.PRODUCT),
}
# A record's key and the Entity field it fills.
FIELDS = {
    "name": "name",
    "description": "description",
    "domain": "website_domain",
    "wikidata": "wikidata_id",
    "sector": "sector",
    "role": "role",
}


class KnowledgeBaseDataError(ValueError):
    """The data files contradict themselves; nothing was loaded."""


def starter_rows(data_dir: Path | None = None) -> dict[str, list[dict]]:
    """Return every kind's records from its folder's `*.json` files, in file-name order.

    Raise KnowledgeBaseDataError listing every slug given twice within a kind and every link
    naming a slug that no file of the linked kind holds (or its own record, or a loop).
    """
    data_dir = data_dir or DATA_DIR
    rows: dict[str, list[dict]] = {}
    problems = []
    for kind, folder in FOLDERS.items():
        rows[kind] = []
        found_in: dict[str, str] = {}
        for path in sorted((data_dir / folder).glob("*.json")):
            for row in json.loads(path.read_text("utf-8")):
                where = f"{folder}/{path.name}"
                if row["slug"] in found_in:
                    problems.append(
                        f"{kind} slug {row['slug']!r} is in {found_in[row['slug']]} and {where}"
                    )
                found_in[row["slug"]] = where
                rows[kind].append(row)
    for field, (kind, target_kind) in LINKS.items():
        targets = {row["slug"]: row for row in rows[target_kind]}
        for row in rows[kind]:
            target = row.get(field)
            if not target:
                continue
            if target not in targets:
                problems.append(f"{kind} {row['slug']!r}: unknown {field} {target!r}")
            elif _links_back(row, field, targets):
                problems.append(f"{kind} {row['slug']!r}: its {field} chain comes back to it")
    if problems:
        raise KnowledgeBaseDataError("\n".join(problems))
    return rows


def _links_back(row: dict, field: str, targets: dict[str, dict]) -> bool:
    seen = set()
    slug = row.get(field)
    while slug and slug in targets and slug not in seen:
        if slug == row["slug"]:
            return True
        seen.add(slug)
        slug = targets[slug].get(field)
    return False


@transaction.atomic
def starter_kb_load(*, data_dir: Path | None = None) -> dict[str, int]:
    """Upsert the starter knowledge base (from data_dir, entities/data/ by default); return
    how many records each kind's files hold and how many entities and aliases were created
    and updated.

    Entities are matched by kind and slug, aliases by entity, text and language. Rows already
    as the files say are left untouched, so that running it again changes nothing. Aliases and
    entities that editors added are kept.
    """
    rows = starter_rows(data_dir)
    now = timezone.now()
    counts = {FOLDERS[kind]: len(kind_rows) for kind, kind_rows in rows.items()}
    entities: dict[tuple[str, str], Entity] = {}
    for kind, kind_rows in rows.items():
        entities.update(
            ((kind, entity.slug), entity)
            for entity in Entity.objects.filter(
                kind=kind, slug__in=[row["slug"] for row in kind_rows]
            )
        )

    new, changed = [], {}
    for kind, kind_rows in rows.items():
        for row in kind_rows:
            entity = entities.get((kind, row["slug"]))
            if entity is None:
                entity = Entity(kind=kind, slug=row["slug"])
                entities[kind, row["slug"]] = entity
                new.append(entity)
            for key, field in FIELDS.items():
                if _set(entity, field, row.get(key) or "") and entity.pk:
                    changed[entity.pk] = entity
    Entity.objects.bulk_create(new)

    for field, (kind, target_kind) in LINKS.items():
        for row in rows[kind]:
            entity = entities[kind, row["slug"]]
            target = entities[target_kind, row[field]] if row.get(field) else None
            if _set(entity, f"{field}_id", target.pk if target else None):
                changed[entity.pk] = entity
    for entity in changed.values():
        entity.updated_at = now
    link_fields = [f"{field}_id" for field in LINKS]
    Entity.objects.bulk_update(
        changed.values(), [*FIELDS.values(), *link_fields, "updated_at"], batch_size=500
    )

    aliases = {
        (alias.entity_id, alias.text, alias.language): alias
        for alias in Alias.objects.filter(entity__in=[entity.pk for entity in entities.values()])
    }
    new_aliases, changed_aliases = [], []
    for kind, kind_rows in rows.items():
        for row in kind_rows:
            entity = entities[kind, row["slug"]]
            for spec in row.get("aliases", []):
                key = (entity.pk, spec["text"], spec.get("lang", ""))
                alias = aliases.get(key)
                if alias is None:
                    alias = aliases[key] = Alias(entity=entity, text=key[1], language=key[2])
                    new_aliases.append(alias)
                flags = [
                    _set(alias, flag, spec.get(flag, False))
                    for flag in ("case_sensitive", "ambiguous")
                ]
                if any(flags) and alias.pk:
                    changed_aliases.append(alias)
    Alias.objects.bulk_create(new_aliases)
    Alias.objects.bulk_update(changed_aliases, ["case_sensitive", "ambiguous"], batch_size=500)

    counts |= {
        "entities_created": len(new),
        "entities_updated": len(changed.keys() - {entity.pk for entity in new}),
        "aliases_created": len(new_aliases),
        "aliases_updated": len(changed_aliases),
    }
    if new or changed or new_aliases or changed_aliases:
        kb_changed()
    return counts


def _set(instance, field: str, value) -> bool:
    """Give instance's field the value; return whether it was different."""
    if getattr(instance, field) == value:
        return False
    setattr(instance, field, value)
    return True
