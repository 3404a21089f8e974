"""The ids of provisional entities, indexed.

Every public list of mentions leaves out those of provisional entities
(`Mention.objects.visible()`, a `NOT IN` over their ids): this small partial index gives
those ids without a read of the whole entity table on each query. Made with SQL, like
0003's collation index, since the model declares no index for it; both databases accept a
partial index.
"""

from django.db import migrations

CREATE = "CREATE INDEX entity_provisional_idx ON entities_entity (id) WHERE provisional"
DROP = "DROP INDEX IF EXISTS entity_provisional_idx"


class Migration(migrations.Migration):
    dependencies = [("entities", "0004_product_variants_and_provisional")]

    operations = [migrations.RunSQL(CREATE, DROP)]
