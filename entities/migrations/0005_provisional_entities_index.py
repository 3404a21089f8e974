from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("entities", "0004_product_variants_and_provisional")]

    operations = [
        migrations.AddIndex(
            model_name="entity",
            index=models.Index(
                condition=models.Q(("provisional", True)),
                fields=["id"],
                name="entity_provisional_idx",
            ),
        )
    ]
