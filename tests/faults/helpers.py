"""What the fault tests compare: an article's stored tags against a clean tagging of its text."""

import random
from collections import defaultdict

from django.db import DatabaseError, InterfaceError, connection

from articles.models import Article, Mention, RelationshipEvidence
from entities.knowledge_base import build_dictionary
from entities.tagging import tag

COMPANIES = ["Meta Platforms", "LG Electronics", "Apple", "Nvidia", "Samsung Electronics"]
PEOPLE = ["Mark Zuckerberg", "William Cho"]
PRODUCTS = ["Apple Vision Pro", "Nvidia H100"]
SENTENCES = [
    "{a} and {b} signed a partnership on XR headsets.",
    "{a} agreed to supply memory chips to {b} for its servers.",
    "{a} competes with {b} in the smartphone market.",
    "{person} said the {product} would ship next year.",
    "Analysts expect {a} to invest in {b} before the end of the quarter.",
    "Demand for data-centre accelerators kept growing, {a} said on Tuesday.",
    "{b} declined to comment on the report.",
]


def story_body(rng: random.Random, sentences: int) -> str:
    """Plain news prose naming entities of tests.entities.kb.make_small_kb()."""
    parts = []
    for _ in range(sentences):
        a, b = rng.sample(COMPANIES, 2)
        parts.append(
            rng.choice(SENTENCES).format(
                a=a, b=b, person=rng.choice(PEOPLE), product=rng.choice(PRODUCTS)
            )
        )
    paragraphs = [" ".join(parts[i : i + 4]) for i in range(0, len(parts), 4)]
    return "\n\n".join(paragraphs)


def tagging_status(article_id: int) -> str:
    return Article.objects.values_list("tagging_status", flat=True).get(pk=article_id)


def statuses(article_ids) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for status in Article.objects.filter(pk__in=article_ids).values_list(
        "tagging_status", flat=True
    ):
        counts[status] += 1
    return dict(counts)


def count_done(article_ids) -> int | None:
    """How many are done; None when the database cannot be asked (it is restarting)."""
    try:
        return Article.objects.filter(
            pk__in=article_ids, tagging_status=Article.TaggingStatus.DONE
        ).count()
    except (DatabaseError, InterfaceError):
        connection.close()
        return None


def clean_tags(article_ids) -> dict[int, tuple[dict, list]]:
    """Tag each article's text in this process, from scratch, as the worker should have."""
    dictionary = build_dictionary()
    expected = {}
    for article in Article.objects.filter(pk__in=article_ids).only(
        "pk", "title", "body", "language"
    ):
        result = tag(
            article.body, dictionary=dictionary, title=article.title, language=article.language
        )
        mentions = {
            match.entity_id: [[span.start, span.end] for span in match.mentions]
            for match in result.entities
        }
        evidence = sorted(
            (*match.company_ids, str(match.kind), item.in_title, item.start)
            for match in result.relationships
            for item in match.evidence
        )
        expected[article.pk] = (mentions, evidence)
    return expected


def stored_tags(article_ids) -> dict[int, tuple[dict, list]]:
    """The mentions and relationship evidence the database holds for each article."""
    mentions: dict[int, dict] = {pk: {} for pk in article_ids}
    evidence: dict[int, list] = {pk: [] for pk in article_ids}
    rows = Mention.objects.filter(article_id__in=article_ids).values_list(
        "article_id", "entity_id", "offsets"
    )
    for article_id, entity_id, offsets in rows:
        assert entity_id not in mentions[article_id], "two mentions of one entity"
        mentions[article_id][entity_id] = offsets
    rows = RelationshipEvidence.objects.filter(article_id__in=article_ids).values_list(
        "article_id",
        "relationship__company_a_id",
        "relationship__company_b_id",
        "relationship__kind",
        "in_title",
        "start",
    )
    for article_id, *key in rows:
        evidence[article_id].append(tuple(key))
    return {pk: (mentions[pk], sorted(evidence[pk])) for pk in article_ids}


def tag_differences(article_ids) -> list[int]:
    """The articles whose stored tags differ from a clean tagging of their text."""
    expected = clean_tags(article_ids)
    stored = stored_tags(article_ids)
    return [pk for pk in article_ids if stored[pk] != expected[pk]]
