"""The partnership list's newest-first order (last_seen DESC NULLS LAST) as an index.

PostgreSQL only: SQLite cannot put NULLS LAST in an index.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX relationship_newest_idx ON entities_relationship "
    "(last_seen DESC NULLS LAST, id DESC)"
)
DROP = "DROP INDEX IF EXISTS relationship_newest_idx"


def run(statement):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("entities", "0001_initial")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
