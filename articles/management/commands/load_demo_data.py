import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.dateparse import parse_datetime

from articles.models import Article, Outlet
from articles.services import article_save

DEMO_FILE = Path(__file__).resolve().parents[2] / "data" / "demo_articles.json"


class Command(BaseCommand):
    help = "Add the demo outlets and articles; existing ones are left as editors left them."

    def handle(self, *args, **options):
        data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        outlets = {}
        for fields in data["outlets"]:
            outlets[fields["name"]], _ = Outlet.objects.get_or_create(
                name=fields["name"], defaults=fields
            )
        created = 0
        for fields in data["articles"]:
            if Article.objects.filter(source_url=fields["source_url"]).exists():
                continue
            published_at = fields["published_at"]
            article = Article(
                title=fields["title"],
                standfirst=fields["standfirst"],
                body=fields["body"],
                source_url=fields["source_url"],
                byline=fields["byline"],
                outlet=outlets[fields["outlet"]],
                published_at=parse_datetime(published_at) if published_at else None,
                status=fields.get("status", Article.Status.PUBLISHED),
            )
            with transaction.atomic():
                article_save(article=article, by=None)
            created += 1
        self.stdout.write(f"Demo data: {created} article(s) added.")
