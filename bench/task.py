"""Benchmark the tagging task as a worker runs it: engine plus database writes, on PostgreSQL."""

import json
import subprocess
import sys
import time
from pathlib import Path

from django.utils import timezone

from articles.models import Article, Outlet, RelationshipEvidence, text_fingerprint
from articles.tagging import article_discover, article_tag, relationships_refresh_seen
from entities.knowledge_base import alias_records, entity_records, get_dictionary
from entities.models import Relationship

from .engine import SEED, generate_articles
from .stats import median, percentile

TASK_SOURCE_PREFIX = "https://task.bench.example/"
ARTICLES = 1_000
WORDS = 1_000
DISCOVERY_PER_LANGUAGE = {"en": 50, "fr": 20}

# A fresh interpreter that loads Django and the tasks like a worker, then the dictionary.
_WORKER_RSS_SCRIPT = """
import json, os, django
from pathlib import Path
def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
django.setup()
import articles.tasks
from entities.knowledge_base import get_dictionary
before = rss_mb()
aliases = get_dictionary().alias_count
print(json.dumps({"before_mb": before, "after_mb": rss_mb(), "aliases": aliases}))
"""


def run() -> dict[str, float]:
    """Create the task articles, tag each with article_tag, run discovery on some; figures."""
    _delete_task_articles()
    started = time.perf_counter()
    get_dictionary()
    dictionary_load_s = time.perf_counter() - started
    article_ids = _create_task_articles()
    tag_times = []
    try:
        for article_id in article_ids:
            started = time.perf_counter()
            article_tag(article_id=article_id)
            tag_times.append(time.perf_counter() - started)
        discover_times = {
            language: _time_discovery(language, count)
            for language, count in DISCOVERY_PER_LANGUAGE.items()
        }
    finally:
        _delete_task_articles()
    worker = _worker_memory()
    return {
        "dictionary_load_s": dictionary_load_s,
        "articles": len(tag_times),
        "tag_median_ms": median(tag_times) * 1000,
        "tag_p99_ms": percentile(tag_times, 99) * 1000,
        **{
            f"discover_{language}_median_ms": median(times) * 1000
            for language, times in discover_times.items()
        },
        **{
            f"discover_{language}_articles": len(times)
            for language, times in discover_times.items()
        },
        "worker_rss_before_mb": worker["before_mb"],
        "worker_rss_mb": worker["after_mb"],
        "worker_aliases": worker["aliases"],
    }


def _create_task_articles() -> list[int]:
    """Insert published, untagged ~1,000-word articles naming the database's entities."""
    outlet, _ = Outlet.objects.get_or_create(name="Bench wire")
    generated = generate_articles(
        entity_records(), alias_records(), count=ARTICLES, words=WORDS, seed=SEED + 2
    )
    now = timezone.now()
    # bulk_create skips save(): fill in what save() would, and keep the history out of it.
    articles = Article.objects.bulk_create(
        Article(
            title=title,
            slug=f"bench-task-{index}",
            body=body,
            source_url=f"{TASK_SOURCE_PREFIX}{index}",
            outlet=outlet,
            language=language,
            status=Article.Status.PUBLISHED,
            published_at=now,
            fingerprint=text_fingerprint(title, body),
        )
        for index, (title, body, language) in enumerate(generated)
    )
    return [article.pk for article in articles]


def _time_discovery(language: str, count: int) -> list[float]:
    article_ids = Article.objects.filter(
        source_url__startswith=TASK_SOURCE_PREFIX, language=language
    ).values_list("pk", flat=True)[:count]
    times = []
    for article_id in article_ids:
        started = time.perf_counter()
        article_discover(article_id=article_id)
        times.append(time.perf_counter() - started)
    return times


def _delete_task_articles() -> None:
    task_articles = Article.objects.filter(source_url__startswith=TASK_SOURCE_PREFIX)
    touched = set(
        RelationshipEvidence.objects.filter(article__in=task_articles).values_list(
            "relationship_id", flat=True
        )
    )
    task_articles.delete()
    # What re-tagging does when evidence goes: drop the relationships left with none, and
    # date the others from the evidence that remains.
    Relationship.objects.filter(
        pk__in=touched, status=Relationship.Status.DETECTED, evidence__isnull=True
    ).delete()
    relationships_refresh_seen(touched)


def _worker_memory() -> dict[str, float]:
    output = subprocess.run(  # noqa: S603 - our own interpreter running a constant script
        [sys.executable, "-c", _WORKER_RSS_SCRIPT],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])
