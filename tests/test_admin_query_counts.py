"""Every admin page runs a bounded number of queries, whatever the number of rows it shows.

Each page is read small (1 row, or an inline of 2) and big (about 30 rows, or an inline of 12):
a query per row, say for a column or an inline's related object, makes the counts differ.
"""

from itertools import pairwise

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, CandidateSighting, Mention, RelationshipEvidence
from entities.models import Alias, Candidate, Entity, Relationship, Topic, candidate_key
from tests.factories import (
    ArticleFactory,
    EntityFactory,
    OutletFactory,
    UserFactory,
    bulk_published,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def content_types_cached():
    # The first page about a model in this process looks its content type up once: without
    # this, the page read first (the small one) would run one query more than the other.
    ContentType.objects.get_for_models(*apps.get_models())


def queries_to_show(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def stories(label, count) -> list[Article]:
    return bulk_published(
        OutletFactory(),
        range(count),
        title=f"{label} story {{n}}",
        body="Nvidia supplies Meta with H100 chips.",
        published_at=lambda n: timezone.now() - timezone.timedelta(hours=n + 1),
    )


def test_the_outlet_list_runs_as_many_queries_for_1_outlet_as_for_30(chief_client):
    changelist = reverse("admin:articles_outlet_changelist")
    OutletFactory()
    one = queries_to_show(chief_client, changelist)
    OutletFactory.create_batch(29)
    assert queries_to_show(chief_client, changelist) == one


def test_an_article_s_history_page_runs_as_many_queries_for_2_versions_as_for_12(chief_client):
    pages = []
    for version_count in (2, 12):
        story = ArticleFactory(published=True)
        # Each version by another user, so that naming its author cannot come from a cache.
        for user in UserFactory.create_batch(version_count - 1):
            story._history_user = user
            story.save()
        pages.append(reverse("admin:articles_article_history", args=[story.pk]))
    few, many = (queries_to_show(chief_client, page) for page in pages)
    assert few == many


def entity_families(count) -> None:
    """Make `count` companies, each with a subsidiary, a product and an employee.

    Every row of the entity list then links to another entity, through each of the three
    columns that name one.
    """
    for _ in range(count):
        company = EntityFactory(aliases=[])
        EntityFactory(parent=company, aliases=[])
        EntityFactory(kind=Entity.Kind.PRODUCT, maker=company, aliases=[])
        EntityFactory(kind=Entity.Kind.PERSON, affiliation=company, aliases=[])


def test_the_entity_list_runs_as_many_queries_for_4_entities_as_for_32(chief_client):
    changelist = reverse("admin:entities_entity_changelist")
    entity_families(1)
    four = queries_to_show(chief_client, changelist)
    entity_families(7)
    assert queries_to_show(chief_client, changelist) == four


def test_an_entity_s_change_page_runs_as_many_queries_for_2_aliases_as_for_12(chief_client):
    pages = []
    for alias_count in (2, 12):
        entity = EntityFactory(parent=EntityFactory(aliases=[]), aliases=[])
        Alias.objects.bulk_create(
            Alias(entity=entity, text=f"{entity.name} alias {n}") for n in range(alias_count)
        )
        pages.append(reverse("admin:entities_entity_change", args=[entity.pk]))
    few, many = (queries_to_show(chief_client, page) for page in pages)
    assert few == many


def test_the_company_picker_runs_as_many_queries_for_1_company_as_for_30(chief_client):
    picker = reverse("admin:autocomplete") + (
        "?app_label=entities&model_name=entity&field_name=parent&term=company"
    )
    EntityFactory()
    one = queries_to_show(chief_client, picker)
    EntityFactory.create_batch(29)
    assert queries_to_show(chief_client, picker) == one


def candidates(label, count) -> None:
    """Make `count` candidates, each seen in two stories with example sentences."""
    seen_in = stories(f"{label} candidates", 2)
    made = Candidate.objects.bulk_create(
        # bulk_create skips save(), which sets the key.
        Candidate(text=f"{label} Labs {n}", key=candidate_key(f"{label} Labs {n}"))
        for n in range(count)
    )
    CandidateSighting.objects.bulk_create(
        CandidateSighting(
            candidate=candidate,
            article=story,
            count=2,
            examples=[f"{candidate.text} raised money.", f"{candidate.text} hired."],
        )
        for candidate in made
        for story in seen_in
    )


def test_the_candidate_list_runs_as_many_queries_for_1_candidate_as_for_30(chief_client):
    changelist = reverse("admin:entities_candidate_changelist")
    candidates("First", 1)
    one = queries_to_show(chief_client, changelist)
    candidates("More", 29)
    assert queries_to_show(chief_client, changelist) == one


def relationships(label, count, evidence_per_relationship=2) -> list[Relationship]:
    """Make `count` relationships along a chain of companies, each with topics and evidence."""
    companies = [EntityFactory(name=f"{label} {n}", aliases=[]) for n in range(count + 1)]
    topics = Topic.objects.bulk_create(
        Topic(slug=f"{label.lower()}-{n}", name=f"{label} {n}") for n in range(2)
    )
    made = Relationship.objects.bulk_create(
        Relationship(
            company_a=first,
            company_b=second,
            kind=Relationship.Kind.PARTNERSHIP,
            last_seen=timezone.now(),
        )
        for first, second in pairwise(companies)
    )
    Relationship.topics.through.objects.bulk_create(
        Relationship.topics.through(relationship=relationship, topic=topic)
        for relationship in made
        for topic in topics
    )
    evidence_in = stories(f"{label} evidence", evidence_per_relationship)
    RelationshipEvidence.objects.bulk_create(
        RelationshipEvidence(
            relationship=relationship,
            article=story,
            sentence=story.body,
            start=0,
            end=len(story.body),
            cues=["supplies"],
            confidence=0.9,
        )
        for relationship in made
        for story in evidence_in
    )
    return made


def test_the_relationship_list_runs_as_many_queries_for_1_relationship_as_for_30(chief_client):
    changelist = reverse("admin:entities_relationship_changelist")
    relationships("First", 1)
    one = queries_to_show(chief_client, changelist)
    relationships("More", 29)
    assert queries_to_show(chief_client, changelist) == one


def test_a_relationship_s_change_page_runs_as_many_queries_for_2_evidence_as_for_12(
    chief_client,
):
    few, many = (
        queries_to_show(
            chief_client,
            reverse("admin:entities_relationship_change", args=[relationship.pk]),
        )
        for [relationship] in (
            relationships("Few", 1, evidence_per_relationship=2),
            relationships("Many", 1, evidence_per_relationship=12),
        )
    )
    assert few == many


def test_the_topic_list_runs_as_many_queries_for_1_topic_as_for_30(chief_client):
    changelist = reverse("admin:entities_topic_changelist")
    Topic.objects.create(slug="chips", name="Chips")
    one = queries_to_show(chief_client, changelist)
    Topic.objects.bulk_create(Topic(slug=f"topic-{n}", name=f"Topic {n}") for n in range(29))
    assert queries_to_show(chief_client, changelist) == one


def test_an_article_s_change_page_runs_as_many_queries_for_2_mentions_as_for_12(chief_client):
    stories = []
    for mention_count in (2, 12):
        story = ArticleFactory(published=True)
        Mention.objects.bulk_create(
            Mention(article=story, entity=entity, article_published_at=story.published_at)
            for entity in EntityFactory.create_batch(mention_count)
        )
        stories.append(story)
    few, many = (
        queries_to_show(chief_client, reverse("admin:articles_article_change", args=[story.pk]))
        for story in stories
    )
    assert few == many


def test_the_article_list_runs_as_many_queries_for_1_article_as_for_50(chief_client):
    changelist = reverse("admin:articles_article_changelist")
    ArticleFactory(published=True)
    one = queries_to_show(chief_client, changelist)
    ArticleFactory.create_batch(49, published=True)
    assert queries_to_show(chief_client, changelist) == one
