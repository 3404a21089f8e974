import pytest
from django.urls import reverse
from django.utils import timezone

from articles import services, tagging
from articles.models import Article, Mention
from articles.services import knowledge_save
from entities.models import Alias, Candidate, Entity, Relationship
from tests.entities.kb import make_small_kb
from tests.factories import ArticleFactory


@pytest.fixture
def kb(db):
    return make_small_kb()


@pytest.fixture
def tagged_article(kb):
    article = ArticleFactory(
        title="Nvidia supplies Meta",
        body="Meta Platforms will buy H100 chips from Nvidia in a new supply deal.",
    )
    tagging.article_tag(article_id=article.pk)
    return article


def test_editor_rejects_one_entity_and_adds_another(editor_client, tagged_article, kb):
    nvidia = tagged_article.mentions.get(entity=kb["nvidia"])
    desk = reverse("admin:articles_article_desk_mentions", args=[tagged_article.pk])
    assert editor_client.post(desk, {"reject": nvidia.pk}).status_code == 302
    response = editor_client.post(desk, {"add": "1", "desk-entity": kb["samsung-electronics"].pk})
    assert response.status_code == 302
    nvidia.refresh_from_db()
    assert nvidia.status == Mention.Status.REJECTED
    added = tagged_article.mentions.get(entity=kb["samsung-electronics"])
    assert (added.origin, added.status) == (Mention.Origin.EDITOR, Mention.Status.CONFIRMED)


def test_article_page_shows_its_tagged_entities(editor_client, tagged_article):
    url = reverse("admin:articles_article_change", args=[tagged_article.pk])
    content = editor_client.get(url).content.decode()
    assert "Meta Platforms" in content
    assert "Nvidia H100" in content


def test_entity_choice_is_an_autocomplete_not_a_select_of_every_entity(chief_client, kb):
    page = chief_client.get(reverse("admin:entities_entity_change", args=[kb["nvidia-h100"].pk]))
    content = page.content.decode()
    assert 'data-ajax--url="/admin/autocomplete/"' in content
    assert content.count("<option") < 20
    response = chief_client.get(
        "/admin/autocomplete/",
        {"app_label": "entities", "model_name": "entity", "field_name": "maker", "term": "n"},
    )
    names = [result["text"] for result in response.json()["results"]]
    assert "Nvidia" in names
    assert "Nvidia H100" not in names  # a maker is a company


def test_editor_may_search_entities_for_a_mention(editor_client, kb):
    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "mention", "field_name": "entity", "term": "LG"},
    )
    assert {r["text"] for r in response.json()["results"]} >= {"LG Electronics", "LG Corp"}


def test_merge_moves_aliases_and_mentions(chief_client, tagged_article, kb):
    duplicate = Entity(kind="company", slug="nvidia-corp", name="NVIDIA Corp")
    knowledge_save(saved=[duplicate, Alias(entity=duplicate, text="NVIDIA Corporation")])
    other = ArticleFactory(body="NVIDIA Corporation reported record sales.")
    tagging.article_tag(article_id=other.pk)
    assert other.mentions.get().entity == duplicate
    changelist = reverse("admin:entities_entity_changelist")
    selected = [kb["nvidia"].pk, duplicate.pk]
    page = chief_client.post(changelist, {"action": "merge", "_selected_action": selected})
    assert "Choose the one to keep" in page.content.decode()
    response = chief_client.post(
        changelist,
        {"action": "merge", "_selected_action": selected, "target": kb["nvidia"].pk},
    )
    assert response.status_code == 302
    assert not Entity.objects.filter(pk=duplicate.pk).exists()
    assert set(kb["nvidia"].aliases.values_list("text", flat=True)) >= {
        "Nvidia",
        "NVIDIA Corporation",
        "NVIDIA Corp",
    }
    assert other.mentions.get().entity == kb["nvidia"]
    assert tagged_article.mentions.filter(entity=kb["nvidia"]).count() == 1


def test_merge_keeps_relationships_and_their_evidence(tagged_article, kb):
    relationship = Relationship.objects.get(kind="supplier_customer")
    evidence = relationship.evidence.count()
    duplicate = Entity.objects.create(kind="company", slug="meta", name="Meta Inc")
    services.entity_merge(source=kb["meta-platforms"], target=duplicate)
    moved = Relationship.objects.get(kind="supplier_customer")
    assert {moved.company_a, moved.company_b} == {duplicate, kb["nvidia"]}
    assert moved.company_a.slug < moved.company_b.slug
    assert moved.evidence.count() == evidence


