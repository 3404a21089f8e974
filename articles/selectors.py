"""Reads behind the public pages: timelines, charts, co-mentions and relationships."""

from collections import Counter, defaultdict

from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from entities.models import Entity, Relationship

from .models import Article, Mention, RelationshipEvidence

CHART_MONTHS = 24
# From a day in the last month back to the first day of the month 23 months before.
CHART_REACH = timezone.timedelta(days=2 * 366 + 31)
# What a link to an entity needs.
ENTITY_LINK = ("kind", "name", "slug")
STORY_CHIPS = 5
CO_MENTION_WINDOW = 100
EVIDENCE_PER_RELATIONSHIP = 10
# The most recent ones; the partnership list has them all.
RELATIONSHIP_CARDS = 12
RELATED_ENTITIES = 5
RELATED_WINDOW_DAYS = 183
RELATED_CANDIDATES = 500
# Who and what an entity's page lists as named with it.
NAMED_WITH = {
    Entity.Kind.COMPANY: [Entity.Kind.PERSON, Entity.Kind.PRODUCT],
    Entity.Kind.PERSON: [Entity.Kind.COMPANY],
    Entity.Kind.PRODUCT: [Entity.Kind.COMPANY],
}
# A mention of the same story as the outer one. Its mentions share its publication time: with
# it the probe is a walk of the other entity's timeline index in step with this one (a merge
# join that stops with the page) rather than a read of every story naming the other entity.
SAME_STORY = {
    "article_id": OuterRef("article_id"),
    "article_published_at": OuterRef("article_published_at"),
}


def timeline(entity: Entity, *, subjects_only: bool = True):
    """Return the entity's mentions in published stories, one per story, newest first.

    A timeline pages through these with index-only scans of the timeline indexes, then loads
    just the stories of the page it shows (`articles.story_list`).
    """
    mentions = Mention.objects.published().filter(entity=entity)
    if subjects_only:
        mentions = mentions.filter(is_subject=True)
    return mentions.order_by("-article_published_at", "-article_id")


def pair_timeline(company_a: Entity, company_b: Entity):
    """Return company_a's mentions in the published stories that name company_b too."""
    return timeline(company_a, subjects_only=False).filter(
        Exists(Mention.objects.published().filter(entity=company_b, **SAME_STORY))
    )


def story_ids(mentions):
    return mentions.values_list("article_id", flat=True)


def with_chips(stories: list[Article]) -> list[Article]:
    """Give each story its most salient visible entities (at most STORY_CHIPS), as chips."""
    chosen = defaultdict(list)
    # Two plain queries: joined to the entities, PostgreSQL walks that whole table, and a
    # per-story limit (a window) costs more to build than the few rows it saves.
    rows = Mention.objects.visible().by_salience_in([story.pk for story in stories])
    for article_id, entity_id in rows.values_list("article_id", "entity_id"):
        if len(chosen[article_id]) < STORY_CHIPS:
            chosen[article_id].append(entity_id)
    entities = Entity.objects.only(*ENTITY_LINK).in_bulk(
        {entity_id for entity_ids in chosen.values() for entity_id in entity_ids}
    )
    for story in stories:
        story.chips = [entities[entity_id] for entity_id in chosen[story.pk]]
    return stories


def stories_per_month(entity: Entity, *, subjects_only: bool = True) -> list[dict]:
    """Return the number of stories per month over the two years up to the latest one."""
    mentions = timeline(entity, subjects_only=subjects_only)
    latest = mentions.values("article_published_at")[:1]
    # One query: the latest story's date is a subquery, and the months counted reach back
    # from it far enough to hold the chart's first month; those before it are left out.
    counts = {
        row["month"].date(): row["stories"]
        for row in mentions.filter(article_published_at__gte=Subquery(latest) - CHART_REACH)
        .annotate(month=TruncMonth("article_published_at"))
        .order_by()
        .values("month")
        .annotate(stories=Count("*"))
    }
    last_month = max(counts, default=timezone.localdate().replace(day=1))
    first_month = last_month
    for _ in range(CHART_MONTHS - 1):
        first_month = (first_month - timezone.timedelta(days=1)).replace(day=1)
    months, month = [], first_month
    while month <= last_month:
        months.append({"month": month, "stories": counts.get(month, 0)})
        month = (month + timezone.timedelta(days=32)).replace(day=1)
    return months


