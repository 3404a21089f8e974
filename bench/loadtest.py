"""`make loadtest`: gunicorn (two workers) on the benchmark database, driven by locust.

It seeds the `_bench` database as `make bench` does (once), serves the site with production
settings on loopback, runs 50 locust readers for 60 seconds, prints requests per second and
the p50/p95/p99 latencies, and exits non-zero if any request failed.
"""

import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import django

from bench.__main__ import bench_database, create_database, progress

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1:8001"
USERS, SPAWN_RATE, DURATION = 50, 25, "60s"


def main() -> int:
    config = bench_database()
    create_database(config)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    django.setup()
    from django.core.management import call_command

    from bench.seed import seed

    call_command("migrate", verbosity=0)
    progress("seeding (skipped when already seeded)")
    seed()
    work = Path(tempfile.mkdtemp(prefix="newsdesk-loadtest-"))
    urls_file = work / "urls.json"
    urls_file.write_text(json.dumps(sample_urls()), encoding="utf-8")
    server_env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(work / "static"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=server_env,
        check=True,
    )
    progress(f"starting gunicorn on {HOST}")
    server = subprocess.Popen(  # noqa: S603
        [str(VENV_BIN / "gunicorn"), "newsdesk.wsgi", "--workers", "2", "--bind", HOST],
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=(work / "gunicorn.log").open("w"),
    )
    try:
        wait_for_server()
        progress(f"locust: {USERS} users for {DURATION}")
        subprocess.run(  # noqa: S603
            [
                str(VENV_BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(USERS),
                "--spawn-rate",
                str(SPAWN_RATE),
                "--run-time",
                DURATION,
                "--host",
                f"http://{HOST}",
                "--csv",
                str(work / "locust"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={**os.environ, "NEWSDESK_LOADTEST_URLS": str(urls_file)},
            check=False,
            stdout=subprocess.DEVNULL,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    failures = print_table(work / "locust_stats.csv")
    return 1 if failures else 0


def sample_urls() -> dict:
    """Pick real slugs from the benchmark data for the readers to visit."""
    from articles.models import Article
    from bench.seed import biggest_company_slugs
    from entities.models import Entity, Relationship

    companies = biggest_company_slugs(10)
    pairs = list(
        Relationship.objects.public()
        .filter(company_a__slug__in=companies)
        .values_list("company_a__slug", "company_b__slug")[:50]
    )
    return {
        "companies": companies,
        "people": list(
            Entity.objects.filter(kind=Entity.Kind.PERSON).values_list("slug", flat=True)[:50]
        ),
        "stories": list(
            Article.objects.published()
            .order_by("-published_at")
            .values_list("slug", flat=True)[:500]
        ),
        "pairs": pairs,
        "searches": ["partenariat", "realite", "chips", "headset", "Nvidia", "cloud"],
    }


def wait_for_server(timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}/robots.txt", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("loadtest: gunicorn did not start; see its log in the work folder")


def print_table(stats_path: Path) -> int:
    """Print locust's figures per page and overall; return the number of failed requests."""
    with stats_path.open(encoding="utf-8") as stats_file:
        rows = list(csv.DictReader(stats_file))
    columns = ["requests", "failed", "req/s", "p50 ms", "p95 ms", "p99 ms"]
    header = f"{'page':<18}" + "".join(f"{column:>10}" for column in columns)
    print(header)
    print("-" * len(header))
    failures = 0
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all"
        print(
            f"{name:<18}{row['Request Count']:>10}{row['Failure Count']:>10}"
            f"{float(row['Requests/s']):>10.1f}{row['50%']:>10}{row['95%']:>10}{row['99%']:>10}"
        )
        if row["Name"] == "Aggregated":
            failures = int(row["Failure Count"])
    return failures


if __name__ == "__main__":
    sys.exit(main())
