"""Editors curate story clusters in the admin: merge, take an article out, choose the lead."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.clusters import article_cluster
from articles.models import Article, StoryCluster
from articles.services import article_delete, cluster_set_lead, cluster_take_out, clusters_merge
from tests.factories import ArticleFactory, OutletFactory

pytestmark = pytest.mark.django_db


def story(*names, hours_ago=10):
    """A cluster of one article from each named outlet, the first one earliest."""
    cluster = StoryCluster.objects.create()
    articles = [
        ArticleFactory(
            title=f"Headset deal, as {name} tells it",
            outlet=OutletFactory(name=name),
            cluster=cluster,
            published=True,
            published_at=timezone.now() - timezone.timedelta(hours=hours_ago - n),
        )
        for n, name in enumerate(names)
    ]
    cluster.lead = articles[0]
    cluster.save()
    return cluster, articles


def change_url(cluster):
    return reverse("admin:articles_storycluster_change", args=[cluster.pk])


def test_an_editor_merges_two_stories_into_the_older(editor_client):
    first, first_articles = story("Tech Ledger", "Chip Wire")
    second, second_articles = story("Byte Post", "Circuit Daily", hours_ago=20)
    response = editor_client.post(
        reverse("admin:articles_storycluster_changelist"),
        {"action": "merge", ACTION_CHECKBOX_NAME: [first.pk, second.pk]},
    )
    assert response.status_code == 302
    assert response.url == change_url(first)
    assert not StoryCluster.objects.filter(pk=second.pk).exists()
    assert set(first.articles.all()) == {*first_articles, *second_articles}
    first.refresh_from_db()
    # The earliest article of the merged story leads.
    assert first.lead == second_articles[0]


def test_merging_needs_two_stories(editor_client):
    first, _ = story("Tech Ledger", "Chip Wire")
    response = editor_client.post(
        reverse("admin:articles_storycluster_changelist"),
        {"action": "merge", ACTION_CHECKBOX_NAME: [first.pk]},
        follow=True,
    )
    assert "Select two or more stories to merge." in response.content.decode()


def test_an_editor_chooses_the_lead(editor_client):
    cluster, (_first, second, _third) = story("Tech Ledger", "Chip Wire", "Byte Post")
    response = editor_client.post(change_url(cluster), {"lead": second.pk})
    assert response.status_code == 302
    cluster.refresh_from_db()
    assert cluster.lead == second
    assert cluster.lead_chosen_by_editor


def test_a_lead_chosen_by_an_editor_stays_when_an_earlier_article_joins(db):
    cluster, (_first, second) = story("Tech Ledger", "Chip Wire")
    cluster_set_lead(cluster=cluster, article=second)
    _, (earlier,) = story("Byte Post", hours_ago=50)
    clusters_merge(clusters=[cluster, earlier.cluster])
    cluster.refresh_from_db()
    assert cluster.lead == second


def test_the_lead_must_be_one_of_the_story_articles(editor_client):
    cluster, _ = story("Tech Ledger", "Chip Wire")
    _, (stranger,) = story("Byte Post")
    response = editor_client.post(change_url(cluster), {"lead": stranger.pk})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["lead"]
    cluster.refresh_from_db()
    assert not cluster.lead_chosen_by_editor


def test_an_editor_takes_an_article_out_and_clustering_leaves_it_out(editor_client):
    cluster, (first, second, third) = story("Tech Ledger", "Chip Wire", "Byte Post")
    response = editor_client.post(change_url(cluster), {"lead": first.pk, "take_out": [third.pk]})
    assert response.status_code == 302
    third.refresh_from_db()
    assert third.cluster is None
    assert third.clustered_by_editor
    assert set(cluster.articles.all()) == {first, second}
    assert article_cluster(article_id=third.pk) is None


def test_taking_out_the_lead_gives_the_story_a_new_one(db):
    cluster, (first, second, _third) = story("Tech Ledger", "Chip Wire", "Byte Post")
    cluster_take_out(cluster=cluster, articles=[first])
    cluster.refresh_from_db()
    assert cluster.lead == second


def test_a_story_left_with_one_article_is_dissolved(editor_client):
    cluster, (first, second) = story("Tech Ledger", "Chip Wire")
    response = editor_client.post(change_url(cluster), {"lead": first.pk, "take_out": [second.pk]})
    assert response.url == reverse("admin:articles_storycluster_changelist")
    assert not StoryCluster.objects.exists()
    assert not Article.objects.filter(cluster__isnull=False).exists()


def test_the_change_page_lists_the_story_articles(editor_client):
    cluster, articles = story("Tech Ledger", "Chip Wire")
    html = editor_client.get(change_url(cluster)).content.decode()
    for article in articles:
        assert article.get_admin_url() in html


def test_a_reader_without_staff_rights_cannot_see_stories(client, db):
    cluster, _ = story("Tech Ledger", "Chip Wire")
    assert client.get(change_url(cluster)).status_code == 302


def test_the_story_list_runs_as_many_queries_for_1_story_as_for_30(editor_client):
    ContentType.objects.get_for_models(StoryCluster, Article)
    changelist = reverse("admin:articles_storycluster_changelist")
    story("Tech Ledger", "Chip Wire")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(changelist).status_code == 200
        return len(captured.captured_queries)

    one = queries()
    for n in range(29):
        story(f"Outlet A{n}", f"Outlet B{n}")
    assert queries() == one


def test_deleting_the_lead_gives_the_story_a_new_one(db):
    cluster, (first, second, _third) = story("Tech Ledger", "Chip Wire", "Byte Post")
    article_delete(article=first)
    cluster.refresh_from_db()
    assert cluster.lead == second
