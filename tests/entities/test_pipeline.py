"""The tagging task and its services, run in-process (no broker needed)."""

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import tagging, tasks
from articles.models import Article, Mention
from articles.services import article_save, knowledge_save
from entities import knowledge_base
from entities.models import Alias, Relationship, Topic
from tests.entities.kb import make_small_kb
from tests.factories import ArticleFactory, OutletFactory

STORY_TITLE = "Zuckerberg meets LG Electronics chief to discuss an XR partnership"
STORY_BODY = (
    "Meta Platforms chief executive Mark Zuckerberg met William Cho, head of LG Electronics, "
    "in Seoul to discuss a partnership on mixed-reality headsets and on-device AI.\n\n"
    "Meta already sells headsets, while its rival Apple sells the Vision Pro.\n\n"
    "Meta also plans to buy more H100 chips from Nvidia this year."
)
# The story without its partnership between Meta and LG Electronics.
STORY_WITHOUT_PARTNERSHIP = STORY_BODY.split("\n\n", 1)[1]
DAY = timezone.timedelta(days=1)


@pytest.fixture
def kb(db):
    return make_small_kb()


@pytest.fixture
def story(kb, django_capture_on_commit_callbacks):
    article = Article(
        title=STORY_TITLE,
        body=STORY_BODY,
        source_url="https://news.example/zuckerberg-lg",
        outlet=OutletFactory(),
        language="en",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timezone.timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=article, by=None)
    article.refresh_from_db()
    return article


def mentioned(article, **filters):
    return set(article.mentions.filter(**filters).values_list("entity__slug", flat=True))


def test_saving_an_article_tags_it(story):
    assert story.tagging_status == Article.TaggingStatus.DONE
    assert story.tagged_fingerprint == story.fingerprint
    assert story.tagged_at is not None
    assert mentioned(story) == {
        "meta-platforms",
        "mark-zuckerberg",
        "william-cho",
        "lg-electronics",
        "apple",
        "apple-vision-pro",
        "nvidia-h100",
        "nvidia",
    }
    meta = story.mentions.get(entity__slug="meta-platforms")
    assert meta.count == 3
    assert all(STORY_BODY[start:end] in {"Meta", "Meta Platforms"} for start, end in meta.offsets)
    assert meta.is_subject
    assert "Mark Zuckerberg" in meta.snippet


def test_relationships_are_saved_with_their_evidence(story):
    partnership = Relationship.objects.get(kind="partnership")
    assert (partnership.company_a.slug, partnership.company_b.slug) == (
        "lg-electronics",
        "meta-platforms",
    )
    assert partnership.evidence.filter(article=story).exists()
    assert partnership.first_seen == story.published_at
    assert Relationship.objects.public().filter(pk=partnership.pk).exists()


def test_unchanged_text_is_not_tagged_again(story):
    assert tagging.article_tag(article_id=story.pk) is False


def test_tagging_twice_gives_the_same_rows(story):
    before = sorted(story.mentions.values_list("entity_id", "count", "offsets", "salience"))
    evidence_before = story.relationship_evidence.count()
    for _ in range(2):
        Article.objects.filter(pk=story.pk).update(tagged_fingerprint="")
        assert tagging.article_tag(article_id=story.pk) is True
    after = sorted(story.mentions.values_list("entity_id", "count", "offsets", "salience"))
    assert after == before
    assert story.relationship_evidence.count() == evidence_before


def test_editor_decisions_survive_retagging(story, kb, django_capture_on_commit_callbacks):
    story.mentions.filter(entity__slug="apple").update(status=Mention.Status.REJECTED)
    story.mentions.filter(entity__slug="nvidia").update(status=Mention.Status.CONFIRMED)
    Mention.objects.create(
        article=story,
        entity=kb["samsung-electronics"],
        origin=Mention.Origin.EDITOR,
        status=Mention.Status.CONFIRMED,
    )
    story.body = STORY_BODY.replace("Nvidia this year", "a supplier this year").replace(
        "H100 chips", "chips"
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=story, by=None)
    story.refresh_from_db()
    assert story.tagging_status == Article.TaggingStatus.DONE
    assert mentioned(story, status=Mention.Status.REJECTED) == {"apple"}
    assert mentioned(story, status=Mention.Status.CONFIRMED) == {"nvidia", "samsung-electronics"}
    assert "nvidia-h100" not in mentioned(story)


