"""Story clusters: articles from different outlets reporting the same event, grouped.

Two articles report the same event when, within `NEWSDESK_CLUSTER_WINDOW_DAYS` of each
other, they are about the same principal entities (the subjects the tagger found: companies,
people, products), do not show different relationships between them, and their wording
agrees (MinHash Jaccard similarity of their content words). Across languages, where wording
cannot agree, a translation is recognised by a stronger entity overlap instead: the same
subjects and a relationship between them that both articles show.

Candidates come from indexed queries on the mentions of the article's subjects, limited to
the window and to `MAX_CANDIDATES` articles: the cost of a look-up does not grow with the
corpus.
"""

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby
from operator import itemgetter

from datasketch import MinHash
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, Length
from django.utils import timezone

from entities.models import Relationship

from .cache import site_changed
from .duplicates import text_words
from .models import Article, Mention, RelationshipEvidence, StoryCluster

NUM_PERM = 128
# Content words only: short words are mostly grammar, shared by any two texts.
MIN_WORD_LENGTH = 4
# Jaccard similarity of content words from which two articles with the same subjects are
# taken to report the same event; rewrites of one event share far more words than two
# stories about the same companies.
SAME_EVENT_THRESHOLD = 0.2
# Share of the subjects two articles must have in common (intersection over union).
SUBJECT_OVERLAP = 0.5
MAX_CANDIDATES = 50


@dataclass
class _Story:
    """What clustering compares of one article: its subjects, relationships and wording."""

    article: Article
    subjects: frozenset[int]
    relationships: frozenset[int]

    @cached_property
    def wording(self) -> MinHash:
        words = {
            word.encode()
            for word in text_words(f"{self.article.title}\n{self.article.body}")
            if len(word) >= MIN_WORD_LENGTH and not word.isdigit()
        }
        minhash = MinHash(num_perm=NUM_PERM)
        minhash.update_batch(words)
        return minhash

    def same_event(self, other: "_Story") -> float:
        """Return how surely the two report the same event (0: they do not)."""
        shared = self.subjects & other.subjects
        if not shared or len(shared) / len(self.subjects | other.subjects) < SUBJECT_OVERLAP:
            return 0.0
        relationships_differ = not self.relationships & other.relationships
        if self.relationships and other.relationships and relationships_differ:
            return 0.0
        if self.article.language and other.article.language != self.article.language:
            # A translation: nothing to compare the wording with.
            strong = self.subjects == other.subjects and self.relationships & other.relationships
            return 1.0 if strong else 0.0
        similarity = self.wording.jaccard(other.wording)
        return similarity if similarity >= SAME_EVENT_THRESHOLD else 0.0


