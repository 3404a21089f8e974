"""Tagging a story: the engine's matches saved as its mentions and relationship evidence."""

from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from entities.knowledge_base import get_dictionary, kb_changed
from entities.models import Alias, Candidate, Entity, Relationship, Topic, candidate_key
from entities.slugs import save_with_unique_slug
from entities.tagging import EntityMatch, NewEntity, RelationshipMatch, tag
from entities.tagging.discovery import discover_candidates

from .cache import site_changed
from .models import Article, CandidateSighting, Mention, RelationshipEvidence

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
        # In one order everywhere, so that two workers never wait on each other's locks.
        new_entities = sorted(result.new_entities, key=lambda new: (new.kind.value, new.name))
        suggested = [_provisional_match(new) for new in new_entities]
        _save_mentions(article, [*result.entities, *suggested])
        redated = _save_relationships(article, result.relationships)
        _mark_tagged(article)
        if article.is_public:
            entities_accept_by_policy(articles=Article.objects.filter(pk=article.pk))
        if article.is_public or redated:
            site_changed()
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
        text=article.body,
        language=article.language,
        known_spans=known_spans,
        is_known=get_dictionary().knows,
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


def relationships_refresh_seen(relationship_ids) -> int:
    """Date relationships from the stories readers can see that give evidence of them.

    An embargoed story counts once its time has come (the sweep looks again then), so no
    date gives it away. Return how many relationships changed dates; readers see those.
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
        .values_list("pk", "first", "last", "first_seen", "last_seen")
    )
    changed = [
        Relationship(pk=pk, first_seen=first, last_seen=last)
        for pk, first, last, first_seen, last_seen in rows
        if (first, last) != (first_seen, last_seen)
    ]
    Relationship.objects.bulk_update(changed, ["first_seen", "last_seen"])
    if changed:
        site_changed()
    return len(changed)


def relationships_refresh_lifted_embargoes(*, since) -> int:
    """Date the relationships shown by stories published since `since`; return how many
    changed."""
    relationship_ids = set(
        RelationshipEvidence.objects.filter(
            article__status=Article.Status.PUBLISHED,
            article__published_at__gt=since,
            article__published_at__lte=timezone.now(),
        ).values_list("relationship_id", flat=True)
    )
    return relationships_refresh_seen(relationship_ids)


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


def _save_mentions(article: Article, matches: list[EntityMatch]) -> None:
    """Save the matches as the article's mentions, leaving editors' decisions as they are."""
    existing = (
        {mention.entity_id: mention for mention in article.mentions.all()}
        if article.has_mentions
        else {}
    )
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
        mention.is_subject = mention.counts_as_subject()
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


def _provisional_match(new: NewEntity) -> EntityMatch:
    """Return the tagger's suggestion of a new entity as a match of its provisional entity."""
    entity = entity_get_or_create_provisional(new=new)
    return EntityMatch(
        entity.pk,
        new.kind,
        entity.slug,
        entity.name,
        mentions=new.mentions,
        in_title=new.in_title,
        salience=new.salience,
        confidence=new.confidence,
        provisional=entity.provisional,
    )


