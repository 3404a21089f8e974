"""The article page as the review desk: workflow buttons, preview, tagged text, entities,
relationships and tagging state, for each role, by form post and by the desk's script."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import tagging
from articles.cache import GENERATION_KEY
from articles.models import Article, Mention, short_time
from entities.models import Relationship, Topic
from tests.admin_forms import article_form
from tests.factories import ArticleFactory, OutletFactory, UserFactory

ADD = reverse("admin:articles_article_add")
SUPPLY = "Meta Platforms will buy H100 chips from Nvidia in a new supply deal."
JSON = {"HTTP_ACCEPT": "application/json"}


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def desk_url(article, part):
    return reverse(f"admin:articles_article_desk_{part}", args=[article.pk])


def saved_form(article, **fields):
    """The article form as the page posts it, unchanged unless `fields` say otherwise."""
    article.refresh_from_db()
    stored = {
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "source_url": article.source_url,
        "language": article.language,
        "expected_version": article.version,
    }
    return article_form(article.outlet, **{**stored, **fields})


@pytest.fixture
def draft(kb):
    """A tagged draft naming Meta Platforms, Nvidia and the H100, with a supply relationship."""
    article = ArticleFactory(title="Nvidia supplies Meta", body=SUPPLY)
    tagging.article_tag(article_id=article.pk)
    article.refresh_from_db()
    return article


def buttons(response) -> list[str]:
    return [label for _, label in response.context["workflow_buttons"]]


# --- Workflow buttons ----------------------------------------------------------------------


def test_editor_has_save_and_submit_only(editor_client, draft):
    response = editor_client.get(change_url(draft))
    assert buttons(response) == ["Submit for review"]
    assert 'value="Save draft"' in response.content.decode()


def test_chief_editor_has_every_step_the_state_allows(chief_client, draft):
    assert buttons(chief_client.get(change_url(draft))) == [
        "Submit for review",
        "Publish now",
        "Archive",
    ]
    Article.objects.filter(pk=draft.pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now()
    )
    assert buttons(chief_client.get(change_url(draft))) == ["Send back to draft", "Archive"]


def test_chief_editor_publishes_a_new_story_in_one_step(chief_client, kb):
    outlet = OutletFactory()
    assert buttons(chief_client.get(ADD)) == ["Submit for review", "Publish now"]
    response = chief_client.post(ADD, article_form(outlet, _workflow="publish"), follow=True)
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED
    assert article.is_public
    assert "published: readers can see it now" in response.content.decode()
    assert response.redirect_chain[-1][0] == change_url(article)


def test_editor_submits_a_story_from_its_page(editor_client, draft):
    response = editor_client.post(change_url(draft), saved_form(draft, _workflow="submit"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW
    # The story is the chief editor's now: the page is read-only, without buttons.
    page = editor_client.get(change_url(draft)).content.decode()
    assert 'name="_workflow"' not in page


@pytest.mark.parametrize("step", ["publish", "archive", "return_to_draft"])
def test_editor_cannot_take_a_chief_editor_s_step_by_a_crafted_post(editor_client, draft, step):
    response = editor_client.post(
        change_url(draft), saved_form(draft, title="Changed by the post", _workflow=step)
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert (draft.status, draft.title) == (Article.Status.DRAFT, "Nvidia supplies Meta")


def test_an_unknown_step_is_a_bad_request(chief_client, draft):
    response = chief_client.post(change_url(draft), saved_form(draft, _workflow="explode"))
    assert response.status_code == 400
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT


def test_a_step_from_a_stale_page_saves_and_publishes_nothing(chief_client, draft):
    form = saved_form(draft, title="Stale title", _workflow="publish")
    draft.save()  # someone else saved meanwhile
    response = chief_client.post(change_url(draft), form)
    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.title) == (Article.Status.DRAFT, "Nvidia supplies Meta")


def test_an_impossible_step_keeps_the_save_and_says_why(chief_client, draft):
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.IN_REVIEW)
    response = chief_client.post(
        change_url(draft), saved_form(draft, standfirst="Kept.", _workflow="submit"), follow=True
    )
    assert "cannot be moved to in review" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.standfirst) == (Article.Status.IN_REVIEW, "Kept.")


def test_the_schedule_button_says_when_and_the_story_waits_until_then(chief_client, draft):
    later = timezone.now() + timezone.timedelta(days=2)
    Article.objects.filter(pk=draft.pk).update(published_at=later)
    page = chief_client.get(change_url(draft))
    label = f"Schedule for {short_time(later)}"
    assert label in buttons(page)
    # A time on a draft publishes nothing by itself: the page says so.
    assert "Not scheduled" in page.content.decode()
    local = timezone.localtime(later)
    form = saved_form(
        draft,
        published_at_0=f"{local:%Y-%m-%d}",
        published_at_1=f"{local:%H:%M:%S}",
        _workflow="publish",
    )
    response = chief_client.post(change_url(draft), form, follow=True)
    assert f"scheduled: it goes live {short_time(later)}" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert not Article.objects.published().filter(pk=draft.pk).exists()
    assert draft.goes_live_label() == f"Goes live {short_time(later)}"
    assert draft.goes_live_label() in response.content.decode()


# --- Preview -------------------------------------------------------------------------------


def preview_url(article):
    return reverse("admin:articles_article_preview", args=[article.pk])


@pytest.mark.parametrize("role", ["editor_client", "chief_client"])
def test_staff_preview_a_draft_as_its_public_page_never_cached_nor_indexed(request, role, draft):
    client = request.getfixturevalue(role)
    response = client.get(preview_url(draft))
    assert response.status_code == 200
    assert "articles/story.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"]
    assert 'href="/companies/nvidia/"' in page  # entities linked
    assert "Meta Platforms and Nvidia" in page  # the relationship it will show
    assert client.get(draft.get_absolute_url()).status_code == 404  # still not public


def test_a_rejected_relationship_is_not_in_the_preview(chief_client, draft):
    Relationship.objects.update(status=Relationship.Status.REJECTED)
    assert "Meta Platforms and Nvidia" not in chief_client.get(preview_url(draft)).content.decode()


def test_no_preview_for_readers_or_unknown_stories(chief_client, draft):
    client = Client()
    anonymous = client.get(preview_url(draft))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/admin/login/")
    client.force_login(UserFactory(username="reader", is_staff=False))
    assert client.get(preview_url(draft)).status_code == 302
    client.force_login(UserFactory(username="staff-without-rights"))
    assert client.get(preview_url(draft)).status_code == 403
    missing = reverse("admin:articles_article_preview", args=[draft.pk + 1000])
    assert chief_client.get(missing).status_code == 404


# --- Tagged text and entities --------------------------------------------------------------


def test_the_page_highlights_each_mention_by_kind_status_and_salience(editor_client, draft):
    page = editor_client.get(change_url(draft)).content.decode()
    nvidia = draft.mentions.get(entity__slug="nvidia")
    assert (
        f'<mark class="mention kind-company status-suggested subject" data-mention="{nvidia.pk}">'
        'Nvidia<span class="visually-hidden"> (company, suggested, subject)</span></mark>'
    ) in page
    assert 'aria-label="Legend"' in page
    # The first sentence naming it, the name marked; no tall inline rows any more.
    assert "chips from <mark>Nvidia</mark> in a new supply deal." in page
    assert 'id="mentions-group"' not in page


def test_a_long_sentence_is_cut_between_words(editor_client, kb):
    filler = " ".join(f"word{n}" for n in range(60))
    article = ArticleFactory(body=f"{filler} Nvidia {filler}.")
    tagging.article_tag(article_id=article.pk)
    [mention] = editor_client.get(change_url(article)).context["desk_mentions"]
    excerpt = str(mention.first_sentence)
    assert excerpt.startswith("…word")
    assert excerpt.endswith("…")
    assert "<mark>Nvidia</mark>" in excerpt
    # Whole words only: none is cut in two.
    words = excerpt.strip("…").replace("<mark>", " ").replace("</mark>", " ").split()
    assert set(words) <= {f"word{n}" for n in range(60)} | {"Nvidia"}


def test_a_hostile_body_is_escaped_in_the_highlighted_text(editor_client, kb):
    article = ArticleFactory(body="<script>alert(1)</script> Nvidia shipped.")
    tagging.article_tag(article_id=article.pk)
    page = editor_client.get(change_url(article)).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark" in page


def test_a_pending_story_says_so_rather_than_showing_an_empty_list(editor_client, db):
    article = ArticleFactory()
    page = editor_client.get(change_url(article)).content.decode()
    assert "Tagging is pending: the entities appear here once it is done." in page


def test_a_failed_tagging_shows_its_error_and_can_be_run_again(editor_client, draft):
    Article.objects.filter(pk=draft.pk).update(
        tagging_status=Article.TaggingStatus.FAILED, tagging_error="KeyError('boom')"
    )
    page = editor_client.get(change_url(draft)).content.decode()
    assert "Failed: <code>KeyError(&#x27;boom&#x27;)</code>" in page
    response = editor_client.post(desk_url(draft, "tagging"), {"retag": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.tagging_status == Article.TaggingStatus.PENDING
    assert draft.tagging_error == ""


def test_editor_may_not_re_tag_a_published_story(editor_client, draft):
    Article.objects.filter(pk=draft.pk).update(
        status=Article.Status.PUBLISHED, tagging_status=Article.TaggingStatus.DONE
    )
    assert editor_client.post(desk_url(draft, "tagging")).status_code == 403
    assert Article.objects.get(pk=draft.pk).tagging_status == Article.TaggingStatus.DONE


def test_editor_rejects_an_entity_by_a_plain_form_post(editor_client, draft):
    nvidia = draft.mentions.get(entity__slug="nvidia")
    response = editor_client.post(desk_url(draft, "mentions"), {"reject": nvidia.pk}, follow=True)
    assert response.redirect_chain[-1][0] == change_url(draft) + "#desk"
    assert "Nvidia rejected." in response.content.decode()
    nvidia.refresh_from_db()
    assert nvidia.status == Mention.Status.REJECTED
    assert "status-rejected" in response.content.decode()


def test_the_desk_script_gets_the_desk_again_and_the_form_s_new_version(editor_client, draft):
    nvidia = draft.mentions.get(entity__slug="nvidia")
    opened = draft.version
    response = editor_client.post(
        desk_url(draft, "mentions"), {"confirm": nvidia.pk, "expected_version": opened}, **JSON
    )
    assert response.status_code == 200
    reply = response.json()
    assert reply["message"] == "Nvidia confirmed."
    assert reply["version"] == Article.objects.get(pk=draft.pk).version > opened
    assert f'id="mention-{nvidia.pk}" class="status-confirmed"' in reply["desk"]
    # A page opened before someone else's save keeps its old version: its save is refused.
    again = editor_client.post(
        desk_url(draft, "mentions"), {"reject": nvidia.pk, "expected_version": opened}, **JSON
    )
    assert again.json()["version"] is None


def test_confirming_every_suggestion_and_adding_a_missed_entity(editor_client, draft, kb):
    editor_client.post(desk_url(draft, "mentions"), {"confirm_suggested": "1"})
    assert set(draft.mentions.values_list("status", flat=True)) == {Mention.Status.CONFIRMED}
    samsung = kb["samsung-electronics"]
    editor_client.post(desk_url(draft, "mentions"), {"add": "1", "desk-entity": samsung.pk})
    added = draft.mentions.get(entity=samsung)
    assert (added.origin, added.status) == (Mention.Origin.EDITOR, Mention.Status.CONFIRMED)


def test_a_rejected_entity_added_again_is_confirmed(editor_client, draft, kb):
    nvidia = draft.mentions.get(entity__slug="nvidia")
    Mention.objects.filter(pk=nvidia.pk).update(status=Mention.Status.REJECTED)
    editor_client.post(desk_url(draft, "mentions"), {"add": "1", "desk-entity": kb["nvidia"].pk})
    nvidia.refresh_from_db()
    assert nvidia.status == Mention.Status.CONFIRMED
    assert draft.mentions.filter(entity=kb["nvidia"]).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"confirm": "999999"},
        {"reject": "not-a-number"},
        {"confirm": ""},
        {},
        {"add": "1", "desk-entity": "999999"},
        {"add": "1"},
    ],
)
def test_bad_desk_input_is_a_message_not_an_error(editor_client, draft, data):
    before = list(draft.mentions.values_list("pk", "status"))
    by_script = editor_client.post(desk_url(draft, "mentions"), data, **JSON)
    assert by_script.status_code == 400
    assert by_script.json()["message"]
    by_form = editor_client.post(desk_url(draft, "mentions"), data, follow=True)
    assert by_form.status_code == 200
    assert list(by_form.context["messages"])
    assert list(draft.mentions.values_list("pk", "status")) == before


def test_another_story_s_mention_cannot_be_changed_through_this_one(editor_client, draft, kb):
    other = ArticleFactory(body="Nvidia shipped.")
    tagging.article_tag(article_id=other.pk)
    mention = other.mentions.get()
    response = editor_client.post(desk_url(draft, "mentions"), {"reject": mention.pk}, **JSON)
    assert response.status_code == 400
    assert Mention.objects.get(pk=mention.pk).status == Mention.Status.SUGGESTED


def test_editor_cannot_change_the_entities_of_a_published_story(editor_client, draft, kb):
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.PUBLISHED)
    nvidia = draft.mentions.get(entity__slug="nvidia")
    for data in [{"reject": nvidia.pk}, {"add": "1", "desk-entity": kb["apple"].pk}]:
        assert editor_client.post(desk_url(draft, "mentions"), data).status_code == 403
    assert Mention.objects.get(pk=nvidia.pk).status == Mention.Status.SUGGESTED
    assert not draft.mentions.filter(entity=kb["apple"]).exists()
    page = editor_client.get(change_url(draft)).content.decode()
    assert 'name="reject"' not in page


def test_the_desk_get_is_not_allowed(editor_client, draft):
    assert editor_client.get(desk_url(draft, "mentions")).status_code == 405


def test_a_decision_readers_could_see_expires_the_public_pages(
    chief_client, publish, django_capture_on_commit_callbacks
):
    from django.core.cache import caches

    story = publish("Nvidia supplies Meta", SUPPLY)
    before = caches["default"].get(GENERATION_KEY)
    nvidia = story.mentions.get(entity__slug="nvidia")
    with django_capture_on_commit_callbacks(execute=True):
        chief_client.post(desk_url(story, "mentions"), {"reject": nvidia.pk})
    assert caches["default"].get(GENERATION_KEY) != before
    page = chief_client.get(story.get_absolute_url()).content.decode()
    assert 'href="/companies/nvidia/"' not in page


# --- Relationships -------------------------------------------------------------------------


@pytest.fixture
def supply(draft):
    return Relationship.objects.get(kind=Relationship.Kind.SUPPLIER_CUSTOMER)


def test_the_page_shows_the_relationships_with_their_sentences(editor_client, draft, supply):
    page = editor_client.get(change_url(draft)).content.decode()
    assert "Meta Platforms and Nvidia: supplier and customer" in page
    assert f'<blockquote lang="en">{SUPPLY}</blockquote>' in page
    # Relationship review is the chief editor's: an Editor only reads.
    assert f'id="relationship-confirm-{supply.pk}"' not in page


def test_chief_editor_confirms_and_rejects_a_relationship(chief_client, draft, supply):
    response = chief_client.post(desk_url(draft, "relationships"), {"confirm": supply.pk}, **JSON)
    assert response.status_code == 200
    assert Relationship.objects.get(pk=supply.pk).status == Relationship.Status.CONFIRMED
    assert "desk-status status-confirmed" in response.json()["desk"]
    chief_client.post(desk_url(draft, "relationships"), {"reject": supply.pk})
    assert Relationship.objects.get(pk=supply.pk).status == Relationship.Status.REJECTED


def test_chief_editor_changes_the_kind_and_the_topics(chief_client, draft, supply):
    xr = Topic.objects.get_or_create(slug="xr", defaults={"name": "XR"})[0]
    prefix = f"relationship-{supply.pk}"
    chief_client.post(
        desk_url(draft, "relationships"),
        {"save": supply.pk, f"{prefix}-kind": "partnership", f"{prefix}-topics": [xr.pk]},
    )
    supply.refresh_from_db()
    assert supply.kind == Relationship.Kind.PARTNERSHIP
    assert list(supply.topics.all()) == [xr]
    assert supply.topics_edited


def test_a_kind_the_pair_already_has_is_refused_with_a_message(chief_client, draft, supply):
    Relationship.objects.create(
        company_a=supply.company_a, company_b=supply.company_b, kind="partnership"
    )
    prefix = f"relationship-{supply.pk}"
    response = chief_client.post(
        desk_url(draft, "relationships"),
        {"save": supply.pk, f"{prefix}-kind": "partnership"},
        **JSON,
    )
    assert response.status_code == 400
    assert "already have a partnership relationship" in response.json()["message"]
    assert Relationship.objects.get(pk=supply.pk).kind == Relationship.Kind.SUPPLIER_CUSTOMER


def test_a_relationship_this_story_does_not_show_is_refused(chief_client, draft, kb):
    other = Relationship.objects.create(
        company_a=kb["apple"], company_b=kb["nvidia"], kind="competition"
    )
    response = chief_client.post(desk_url(draft, "relationships"), {"confirm": other.pk}, **JSON)
    assert response.status_code == 400
    assert Relationship.objects.get(pk=other.pk).status == Relationship.Status.DETECTED


@pytest.mark.parametrize("data", ["confirm", "reject", "save"])
def test_editor_cannot_review_a_relationship_by_a_crafted_post(editor_client, draft, supply, data):
    prefix = f"relationship-{supply.pk}"
    response = editor_client.post(
        desk_url(draft, "relationships"), {data: supply.pk, f"{prefix}-kind": "competition"}
    )
    assert response.status_code == 403
    supply.refresh_from_db()
    assert (supply.status, supply.kind) == (Relationship.Status.DETECTED, "supplier_customer")
