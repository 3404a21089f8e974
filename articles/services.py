"""Editors' writes: stories and their workflow, mentions, relationships and the knowledge base.

The admin, commands and tasks call these; each says what follows a change (tagging to
enqueue, the compiled dictionary or the public pages to expire) in plain calls.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from entities.knowledge_base import entities_named, kb_changed
from entities.models import Alias, Candidate, Entity, Relationship
from entities.slugs import unique_slug
from entities.tagging.normalize import name_forms

from .cache import site_changed
from .clusters import cluster_refresh_lead
from .models import Article, Mention, RelationshipEvidence, StoryCluster
from .tagging import entities_accept_by_policy, relationships_refresh_seen
from .tasks import tag_article

Status = Article.Status

# Which states each workflow step may start from.
TRANSITIONS = {
    "submit": ({Status.DRAFT}, Status.IN_REVIEW),
    "publish": ({Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED}, Status.PUBLISHED),
    "return_to_draft": ({Status.IN_REVIEW, Status.PUBLISHED, Status.ARCHIVED}, Status.DRAFT),
    "archive": ({Status.PUBLISHED, Status.DRAFT, Status.IN_REVIEW}, Status.ARCHIVED),
}
# Steps an Editor may take; the rest need the publish permission (Chief editor).
STEPS_NEEDING_PUBLISH_PERMISSION = frozenset({"publish", "return_to_draft", "archive"})


class WorkflowError(ValidationError):
    pass


def article_save(*, article: Article, by) -> Article:
    """Save an article; tag it after commit if its title or body changed."""
    adding = article._state.adding
    previous_fingerprint = (
        None
        if adding
        else Article.objects.filter(pk=article.pk).values_list("fingerprint", flat=True).first()
    )
    article.updated_by = by
    if adding:
        article.created_by = by
    article.save()
    _publication_changed(article)
    if article.fingerprint != previous_fingerprint:
        article_request_tagging(article=article)
    return article


def article_request_tagging(*, article: Article) -> None:
    """Mark the article pending and enqueue its tagging once the transaction commits.

    The tagged fingerprint is cleared so that the task re-tags even unchanged text: the
    knowledge base may have changed, or an editor asked.
    """
    now = timezone.now()
    Article.objects.filter(pk=article.pk).update(
        tagging_status=Article.TaggingStatus.PENDING,
        tagging_requested_at=now,
        tagging_error="",
        tagged_fingerprint="",
    )
    article.tagging_status = Article.TaggingStatus.PENDING
    article.tagging_requested_at = now
    tag_article.delay_on_commit(article.pk)


def article_transition(*, article: Article, step: str, by) -> Article:
    """Move an article one step along draft → in review → published → archived."""
    sources, target = TRANSITIONS[step]
    if step in STEPS_NEEDING_PUBLISH_PERMISSION and not by.has_perm("articles.publish_article"):
        raise PermissionDenied(f"You may not {step.replace('_', ' ')} articles.")
    if article.status not in sources:
        raise WorkflowError(
            f"“{article.title}” is {article.get_status_display().lower()}: "
            f"it cannot be moved to {Status(target).label.lower()}."
        )
    article.status = target
    if target == Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    article.updated_by = by
    article.save(update_fields=["status", "published_at", "updated_by", "updated_at"])
    _publication_changed(article)
    return article


def article_delete(*, article: Article) -> None:
    """Delete a story, its mentions and its evidence; re-date what it gave evidence of."""
    relationship_ids = list(article.relationship_evidence.values_list("relationship_id", flat=True))
    cluster = article.cluster
    article.delete()
    relationships_refresh_seen(relationship_ids)
    if cluster is not None:
        # The story it led needs another lead.
        cluster_refresh_lead(cluster=cluster)
    site_changed()


def _publication_changed(article: Article) -> None:
    """Follow a story's status and publication time in what is kept about it for readers."""
    mentions = Mention.objects.filter(article=article)
    mentions.update(article_published_at=article.public_since)
    relationships_refresh_seen(
        RelationshipEvidence.objects.filter(article=article).values_list(
            "relationship_id", flat=True
        )
    )
    if article.is_public:
        entities_accept_by_policy(articles=Article.objects.filter(pk=article.pk))
    site_changed()


def mentions_save(*, article: Article, changed: list[Mention], deleted: list[Mention]) -> None:
    """Save an editor's changes to a story's mentions: one they add is theirs, confirmed.

    The story gets a new version, so that a form opened on it before is refused.
    """
    for mention in changed:
        if mention._state.adding:
            mention.origin = Mention.Origin.EDITOR
            if mention.status == Mention.Status.SUGGESTED:
                mention.status = Mention.Status.CONFIRMED
        mention.save()
    for mention in deleted:
        mention.delete()
    if changed or deleted:
        Article.objects.filter(pk=article.pk).update(version=F("version") + 1)
        site_changed()


def relationships_set_status(*, relationships, status: str) -> int:
    """Confirm or reject relationships; return how many."""
    count = relationships.update(status=status)
    site_changed()
    return count


def relationship_save(*, relationship: Relationship, topics=None) -> None:
    """Save an editor's change to a relationship; topics they set re-tagging keeps."""
    if topics is not None:
        relationship.topics_edited = True
    relationship.save()
    if topics is not None:
        relationship.topics.set(topics)
    site_changed()


def public_record_save(*, record) -> None:
    """Save an outlet, a topic or a relationship, which public pages show."""
    record.save()
    site_changed()