def co_mentioned(entity: Entity, kinds: list[str], limit: int = 8) -> dict[str, list]:
    """Return, per kind, the entities most often named in the entity's latest stories, each
    with its number of stories."""
    recent_articles = story_ids(timeline(entity, subjects_only=False))[:CO_MENTION_WINDOW]
    rows = (
        Mention.objects.published()
        .filter(article_id__in=Subquery(recent_articles), entity__kind__in=kinds)
        .exclude(entity=entity)
        .values_list("entity_id", "entity__kind")
        .annotate(stories=Count("*"))
        .order_by("-stories", "entity_id")
    )
    top: dict[str, list[tuple[int, int]]] = {kind: [] for kind in kinds}
    for entity_id, kind, stories in rows:
        if len(top[kind]) < limit:
            top[kind].append((entity_id, stories))
    entities = Entity.objects.only(*ENTITY_LINK).in_bulk(
        [entity_id for ranked in top.values() for entity_id, _ in ranked]
    )
    return {
        kind: [(entities[entity_id], stories) for entity_id, stories in ranked]
        for kind, ranked in top.items()
    }


def relationship_groups(entity: Entity) -> list[tuple[str, list[Relationship]]]:
    """Return the company's latest public relationships grouped by kind, partnerships first,
    each with the company's `partner` in it."""
    relationships = (
        Relationship.objects.public()
        .involving(entity)
        .newest_first()
        .select_related("company_a", "company_b")
        .prefetch_related("topics")[:RELATIONSHIP_CARDS]
    )
    grouped: dict[str, list[Relationship]] = {kind: [] for kind in Relationship.Kind.values}
    for relationship in relationships:
        relationship.partner = (
            relationship.company_b
            if relationship.company_a_id == entity.pk
            else relationship.company_a
        )
        grouped[relationship.kind].append(relationship)
    return [(Relationship.Kind(kind).label, items) for kind, items in grouped.items() if items]


def published_evidence(relationships):
    """Prefetch, on each relationship, only the evidence from published stories."""
    return relationships.prefetch_related(
        Prefetch(
            "evidence",
            queryset=RelationshipEvidence.objects.filter(article__in=Article.objects.published())
            .select_related("article")
            .order_by("-article__published_at", "start")[:EVIDENCE_PER_RELATIONSHIP],
            to_attr="public_evidence",
        )
    )


def related_stories(article: Article, limit: int = 5):
    """Return other published stories sharing the most entities with this one.

    Candidates are the stories of the same year around this one that name its most salient
    entities, so that a story about a giant does not weigh its whole archive.
    """
    entity_ids = list(
        article.mentions.visible()
        .order_by("-salience")
        .values_list("entity_id", flat=True)[:RELATED_ENTITIES]
    )
    if not entity_ids or article.published_at is None:
        return []
    window = timezone.timedelta(days=RELATED_WINDOW_DAYS)
    candidates = (
        Mention.objects.published()
        .filter(
            entity_id__in=entity_ids,
            article_published_at__range=(
                article.published_at - window,
                article.published_at + window,
            ),
        )
        .exclude(article=article)
        .order_by("-article_published_at")
        .values_list("article_id", flat=True)[:RELATED_CANDIDATES]
    )
    shared = Counter(candidates)
    stories = (
        Article.objects.published()
        .select_related("outlet")
        .in_bulk([pk for pk, _ in shared.most_common(limit)])
    )
    return [stories[pk] for pk, _ in shared.most_common(limit) if pk in stories]


def story_relationships(article: Article):
    """Return the public relationships this story gives evidence of, with its sentences."""
    evidence = RelationshipEvidence.objects.filter(article=article).order_by("in_title", "start")
    return (
        Relationship.objects.public()
        .filter(pk__in=evidence.values("relationship_id"))
        .select_related("company_a", "company_b")
        .prefetch_related("topics", Prefetch("evidence", queryset=evidence, to_attr="sentences"))
    )


def entity_story_counts(entities):
    """Annotate each entity with its number of published stories."""
    stories = (
        Mention.objects.published()
        .filter(entity=OuterRef("pk"))
        .order_by()
        .values("entity")
        .annotate(n=Count("id"))
        .values("n")
    )
    return entities.annotate(story_count=Subquery(stories))
