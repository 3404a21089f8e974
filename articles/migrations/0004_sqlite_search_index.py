"""Full-text search on SQLite: an FTS5 index of every article's title, standfirst and body
that folds case and diacritics (`remove_diacritics 2`) and stems words (`porter`), kept up
to date by triggers on the articles table. PostgreSQL has its own (migration 0002).

On SQLite, Django rebuilds a table for most changes to its columns, and dropping the old
table drops these triggers with it: a later migration that alters articles_article must
create them again (tests/articles/test_search.py checks the index follows edits).
"""

from django.db import migrations

COLUMNS = "title, standfirst, body"
NEW = "new.title, new.standfirst, new.body"
OLD = "old.title, old.standfirst, old.body"

FORWARD = [
    "CREATE VIRTUAL TABLE articles_article_search USING fts5("
    f"{COLUMNS}, content='articles_article', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_article_search_insert AFTER INSERT ON articles_article BEGIN "
    f"INSERT INTO articles_article_search(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
    "CREATE TRIGGER articles_article_search_delete AFTER DELETE ON articles_article BEGIN "
    f"INSERT INTO articles_article_search(articles_article_search, rowid, {COLUMNS}) "
    f"VALUES ('delete', old.id, {OLD}); END",
    f"CREATE TRIGGER articles_article_search_update AFTER UPDATE OF id, {COLUMNS} "
    "ON articles_article BEGIN "
    f"INSERT INTO articles_article_search(articles_article_search, rowid, {COLUMNS}) "
    f"VALUES ('delete', old.id, {OLD}); "
    f"INSERT INTO articles_article_search(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
    "INSERT INTO articles_article_search(articles_article_search) VALUES ('rebuild')",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_article_search_insert",
    "DROP TRIGGER IF EXISTS articles_article_search_delete",
    "DROP TRIGGER IF EXISTS articles_article_search_update",
    "DROP TABLE IF EXISTS articles_article_search",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_editorial_groups")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
