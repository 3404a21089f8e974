import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from entities.knowledge_base import kb_changed
from entities.models import Alias, Entity

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
FILES = [
    ("companies.json", Entity.Kind.COMPANY),
    ("people.json", Entity.Kind.PERSON),
    ("products.json", Entity.Kind.PRODUCT),
]


class Command(BaseCommand):
    help = "Upsert the starter knowledge base shipped in entities/data/ (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        records = {kind: json.loads((DATA_DIR / name).read_text("utf-8")) for name, kind in FILES}
        companies = {}
        for kind, rows in records.items():
            for row in rows:
                entity, _ = Entity.objects.update_or_create(
                    kind=kind,
                    slug=row["slug"],
                    defaults={
                        "name": row["name"],
                        "description": row.get("description", ""),
                        "website_domain": row.get("domain") or "",
                        "wikidata_id": row.get("wikidata") or "",
                        "sector": row.get("sector") or "",
                        "role": row.get("role") or "",
                    },
                )
                if kind == Entity.Kind.COMPANY:
                    companies[entity.slug] = entity
                for alias in row.get("aliases", []):
                    Alias.objects.update_or_create(
                        entity=entity,
                        text=alias["text"],
                        language=alias.get("lang", ""),
                        defaults={
                            "case_sensitive": alias.get("case_sensitive", False),
                            "ambiguous": alias.get("ambiguous", False),
                        },
                    )
        links = {
            "parent": Entity.Kind.COMPANY,
            "affiliation": Entity.Kind.PERSON,
            "maker": Entity.Kind.PRODUCT,
        }
        for field, kind in links.items():
            for row in records[kind]:
                if row.get(field):
                    Entity.objects.filter(kind=kind, slug=row["slug"]).update(
                        **{field: companies[row[field]]}
                    )
        kb_changed()
        counts = {kind.label: len(rows) for kind, rows in records.items()}
        self.stdout.write(
            "Starter knowledge base loaded: "
            + ", ".join(f"{n} {label.lower()} records" for label, n in counts.items())
            + f"; {Alias.objects.count()} aliases in the knowledge base."
        )