def test_editor_relationship_decisions_survive_retagging(story):
    partnership = Relationship.objects.get(kind="partnership")
    partnership.status = Relationship.Status.REJECTED
    partnership.save()
    partnership.topics.clear()
    Relationship.objects.filter(pk=partnership.pk).update(topics_edited=True)
    Article.objects.filter(pk=story.pk).update(tagged_fingerprint="")
    tagging.article_tag(article_id=story.pk)
    partnership.refresh_from_db()
    assert partnership.status == Relationship.Status.REJECTED
    assert not partnership.topics.exists()
    assert not Relationship.objects.public().filter(pk=partnership.pk).exists()


def test_relationship_without_published_evidence_is_not_public(
    kb, django_capture_on_commit_callbacks
):
    draft = ArticleFactory.build(
        title=STORY_TITLE, body=STORY_BODY, outlet=OutletFactory(), status=Article.Status.DRAFT
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=draft, by=None)
    assert Relationship.objects.filter(kind="partnership").exists()
    assert not Relationship.objects.public().exists()


def test_a_failure_is_recorded_on_the_article(story, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("dictionary exploded")

    monkeypatch.setattr(tagging, "tag", broken)
    Article.objects.filter(pk=story.pk).update(tagged_fingerprint="")
    tasks.tag_article.apply(args=[story.pk])
    story.refresh_from_db()
    assert story.tagging_status == Article.TaggingStatus.FAILED
    assert "dictionary exploded" in story.tagging_error


def test_deleted_article_is_skipped(db):
    assert tagging.article_tag(article_id=123456) is False


def test_save_succeeds_when_the_broker_is_down_and_the_sweep_tags_later(
    kb, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from kombu.exceptions import OperationalError

    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused.")

    with monkeypatch.context() as outage:
        outage.setattr(tasks.tag_article, "apply_async", broker_down)
        article = ArticleFactory.build(title=STORY_TITLE, body=STORY_BODY, outlet=OutletFactory())
        with django_capture_on_commit_callbacks(execute=True):
            article_save(article=article, by=None)
    article.refresh_from_db()
    assert article.tagging_status == Article.TaggingStatus.PENDING
    settings.NEWSDESK_TAGGING_STALE_SECONDS = 0
    assert tasks.sweep_stale_tagging() == 1
    article.refresh_from_db()
    assert article.tagging_status == Article.TaggingStatus.DONE
    assert mentioned(article) >= {"meta-platforms", "lg-electronics"}


def test_dictionary_is_rebuilt_only_when_the_knowledge_base_changes(kb):
    first = knowledge_base.get_dictionary()
    assert knowledge_base.get_dictionary() is first
    knowledge_save(saved=[Alias(entity=kb["nvidia"], text="NVDA", case_sensitive=True)])
    second = knowledge_base.get_dictionary()
    assert second is not first
    assert knowledge_base.get_dictionary() is second


def test_retag_command_requests_tagging_for_an_entity(story, django_capture_on_commit_callbacks):
    Article.objects.filter(pk=story.pk).update(tagging_status=Article.TaggingStatus.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retag", "--entity", "nvidia")
    story.refresh_from_db()
    assert story.tagging_status == Article.TaggingStatus.DONE


def test_retag_command_refuses_a_bad_date(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="date"):
        call_command("retag", "--since", "yesterday-ish")


def test_publishing_and_unpublishing_follow_through_to_mentions_and_relationships(
    kb, chief_editor, django_capture_on_commit_callbacks
):
    from articles.services import article_transition

    draft = ArticleFactory.build(title=STORY_TITLE, body=STORY_BODY, outlet=OutletFactory())
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=draft, by=None)
    assert not draft.mentions.exclude(article_published_at=None).exists()
    partnership = Relationship.objects.get(kind="partnership")
    assert partnership.last_seen is None

    article_transition(article=draft, step="publish", by=chief_editor)
    assert set(draft.mentions.values_list("article_published_at", flat=True)) == {
        draft.published_at
    }
    partnership.refresh_from_db()
    assert partnership.last_seen == draft.published_at
    assert Relationship.objects.public().filter(pk=partnership.pk).exists()

    article_transition(article=draft, step="return_to_draft", by=chief_editor)
    assert set(draft.mentions.values_list("article_published_at", flat=True)) == {None}
    assert not Relationship.objects.public().exists()


def test_relationship_dates_wait_for_the_embargo_and_the_sweep_catches_up(
    kb, chief_editor, django_capture_on_commit_callbacks, monkeypatch
):
    from articles.services import article_transition

    release = timezone.now() + timezone.timedelta(hours=2)
    story = ArticleFactory.build(
        title=STORY_TITLE, body=STORY_BODY, outlet=OutletFactory(), published_at=release
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=story, by=None)
    article_transition(article=story, step="publish", by=chief_editor)
    partnership = Relationship.objects.get(kind="partnership")
    assert partnership.last_seen is None

    monkeypatch.setattr(timezone, "now", lambda: release + timezone.timedelta(minutes=1))
    tasks.sweep_stale_tagging()
    partnership.refresh_from_db()
    assert partnership.last_seen == release


def tagged_story(*, published_at, status=Article.Status.PUBLISHED):
    article = ArticleFactory(
        title=STORY_TITLE, body=STORY_BODY, status=status, published_at=published_at
    )
    tagging.article_tag(article_id=article.pk)
    return article


def retag(article, *, title, body):
    article.title, article.body = title, body
    article.save()
    assert tagging.article_tag(article_id=article.pk) is True


def seen(relationship):
    relationship.refresh_from_db()
    return relationship.first_seen, relationship.last_seen


def test_tagging_runs_as_many_queries_for_several_relationships_as_for_one(kb):
    for slug in ("ai", "chips", "xr"):
        Topic.objects.create(slug=slug, name=slug)
    one = ArticleFactory(
        title="Samsung and Nvidia",
        body="Samsung Electronics signed a partnership with Nvidia on memory chips.",
        published=True,
    )
    several = ArticleFactory(title=STORY_TITLE, body=STORY_BODY, published=True)
    knowledge_base.get_dictionary()
    queries = []
    for article in (one, several):
        with CaptureQueriesContext(connection) as captured:
            tagging.article_tag(article_id=article.pk)
        queries.append(len(captured))
    assert one.relationship_evidence.values("relationship").distinct().count() == 1
    assert several.relationship_evidence.values("relationship").distinct().count() == 3
    assert queries[0] == queries[1] <= 13


def test_retagging_runs_a_bounded_number_of_queries(kb):
    story = tagged_story(published_at=timezone.now() - DAY)
    story.body = STORY_BODY.replace("this year", "next year")
    story.save()
    with CaptureQueriesContext(connection) as captured:
        tagging.article_tag(article_id=story.pk)
    assert len(captured) <= 15


def test_each_story_stretches_the_relationship_dates_as_a_full_recount_would(kb):
    now = timezone.now()
    tagged_story(published_at=now - 3 * DAY)
    partnership = Relationship.objects.get(kind="partnership")
    assert seen(partnership) == (now - 3 * DAY, now - 3 * DAY)

    tagged_story(published_at=now - DAY)
    assert seen(partnership) == (now - 3 * DAY, now - DAY)
    tagged_story(published_at=now - 5 * DAY)
    assert seen(partnership) == (now - 5 * DAY, now - DAY)
    # Neither a draft nor an embargoed story counts.
    tagged_story(published_at=now - 9 * DAY, status=Article.Status.DRAFT)
    tagged_story(published_at=now + DAY)
    assert seen(partnership) == (now - 5 * DAY, now - DAY)

    dates = {relationship.pk: seen(relationship) for relationship in Relationship.objects.all()}
    tagging.relationships_refresh_seen(dates)
    assert {relationship.pk: seen(relationship) for relationship in Relationship.objects.all()} == (
        dates
    )


def test_an_embargoed_story_counts_in_an_existing_relationship_once_it_lifts(kb, monkeypatch):
    now = timezone.now()
    tagged_story(published_at=now - DAY)
    release = now + timezone.timedelta(hours=2)
    tagged_story(published_at=release)
    partnership = Relationship.objects.get(kind="partnership")
    assert seen(partnership) == (now - DAY, now - DAY)

    monkeypatch.setattr(timezone, "now", lambda: release + timezone.timedelta(minutes=1))
    tasks.sweep_stale_tagging()
    assert seen(partnership) == (now - DAY, release)


def test_retagging_without_the_evidence_dates_the_relationship_from_what_remains(kb):
    now = timezone.now()
    older = tagged_story(published_at=now - 3 * DAY)
    newer = tagged_story(published_at=now - DAY)
    partnership = Relationship.objects.get(kind="partnership")
    topic_links = Relationship.topics.through.objects.count()

    retag(newer, title="Meta buys chips", body=STORY_WITHOUT_PARTNERSHIP)
    assert seen(partnership) == (now - 3 * DAY, now - 3 * DAY)
    assert Relationship.topics.through.objects.count() == topic_links

    retag(older, title="Meta buys chips", body=STORY_WITHOUT_PARTNERSHIP)
    assert not Relationship.objects.filter(pk=partnership.pk).exists()
    # The relationships both stories still show keep their dates.
    supplier = Relationship.objects.get(kind="supplier_customer")
    assert seen(supplier) == (now - 3 * DAY, now - DAY)


def test_a_confirmed_relationship_left_without_evidence_stays_undated_and_hidden(kb):
    story = tagged_story(published_at=timezone.now() - DAY)
    partnership = Relationship.objects.get(kind="partnership")
    Relationship.objects.filter(pk=partnership.pk).update(status=Relationship.Status.CONFIRMED)

    retag(story, title="Meta buys chips", body=STORY_WITHOUT_PARTNERSHIP)
    assert seen(partnership) == (None, None)
    # Kept for the editor who confirmed it; readers meet it again with its next story.
    assert Relationship.objects.filter(pk=partnership.pk).exists()
    assert not Relationship.objects.public().filter(pk=partnership.pk).exists()


def test_a_relationship_another_tagging_created_is_shared(kb):
    now = timezone.now()
    tagged_story(published_at=now - 3 * DAY)
    relationships = set(Relationship.objects.values_list("pk", flat=True))
    story = tagged_story(published_at=now - DAY)
    assert set(Relationship.objects.values_list("pk", flat=True)) == relationships
    partnership = Relationship.objects.get(kind="partnership")
    assert partnership.evidence.filter(article=story).exists()
    assert seen(partnership) == (now - 3 * DAY, now - DAY)


def test_tagging_goes_on_with_the_cache_down(kb, monkeypatch):
    compiled = knowledge_base.get_dictionary()

    def cache_down(*args, **kwargs):
        raise ConnectionError("Timeout reading from 127.0.0.1:6379")

    monkeypatch.setattr(knowledge_base.cache, "get", cache_down)
    assert knowledge_base.get_dictionary() is compiled
    monkeypatch.setattr(knowledge_base, "_compiled", None)
    assert knowledge_base.get_dictionary() is not compiled
    story = tagged_story(published_at=timezone.now() - DAY)
    assert mentioned(story) >= {"meta-platforms", "lg-electronics"}


def test_a_retry_finishes_what_a_run_lost_after_tagging(story, monkeypatch):
    # The database goes away right after the tagging committed, before clustering: the
    # retry finds the article tagged and must still cluster it.
    clustered = []

    def cluster_once_the_database_is_back(*, article_id):
        clustered.append(article_id)
        if len(clustered) == 1:
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(tasks.clusters, "article_cluster", cluster_once_the_database_is_back)
    Article.objects.filter(pk=story.pk).update(tagged_fingerprint="")
    assert tasks.tag_article.apply(args=[story.pk]).get() is True
    assert clustered == [story.pk, story.pk]
