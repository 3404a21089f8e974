"""`make bench`: engine, tagging task and public-site benchmarks on a dedicated database.

It refuses any database whose name does not end in `_bench`, creates that database when
missing, migrates it, seeds it (once; `--reseed` to start over) and prints one table.
"""

import argparse
import os
import sys
import time

import environ
import psycopg
from psycopg import sql

BENCH_SUFFIX = "_bench"
SECTIONS = ("engine", "task", "site", "intake")


def bench_database() -> dict:
    """Return DATABASE_URL's settings, or exit when it is not a PostgreSQL *_bench database."""
    url = os.environ.get("DATABASE_URL", "")
    config = environ.Env.db_url_config(url) if url else {}
    if "postgresql" not in config.get("ENGINE", "") or not config["NAME"].endswith(BENCH_SUFFIX):
        sys.exit(
            f"bench: DATABASE_URL must name a PostgreSQL database ending in {BENCH_SUFFIX!r}, "
            f"so that nobody's data is touched (got {url!r})."
        )
    return config


def create_database(config: dict) -> bool:
    """Create the bench database unless it exists; return whether it was created."""
    with psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        if admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone():
            return False
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
        return True


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main() -> None:
    """Run every benchmark and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--reseed", action="store_true", help="seed the site data again")
    parser.add_argument(
        "--only", choices=SECTIONS, action="append", help="run only this section (repeatable)"
    )
    parser.add_argument(
        "--intake-sizes",
        default="10000,200000",
        help="corpus sizes the intake look-ups are timed at (comma-separated)",
    )
    parser.add_argument(
        "--intake-feed-items",
        type=int,
        default=1_000,
        help="feed items the worker polls and ingests in the intake section",
    )
    arguments = parser.parse_args()
    config = bench_database()
    if create_database(config):
        progress(f"created database {config['NAME']}")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from . import engine, intake, knowledge_base, report, seed, site, task
    from .database import with_retries

    progress(f"load average (1, 5, 15 min) at the start: {os.getloadavg()}")
    progress("migrating")
    call_command("migrate", verbosity=0)
    sections = arguments.only or SECTIONS
    figures = {}
    if "engine" in sections:
        progress("engine: 50,000-alias dictionary, 1,000 articles of ~1,000 words")
        alias_count = knowledge_base.generated_alias_count()
        figures["engine"] = engine.run(
            alias_count=alias_count,
            extra_records=knowledge_base.starter_records(first_id=alias_count + 1),
        )
    # Before intake: its feed items name the knowledge base's companies, for tagging.
    progress("loading the knowledge base into the database")
    figures["kb"] = with_retries(knowledge_base.load_into_database)
    if "intake" in sections:
        progress(f"intake: polling and ingesting {arguments.intake_feed_items:,} feed items")
        print(intake.feeds_table(with_retries(intake.run_feeds, arguments.intake_feed_items)))
        sizes = [int(size) for size in arguments.intake_sizes.split(",")]
        progress(f"intake: duplicate and cluster look-ups at {sizes} articles")
        print(intake.table(with_retries(intake.run, sizes)))
        if sections == ["intake"]:
            # The intake section makes its own stories: no site to seed.
            return
    # Generated entities made anew (the starter knowledge base grew or shrank) took the site's
    # mentions and relationships with them: the site is seeded again.
    regenerated = figures["kb"].pop("regenerated")
    progress("seeding the site (skipped when already seeded)")
    figures["seed"] = with_retries(seed.seed, force=arguments.reseed or regenerated)
    figures["seed"]["database_mb"] = seed.database_size_mb()
    figures["seed"].update(seed.data_set())
    if "task" in sections:
        progress("tagging task: article_tag on 1,000 articles, discovery, worker memory")
        figures["task"] = with_retries(task.run)
    if "site" in sections:
        progress("site: timing pages")
        figures["pages"] = site.run()
    print(report.table(**figures))


if __name__ == "__main__":
    main()
