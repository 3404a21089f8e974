"""The candidate page decides: accept as a new entity, link to a known one, or reject.

Accepting never duplicates what the knowledge base already has under a near-exact name.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, CandidateSighting
from articles.services import AlreadyInKnowledgeBase, candidate_accept, candidate_link
from entities.knowledge_base import kb_version
from entities.models import Alias, Candidate, Entity
from entities.tagging.normalize import identity_key
from tests.factories import ArticleFactory, EntityFactory

pytestmark = pytest.mark.django_db


def page(candidate) -> str:
    return reverse("admin:entities_candidate_change", args=[candidate.pk])


def seen(text, stories=1, likely_kind="") -> Candidate:
    """A pending candidate, seen in `stories` draft stories."""
    candidate = Candidate.objects.create(text=text, likely_kind=likely_kind)
    for n in range(stories):
        article = ArticleFactory(body=f"{text} opened an office in Lyon, story {n}.")
        CandidateSighting.objects.create(
            candidate=candidate,
            article=article,
            count=1,
            examples=[f"{text} opened an office in Lyon, story {n}."],
        )
    return candidate


def decide(client, candidate, follow=False, **data):
    return client.post(page(candidate), data, follow=follow)


@pytest.fixture
def amazon_company(db):
    """Amazon, known only by an ambiguous alias: stories naming it plainly were not tagged."""
    company = EntityFactory(name="Amazon", slug="amazon", aliases=[])
    Alias.objects.create(entity=company, text="Amazon", case_sensitive=True, ambiguous=True)
    return company


@pytest.mark.parametrize(
    ("name", "known"),
    [
        ("Amazon", "amazon"),
        ("AMAZON, Inc.", "Amazon"),
        ("Societe Generale SA", "Société Générale"),
        ("L’Oréal", "L'Oreal"),
        ("Meta-Platforms Corp.", "meta platforms"),
    ],
)
def test_near_exact_names_share_their_identity(name, known):
    assert identity_key(name) == identity_key(known)


@pytest.mark.parametrize(("name", "other"), [("Amazon", "Amazonia"), ("Meta", "Metaverse")])
def test_different_names_do_not(name, other):
    assert identity_key(name) != identity_key(other)


def test_amazon_under_an_ambiguous_alias_is_offered_as_the_link(chief_client, amazon_company):
    candidate = seen("Amazon")
    response = chief_client.get(page(candidate))
    form = response.context["adminform"].form
    assert form.known_entities == [amazon_company]
    assert form["link_to"].value() == amazon_company.pk
    assert "Already in the knowledge base" in response.content.decode()


def test_accepting_amazon_as_new_is_refused_and_makes_no_amazon_2(chief_client, amazon_company):
    candidate = seen("Amazon")
    response = decide(chief_client, candidate, decision="accept", kind="company", name="Amazon")
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "already in the knowledge base as Amazon (company)" in str(form.non_field_errors())
    # The refusal leaves the link to it ready to submit.
    assert form["link_to"].value() == str(amazon_company.pk)
    assert not Entity.objects.filter(slug="amazon-2").exists()
    assert Entity.objects.count() == 1
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.PENDING


def test_the_service_refuses_a_near_duplicate_too(amazon_company):
    candidate = seen("AMAZON Inc.")
    with pytest.raises(AlreadyInKnowledgeBase) as refusal:
        candidate_accept(candidate=candidate, kind="company")
    assert refusal.value.entities == [amazon_company]
    assert Entity.objects.count() == 1


def test_a_name_added_since_the_form_checked_is_refused_without_an_error(
    chief_client, amazon_company, monkeypatch
):
    candidate = seen("Amazon")
    # As if Amazon had been added between the form's check and the save.
    monkeypatch.setattr("entities.forms.entities_named", lambda names: [])
    response = decide(chief_client, candidate, decision="accept", kind="company", follow=True)
    assert response.redirect_chain == [(page(candidate), 302)]
    assert "already in the knowledge base as Amazon" in response.content.decode()
    assert Entity.objects.count() == 1
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.PENDING


def test_an_alias_that_names_a_known_entity_is_refused(chief_client, amazon_company):
    candidate = seen("AWS Cloud")
    response = decide(
        chief_client, candidate, decision="accept", kind="company", aliases="Amazon.\nAWS"
    )
    assert response.status_code == 200
    assert not Entity.objects.filter(name="AWS Cloud").exists()


def test_linking_amazon_adds_no_entity_and_re_tags_its_stories(
    chief_client, amazon_company, django_capture_on_commit_callbacks
):
    candidate = seen("Amazon", stories=2)
    version = kb_version()
    with django_capture_on_commit_callbacks() as callbacks:
        response = decide(chief_client, candidate, decision="link", link_to=amazon_company.pk)
    assert response.status_code == 302
    assert response["Location"].endswith("?status__exact=pending")
    candidate.refresh_from_db()
    assert (candidate.status, candidate.entity) == (Candidate.Status.ACCEPTED, amazon_company)
    assert Entity.objects.count() == 1
    # "Amazon" is its alias already (ambiguous): not added twice.
    assert list(amazon_company.aliases.values_list("text", flat=True)) == ["Amazon"]
    assert set(Article.objects.values_list("tagging_status", flat=True)) == {"pending"}
    # Two stories to tag again, and the public pages to expire.
    assert len(callbacks) == 3
    assert kb_version() != version


def test_linking_a_new_spelling_adds_it_as_an_alias(
    chief_client, kb, django_capture_on_commit_callbacks
):
    candidate = seen("Nvidia Corporation")
    story = CandidateSighting.objects.get(candidate=candidate).article
    story.body = "Nvidia Corporation supplies chips to Meta Platforms."
    story.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(chief_client, candidate, decision="link", link_to=kb["nvidia"].pk)
    assert response.status_code == 302
    assert kb["nvidia"].aliases.filter(text="Nvidia Corporation").exists()
    story.refresh_from_db()
    assert story.tagging_status == Article.TaggingStatus.DONE
    assert story.mentions.filter(entity=kb["nvidia"]).exists()


def test_candidate_link_takes_keyword_arguments_only(kb):
    with pytest.raises(TypeError):
        candidate_link(seen("Nvidia Corp"), kb["nvidia"])


def test_accepting_a_new_product_with_its_maker_and_aliases(
    chief_client, kb, django_capture_on_commit_callbacks
):
    candidate = seen("Galaxy XR", likely_kind="product")
    story = CandidateSighting.objects.get(candidate=candidate).article
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(
            chief_client,
            candidate,
            decision="accept",
            kind="product",
            name="Samsung Galaxy XR",
            aliases="Galaxy XR headset\n\ngalaxy xr",
            maker=kb["samsung-electronics"].pk,
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    product = Entity.objects.get(name="Samsung Galaxy XR")
    assert (product.kind, product.slug, product.maker) == (
        "product",
        "samsung-galaxy-xr",
        kb["samsung-electronics"],
    )
    # "galaxy xr" is the candidate written otherwise: one alias for both.
    assert sorted(product.aliases.values_list("text", flat=True)) == [
        "Galaxy XR",
        "Galaxy XR headset",
        "Samsung Galaxy XR",
    ]
    candidate.refresh_from_db()
    assert (candidate.status, candidate.entity) == (Candidate.Status.ACCEPTED, product)
    story.refresh_from_db()
    assert story.mentions.filter(entity=product).exists()


@pytest.mark.parametrize(
    ("kind", "link"), [("company", "maker"), ("product", "affiliation"), ("person", "parent")]
)
def test_a_link_to_a_company_that_does_not_apply_to_the_kind_is_refused(
    chief_client, kb, kind, link
):
    candidate = seen("Orbital Labs")
    response = decide(
        chief_client, candidate, decision="accept", kind=kind, **{link: kb["nvidia"].pk}
    )
    assert response.status_code == 200
    assert link in response.context["adminform"].form.errors
    assert not Entity.objects.filter(name="Orbital Labs").exists()


def test_accepting_needs_a_kind_and_linking_an_entity(chief_client, kb):
    candidate = seen("Orbital Labs")
    assert (
        "kind"
        in decide(chief_client, candidate, decision="accept").context["adminform"].form.errors
    )
    assert (
        "link_to"
        in decide(chief_client, candidate, decision="link").context["adminform"].form.errors
    )
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.PENDING


def test_rejecting_from_the_page(chief_client, kb):
    candidate = seen("Orbital Labs")
    response = decide(chief_client, candidate, decision="reject")
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.REJECTED
    assert not candidate.sightings.exists()


def test_the_page_quotes_every_sentence_highlighted_and_links_its_story(chief_client, kb):
    candidate = seen("Orbital <Labs>", stories=2)
    content = chief_client.get(page(candidate)).content.decode()
    assert content.count("<mark>Orbital &lt;Labs&gt;</mark> opened an office") == 2
    for sighting in candidate.sightings.select_related("article"):
        assert f'href="{sighting.article.get_admin_url()}"' in content


def test_a_decided_candidate_is_read_only(chief_client, kb):
    candidate = seen("Orbital Labs")
    decide(chief_client, candidate, decision="reject")
    response = chief_client.get(page(candidate))
    assert 'name="decision"' not in response.content.decode()
    assert decide(chief_client, candidate, decision="accept", kind="company").status_code == 403
    assert not Entity.objects.filter(name="Orbital Labs").exists()


def test_the_bulk_accept_skips_a_name_already_known(chief_client, amazon_company):
    candidate = seen("Amazon")
    response = chief_client.post(
        reverse("admin:entities_candidate_changelist"),
        {"action": "accept", "_selected_action": [candidate.pk]},
        follow=True,
    )
    assert "already in the knowledge base as Amazon" in response.content.decode()
    assert Entity.objects.count() == 1


def test_an_editor_sees_the_sentences_but_no_decision(editor_client, kb):
    candidate = seen("Orbital Labs")
    content = editor_client.get(page(candidate)).content.decode()
    assert "<mark>Orbital Labs</mark>" in content
    assert 'name="decision"' not in content


@pytest.mark.parametrize(
    "data",
    [
        {"decision": "accept", "kind": "company"},
        {"decision": "link", "link_to": "nvidia"},
        {"decision": "reject"},
    ],
)
def test_an_editor_cannot_decide_by_a_crafted_post(editor_client, kb, data):
    candidate = seen("Orbital Labs")
    if data.get("link_to"):
        data = {**data, "link_to": kb["nvidia"].pk}
    entities = Entity.objects.count()
    assert decide(editor_client, candidate, **data).status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.PENDING
    assert Entity.objects.count() == entities
    assert not kb["nvidia"].aliases.filter(text="Orbital Labs").exists()


@pytest.mark.parametrize("action", ["accept", "reject"])
def test_an_editor_cannot_use_the_bulk_actions(editor_client, kb, action):
    candidate = seen("Orbital Labs")
    editor_client.post(
        reverse("admin:entities_candidate_changelist"),
        {"action": action, "_selected_action": [candidate.pk]},
    )
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.PENDING


def test_the_candidate_page_runs_as_many_queries_for_2_stories_as_for_20(
    chief_client, kb, django_assert_max_num_queries
):
    few, many = seen("Orbital Labs", stories=2), seen("Kestrel Robotics", stories=20)
    counts = []
    for candidate in (few, many):
        with CaptureQueriesContext(connection) as queries:
            assert chief_client.get(page(candidate)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    most = seen("Tern Systems", stories=40)
    with django_assert_max_num_queries(counts[0]):
        chief_client.get(page(most))