def entity_get_or_create_provisional(*, new: NewEntity) -> Entity:
    """Return the entity of a name the tagger suggests, creating it as provisional the first
    time: editors see it at once, readers only once a chief editor accepts it.

    It gets the name as a case-sensitive alias, so that later stories are tagged with it
    directly; every process's dictionary is rebuilt once the transaction commits. Two workers
    suggesting the same name at once make one entity: on PostgreSQL the second waits, on a
    lock held until the first commits, and then finds it (SQLite writes one at a time).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"provisional {new.kind} {new.name}"]
            )
    existing = Entity.objects.filter(kind=new.kind, aliases__text=new.name).first()
    if existing is not None:
        return existing
    entity = Entity(
        kind=new.kind,
        name=new.name,
        provisional=True,
        variant_of_id=new.variant_of_id,
        maker_id=new.maker_id,
        affiliation_id=new.affiliation_id,
        parent_id=new.parent_id,
    )
    save_with_unique_slug(
        entity,
        save=entity.save,
        text=new.name,
        fallback=new.kind,
        siblings=Entity.objects.filter(kind=new.kind),
    )
    Alias.objects.create(entity=entity, text=new.name, case_sensitive=True)
    transaction.on_commit(kb_changed)
    return entity


def entities_accept(*, entities) -> int:
    """Accept provisional entities that tagging suggested: readers see them and their
    mentions from now on."""
    accepted = entities.filter(provisional=True).update(provisional=False)
    if accepted:
        # Tagging accepts them inside its transaction: a dictionary rebuilt before the commit
        # would keep them provisional.
        transaction.on_commit(kb_changed)
        site_changed()
    return accepted


def entities_accept_by_policy(*, articles) -> int:
    """Accept the provisional entities these stories name that enough outlets' public stories
    name (NEWSDESK_ACCEPT_SUGGESTED_AFTER_OUTLETS; 0: only a chief editor accepts them), a
    mention an editor rejected not counting; return how many."""
    outlets = settings.NEWSDESK_ACCEPT_SUGGESTED_AFTER_OUTLETS
    if not outlets:
        return 0
    named_widely = (
        Mention.objects.filter(
            entity__provisional=True,
            entity_id__in=Mention.objects.filter(article__in=articles).values("entity_id"),
            article__in=Article.objects.published(),
        )
        .exclude(status=Mention.Status.REJECTED)
        .values("entity_id")
        .annotate(outlets=Count("article__outlet", distinct=True))
        .filter(outlets__gte=outlets)
        .values_list("entity_id", flat=True)
    )
    return entities_accept(entities=Entity.objects.filter(pk__in=list(named_widely)))


def _save_relationships(article: Article, matches: list[RelationshipMatch]) -> bool:
    """Replace the article's relationship evidence, creating the relationships it names.

    A relationship left with no evidence is deleted unless an editor confirmed or rejected
    it. Every relationship the article showed, or shows now, is dated again from the stories
    readers can see: return whether any date changed.
    """
    previous = _delete_evidence(article)
    relationships = _relationships_by_key({_relationship_key(match) for match in matches})
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
    shown = {relationship.pk for relationship in relationships.values()}
    # The other evidence of a relationship the story shows is unchanged: its dates only need
    # to take in the story's, without a look at all its evidence (thousands for a busy pair).
    widened = _relationships_widen_seen(shown, article.public_since if article.is_public else None)
    lost = previous - shown
    if not lost:
        return widened > 0
    Relationship.objects.filter(
        pk__in=lost, status=Relationship.Status.DETECTED, evidence__isnull=True
    ).delete()
    return relationships_refresh_seen(lost) > 0 or widened > 0


def _relationships_widen_seen(relationship_ids: set[int], seen_at) -> int:
    """Stretch the relationships' seen dates to take in `seen_at`; return how many changed."""
    if not relationship_ids or seen_at is None:
        return 0
    seen = Value(seen_at)
    outside = (
        Q(first_seen__isnull=True)
        | Q(last_seen__isnull=True)
        | Q(first_seen__gt=seen_at)
        | Q(last_seen__lt=seen_at)
    )
    # Least and Greatest return NULL on SQLite when a date is missing: Coalesce covers both.
    widened = Relationship.objects.filter(outside, pk__in=relationship_ids).update(
        first_seen=Coalesce(Least("first_seen", seen), seen),
        last_seen=Coalesce(Greatest("last_seen", seen), seen),
    )
    if widened:
        site_changed()
    return widened


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


def _relationships_by_key(keys: set[RelationshipKey]) -> dict[RelationshipKey, RelationshipRow]:
    """Return the relationship of each key, creating the missing ones.

    Created with no conflict check first, so that a concurrent tagging creating the same
    ones shares its rows.
    """
    if not keys:
        return {}
    Relationship.objects.bulk_create(
        [Relationship(company_a_id=a, company_b_id=b, kind=kind) for a, b, kind in sorted(keys)],
        ignore_conflicts=True,
    )
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
            [Topic(slug=slug, name=topic_name(slug)) for slug in sorted(missing)],
            ignore_conflicts=True,
        )
        topic_ids |= dict(Topic.objects.filter(slug__in=missing).values_list("slug", "pk"))
    return topic_ids


def topic_name(slug: str) -> str:
    """Return a readable name for a topic's slug: "AI", "XR", "Chips", "Data Centres"."""
    return " ".join(
        word.upper() if len(word) <= 3 else word.capitalize() for word in slug.split("-") if word
    )


def _snippet(body: str, match: EntityMatch) -> str:
    if not match.mentions:
        return ""
    first = match.mentions[0]
    start = max(0, first.start - SNIPPET_MARGIN)
    end = min(len(body), first.end + SNIPPET_MARGIN)
    return " ".join(body[start:end].split())[:400]
