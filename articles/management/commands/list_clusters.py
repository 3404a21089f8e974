import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from articles.clusters import clusters_listed


class Command(BaseCommand):
    help = "List every story reported by more than one article: its lead and its articles."

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", metavar="DATE", help="Stories with an article of DATE or later."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help='One JSON object a line: {"lead": SOURCE_URL, "articles": [SOURCE_URL, ...]}.',
        )

    def handle(self, *args, **options):
        since = None
        if options["since"]:
            try:
                since = parse_date(options["since"])
            except ValueError:
                since = None
            if since is None:
                raise CommandError("--since takes a date such as 2024-02-29.")
        for lead, articles in clusters_listed(since=since):
            if options["json"]:
                self.stdout.write(json.dumps({"lead": lead, "articles": articles}))
            else:
                self.stdout.write(lead)
                for url in articles[1:]:
                    self.stdout.write(f"  {url}")
