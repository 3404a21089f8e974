"""Writes on the knowledge base and on an article's tags."""

from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.text import slugify

from articles.feed_cache import feeds_changed
from articles.models import Article
from articles.services import article_request_tagging

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
        article = Article.objects.select_for_update().filter(pk=article_id).first()
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
        _save_mentions(article, result.entities)
        _save_relationships(article, result.relationships)
        _mark_tagged(article)
        transaction.on_commit(feeds_changed)
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
    with transaction.atomic():
        entity = Entity.objects.create(
            kind=kind or candidate.likely_kind or Entity.Kind.COMPANY,
            name=candidate.text,
            slug=_unique_slug(candidate.text, kind or candidate.likely_kind or "company"),
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
        .values_list("pk", "first", "last")
    )
    for pk, first, last in rows:
        Relationship.objects.filter(pk=pk).update(first_seen=first, last_seen=last)


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


def _mark_tagged(article: Article) -> None:
    Article.objects.filter(pk=article.pk).update(
        tagging_status=Article.TaggingStatus.DONE,
        tagging_error="",
        tagged_at=timezone.now(),
        tagged_fingerprint=article.fingerprint,
    )


def _save_mentions(article: Article, matches: list[EntityMatch]) -> None:
    existing = {mention.entity_id: mention for mention in article.mentions.all()}
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
    ).delete()


def _save_relationships(article: Article, matches: list[RelationshipMatch]) -> None:
    touched = set(
        RelationshipEvidence.objects.filter(article=article).values_list(
            "relationship_id", flat=True
        )
    )
    RelationshipEvidence.objects.filter(article=article).delete()
    topics = {}
    for match in matches:
        relationship, _ = Relationship.objects.get_or_create(
            company_a_id=match.company_ids[0], company_b_id=match.company_ids[1], kind=match.kind
        )
        touched.add(relationship.pk)
        RelationshipEvidence.objects.bulk_create(
            RelationshipEvidence(
                relationship=relationship,
                article=article,
                sentence=evidence.text,
                start=evidence.start,
                end=evidence.end,
                in_title=evidence.in_title,
                cues=evidence.cues,
                confidence=round(evidence.confidence, 3),
            )
            for evidence in match.evidence
        )
        if not relationship.topics_edited and match.topics:
            for slug in match.topics:
                if slug not in topics:
                    topics[slug], _ = Topic.objects.get_or_create(
                        slug=slug, defaults={"name": slug.upper() if len(slug) <= 3 else slug}
                    )
            relationship.topics.add(*(topics[slug] for slug in match.topics))
    Relationship.objects.filter(
        pk__in=touched, status=Relationship.Status.DETECTED, evidence__isnull=True
    ).delete()
    relationships_refresh_seen(touched)


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


def _unique_slug(name: str, kind: str) -> str:
    base = slugify(name)[:180] or "entity"
    slug, suffix = base, 2
    while Entity.objects.filter(kind=kind, slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug
