"""The company directory's indexes.

- Companies by name in alphabetical order (ICU's root collation: case and accents weigh
  less than letters). The directory lists only companies named in a public story: it walks
  this index and probes each company's timeline index until a page is full, where sorting
  every company's name and probing them all took some 150 ms on the benchmark data.
  PostgreSQL only, like 0002: SQLite has no such collation (the quick start sorts its few
  companies in Python).
- The sectors of companies, for the sector list, without reading every entity.
- Public relationships by each of their two companies, so that the partners of a page of
  companies are counted from the indexes alone (some 7,000 rows for the busiest page).
"""

from django.db import migrations, models

CREATE_NAME_INDEX = (
    'CREATE INDEX entity_company_name_idx ON entities_entity ((name COLLATE "und-x-icu"), id) '
    "WHERE kind = 'company'"
)
DROP_NAME_INDEX = "DROP INDEX IF EXISTS entity_company_name_idx"
PUBLIC = models.Q(models.Q(("status", "rejected"), _negated=True), ("last_seen__isnull", False))


def run(statement):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("entities", "0002_relationship_newest_index")]

    operations = [
        migrations.RunPython(run(CREATE_NAME_INDEX), run(DROP_NAME_INDEX)),
        migrations.AddIndex(
            model_name="entity",
            index=models.Index(
                condition=models.Q(("kind", "company"), models.Q(("sector", ""), _negated=True)),
                fields=["sector"],
                name="entity_company_sector_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="relationship",
            index=models.Index(
                condition=PUBLIC,
                fields=["company_a", "company_b"],
                name="relationship_public_a_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="relationship",
            index=models.Index(
                condition=PUBLIC,
                fields=["company_b", "company_a"],
                name="relationship_public_b_idx",
            ),
        ),
    ]
