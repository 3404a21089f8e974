"""Writes on the knowledge base and on an article's tags."""

from datetime import datetime
from typing import NamedTuple

from django.db import DatabaseError, IntegrityError, InterfaceError, transaction
from django.db.models import Exists, Max, Min, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from articles.models import Article
from articles.public_cache import public_content_changed
from articles.services import article_request_tagging
from newsdesk.slugs import unique_slug

from .knowledge_base import get_dictionary, kb_changed
from .models import (
    Alias,
    Candidate,
    CandidateSighting,
    Entity,
    Mention,
    Relationship,
    RelationshipEvidence,
    Topic,
    candidate_key,
)
from .tagging import SUBJECT_THRESHOLD, EntityMatch, RelationshipMatch, tag
from .tagging.discovery import discover_candidates

SNIPPET_MARGIN = 120


def article_tag(*, article_id: int) -> bool:
    """Tag one article's entities and relationships; return False when there was nothing to do.

    Safe to run twice or concurrently: the article row is locked, and an article whose text
    was already tagged is left alone.
    """
    Article.objects.filter(pk=article_id).exclude(tagging_status=Article.TaggingStatus.DONE).update(
        tagging_status=Article.TaggingStatus.RUNNING
    )
    with transaction.atomic():
        article = _lock_article(article_id)
        if article is None:
            return False
        if article.tagged_fingerprint == article.fingerprint:
            _mark_tagged(article)
            return False
        result = tag(
            article.body,
            dictionary=get_dictionary(),
            title=article.title,
            language=article.language,
        )
        named = _save_mentions(article, result.entities)
        _save_relationships(article, result.relationships)
        _mark_tagged(article)
        entity_pages_changed(named)
    return True


def article_tagging_failed(*, article_id: int, error: str) -> None:
    Article.objects.filter(pk=article_id).update(
        tagging_status=Article.TaggingStatus.FAILED, tagging_error=error[:2000]
    )


