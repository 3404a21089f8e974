from django.core.management.base import BaseCommand, CommandError

from entities.importers import KnowledgeBaseDataError, starter_kb_load


class Command(BaseCommand):
    help = (
        "Upsert the starter knowledge base shipped in entities/data/companies/, people/ and "
        "products/ (every *.json file of each, in name order); safe to run again."
    )

    def handle(self, *args, **options):
        try:
            counts = starter_kb_load()
        except KnowledgeBaseDataError as error:
            raise CommandError(f"The starter knowledge base was not loaded:\n{error}") from error
        self.stdout.write(
            "Starter knowledge base loaded from {companies} company, {people} person and "
            "{products} product records: {entities_created} entities created, "
            "{entities_updated} updated; {aliases_created} aliases created, "
            "{aliases_updated} updated.".format(**counts)
        )
