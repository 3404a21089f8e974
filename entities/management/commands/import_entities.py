import bz2
import gzip
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from entities.importers import (
    CSV_COLUMNS,
    KnowledgeBaseDataError,
    csv_records,
    entities_import,
    wikidata_records,
)

OPENERS = {".gz": gzip.open, ".bz2": bz2.open}


class Command(BaseCommand):
    help = (
        "Add tech companies, their people and their products to the knowledge base from FILE "
        "(.gz and .bz2 are read as they are); safe to run again. Existing entities keep their "
        "values: only empty fields and links are filled and missing aliases added. "
        "--format wikidata (the default unless FILE ends in .csv): Wikidata's JSON dump, one "
        "entity a "
        "line, English and French labels and aliases; companies are kept by the ids of "
        "entities/data/wikidata.json, people by their employer (P108) and products by their "
        "manufacturer (P176) among the kept companies; it also reads parents (P749, P355), "
        "websites (P856), roles (P106) and a product's family (P179). "
        "--format csv: UTF-8, a header naming columns among "
        f"{', '.join(CSV_COLUMNS)} (kind and name required; kind is company, person or "
        "product; aliases separated by ';'; maker, parent, affiliation and variant_of are "
        "slugs of entities in the knowledge base or the file; slug defaults to the name's). "
        "An alias of one word is case-sensitive and ambiguous, as an editor can change. "
        "A bad line is reported and skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A .json, .csv, .gz or .bz2 file.")
        parser.add_argument(
            "--format",
            dest="file_format",
            choices=["wikidata", "csv"],
            help="Default: csv for a .csv file, wikidata otherwise.",
        )

    def handle(self, *args, file, file_format=None, verbosity=1, **options):
        suffixes = [suffix for suffix in file.suffixes if suffix not in OPENERS]
        file_format = file_format or ("csv" if suffixes[-1:] == [".csv"] else "wikidata")
        read = csv_records if file_format == "csv" else wikidata_records
        try:
            with (
                file.open("rb") as raw,
                OPENERS.get(file.suffix, lambda stream: stream)(raw) as stream,
                tqdm(
                    total=file.stat().st_size,
                    unit="B",
                    unit_scale=True,
                    desc=f"Reading {file.name}",
                    disable=verbosity == 0,
                ) as progress,
            ):

                def lines():
                    for line in stream:
                        progress.update(raw.tell() - progress.n)
                        yield line

                summary = entities_import(records=read(lines()))
        except (OSError, EOFError, KnowledgeBaseDataError) as error:
            raise CommandError(f"Nothing was imported from {file}: {error}") from error
        self.stdout.write(
            f"Imported {file.name}: {summary.created} created, {summary.updated} updated, "
            f"{summary.unchanged} unchanged, {summary.skipped.total()} skipped."
        )
        for reason, count in summary.skipped.most_common():
            lines = ", ".join(map(str, summary.examples[reason]))
            more = "…" if count > len(summary.examples[reason]) else ""
            self.stdout.write(f"  skipped {count}: {reason} (line {lines}{more})")
