"""Full-text search over published stories, accents and case folded on either database.

On PostgreSQL each article carries a generated `search_document` (title weighted over the
standfirst over the body, built with the text search configuration of its language, accents
folded by `unaccent`) with a GIN index; see migration 0002. Results are ranked, best first.

On SQLite (the quick start) an FTS5 table, `articles_article_search`, indexes the title,
standfirst and body of every article (migration 0004, kept up to date by triggers). Its
tokenizer folds case and diacritics and stems words the English way, so that "realite" finds
"réalité", "zurich" finds "Zürich" and "headset" finds "headsets". Results come newest first.

Both read the reader's words the way `websearch_to_tsquery` does: every word must appear,
"quoted words" as a phrase, `or` between alternatives, and `-word` for a word to leave out.
"""

import re
import unicodedata

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
# The stories whose title, standfirst or body match an FTS5 query; see migration 0004.
_SQLITE_MATCH_SQL = (
    "SELECT rowid FROM articles_article_search WHERE articles_article_search MATCH %s"
)
# A term of the reader's query: an optional minus, then "words in quotes" or a bare word.
_TERM = re.compile(r'(-?)(?:"([^"]*)"?|(\S+))')
_WORD = re.compile(r"\w+")
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
    if connection.vendor == "sqlite":
        fts_query = sqlite_fts_query(query)
        if not fts_query:
            return stories.none()
        # The query is built from words alone, and travels as a parameter.
        return stories.filter(pk__in=RawSQL(_SQLITE_MATCH_SQL, (fts_query,)))  # noqa: S611
    if connection.vendor != "postgresql":
        return stories.filter(
            Q(title__icontains=query) | Q(standfirst__icontains=query) | Q(body__icontains=query)
        )
    # The SQL is constant; the reader's words only ever travel as query parameters.
    matches = RawSQL(_MATCH_SQL, (query, query, query), output_field=BooleanField())  # noqa: S611
    return stories.alias(matches=matches).filter(matches=True)


def sqlite_fts_query(query: str) -> str:
    """Return the FTS5 query that asks what `websearch_to_tsquery` would ask of the reader's
    words, or "" when they hold no word to look for.

    Only words reach FTS5, each in a quoted phrase: punctuation, operators and column names
    the reader types are never read as FTS5 syntax. Words only left out find nothing.
    """
    alternatives, left_out = [[]], []
    for minus, quoted, bare in _TERM.findall(unicodedata.normalize("NFC", query)):
        words = _WORD.findall(quoted or bare)
        if not quoted and not minus and bare.casefold() == "or":
            alternatives.append([])
        elif words:
            phrase = '"' + " ".join(words) + '"'
            (left_out if minus else alternatives[-1]).append(phrase)
    wanted = [f"({' AND '.join(terms)})" for terms in alternatives if terms]
    if not wanted:
        return ""
    if left_out:
        return f"({' OR '.join(wanted)}) NOT ({' OR '.join(left_out)})"
    return " OR ".join(wanted)


def search_stories(stories, query: str):
    """Return the stories matching the query: on PostgreSQL best first (title matches weigh
    most), elsewhere newest first."""
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