def article_discover(*, article_id: int) -> int:
    """Record the names in an article that the knowledge base does not know; return how many."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return 0
    known_spans = [
        (start, end)
        for offsets in article.mentions.values_list("offsets", flat=True)
        for start, end in offsets
    ]
    found = discover_candidates(
        text=article.body, language=article.language, known_spans=known_spans
    )
    recorded = 0
    with transaction.atomic():
        CandidateSighting.objects.filter(article=article).delete()
        for name in found:
            candidate, _ = Candidate.objects.get_or_create(
                key=candidate_key(name.text),
                defaults={"text": name.text, "likely_kind": name.likely_kind or ""},
            )
            if candidate.status != Candidate.Status.PENDING:
                continue
            CandidateSighting.objects.create(
                candidate=candidate, article=article, count=name.count, examples=name.examples
            )
            recorded += 1
    return recorded


def candidate_accept(*, candidate: Candidate, kind: str | None = None) -> Entity:
    """Turn a candidate into an entity with one alias, and re-tag the articles that name it."""
    kind = kind or candidate.likely_kind or Entity.Kind.COMPANY
    with transaction.atomic():
        entity = Entity.objects.create(
            kind=kind,
            name=candidate.text,
            slug=unique_slug(
                candidate.text, fallback="entity", siblings=Entity.objects.filter(kind=kind)
            ),
        )
        Alias.objects.create(entity=entity, text=candidate.text)
        candidate.status = Candidate.Status.ACCEPTED
        candidate.entity = entity
        candidate.save(update_fields=["status", "entity"])
        for article in Article.objects.filter(pk__in=candidate.sightings.values("article_id")).only(
            "pk"
        ):
            article_request_tagging(article=article)
        kb_changed()
    return entity


def candidate_reject(*, candidate: Candidate) -> None:
    """Reject a candidate: it is never suggested again."""
    with transaction.atomic():
        candidate.status = Candidate.Status.REJECTED
        candidate.save(update_fields=["status"])
        candidate.sightings.all().delete()


def entity_merge(*, source: Entity, target: Entity) -> Entity:
    """Fold `source` into `target`: aliases, mentions, relationships and links all move."""
    if source.pk == target.pk or source.kind != target.kind:
        raise ValueError("Only two different entities of the same kind can be merged.")
    with transaction.atomic():
        target_aliases = set(target.aliases.values_list("text", "language"))
        for alias in source.aliases.all():
            if (alias.text, alias.language) not in target_aliases:
                alias.entity = target
                alias.save(update_fields=["entity"])
        if (source.name, "") not in target_aliases:
            Alias.objects.get_or_create(entity=target, text=source.name, language="")
        _merge_mentions(source, target)
        _merge_relationships(source, target)
        Entity.objects.filter(maker=source).update(maker=target)
        Entity.objects.filter(affiliation=source).update(affiliation=target)
        Entity.objects.filter(parent=source).exclude(pk=target.pk).update(parent=target)
        Candidate.objects.filter(entity=source).update(entity=target)
        source.delete()
        kb_changed()
    return target


def relationships_refresh_seen(relationship_ids) -> None:
    """Recompute first and last seen dates from the published articles that show each one.

    Embargoed stories do not count until their time comes (the periodic sweep refreshes the
    relationships of stories whose embargo has just lifted), so no date gives one away.
    """
    published = Q(
        evidence__article__status=Article.Status.PUBLISHED,
        evidence__article__published_at__lte=timezone.now(),
    )
    rows = (
        Relationship.objects.filter(pk__in=relationship_ids)
        .annotate(
            first=Min("evidence__article__published_at", filter=published),
            last=Max("evidence__article__published_at", filter=published),
        )
        .values_list("pk", "first", "last", "company_a_id", "company_b_id")
    )
    companies = set()
    for pk, first, last, *pair in rows:
        Relationship.objects.filter(pk=pk).update(first_seen=first, last_seen=last)
        companies.update(pair)
    if companies:
        entity_pages_changed(companies)


def entity_pages_changed(entity_ids) -> None:
    """Once the transaction commits, make the cached pages about these entities stale.

    The site's own pages (latest stories, search, lists) go stale with them.
    """
    entity_ids = set(entity_ids)

    def expire():
        try:
            slugs = list(Entity.objects.filter(pk__in=entity_ids).values_list("slug", flat=True))
        except (DatabaseError, InterfaceError):
            # The change is committed and must not fail now (a task would be retried for
            # nothing): with the database gone, every page goes stale instead.
            public_content_changed()
            return
        public_content_changed(about=slugs)

    transaction.on_commit(expire)


def relationships_refresh_lifted_embargoes(*, since) -> int:
    """Refresh the seen dates of relationships shown by stories published since `since`."""
    relationship_ids = set(
        RelationshipEvidence.objects.filter(
            article__status=Article.Status.PUBLISHED,
            article__published_at__gt=since,
            article__published_at__lte=timezone.now(),
        ).values_list("relationship_id", flat=True)
    )
    relationships_refresh_seen(relationship_ids)
    return len(relationship_ids)


def _lock_article(article_id: int) -> Article | None:
    """Lock the article and say whether it has mentions and relationship evidence already.

    An article tagged for the first time has neither: knowing it spares two queries.
    """
    try:
        return (
            Article.objects.select_for_update(of=("self",))
            .annotate(
                has_mentions=Exists(Mention.objects.filter(article=OuterRef("pk"))),
                has_evidence=Exists(RelationshipEvidence.objects.filter(article=OuterRef("pk"))),
            )
            .get(pk=article_id)
        )
    except Article.DoesNotExist:
        return None


def _mark_tagged(article: Article) -> None:
    Article.objects.filter(pk=article.pk).update(
        tagging_status=Article.TaggingStatus.DONE,
        tagging_error="",
        tagged_at=timezone.now(),
        tagged_fingerprint=article.fingerprint,
    )


def _save_mentions(article: Article, matches: list[EntityMatch]) -> set[int]:
    """Save the matches as the article's mentions; return the entities named before or now."""
    existing = (
        {mention.entity_id: mention for mention in article.mentions.all()}
        if article.has_mentions
        else {}
    )
    named = {*existing, *(match.entity_id for match in matches)}
    to_create, to_update = [], []
    for match in matches:
        mention = existing.pop(match.entity_id, None)
        if mention is not None and (
            mention.origin == Mention.Origin.EDITOR or mention.status == Mention.Status.REJECTED
        ):
            continue
        if mention is None:
            mention = Mention(article=article, entity_id=match.entity_id)
            to_create.append(mention)
        else:
            to_update.append(mention)
        mention.count = len(match.mentions)
        mention.offsets = [[span.start, span.end] for span in match.mentions]
        mention.snippet = _snippet(article.body, match)
        mention.confidence = round(match.confidence, 3)
        mention.salience = round(match.salience, 3)
        mention.is_subject = mention.salience >= SUBJECT_THRESHOLD
        mention.article_published_at = article.public_since
    Mention.objects.bulk_create(to_create)
    Mention.objects.bulk_update(
        to_update,
        [
            "count",
            "offsets",
            "snippet",
            "confidence",
            "salience",
            "is_subject",
            "article_published_at",
        ],
    )
    # Suggestions the tagger no longer makes go; editors' decisions stay.
    Mention.objects.filter(
        pk__in=[
            mention.pk
            for mention in existing.values()
            if mention.origin == Mention.Origin.AUTO and mention.status == Mention.Status.SUGGESTED
        ]
    ).delete_dropped_suggestions()
    return named


