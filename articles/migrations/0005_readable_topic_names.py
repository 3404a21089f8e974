"""Give the topics tagging created with their slug as name ("chips", "cloud") a readable
name ("Chips", "Cloud"), as tagging now does. Names an editor chose are left alone."""

from django.db import migrations


def topic_name(slug):
    # A copy of articles.tagging.topic_name as it was when this migration was written.
    return " ".join(
        word.upper() if len(word) <= 3 else word.capitalize() for word in slug.split("-") if word
    )


def name_topics(apps, schema_editor):
    Topic = apps.get_model("entities", "Topic")
    renamed = []
    for topic in Topic.objects.all():
        if topic.name == topic.slug and topic_name(topic.slug) != topic.name:
            topic.name = topic_name(topic.slug)
            renamed.append(topic)
    Topic.objects.bulk_update(renamed, ["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_sqlite_search_index"),
        ("entities", "0002_relationship_newest_index"),
    ]

    operations = [migrations.RunPython(name_topics, migrations.RunPython.noop)]
