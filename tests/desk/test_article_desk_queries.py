"""The article page runs a bounded number of queries, however many entities and relationships
the story has (1 and 60 mentions; 1 and 10 relationships with their topics and sentences)."""

from itertools import pairwise

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Mention, RelationshipEvidence
from entities.models import Relationship, Topic
from tests.factories import ArticleFactory, EntityFactory

pytestmark = pytest.mark.django_db
# What the page needs at most: session and user, the story, the form's choices, its entities,
# its relationships with their topics and sentences, and the history's revert check.
MOST_QUERIES = 20


@pytest.fixture(autouse=True)
def content_types_cached():
    ContentType.objects.get_for_models(*apps.get_models())


def story_with(label: str, mentions: int, relationships: int):
    """A published story naming `mentions` companies, and showing `relationships` pairs of
    them, each with two topics and a sentence."""
    companies = [EntityFactory(name=f"{label} Maker {n}", aliases=[]) for n in range(mentions)]
    body = " ".join(f"{company.name} ships." for company in companies)
    story = ArticleFactory(published=True, body=body)
    offset = 0
    made = []
    for company in companies:
        made.append(
            Mention(
                article=story,
                entity=company,
                count=1,
                offsets=[[offset, offset + len(company.name)]],
                salience=0.6,
                article_published_at=story.published_at,
            )
        )
        offset += len(company.name) + len(" ships. ")
    Mention.objects.bulk_create(made)
    topics = [
        Topic.objects.get_or_create(slug=slug, defaults={"name": slug})[0] for slug in ("ai", "xr")
    ]
    for first, second in list(pairwise(companies))[:relationships]:
        relationship = Relationship.objects.create(
            company_a=first, company_b=second, kind=Relationship.Kind.PARTNERSHIP
        )
        relationship.topics.set(topics)
        RelationshipEvidence.objects.create(
            relationship=relationship, article=story, sentence=f"{first} ships.", start=0, end=5
        )
    return story


def queries_to_show(client, story) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("role", ["editor_client", "chief_client"])
@pytest.mark.parametrize(("small", "big"), [((1, 0), (60, 0)), ((2, 1), (60, 10))])
def test_the_article_page_runs_as_many_queries_for_many_mentions_as_for_one(
    request, role, small, big
):
    """(mentions, relationships) of a small story and a big one."""
    client = request.getfixturevalue(role)
    few = queries_to_show(client, story_with("Small", *small))
    assert queries_to_show(client, story_with("Big", *big)) == few


def test_the_article_page_stays_within_its_query_budget(
    chief_client, django_assert_max_num_queries
):
    story = story_with("Big", mentions=60, relationships=10)
    with django_assert_max_num_queries(MOST_QUERIES):
        response = chief_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    page = response.content.decode()
    assert page.count("data-mention=") == 60
    assert page.count('class="desk-relationship') == 10
