"""Full-text search on PostgreSQL: unaccented text search configurations, a generated
tsvector per article built with its language's configuration, and a GIN index on it."""

from django.db import migrations

CONFIGURATIONS = [("newsdesk_fr", "french"), ("newsdesk_en", "english"), ("newsdesk_simple", "simple")]

FORWARD = ["CREATE EXTENSION IF NOT EXISTS unaccent"]
for name, base in CONFIGURATIONS:
    stem = "simple" if base == "simple" else f"{base}_stem"
    FORWARD += [
        f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {base})",
        f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR hword, hword_part, word "
        f"WITH unaccent, {stem}",
    ]

CONFIG = (
    "CASE language WHEN 'fr' THEN 'newsdesk_fr'::regconfig "
    "WHEN 'en' THEN 'newsdesk_en'::regconfig ELSE 'newsdesk_simple'::regconfig END"
)
FORWARD += [
    "ALTER TABLE articles_article ADD COLUMN search_document tsvector GENERATED ALWAYS AS ("
    f"setweight(to_tsvector({CONFIG}, coalesce(title, '')), 'A') || "
    f"setweight(to_tsvector({CONFIG}, coalesce(standfirst, '')), 'B') || "
    f"setweight(to_tsvector({CONFIG}, coalesce(body, '')), 'C')) STORED",
    "CREATE INDEX article_search_idx ON articles_article USING gin (search_document)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS article_search_idx",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_document",
    *(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}" for name, _ in CONFIGURATIONS),
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