def _save_relationships(article: Article, matches: list[RelationshipMatch]) -> None:
    """Replace the article's relationship evidence, creating the relationships it names.

    A relationship the article shows takes the article's date into its seen dates (the other
    evidence is unchanged, so its dates need no fresh look); only a relationship that lost
    the article's evidence is dated again from all its evidence, or deleted when it has none
    left and no editor has confirmed or rejected it.
    """
    previous = _delete_evidence(article)
    relationships = _relationships_seen(matches, seen_at=_visible_since(article))
    RelationshipEvidence.objects.bulk_create(
        RelationshipEvidence(
            relationship_id=relationships[_relationship_key(match)].pk,
            article=article,
            sentence=evidence.text,
            start=evidence.start,
            end=evidence.end,
            in_title=evidence.in_title,
            cues=evidence.cues,
            confidence=round(evidence.confidence, 3),
        )
        for match in matches
        for evidence in match.evidence
    )
    _add_topics(matches, relationships)
    lost = previous - {relationship.pk for relationship in relationships.values()}
    if lost:
        Relationship.objects.filter(
            pk__in=lost, status=Relationship.Status.DETECTED, evidence__isnull=True
        ).delete()
        relationships_refresh_seen(lost)


def _delete_evidence(article: Article) -> set[int]:
    """Delete the article's relationship evidence; return the relationships it showed."""
    if not article.has_evidence:
        return set()
    evidence = RelationshipEvidence.objects.filter(article=article).order_by()
    previous = set(evidence.values_list("relationship_id", flat=True))
    evidence.delete()
    return previous


RelationshipKey = tuple[int, int, str]


class RelationshipRow(NamedTuple):
    pk: int
    topics_edited: bool


def _relationship_key(match: RelationshipMatch) -> RelationshipKey:
    return (*match.company_ids, str(match.kind))


def _relationships_seen(
    matches: list[RelationshipMatch], *, seen_at: datetime | None
) -> dict[RelationshipKey, RelationshipRow]:
    """Return the relationship each match shows, creating the missing ones, seen at `seen_at`.

    `seen_at` is the article's publication time, or None while readers cannot see it.
    """
    keys = {_relationship_key(match) for match in matches}
    relationships = _relationships_by_key(keys)
    _relationships_widen_seen({relationship.pk for relationship in relationships.values()}, seen_at)
    missing = keys - relationships.keys()
    if missing:
        relationships |= _relationships_create(missing, seen_at=seen_at)
    return relationships


def _relationships_by_key(keys: set[RelationshipKey]) -> dict[RelationshipKey, RelationshipRow]:
    if not keys:
        return {}
    company_a_ids, company_b_ids, kinds = (set(column) for column in zip(*keys, strict=True))
    # Three IN lists compile much faster than one OR per key; the few extra rows they may
    # match (crossed pairs) are dropped below.
    rows = Relationship.objects.filter(
        company_a_id__in=company_a_ids, company_b_id__in=company_b_ids, kind__in=kinds
    ).values_list("company_a_id", "company_b_id", "kind", "pk", "topics_edited")
    return {
        (company_a_id, company_b_id, kind): RelationshipRow(pk, topics_edited)
        for company_a_id, company_b_id, kind, pk, topics_edited in rows
        if (company_a_id, company_b_id, kind) in keys
    }


def _relationships_create(
    keys: set[RelationshipKey], *, seen_at: datetime | None
) -> dict[RelationshipKey, RelationshipRow]:
    """Create the relationships with these keys, first and last seen at `seen_at`."""
    relationships = [
        Relationship(
            company_a_id=company_a_id,
            company_b_id=company_b_id,
            kind=kind,
            first_seen=seen_at,
            last_seen=seen_at,
        )
        for company_a_id, company_b_id, kind in sorted(keys)
    ]
    try:
        with transaction.atomic():
            Relationship.objects.bulk_create(relationships)
    except IntegrityError:
        # A concurrent tagging created some of them first: share its rows, with this date too.
        Relationship.objects.bulk_create(relationships, ignore_conflicts=True)
        shared = _relationships_by_key(keys)
        _relationships_widen_seen({relationship.pk for relationship in shared.values()}, seen_at)
        return shared
    return {
        (relationship.company_a_id, relationship.company_b_id, relationship.kind): RelationshipRow(
            relationship.pk, relationship.topics_edited
        )
        for relationship in relationships
    }


