import json
import sys

from django.core.management.base import BaseCommand, CommandError

from entities.knowledge_base import get_dictionary
from entities.language import detect_language
from entities.models import Entity
from entities.slugs import unique_slug
from entities.tagging import tag
from entities.tagging.discovery import discover_candidates


class Command(BaseCommand):
    help = (
        "Tag UTF-8 text read on stdin against the knowledge base and print one JSON object. "
        "Writes nothing to the database."
    )
    # Tests hand the text over with call_command(..., stdin=...).
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--lang", choices=["en", "fr"], help="Default: detected.")
        parser.add_argument("--title", default="", help="The article's title, if any.")

    def handle(self, *args, lang=None, title="", **options):
        stdin = options.get("stdin") or sys.stdin.buffer
        try:
            text = stdin.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise CommandError(f"The input is not UTF-8 text: {error}.") from error
        language = lang or detect_language(f"{title}\n{text}") or "en"
        dictionary = get_dictionary()
        result = tag(text, dictionary=dictionary, title=title, language=language)
        known_spans = [(s.start, s.end) for match in result.entities for s in match.mentions]
        candidates = discover_candidates(
            text=text, language=language, known_spans=known_spans, is_known=dictionary.knows
        )
        output = {
            "language": language,
            "entities": [
                *(
                    _entity_output(
                        match.kind,
                        match.name,
                        match.slug,
                        match.salience,
                        match.mentions,
                        provisional=match.provisional,
                    )
                    for match in result.entities
                ),
                # What tagging would suggest as new, provisional entities.
                *(
                    _entity_output(
                        new.kind,
                        new.name,
                        unique_slug(
                            new.name,
                            fallback=new.kind.value,
                            siblings=Entity.objects.filter(kind=new.kind),
                        ),
                        new.salience,
                        new.mentions,
                        provisional=True,
                    )
                    for new in result.new_entities
                ),
            ],
            "relationships": [
                {
                    "kind": relationship.kind.value,
                    "companies": list(relationship.company_slugs),
                    "topics": relationship.topics,
                    "evidence": [
                        {
                            "start": evidence.start,
                            "end": evidence.end,
                            "text": evidence.text,
                            **({"in_title": True} if evidence.in_title else {}),
                        }
                        for evidence in relationship.evidence
                    ],
                }
                for relationship in result.relationships
            ],
            "candidates": [
                {"text": candidate.text, "count": candidate.count} for candidate in candidates
            ],
        }
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))


def _entity_output(kind, name, slug, salience, mentions, *, provisional) -> dict:
    """An entity as the JSON output lists it, known or suggested."""
    return {
        "kind": kind.value,
        "name": name,
        "slug": slug,
        "salience": round(salience, 3),
        "mentions": [
            {"start": span.start, "end": span.end, "text": span.text} for span in mentions
        ],
        **({"provisional": True} if provisional else {}),
    }
