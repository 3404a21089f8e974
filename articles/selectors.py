"""Reads behind the public pages: timelines, charts, co-mentions, relationships and the
company and partnership directories."""

import unicodedata
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce, Collate, Lower, TruncMonth
from django.urls import reverse
from django.utils import timezone

from entities.models import Entity, Relationship, Topic
from entities.tagging.text import split_sentences

from .models import Article, Mention, RelationshipEvidence
from .rendering import excerpt_with_name

# What a link to an entity needs.
ENTITY_LINK = ("kind", "name", "slug")
STORY_CHIPS = 5
CO_MENTION_WINDOW = 100
# Product families are a few levels deep (Pixel, Pixel 9, Pixel 9 Pro); the cap guards a cycle.
MAX_FAMILY_DEPTH = 4
# What a pair page quotes: its newest stories' evidence (at most that many rows read, a row
# per sentence and kind of relationship), each sentence once.
PAIR_EVIDENCE_STORIES = 10
PAIR_EVIDENCE_ROWS = 60
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
    """Return the entity's mentions in published stories, one per story, newest first; a
    product family's timeline takes in the stories of its versions ("Pixel 9 Pro" in
    "Pixel"'s).

    A timeline pages through these with index-only scans of the timeline indexes, then loads
    just the stories of the page it shows (`articles.story_list`).
    """
    mentions = Mention.objects.published()
    if subjects_only:
        mentions = mentions.filter(is_subject=True)
    family = product_family_ids(entity)
    if len(family) == 1:
        mentions = mentions.filter(entity=entity)
    else:
        # One row per story: the mention of the family member with the lowest id.
        mentions = mentions.filter(entity_id__in=family).exclude(
            Exists(
                mentions.filter(
                    entity_id__in=family,
                    article_id=OuterRef("article_id"),
                    entity_id__lt=OuterRef("entity_id"),
                )
            )
        )
    return mentions.order_by("-article_published_at", "-article_id")


