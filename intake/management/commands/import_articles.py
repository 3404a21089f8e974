"""Import stories from a JSON Lines file, once each, tagged and clustered before returning."""

import datetime as dt
import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime
from tqdm import tqdm

from articles.clusters import article_cluster
from articles.models import Article
from articles.tasks import tag_article
from intake.services import IngestRefused, article_ingest, outlet_for

RECORD_KEYS = ("title", "body", "url", "outlet", "published_at", "language", "byline")
WAITING = [Article.TaggingStatus.PENDING, Article.TaggingStatus.RUNNING]


class Command(BaseCommand):
    help = (
        "Import articles from FILE.jsonl, one JSON object a line (title, body, url, outlet, "
        "published_at, language optional). Stories already there are not created again."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--no-wait",
            action="store_true",
            help="Return without waiting for the worker to tag and cluster what was imported.",
        )
        parser.add_argument(
            "--wait-timeout",
            type=float,
            default=600,
            help="Seconds to wait for the worker at most (default 600).",
        )

    def handle(self, *args, file, no_wait, wait_timeout, **options):
        try:
            lines = file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        created, duplicates, refused = [], 0, []
        for number, line in enumerate(tqdm(lines, unit="line", desc="Importing"), start=1):
            if not line.strip():
                continue
            try:
                # One transaction a line: a refused line leaves no outlet made for it.
                with transaction.atomic():
                    ingested = article_ingest(origin=Article.Origin.IMPORT, **_story(line))
            except IngestRefused as error:
                refused.append((number, str(error)))
                continue
            if ingested.article is None:
                duplicates += 1
            else:
                created.append(ingested.article.pk)
        if created and not no_wait and not tag_article.app.conf.task_always_eager:
            self._wait_for_tagging(created, wait_timeout)
            # The worker clusters each story just after marking it tagged: done here too, in
            # order, so that every story is in its cluster when this returns (a story already
            # placed stays where it is).
            for article_id in created:
                article_cluster(article_id=article_id)
        self.stdout.write(
            f"Created {len(created)}, duplicates {duplicates}, refused {len(refused)}."
        )
        for number, reason in refused:
            self.stdout.write(f"  line {number}: {reason}")

    def _wait_for_tagging(self, article_ids, timeout):
        """Wait until the worker has tagged every article created."""
        waiting = Article.objects.filter(pk__in=article_ids, tagging_status__in=WAITING)
        deadline = time.monotonic() + timeout
        with tqdm(total=len(article_ids), unit="article", desc="Tagging") as progress:
            while left := waiting.count():
                progress.update(len(article_ids) - left - progress.n)
                if time.monotonic() > deadline:
                    raise CommandError(
                        f"{left} imported article(s) still wait for tagging after {timeout:g} s: "
                        "is a worker running? They will be tagged when it is."
                    )
                time.sleep(0.5)
            progress.update(len(article_ids) - progress.n)


def _story(line: str) -> dict:
    """Return article_ingest's arguments for one line of the file, or raise IngestRefused."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise IngestRefused(f"Not JSON: {error}.") from error
    if not isinstance(record, dict):
        raise IngestRefused("Not a JSON object.")
    if missing := [key for key in ("title", "body", "url", "outlet") if not record.get(key)]:
        raise IngestRefused(f"Missing {', '.join(missing)}.")
    if not all(isinstance(record.get(key, ""), str) for key in RECORD_KEYS):
        raise IngestRefused("Every value must be a string.")
    published_at = None
    if record.get("published_at"):
        try:
            published_at = parse_datetime(record["published_at"])
            if published_at is None and (day := parse_date(record["published_at"])):
                published_at = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
        except ValueError:
            published_at = None
        if published_at is None:
            raise IngestRefused(f"Bad publication date {record['published_at']!r}.")
    return {
        "outlet": outlet_for(name_or_domain=record["outlet"]),
        "url": record["url"],
        "title": record["title"],
        "body": record["body"],
        "published_at": published_at,
        "language": record.get("language", ""),
        "byline": record.get("byline", ""),
    }