def _add_topics(
    matches: list[RelationshipMatch], relationships: dict[RelationshipKey, RelationshipRow]
) -> None:
    """Add the topics each match names to its relationship, unless an editor set them."""
    wanted = set()
    for match in matches:
        relationship = relationships[_relationship_key(match)]
        if not relationship.topics_edited:
            wanted.update((relationship.pk, slug) for slug in match.topics)
    if not wanted:
        return
    topic_ids = _topic_ids({slug for _, slug in wanted})
    RelationshipTopic = Relationship.topics.through
    RelationshipTopic.objects.bulk_create(
        [
            RelationshipTopic(relationship_id=relationship_id, topic_id=topic_ids[slug])
            for relationship_id, slug in sorted(wanted)
        ],
        ignore_conflicts=True,
    )


def _topic_ids(slugs: set[str]) -> dict[str, int]:
    """Return the id of each topic slug, creating the missing topics."""
    topic_ids = dict(Topic.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    missing = slugs - topic_ids.keys()
    if missing:
        Topic.objects.bulk_create(
            [
                Topic(slug=slug, name=slug.upper() if len(slug) <= 3 else slug)
                for slug in sorted(missing)
            ],
            ignore_conflicts=True,
        )
        topic_ids |= dict(Topic.objects.filter(slug__in=missing).values_list("slug", "pk"))
    return topic_ids


def _relationships_widen_seen(relationship_ids: set[int], seen_at: datetime | None) -> None:
    """Stretch the relationships' seen dates to take in `seen_at`, unless it is None."""
    if not relationship_ids or seen_at is None:
        return
    seen = Value(seen_at)
    # Rows whose dates already take it in are left alone, unlocked for concurrent taggings.
    outside = (
        Q(first_seen__isnull=True)
        | Q(last_seen__isnull=True)
        | Q(first_seen__gt=seen_at)
        | Q(last_seen__lt=seen_at)
    )
    # Least and Greatest return NULL on SQLite when a date is missing: Coalesce covers both.
    Relationship.objects.filter(outside, pk__in=relationship_ids).update(
        first_seen=Coalesce(Least("first_seen", seen), seen),
        last_seen=Coalesce(Greatest("last_seen", seen), seen),
    )


def _visible_since(article: Article) -> datetime | None:
    """Return the article's publication time if Article.objects.published() shows it now.

    Embargoed stories count when the sweep refreshes their relationships after the embargo
    lifts (relationships_refresh_lifted_embargoes), as in relationships_refresh_seen.
    """
    if article.public_since is not None and article.public_since <= timezone.now():
        return article.public_since
    return None


def _merge_mentions(source: Entity, target: Entity) -> None:
    target_mentions = {m.article_id: m for m in Mention.objects.filter(entity=target)}
    for mention in Mention.objects.filter(entity=source):
        kept = target_mentions.get(mention.article_id)
        if kept is None:
            mention.entity = target
            mention.save()
            continue
        kept.offsets = sorted({tuple(o) for o in kept.offsets + mention.offsets})
        kept.offsets = [list(offset) for offset in kept.offsets]
        kept.count = len(kept.offsets)
        kept.salience = max(kept.salience, mention.salience)
        kept.confidence = max(kept.confidence, mention.confidence)
        if kept.status == Mention.Status.SUGGESTED:
            kept.status = mention.status
        kept.save()
        mention.delete()


STATUS_STRENGTH = {
    Relationship.Status.REJECTED: 0,
    Relationship.Status.DETECTED: 1,
    Relationship.Status.CONFIRMED: 2,
}


def _merge_relationships(source: Entity, target: Entity) -> None:
    for relationship in Relationship.objects.filter(Q(company_a=source) | Q(company_b=source)):
        other = (
            relationship.company_b
            if relationship.company_a_id == source.pk
            else (relationship.company_a)
        )
        if other.pk == target.pk:
            # A relationship between two names of one company means nothing.
            relationship.delete()
            continue
        first, second = sorted([target, other], key=lambda company: company.slug)
        kept, _ = Relationship.objects.get_or_create(
            company_a=first,
            company_b=second,
            kind=relationship.kind,
            defaults={"status": relationship.status, "topics_edited": relationship.topics_edited},
        )
        kept.topics.add(*relationship.topics.all())
        if STATUS_STRENGTH[relationship.status] > STATUS_STRENGTH[kept.status]:
            kept.status = relationship.status
            kept.save(update_fields=["status"])
        existing = set(kept.evidence.values_list("article_id", "in_title", "start"))
        for evidence in relationship.evidence.all():
            if (evidence.article_id, evidence.in_title, evidence.start) not in existing:
                evidence.relationship = kept
                evidence.save(update_fields=["relationship"])
        relationship.delete()
        relationships_refresh_seen([kept.pk])


def _snippet(body: str, match: EntityMatch) -> str:
    if not match.mentions:
        return ""
    first = match.mentions[0]
    start = max(0, first.start - SNIPPET_MARGIN)
    end = min(len(body), first.end + SNIPPET_MARGIN)
    return " ".join(body[start:end].split())[:400]
