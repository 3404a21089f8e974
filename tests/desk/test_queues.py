"""The desk (the admin index) and the queues it links to: the article list, the relationship
review, each with bounded queries."""

import re
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Mention, RelationshipEvidence, StoryCluster
from entities.models import Alias, Candidate, Relationship
from intake.models import Feed
from tests.factories import ArticleFactory, EntityFactory, OutletFactory, UserFactory

pytestmark = pytest.mark.django_db

DESK = "/admin/"
ARTICLES = "/admin/articles/article/"
RELATIONSHIPS = "/admin/entities/relationship/"


def queries_to_show(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def hours(n):
    return timezone.now() + timezone.timedelta(hours=n)


def newsroom_queues(n=1, label="Waiting"):
    """n stories in each queue, and n candidates and relationships waiting."""
    outlet = OutletFactory(name="Wire")
    for i in range(n):
        ArticleFactory(outlet=outlet, status=Article.Status.IN_REVIEW)
        ArticleFactory(outlet=outlet, status=Article.Status.PUBLISHED, published_at=hours(i + 2))
        ArticleFactory(outlet=outlet, tagging_status=Article.TaggingStatus.FAILED)
        ArticleFactory(outlet=outlet, origin=Article.Origin.FEED)
        stalled = ArticleFactory(
            outlet=outlet, status=Article.Status.PUBLISHED, published_at=hours(-1)
        )
        Article.objects.filter(pk=stalled.pk).update(tagging_requested_at=hours(-3))
        Candidate.objects.create(text=f"{label} Labs {i}")
        EntityFactory(name=f"{label} Robotics {i}", provisional=True, aliases=[])
        Feed.objects.create(outlet=outlet, url=f"https://wire.example/{label}/{i}.xml")
        Feed.objects.create(
            outlet=outlet,
            url=f"https://wire.example/{label}/{i}-broken.xml",
            consecutive_failures=3,
            last_error="HTTP 500",
        )
        Relationship.objects.create(
            company_a=EntityFactory(aliases=[]),
            company_b=EntityFactory(aliases=[]),
            kind="partnership",
        )
    # Done, decided: in no queue.
    Article.objects.filter(tagging_requested_at__isnull=True).exclude(
        tagging_status=Article.TaggingStatus.FAILED
    ).update(tagging_status=Article.TaggingStatus.DONE)
    Candidate.objects.get_or_create(text="Decided Labs", status=Candidate.Status.REJECTED)


def queues(response) -> dict[str, tuple[int, str]]:
    """Return each queue of the desk as {title: (count, link)}."""
    found = re.findall(
        r'<a href="([^"]+)"><span class="desk-count">(\d+)</span> ([^<]+)</a>',
        response.content.decode(),
    )
    return {title: (int(count), link.replace("&amp;", "&")) for link, count, title in found}


def test_the_chief_editor_s_desk_counts_every_queue_and_links_its_list(chief_client):
    newsroom_queues()
    desk = queues(chief_client.get(DESK))
    assert desk == {
        "incoming stories": (1, f"{ARTICLES}?status__exact=draft&incoming=yes"),
        "stories in review": (1, f"{ARTICLES}?status__exact=in_review"),
        "stories scheduled": (1, f"{ARTICLES}?scheduled=yes"),
        "stories whose tagging failed": (1, f"{ARTICLES}?tagging_status=failed"),
        "stories whose tagging stalled": (1, f"{ARTICLES}?tagging_status=stalled"),
        "candidates waiting": (1, "/admin/entities/candidate/?status__exact=pending"),
        "suggested entities to accept": (1, "/admin/entities/entity/?provisional__exact=1"),
        "feeds failing": (1, "/admin/intake/feed/?health=failing"),
        "relationships to review": (1, f"{RELATIONSHIPS}?status__exact=detected"),
    }
    # Each link lists exactly the stories, candidates or relationships it counted.
    for count, link in desk.values():
        listed = chief_client.get(link).context["cl"].result_count
        assert listed == count, link


def test_the_desk_says_when_the_next_scheduled_stories_go_live(chief_client):
    outlet = OutletFactory()
    when = timezone.make_aware(datetime(2099, 12, 3, 8, 0))
    ArticleFactory(title="Chip deal", outlet=outlet, status="published", published_at=when)
    content = chief_client.get(DESK).content.decode()
    assert re.search(
        r"Chip deal</a>\s*<span class=\"quiet\">goes live <time[^>]*>3 Dec, 08:00", content
    )


def test_an_editor_s_desk_shows_only_the_queues_of_the_role(editor_client):
    newsroom_queues()
    assert set(queues(editor_client.get(DESK))) == {
        "incoming stories",
        "stories scheduled",
        "feeds failing",
        "stories whose tagging failed",
        "stories whose tagging stalled",
    }


def test_a_user_without_article_permissions_has_an_empty_desk(client):
    client.force_login(UserFactory(username="intern"))
    assert queues(client.get(DESK)) == {}


def test_the_desk_runs_as_many_queries_for_1_item_per_queue_as_for_10(chief_client):
    newsroom_queues(1)
    one = queries_to_show(chief_client, DESK)
    newsroom_queues(10, label="More")
    assert queries_to_show(chief_client, DESK) == one


def test_the_article_list_says_when_a_scheduled_story_goes_live(chief_client):
    when = timezone.make_aware(datetime(2099, 12, 3, 8, 0))
    ArticleFactory(title="Chip deal", status="published", published_at=when)
    ArticleFactory(title="Old news", published=True)
    response = chief_client.get(f"{ARTICLES}?scheduled=yes")
    content = response.content.decode()
    assert "Scheduled — goes live 3 Dec, 08:00" in content
    assert [a.title for a in response.context["cl"].result_list] == ["Chip deal"]


def test_the_article_list_shows_state_outlet_and_number_of_entities(chief_client):
    story = ArticleFactory(title="Chip deal", published=True, outlet=OutletFactory(name="Wire"))
    entities = EntityFactory.create_batch(3, aliases=[])
    Mention.objects.bulk_create(Mention(article=story, entity=e) for e in entities)
    Mention.objects.filter(entity=entities[0]).update(status=Mention.Status.REJECTED)
    Article.objects.filter(pk=story.pk).update(
        tagging_status=Article.TaggingStatus.FAILED, tagging_error="Worker lost"
    )
    response = chief_client.get(ARTICLES)
    row = re.search(r"<tr>.*?Chip deal.*?</tr>", response.content.decode(), re.S).group()
    assert re.findall(r'class="field-(\w+)[" ]', row) == [
        "title",
        "publication",
        "tagging_state",
        "outlet",
        "published_at",
        "entity_count",
        "story",
    ]
    assert 'class="field-entity_count">2<' in row
    assert "Failed <span" in row
    assert "Worker lost" in row
    assert ">Wire<" in row


def test_the_article_list_and_page_show_each_report_s_story(chief_client):
    wire, ledger = OutletFactory(name="Wire"), OutletFactory(name="Ledger")
    first = ArticleFactory(title="Chip deal, by Wire", outlet=wire, origin=Article.Origin.FEED)
    second = ArticleFactory(title="Chip deal, by Ledger", outlet=ledger)
    alone = ArticleFactory(title="Another story", outlet=wire)
    story = StoryCluster.objects.create(lead=first)
    Article.objects.filter(pk__in=[first.pk, second.pk]).update(cluster=story)
    link = f'<a href="/admin/articles/storycluster/{story.pk}/change/">2 reports</a>'
    listing = chief_client.get(f"{ARTICLES}?incoming=yes").content.decode()
    assert re.search(r"<tr>.*?Chip deal, by Wire.*?</tr>", listing, re.S).group().count(link) == 1
    assert alone.title not in listing
    assert link in chief_client.get(f"{ARTICLES}{second.pk}/change/").content.decode()


def test_the_stalled_filter_lists_the_sweep_s_stalled_stories(chief_client):
    stalled, fresh = ArticleFactory(title="Stalled"), ArticleFactory(title="Fresh")
    Article.objects.filter(pk=stalled.pk).update(tagging_requested_at=hours(-3))
    Article.objects.filter(pk=fresh.pk).update(tagging_requested_at=timezone.now())
    response = chief_client.get(f"{ARTICLES}?tagging_status=stalled")
    assert [a.title for a in response.context["cl"].result_list] == ["Stalled"]
    assert "Stalled (pending)" in response.content.decode()


def test_the_article_list_runs_as_many_queries_with_entities_for_1_story_as_for_50(chief_client):
    entities = EntityFactory.create_batch(3, aliases=[])

    def stories(count):
        for story in ArticleFactory.create_batch(count, published=True):
            Mention.objects.bulk_create(Mention(article=story, entity=e) for e in entities)

    stories(1)
    one = queries_to_show(chief_client, ARTICLES)
    stories(49)
    assert queries_to_show(chief_client, ARTICLES) == one


def relationship_with_evidence(a, b, sentence, story=None):
    relationship = Relationship.objects.create(company_a=a, company_b=b, kind="partnership")
    story = story or ArticleFactory(title=f"{a} and {b}", body=sentence, published=True)
    RelationshipEvidence.objects.create(
        relationship=relationship, article=story, sentence=sentence, start=0, end=len(sentence)
    )
    return relationship, story


def test_each_relationship_row_quotes_its_evidence_with_both_companies_highlighted(chief_client):
    meta = EntityFactory(name="Meta Platforms", slug="meta-platforms", aliases=["Meta"])
    lg = EntityFactory(name="LG <Electronics>", slug="lg-electronics", aliases=["LG"])
    _, story = relationship_with_evidence(
        meta, lg, "Meta and LG <Electronics> will build headsets; Metaverse fans cheered."
    )
    content = chief_client.get(RELATIONSHIPS).content.decode()
    assert (
        "<mark>Meta</mark> and <mark>LG &lt;Electronics&gt;</mark> will build headsets; "
        "Metaverse fans cheered." in content
    )
    assert f'<a href="{story.get_admin_url()}">' in content
    assert f'href="?article={story.pk}"' in content


def test_the_relationship_queue_filters_by_story_company_kind_and_status(chief_client):
    meta, lg, nvidia = (EntityFactory(aliases=[]) for _ in range(3))
    first, story = relationship_with_evidence(meta, lg, "One sentence.")
    second, _ = relationship_with_evidence(meta, nvidia, "Another sentence.")
    third, _ = relationship_with_evidence(lg, nvidia, "A third.", story=story)
    Relationship.objects.filter(pk=third.pk).update(kind="competition", status="confirmed")

    def listed(query):
        return {r.pk for r in chief_client.get(RELATIONSHIPS + query).context["cl"].result_list}

    assert listed(f"?article={story.pk}") == {first.pk, third.pk}
    assert listed(f"?company={meta.pk}") == {first.pk, second.pk}
    assert listed("?kind__exact=competition") == {third.pk}
    assert listed("?status__exact=detected") == {first.pk, second.pk}
    assert listed(f"?article={story.pk}&status__exact=detected") == {first.pk}
    # The chosen story is named in the filter, to be cleared from there.
    assert story.title in chief_client.get(f"{RELATIONSHIPS}?article={story.pk}").content.decode()


def test_a_story_s_filter_quotes_that_story_s_sentence(chief_client):
    meta, lg = EntityFactory(aliases=[]), EntityFactory(aliases=[])
    relationship, older = relationship_with_evidence(meta, lg, "The older sentence.")
    newer = ArticleFactory(published=True)
    RelationshipEvidence.objects.create(
        relationship=relationship, article=newer, sentence="The newer sentence.", start=0, end=19
    )
    assert "The newer sentence." in chief_client.get(RELATIONSHIPS).content.decode()
    content = chief_client.get(f"{RELATIONSHIPS}?article={older.pk}").content.decode()
    assert "The older sentence." in content
    assert "The newer sentence." not in content


@pytest.mark.parametrize("value", ["abc", "-1", "9" * 40, "1.5", "999999"])
def test_a_bad_story_or_company_in_the_address_lists_nothing_without_an_error(chief_client, value):
    relationship_with_evidence(EntityFactory(aliases=[]), EntityFactory(aliases=[]), "A sentence.")
    for parameter in ("article", "company"):
        response = chief_client.get(f"{RELATIONSHIPS}?{parameter}={value}")
        assert response.status_code == 200
        assert response.context["cl"].result_count == 0


def test_the_relationship_queue_runs_as_many_queries_for_1_row_as_for_30(chief_client):
    def rows(count, label):
        for n in range(count):
            a = EntityFactory(name=f"{label} A{n}", aliases=[f"{label} A{n}", f"A{n}"])
            b = EntityFactory(name=f"{label} B{n}", aliases=[f"{label} B{n}"])
            relationship, story = relationship_with_evidence(a, b, f"A{n} partners {label} B{n}.")
            for extra in range(3):
                RelationshipEvidence.objects.create(
                    relationship=relationship,
                    article=story,
                    sentence="More.",
                    start=extra + 1,
                    end=9,
                )

    rows(1, "First")
    one = queries_to_show(chief_client, RELATIONSHIPS)
    rows(29, "More")
    assert queries_to_show(chief_client, RELATIONSHIPS) == one
    assert Alias.objects.count() == 90


def test_an_editor_cannot_review_relationships_by_a_crafted_post(editor_client):
    relationship, _ = relationship_with_evidence(
        EntityFactory(aliases=[]), EntityFactory(aliases=[]), "A sentence."
    )
    for action in ("confirm", "reject"):
        editor_client.post(RELATIONSHIPS, {"action": action, "_selected_action": [relationship.pk]})
    response = editor_client.post(
        reverse("admin:entities_relationship_change", args=[relationship.pk]),
        {"status": "confirmed"},
    )
    assert response.status_code == 403
    relationship.refresh_from_db()
    assert relationship.status == Relationship.Status.DETECTED