def article_cluster(*, article_id: int) -> StoryCluster | None:
    """Put a tagged article in the story of another outlet's article on the same event.

    Return its cluster, or None when no other outlet has reported the event yet. Safe to run
    twice: an article already in a cluster stays there, and one an editor placed or took out
    is left alone (editors merge and split clusters in the admin).
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(pk=article_id).first()
        if article is None:
            return None
        if article.cluster_id or article.clustered_by_editor:
            return article.cluster
        stories = _stories([article])
        if not stories:
            return None
        story = stories[0]
        best, best_score = None, 0.0
        for candidate in _stories(_candidates(article, story.subjects)):
            score = story.same_event(candidate)
            if score > best_score:
                best, best_score = candidate.article, score
        if best is None:
            return None
        # Locked and read again: another worker may have just put it in a story.
        best = (
            Article.objects.select_for_update(of=("self",))
            .select_related("cluster")
            .get(pk=best.pk)
        )
        cluster = best.cluster
        if cluster is None:
            cluster = StoryCluster.objects.create()
            Article.objects.filter(pk=best.pk).update(cluster=cluster)
        Article.objects.filter(pk=article.pk).update(cluster=cluster)
        cluster_refresh_lead(cluster=cluster)
        if cluster.articles.published().exists():
            site_changed()
    return cluster


def cluster_refresh_lead(*, cluster: StoryCluster) -> None:
    """Give the cluster its default lead, the earliest and most complete article.

    A lead chosen by an editor is kept while it stays in the cluster.
    """
    members = cluster.articles.all()
    if cluster.lead_chosen_by_editor and members.filter(pk=cluster.lead_id).exists():
        return
    lead = members.order_by(
        Coalesce("published_at", "created_at"), Length("body").desc(), "pk"
    ).first()
    cluster.lead = lead
    cluster.lead_chosen_by_editor = False
    cluster.save(update_fields=["lead", "lead_chosen_by_editor", "updated_at"])


def story_time(article: Article):
    """Return when an article reported its event: its publication time, else its creation."""
    return article.published_at or article.created_at or timezone.now()


def _candidates(article: Article, subject_ids) -> list[Article]:
    """Return other outlets' articles of the window sharing a subject, most shared first.

    Published stories are found through the timeline index of their subjects' mentions (by
    the publication time each mention keeps), stories still in the desk's queue through their
    own time: either way the rows read are those of the window, not of the corpus.
    """
    window = timezone.timedelta(days=settings.NEWSDESK_CLUSTER_WINDOW_DAYS)
    start, end = story_time(article) - window, story_time(article) + window
    sharing = (
        Mention.objects.visible()
        .filter(entity_id__in=subject_ids, is_subject=True)
        .exclude(article__outlet_id=article.outlet_id)
        # An article an editor took out of its story is not grouped again behind their back.
        .exclude(article__clustered_by_editor=True, article__cluster__isnull=True)
    )
    published = sharing.filter(article_published_at__range=(start, end))
    waiting = sharing.alias(
        article_time=Coalesce("article__published_at", "article__created_at")
    ).filter(
        article__status__in=[Article.Status.DRAFT, Article.Status.IN_REVIEW],
        article_time__range=(start, end),
    )
    shared = Counter()
    for mentions in (published, waiting):
        shared.update(
            dict(
                mentions.values("article_id")
                .annotate(shared=Count("entity_id"))
                .order_by("-shared", "-article_id")
                .values_list("article_id", "shared")[:MAX_CANDIDATES]
            )
        )
    ids = [pk for pk, _ in shared.most_common(MAX_CANDIDATES)]
    return list(Article.objects.filter(pk__in=ids).select_related("cluster"))


def _stories(articles: list[Article]) -> list[_Story]:
    """Return what clustering compares of these articles, in two queries."""
    ids = [article.pk for article in articles]
    subjects, relationships = {pk: set() for pk in ids}, {pk: set() for pk in ids}
    for article_id, entity_id in (
        Mention.objects.visible()
        .filter(article_id__in=ids, is_subject=True)
        .values_list("article_id", "entity_id")
    ):
        subjects[article_id].add(entity_id)
    for article_id, relationship_id in (
        RelationshipEvidence.objects.filter(article_id__in=ids)
        .exclude(relationship__status=Relationship.Status.REJECTED)
        .values_list("article_id", "relationship_id")
    ):
        relationships[article_id].add(relationship_id)
    return [
        _Story(
            article=article,
            subjects=frozenset(subjects[article.pk]),
            relationships=frozenset(relationships[article.pk]),
        )
        for article in articles
        if subjects[article.pk]
    ]


def clusters_listed(*, since=None):
    """Yield (lead, articles) for every story of more than one article, oldest story first:
    each article a source URL, the lead's first, the others in order of publication.

    `since` (a date) keeps the stories with an article published, or when unpublished taken
    in, on or after that day. The articles are read in one streamed query.
    """
    clusters = StoryCluster.objects.alias(size=Count("articles")).filter(size__gt=1)
    if since is not None:
        clusters = clusters.filter(
            Exists(
                Article.objects.filter(cluster=OuterRef("pk")).filter(
                    Q(published_at__date__gte=since)
                    | Q(published_at__isnull=True, created_at__date__gte=since)
                )
            )
        )
    rows = (
        Article.objects.filter(cluster__in=clusters)
        .annotate(is_lead=Q(cluster__lead=F("pk")))
        .order_by("cluster_id", "-is_lead", Coalesce("published_at", "created_at"), "pk")
        .values_list("cluster_id", "source_url")
    )
    for _, articles in groupby(rows.iterator(chunk_size=2000), key=itemgetter(0)):
        urls = [url for _, url in articles]
        yield urls[0], urls