def test_editor_is_not_offered_the_merge(editor_client, kb):
    page = editor_client.get(reverse("admin:entities_entity_changelist"))
    assert page.status_code == 200
    assert 'value="merge"' not in page.content.decode()


def test_accepting_a_candidate_creates_the_entity_and_retags(
    chief_client, kb, django_capture_on_commit_callbacks
):
    article = ArticleFactory(
        body="Meta Platforms held talks with Scale AI on data labelling.\n\n"
        "Scale AI will keep its chief executive."
    )
    tagging.article_tag(article_id=article.pk)
    assert tagging.article_discover(article_id=article.pk) >= 1
    candidate = Candidate.objects.get(text="Scale AI")
    assert candidate.sightings.get().count == 2
    with django_capture_on_commit_callbacks(execute=True):
        chief_client.post(
            reverse("admin:entities_candidate_changelist"),
            {"action": "accept", "_selected_action": [candidate.pk]},
        )
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.ACCEPTED
    assert article.mentions.filter(entity__name="Scale AI").exists()
    article.refresh_from_db()
    assert article.tagging_status == Article.TaggingStatus.DONE


def test_rejected_candidate_is_never_suggested_again(chief_client, kb):
    article = ArticleFactory(body="Meta Platforms talked to Scale AI about Scale AI data.")
    tagging.article_tag(article_id=article.pk)
    tagging.article_discover(article_id=article.pk)
    candidate = Candidate.objects.get(text="Scale AI")
    chief_client.post(
        reverse("admin:entities_candidate_changelist"),
        {"action": "reject", "_selected_action": [candidate.pk]},
    )
    tagging.article_discover(article_id=article.pk)
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.REJECTED
    assert not candidate.sightings.exists()


def test_relationship_review_queue_confirms_and_edits_topics(chief_client, tagged_article):
    relationship = Relationship.objects.get(kind="supplier_customer")
    changelist = reverse("admin:entities_relationship_changelist")
    listing = chief_client.get(changelist, {"kind": "supplier_customer", "status": "detected"})
    assert "Nvidia" in listing.content.decode()
    chief_client.post(changelist, {"action": "confirm", "_selected_action": [relationship.pk]})
    relationship.refresh_from_db()
    assert relationship.status == Relationship.Status.CONFIRMED
    change = reverse("admin:entities_relationship_change", args=[relationship.pk])
    page = chief_client.get(change).content.decode()
    assert tagged_article.title in page
    chief_client.post(
        change,
        {
            "status": "confirmed",
            "topics": [],
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
        },
    )
    relationship.refresh_from_db()
    assert relationship.topics_edited
    assert not relationship.topics.exists()


def test_editor_cannot_confirm_relationships(editor_client, tagged_article):
    relationship = Relationship.objects.get(kind="supplier_customer")
    editor_client.post(
        reverse("admin:entities_relationship_changelist"),
        {"action": "confirm", "_selected_action": [relationship.pk]},
    )
    relationship.refresh_from_db()
    assert relationship.status == Relationship.Status.DETECTED


def test_an_accepted_candidate_gets_a_slug_of_its_own_kind(kb):
    # Slugs taken by other names: a company's, and a product's that companies do not share.
    Entity.objects.create(kind=Entity.Kind.COMPANY, name="Scale Robotics", slug="scale-ai")
    Entity.objects.create(kind=Entity.Kind.PRODUCT, name="Scale Suite", slug="scale-ai-2")
    company = services.candidate_accept(candidate=Candidate.objects.create(text="Scale  AI"))
    assert (company.kind, company.slug) == (Entity.Kind.COMPANY, "scale-ai-2")


def test_an_entity_an_editor_adds_to_a_published_story_lists_it_on_its_timeline(
    chief_client, kb, django_capture_on_commit_callbacks
):
    story = ArticleFactory(
        title="Nvidia supplies Meta",
        body="Meta Platforms will buy H100 chips from Nvidia in a new supply deal.",
        published=True,
        published_at=timezone.now().replace(microsecond=0) - timezone.timedelta(hours=1),
    )
    tagging.article_tag(article_id=story.pk)
    samsung = kb["samsung-electronics"]
    timeline = samsung.get_absolute_url()
    assert story.title not in chief_client.get(timeline).content.decode()
    desk = reverse("admin:articles_article_desk_mentions", args=[story.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = chief_client.post(desk, {"add": "1", "desk-entity": samsung.pk})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.mentions.get(entity=samsung).article_published_at == story.published_at
    assert story.title in chief_client.get(timeline).content.decode()
