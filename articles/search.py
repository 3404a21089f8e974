"""Full-text search over published stories.

On PostgreSQL each article carries a generated `search_document` (title weighted over the
standfirst over the body, built with the text search configuration of its language, accents
folded by `unaccent`) with a GIN index; see migration 0003. Elsewhere (SQLite, for the quick
start) search falls back to a plain case-insensitive contains.
"""

import re

from django.db import connection
from django.db.models import BooleanField, F, FloatField, Q
from django.db.models.expressions import RawSQL

# Control characters cannot be stored or searched for (PostgreSQL refuses NUL).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Ranking every match of a very common word is slow; the newest matches are what readers want.
RANKED_MATCHES = 2_000

_MATCH_SQL = (
    "(language = 'fr' AND search_document @@ websearch_to_tsquery("
    "'newsdesk_fr', %s)) OR (language = 'en' AND search_document @@ "
    "websearch_to_tsquery('newsdesk_en', %s)) OR (language NOT IN ('fr', 'en')"
    " AND search_document @@ websearch_to_tsquery('newsdesk_simple', %s))"
)
_RANK_SQL = (
    "ts_rank(search_document, websearch_to_tsquery(CASE language "
    "WHEN 'fr' THEN 'newsdesk_fr'::regconfig WHEN 'en' THEN 'newsdesk_en'::regconfig "
    "ELSE 'newsdesk_simple'::regconfig END, %s))"
)


def search_words(query) -> str:
    """Return the reader's search words from a request's query: at most 200 characters."""
    return CONTROL_CHARACTERS.sub("", query.get("q", "")).strip()[:200]


def matching_stories(stories, query: str):
    """Return the stories whose title, standfirst or body match the query, in any order."""
    query = query.strip()
    if connection.vendor != "postgresql":
        return stories.filter(
            Q(title__icontains=query) | Q(standfirst__icontains=query) | Q(body__icontains=query)
        )
    # The SQL is constant; the reader's words only ever travel as query parameters.
    matches = RawSQL(_MATCH_SQL, (query, query, query), output_field=BooleanField())  # noqa: S611
    return stories.alias(matches=matches).filter(matches=True)


def search_stories(stories, query: str):
    """Return the stories matching the query, best first (title matches weigh most)."""
    query = query.strip()
    matching = matching_stories(stories, query)
    if connection.vendor != "postgresql":
        return matching.order_by("-published_at", "-pk")
    rank = RawSQL(_RANK_SQL, (query,), output_field=FloatField())  # noqa: S611
    newest = matching.order_by("-published_at").values("pk")[:RANKED_MATCHES]
    return (
        stories.filter(pk__in=newest)
        .annotate(rank=rank)
        .order_by(F("rank").desc(), "-published_at", "-pk")
    )