def product_family_ids(entity: Entity) -> list[int]:
    """Return the ids of a product and of its accepted versions, theirs and so on; of any
    other entity, its own id alone."""
    ids = [entity.pk]
    if entity.kind != Entity.Kind.PRODUCT:
        return ids
    # A page reads the timeline several times (list, chart, names): the family is read once.
    known = getattr(entity, "_family_ids", None)
    if known is not None:
        return known
    versions = ids
    for _ in range(MAX_FAMILY_DEPTH):
        versions = list(
            Entity.objects.filter(variant_of_id__in=versions, provisional=False)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        if not versions:
            break
        ids += versions
    entity._family_ids = ids
    return ids


def pair_timeline(company_a: Entity, company_b: Entity):
    """Return company_a's mentions in the published stories that name company_b too."""
    return timeline(company_a, subjects_only=False).filter(
        Exists(Mention.objects.published().filter(entity=company_b, **SAME_STORY))
    )


def story_ids(mentions):
    return mentions.values_list("article_id", flat=True)


def with_chips(stories: list[Article], *, pinned=()) -> list[Article]:
    """Give each story its most salient visible entities (at most STORY_CHIPS) as chips, and
    the number of the others as `more_chips`.

    The `pinned` entities a story names come first: a pair page shows its two companies on
    every story it lists.
    """
    named = defaultdict(list)
    # Two plain queries: joined to the entities, PostgreSQL walks that whole table, and a
    # per-story limit (a window) costs more to build than the few rows it saves.
    rows = Mention.objects.visible().by_salience_in([story.pk for story in stories])
    for article_id, entity_id in rows.values_list("article_id", "entity_id"):
        named[article_id].append(entity_id)
    chosen = {}
    for story in stories:
        entity_ids = named[story.pk]
        first = [entity_id for entity_id in pinned if entity_id in entity_ids]
        rest = [entity_id for entity_id in entity_ids if entity_id not in first]
        chosen[story.pk] = first + rest[: STORY_CHIPS - len(first)]
        story.more_chips = len(entity_ids) - len(chosen[story.pk])
    entities = Entity.objects.only(*ENTITY_LINK).in_bulk(
        {entity_id for entity_ids in chosen.values() for entity_id in entity_ids}
    )
    for story in stories:
        story.chips = [entities[entity_id] for entity_id in chosen[story.pk]]
    return stories


def stories_per_month(entity: Entity, *, subjects_only: bool = True) -> list[dict]:
    """Return the entity's number of public stories per month, from the month of its first
    one to this month (none when it has no public story)."""
    counts = {
        row["month"].date(): row["stories"]
        for row in timeline(entity, subjects_only=subjects_only)
        .annotate(month=TruncMonth("article_published_at"))
        .order_by()
        .values("month")
        .annotate(stories=Count("*"))
    }
    if not counts:
        return []
    months, month, this_month = [], min(counts), timezone.localdate().replace(day=1)
    while month <= this_month:
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


def story_relationships(article: Article, among=None):
    """Return the public relationships (or those `among` these) this story gives evidence
    of, with its sentences (`sentences`)."""
    evidence = RelationshipEvidence.objects.filter(article=article).order_by("in_title", "start")
    return (
        (Relationship.objects.public() if among is None else among)
        .filter(pk__in=evidence.values("relationship_id"))
        .select_related("company_a", "company_b")
        .prefetch_related("topics", Prefetch("evidence", queryset=evidence, to_attr="sentences"))
    )


def desk_mentions(article: Article) -> list[Mention]:
    """Return every mention of the story, the most salient first, with its entity and
    `first_sentence`: the sentence that names it first, cut between words, the name marked."""
    mentions = list(article.mentions.select_related("entity").order_by("-salience", "pk"))
    sentences = split_sentences(article.body, article.language)
    sentence_starts = [start for start, _ in sentences]
    for mention in mentions:
        mention.first_sentence = ""
        if not mention.offsets:
            continue  # added by an editor: the tagger never found it in the text
        start, end = min(map(tuple, mention.offsets))
        index = bisect_right(sentence_starts, start) - 1
        if index < 0 or end > len(article.body):
            continue
        sentence_start, sentence_end = sentences[index]
        sentence = article.body[sentence_start : max(sentence_end, end)]
        mention.first_sentence = excerpt_with_name(
            sentence, start - sentence_start, end - sentence_start
        )
    return mentions


# --- The company directory ----------------------------------------------------------------

# On PostgreSQL names sort by ICU's root collation, where letters weigh more than accents and
# accents more than case: "Acer" before "AMD", "Ébène" among the E. Migration entities 0003
# indexes the companies' names in that order.
NAME_COLLATION = "und-x-icu"
# The newest stories read to rank the most recently active companies: on the benchmark data
# they name some 400 companies, the directory's first pages. A page further on, or a short
# list (a letter, a sector), is ranked from each company's timeline index instead.
ACTIVITY_WINDOW = 100
# Sectors are stored as slugs; most read well with a capital and spaces.
SECTOR_NAMES = {"ai": "AI", "e-commerce": "E-commerce"}


def sector_name(sector: str) -> str:
    """Return how a sector slug reads: "consumer-electronics" is "Consumer electronics"."""
    return SECTOR_NAMES.get(sector) or sector.replace("-", " ").capitalize()


def company_sectors() -> list[str]:
    """Return the sectors companies are in, in alphabetical order."""
    companies = Entity.objects.filter(kind=Entity.Kind.COMPANY).exclude(sector="")
    return list(companies.order_by("sector").values_list("sector", flat=True).distinct())


def name_order(field: str = "name"):
    """Return what sorts names alphabetically, whatever their case and accents.

    SQLite (the quick start) has no such collation: there the directory sorts names in
    Python (`name_key`), and this only ignores case, to break ties.
    """
    if connection.vendor == "postgresql":
        return Collate(field, NAME_COLLATION)
    return Lower(field)


def name_key(name: str) -> str:
    """Return a name folded for sorting: case and accents left out."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def with_public_stories(companies):
    """Return the companies named in at least one story readers can see now."""
    return companies.filter(Exists(Mention.objects.published().filter(entity=OuterRef("pk"))))


class CompanyDirectory:
    """The ids of the directory's companies in the order asked for, ranked a page at a time.

    A paginator slices it like a list (`directory[30:61]`); nothing counts the companies.
    Only companies with a public story are listed unless `everyone` is set; the order is by
    their latest public story, newest first, or `order="name"`, alphabetical.
    """

    def __init__(self, companies, *, order: str = "activity", everyone: bool = False):
        self.companies = companies
        self.order = order
        self.everyone = everyone

    def __getitem__(self, page: slice) -> list[int]:
        start, stop = page.start or 0, page.stop
        if self.order == "name":
            return self.by_name(start, stop)
        return self.by_activity(start, stop)

    def by_name(self, start: int, stop: int) -> list[int]:
        companies = self.companies if self.everyone else with_public_stories(self.companies)
        if connection.vendor != "postgresql":
            names = sorted(
                companies.values_list("name", "pk"), key=lambda row: (name_key(row[0]), row[1])
            )
            return [pk for _, pk in names[start:stop]]
        # The name index gives the order; each company's timeline index is probed only until
        # the page is full.
        ordered = companies.order_by(name_order(), "pk")
        return list(ordered.values_list("pk", flat=True)[start:stop])

    def by_activity(self, start: int, stop: int) -> list[int]:
        """Rank by the latest public story, newest first, then by name."""
        newest = Article.objects.published().order_by("-published_at")
        # Read first rather than as a subquery: given the date, the planner knows how few
        # stories the window holds, and reads their mentions story by story.
        oldest = list(newest.values_list("published_at", flat=True)[ACTIVITY_WINDOW - 1 :][:1])
        window = newest.filter(published_at__gte=oldest[0]) if oldest else newest
        # Any company the newest stories name was written about after every other one: their
        # ranking is the start of the whole ranking.
        ranked = list(
            Mention.objects.published()
            .filter(article__in=window.order_by(), entity__in=self.companies)
            .values("entity_id")
            .annotate(latest=Max("article_published_at"))
            .order_by("-latest", name_order("entity__name"), "entity_id")
            .values_list("entity_id", flat=True)[start:stop]
        )
        if len(ranked) == stop - start or not (oldest or self.everyone):
            return ranked
        return self.by_timelines(start, stop)

    def by_timelines(self, start: int, stop: int) -> list[int]:
        """Rank every company asked for by the latest public story its timeline index gives,
        those without one last."""
        latest = (
            Mention.objects.published()
            .filter(entity=OuterRef("pk"))
            .order_by("-article_published_at")
            .values("article_published_at")[:1]
        )
        ranked = (
            self.companies.annotate(latest=Subquery(latest))
            .order_by(F("latest").desc(nulls_last=True), name_order(), "pk")
            .values_list("pk", "latest")[start:stop]
        )
        return [pk for pk, latest in ranked if latest is not None or self.everyone]


def company_cards(ids: list[int]) -> list[Entity]:
    """Return these companies in this order, each with its latest public story
    (`latest_story`, None without one) and the number of companies it has a public
    relationship with (`partners`)."""
    latest = (
        Mention.objects.published()
        .filter(entity=OuterRef("pk"))
        .order_by("-article_published_at", "-article_id")
        .values("article_id")[:1]
    )
    companies = (
        Entity.objects.only("kind", "name", "slug", "sector", "description")
        .annotate(
            latest_story_id=Subquery(latest),
            # A pair's two companies are in one order only: a company's partners are on
            # one side or the other, never both.
            partners=partners_as("company_a", "company_b") + partners_as("company_b", "company_a"),
        )
        .in_bulk(ids)
    )
    stories = (
        Article.objects.published()
        .only("title", "slug", "language", "published_at")
        .in_bulk([company.latest_story_id for company in companies.values()])
    )
    for company in companies.values():
        company.latest_story = stories.get(company.latest_story_id)
        company.sector_name = sector_name(company.sector) if company.sector else ""
    return [companies[pk] for pk in ids if pk in companies]


def partners_as(side: str, other: str):
    """Return how many companies the outer company has a public relationship with, as this
    side of the pair (read from the public relationships' index on that side)."""
    partners = (
        Relationship.objects.public()
        .filter(**{side: OuterRef("pk")})
        .order_by()
        .values(side)
        .annotate(count=Count(other, distinct=True))
        .values("count")
    )
    return Coalesce(Subquery(partners), 0)


# --- Partnerships -------------------------------------------------------------------------

KIND_ORDER = {kind: position for position, kind in enumerate(Relationship.Kind.values)}
COMPANIES = ("company_a", "company_b")
# What a quoted sentence's link to its story needs.
STORY_LINK_FIELDS = (
    "article__title",
    "article__slug",
    "article__language",
    "article__published_at",
)


@dataclass
class Pair:
    """Two companies and their public relationships: an entry of the partnership list."""

    company_a: Entity
    company_b: Entity
    relationships: list[Relationship]
    topics: list[Topic]
    last_seen: datetime
    evidence: RelationshipEvidence | None

    def get_absolute_url(self):
        return reverse("public:pair", args=[self.company_a.slug, self.company_b.slug])


class PairDirectory:
    """The pairs of companies these relationships link, the one with the newest public story
    first, as (company_a id, company_b id); sliced a page at a time like a list."""

    def __init__(self, relationships):
        self.relationships = relationships

    def __getitem__(self, page: slice) -> list[tuple[int, int]]:
        start, stop = page.start or 0, page.stop
        # A pair has a relationship of each kind at most: the newest pairs are among the
        # relationships that many times as newest (read from the newest-first index).
        newest = self.relationships.newest_first().values_list("company_a_id", "company_b_id")
        pairs = dict.fromkeys(newest[: stop * len(Relationship.Kind)])
        return list(pairs)[start:stop]


def pair_cards(pairs: list[tuple[int, int]]) -> list[Pair]:
    """Return these pairs in this order, each with its public relationships (partnerships
    first), their topics and the newest sentence of a public story that shows one of them
    (from its body rather than its title, which the link to the story shows)."""
    if not pairs:
        return []
    newest_evidence = (
        RelationshipEvidence.objects.filter(
            relationship=OuterRef("pk"), article__in=Article.objects.published()
        )
        .order_by("-article__published_at", "-article_id", "in_title", "start")
        .values("pk")[:1]
    )
    by_pair = {pair: [] for pair in pairs}
    # Read among those of the pairs' first and second companies crossed (a condition per
    # pair takes longer to build than these rows to read).
    crossed = Relationship.objects.public().filter(
        company_a__in={a for a, _ in pairs}, company_b__in={b for _, b in pairs}
    )
    relationships = (
        Relationship.objects.filter(
            pk__in=[
                pk
                for pk, *pair in crossed.values_list("pk", "company_a_id", "company_b_id")
                if tuple(pair) in by_pair
            ]
        )
        .select_related("company_a", "company_b")
        .only("kind", "status", "last_seen", *(f"{c}__{f}" for c in COMPANIES for f in ENTITY_LINK))
        # As lists: a related manager per relationship costs more than its few topics.
        .prefetch_related(Prefetch("topics", to_attr="topic_list"))
        .annotate(evidence_id=Subquery(newest_evidence))
    )
    for relationship in relationships:
        by_pair[relationship.company_a_id, relationship.company_b_id].append(relationship)
    evidence = (
        RelationshipEvidence.objects.select_related("article")
        .only("sentence", "in_title", "start", *STORY_LINK_FIELDS)
        .in_bulk([r.evidence_id for found in by_pair.values() for r in found if r.evidence_id])
    )
    cards = []
    for pair in pairs:
        found = sorted(by_pair[pair], key=lambda relationship: KIND_ORDER[relationship.kind])
        if not found:
            continue
        sentences = [evidence[r.evidence_id] for r in found if r.evidence_id in evidence]
        topics = {topic.pk: topic for r in found for topic in r.topic_list}
        cards.append(
            Pair(
                company_a=found[0].company_a,
                company_b=found[0].company_b,
                relationships=found,
                topics=sorted(topics.values(), key=lambda topic: topic.slug),
                last_seen=max(r.last_seen for r in found),
                evidence=max(
                    sentences,
                    key=lambda e: (e.article.published_at, e.article_id, not e.in_title, -e.start),
                    default=None,
                ),
            )
        )
    return cards


@dataclass
class Quote:
    """A sentence of a story, with the kinds of relationship it shows."""

    sentence: str
    kinds: list[str] = field(default_factory=list)


@dataclass
class StoryEvidence:
    """A story and what it says about a pair of companies, each sentence once."""

    story: Article
    quotes: dict[tuple[bool, int], Quote] = field(default_factory=dict)


def pair_evidence(relationships: list[Relationship]) -> list[StoryEvidence]:
    """Return the newest public stories that show these relationships, each with its
    sentences once (in reading order, the title's last) and the kinds each one shows."""
    labels = {r.pk: (KIND_ORDER[r.kind], r.get_kind_display()) for r in relationships}
    rows = list(
        RelationshipEvidence.objects.filter(
            relationship__in=labels, article__in=Article.objects.published()
        )
        .select_related("article")
        .only("relationship_id", "sentence", "in_title", "start", *STORY_LINK_FIELDS)
        .order_by("-article__published_at", "-article_id", "in_title", "start")[
            : PAIR_EVIDENCE_ROWS + 1
        ]
    )
    if len(rows) > PAIR_EVIDENCE_ROWS and rows[0].article_id != rows[-1].article_id:
        # The last story may have more sentences than were read: it is left out.
        rows = [row for row in rows if row.article_id != rows[-1].article_id]
    stories: dict[int, StoryEvidence] = {}
    for row in rows:
        story = stories.setdefault(row.article_id, StoryEvidence(row.article))
        quote = story.quotes.setdefault((row.in_title, row.start), Quote(row.sentence))
        quote.kinds.append(labels[row.relationship_id])
    for story in stories.values():
        for quote in story.quotes.values():
            quote.kinds = [label for _, label in sorted(set(quote.kinds))]
    return list(stories.values())[:PAIR_EVIDENCE_STORIES]