def public_records_delete(*, records) -> None:
    """Delete one such record, or a queryset of them."""
    records.delete()
    site_changed()


def knowledge_save(*, saved=(), deleted=()) -> None:
    """Save entities or aliases: the tagger's dictionary and the public pages follow."""
    for record in saved:
        record.save()
    for record in deleted:
        record.delete()
    kb_changed()
    site_changed()


class AlreadyInKnowledgeBase(ValidationError):
    """Accepting a candidate as new would duplicate entities the knowledge base has."""

    def __init__(self, *, candidate: Candidate, entities: list[Entity]):
        self.entities = entities
        known = ", ".join(
            f"{entity.name} ({entity.get_kind_display().lower()})" for entity in entities
        )
        super().__init__(
            f"“{candidate.text}” is already in the knowledge base as {known}: "
            "link the candidate to it instead of creating another."
        )


def candidate_accept(
    *,
    candidate: Candidate,
    kind: str | None = None,
    name: str = "",
    aliases=(),
    maker: Entity | None = None,
    affiliation: Entity | None = None,
    parent: Entity | None = None,
) -> Entity:
    """Turn a candidate into a new entity named by it and its aliases; re-tag its stories.

    Refused with AlreadyInKnowledgeBase when the knowledge base knows one of these names,
    nearly or exactly: the candidate is then to be linked to that entity (candidate_link).
    """
    kind = kind or candidate.likely_kind or Entity.Kind.COMPANY
    name = " ".join((name or candidate.text).split())
    texts = [name, candidate.text, *aliases]
    if known := entities_named(texts):
        raise AlreadyInKnowledgeBase(candidate=candidate, entities=known)
    with transaction.atomic():
        entity = Entity.objects.create(
            kind=kind,
            name=name,
            slug=unique_slug(name, fallback="entity", siblings=Entity.objects.filter(kind=kind)),
            maker=maker,
            affiliation=affiliation,
            parent=parent,
        )
        # One alias per way of writing the name the tagger tells apart.
        by_form = {name_forms(text)[1]: text for text in reversed(texts) if text.strip()}
        Alias.objects.bulk_create(Alias(entity=entity, text=text) for text in by_form.values())
        _candidate_decided(candidate, entity)
    return entity


def candidate_link(*, candidate: Candidate, entity: Entity) -> Alias | None:
    """Make a candidate a new alias of an entity already known; re-tag its stories.

    Return the alias added, or None when the entity has that name already.
    """
    folded = name_forms(candidate.text)[1]
    with transaction.atomic():
        known = entity.aliases.values_list("text", flat=True)
        alias = (
            None
            if any(name_forms(text)[1] == folded for text in known)
            else Alias.objects.create(entity=entity, text=candidate.text)
        )
        _candidate_decided(candidate, entity)
    return alias


def _candidate_decided(candidate: Candidate, entity: Entity) -> None:
    """Record the entity a candidate turned out to be, and re-tag the stories naming it."""
    candidate.status = Candidate.Status.ACCEPTED
    candidate.entity = entity
    candidate.save(update_fields=["status", "entity"])
    for article in Article.objects.filter(pk__in=candidate.sightings.values("article_id")).only(
        "pk"
    ):
        article_request_tagging(article=article)
    kb_changed()
    site_changed()


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
        site_changed()
    return target


def _merge_mentions(source: Entity, target: Entity) -> None:
    target_mentions = {m.article_id: m for m in Mention.objects.filter(entity=target)}
    for mention in Mention.objects.filter(entity=source):
        kept = target_mentions.get(mention.article_id)
        if kept is None:
            mention.entity = target
            mention.save()
            continue
        offsets = sorted({tuple(offset) for offset in kept.offsets + mention.offsets})
        kept.offsets = [list(offset) for offset in offsets]
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
            else relationship.company_a
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


def clusters_merge(*, clusters) -> StoryCluster:
    """Merge story clusters into the oldest of them and return it.

    Its lead stays if an editor chose it; otherwise the earliest, most complete article of
    the merged story leads.
    """
    clusters = sorted(clusters, key=lambda cluster: cluster.pk)
    target, sources = clusters[0], clusters[1:]
    with transaction.atomic():
        Article.objects.filter(cluster__in=[target, *sources]).update(
            cluster=target, clustered_by_editor=True
        )
        StoryCluster.objects.filter(pk__in=[source.pk for source in sources]).delete()
        cluster_refresh_lead(cluster=target)
        site_changed()
    return target


def cluster_take_out(*, cluster: StoryCluster, articles) -> None:
    """Take articles out of their story; a story left with one article is dissolved.

    Clustering does not put them back: an editor decided.
    """
    with transaction.atomic():
        cluster.articles.filter(pk__in=[article.pk for article in articles]).update(
            cluster=None, clustered_by_editor=True
        )
        remaining = cluster.articles.all()
        if remaining.count() < 2:
            remaining.update(cluster=None)
            cluster.delete()
        else:
            cluster_refresh_lead(cluster=cluster)
        site_changed()


def cluster_set_lead(*, cluster: StoryCluster, article: Article) -> None:
    """Make one of a story's articles its lead; new articles joining it do not replace it."""
    if article.cluster_id != cluster.pk:
        raise ValidationError("The lead must be one of the story's articles.")
    cluster.lead = article
    cluster.lead_chosen_by_editor = True
    cluster.save(update_fields=["lead", "lead_chosen_by_editor", "updated_at"])
    site_changed()
