from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date
from tqdm import tqdm

from articles.models import Article
from articles.services import article_request_tagging
from entities.models import Entity


class Command(BaseCommand):
    help = "Ask for articles to be tagged again (through the task queue, or in-process)."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="Every article.")
        which.add_argument("--since", metavar="DATE", help="Articles updated on or after DATE.")
        which.add_argument("--entity", metavar="SLUG", help="Articles that mention this entity.")

    def handle(self, *args, **options):
        articles = Article.objects.all()
        if options["since"]:
            since = parse_date(options["since"])
            if since is None:
                raise CommandError("--since takes a date such as 2024-02-29.")
            articles = articles.filter(updated_at__date__gte=since)
        elif options["entity"]:
            entities = Entity.objects.filter(slug=options["entity"])
            if not entities.exists():
                raise CommandError(f"No entity has the slug {options['entity']!r}.")
            articles = articles.filter(mentions__entity__in=entities).distinct()
        for article in tqdm(articles.only("pk").iterator(), total=articles.count(), unit="article"):
            article_request_tagging(article=article)
