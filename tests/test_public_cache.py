"""Public pages are served from the cache until what they show changes.

A page is rendered once and then served with no query until an editor's change (publishing,
editing, re-tagging, an entity or a relationship) or an embargo's end makes it stale. A page
about one entity or one pair of companies stays cached while stories about others change.
"""

import html
import re

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.public_cache import (
    KNOWLEDGE_VERSION,
    SITE_VERSION,
    cached_parts,
    public_content_changed,
    subject_version,
)
from articles.services import article_request_tagging, article_save, article_transition
from entities import panels
from entities.models import Entity, Mention, Relationship, Topic
from entities.services import entity_merge, entity_pages_changed, relationships_refresh_seen
from tests.factories import ArticleFactory, OutletFactory

TIMELINE = "/companies/meta-platforms/"
PAIR = "/partnerships/lg-electronics/meta-platforms/"
PAGES = ["/", TIMELINE, "/people/mark-zuckerberg/", PAIR, "/partnerships/", "/search/?q=Meta"]


STORY_ITEM_TITLE = re.compile(
    r'<li class="story-item">\s*<h3 lang="\w+"><a href="[^"]+">([^<]*)</a>'
)


def titles(response) -> list[str]:
    """Return the titles of the page's story list as readers get them: from its HTML."""
    return [html.unescape(title) for title in STORY_ITEM_TITLE.findall(response.content.decode())]


def drawn(response, template: str) -> int:
    return [used.name for used in response.templates].count(template)


@pytest.fixture
def rename(django_capture_on_commit_callbacks):
    """Rename an entity as an editor's save does, running its commit hooks."""

    def rename(slug: str, name: str) -> None:
        entity = Entity.objects.get(slug=slug)
        entity.name = name
        with django_capture_on_commit_callbacks(execute=True):
            entity.save()

    return rename


@pytest.mark.parametrize("url", PAGES)
def test_a_page_read_again_runs_no_query_and_answers_conditional_requests(
    client, stories, django_assert_num_queries, url
):
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert "max-age=" in again["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_story_page_is_cached_and_unknown_pages_are_not(client, stories):
    story = stories[0].get_absolute_url()
    assert client.get(story).status_code == 200
    assert client.get("/stories/no-such-story/").status_code == 404
    # A 404 was not kept: the story, published now under that address, is found.
    ArticleFactory(slug="no-such-story", published=True)
    assert client.get("/stories/no-such-story/").status_code == 200


def test_publishing_editing_and_retagging_reach_the_cached_pages(
    client, stories, chief_editor, publish_through_workflow, django_capture_on_commit_callbacks
):
    english = stories[0]
    client.get(TIMELINE)
    draft = publish_through_workflow(
        "Meta Platforms opens a lab", "Meta Platforms opened a research lab.", english.outlet
    )
    assert "Meta Platforms opens a lab" in titles(client.get(TIMELINE))

    english.title = "Meta and LG Electronics sign for XR headsets"
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=english, by=None)
    assert english.title in titles(client.get(TIMELINE))

    with django_capture_on_commit_callbacks(execute=True):
        article_transition(article=draft, step="return_to_draft", by=chief_editor)
    assert "Meta Platforms opens a lab" not in titles(client.get(TIMELINE))


def test_an_editor_s_change_to_an_entity_or_a_relationship_reaches_the_pages(
    client, stories, django_capture_on_commit_callbacks
):
    assert client.get(PAIR).context["relationships"]
    meta = Entity.objects.get(slug="meta-platforms")
    meta.description = "Owner of Facebook, Instagram and WhatsApp."
    with django_capture_on_commit_callbacks(execute=True):
        meta.save()
    assert meta.description in client.get(TIMELINE).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        for relationship in Relationship.objects.all():
            relationship.status = Relationship.Status.REJECTED
            relationship.save()
    assert not client.get(PAIR).context["relationships"]

    story = stories[0].get_absolute_url()
    assert 'href="/people/william-cho/"' in client.get(story).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Mention.objects.get(article=stories[0], entity__slug="william-cho").delete()
    assert 'href="/people/william-cho/"' not in client.get(story).content.decode()


ABOUT_META = [TIMELINE, f"{TIMELINE}rss/", PAIR, f"{PAIR}atom/"]


def test_pages_about_an_entity_stay_cached_while_stories_about_others_come_out(
    client, stories, publish, django_assert_num_queries
):
    for url in ABOUT_META:
        client.get(url)
    home = client.get("/")
    nvidia = publish("Nvidia ships a new chip", "Nvidia announced the H200 chip on Monday.")
    assert Mention.objects.filter(article=nvidia, entity__slug="nvidia").exists()
    assert not Mention.objects.filter(article=nvidia, entity__slug="meta-platforms").exists()

    with django_assert_num_queries(0):
        for url in ABOUT_META:
            assert client.get(url).status_code == 200
    assert "Nvidia ships a new chip" in titles(client.get("/"))
    assert client.get("/").content != home.content
    assert "Nvidia ships a new chip" in titles(client.get("/companies/nvidia/"))


def test_a_story_that_stops_naming_an_entity_leaves_its_cached_timeline(
    client, stories, django_capture_on_commit_callbacks
):
    english, _ = stories
    lg_timeline = "/companies/lg-electronics/"
    assert english.title in titles(client.get(lg_timeline))
    english.title = "Meta signs an XR deal"
    english.body = "Meta Platforms chief Mark Zuckerberg signed a deal on XR headsets."
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=english, by=None)
    assert english.title not in titles(client.get(lg_timeline))
    assert english.title in titles(client.get(TIMELINE))


def test_re_tagging_refreshes_the_pages_of_what_the_story_named_before(
    client, publish, django_capture_on_commit_callbacks
):
    story = publish("LG Electronics shows a TV", "LG Electronics showed a rollable TV in Seoul.")
    lg_timeline = "/companies/lg-electronics/"
    # An editor confirmed LG: the story stays on LG's page even once the tagger stops
    # finding the name, and that page must show the story as it now reads.
    Mention.objects.filter(article=story, entity__slug="lg-electronics").update(
        origin=Mention.Origin.EDITOR, status=Mention.Status.CONFIRMED
    )
    assert titles(client.get(lg_timeline)) == [story.title]
    # Written without the editor's save (as by a bulk import), then re-tagged: only the
    # tagging's own expiry can refresh LG's page.
    Article.objects.filter(pk=story.pk).update(
        title="A rollable TV", body="A rollable TV was shown in Seoul."
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_request_tagging(article=story)
    assert titles(client.get(lg_timeline)) == ["A rollable TV"]


def test_relationships_dated_anew_reach_the_pages_of_both_companies(
    client, stories, django_capture_on_commit_callbacks
):
    relationship = Relationship.objects.get(
        company_a__slug="lg-electronics", company_b__slug="meta-platforms", kind="partnership"
    )

    def card_dates(url):
        return {
            card.pk: card.last_seen
            for _, cards in client.get(url).context["relationship_groups"]
            for card in cards
        }

    assert card_dates(TIMELINE)[relationship.pk] is not None
    assert card_dates("/companies/lg-electronics/")[relationship.pk] is not None
    # As after the sweep that dates relationships once an embargo lifts: the dates change
    # with no editor's save and no story re-tagged.
    relationship.evidence.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        relationships_refresh_seen([relationship.pk])
    assert relationship.pk not in card_dates(TIMELINE)
    assert relationship.pk not in card_dates("/companies/lg-electronics/")


def test_with_the_database_gone_after_a_commit_every_page_goes_stale_without_an_error(
    client, stories, django_capture_on_commit_callbacks, monkeypatch
):
    meta = Entity.objects.get(slug="meta-platforms")
    client.get(TIMELINE)

    def database_gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    with django_capture_on_commit_callbacks(execute=True):
        entity_pages_changed([meta.pk])
        # The slugs are looked up after the commit, when PostgreSQL may be restarting.
        monkeypatch.setattr(Entity.objects, "filter", database_gone)
    monkeypatch.undo()
    stories[0].title = "Seen once the pages went stale"
    stories[0].save()
    assert "Seen once the pages went stale" in titles(client.get(TIMELINE))


@pytest.mark.parametrize(
    "version", [SITE_VERSION, KNOWLEDGE_VERSION, subject_version("meta-platforms")]
)
def test_a_version_lost_from_the_cache_never_brings_back_an_older_page(
    client, stories, django_capture_on_commit_callbacks, version
):
    url = "/" if version == SITE_VERSION else TIMELINE
    client.get(url)
    stories[0].title = "Meta and LG Electronics widen their XR partnership"
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=stories[0], by=None)
    assert stories[0].title in titles(client.get(url))
    # Evicted: the page stored before the edit, under the first version, stays unreachable.
    cache.delete(version)
    assert stories[0].title in titles(client.get(url))


def max_age(response) -> int:
    return int(response["Cache-Control"].split("max-age=")[1].split(",")[0])


def test_a_cached_page_ends_when_an_embargoed_story_comes_out(
    client, publish, monkeypatch, settings
):
    publish("Meta Platforms earlier story", "Meta Platforms said things.")
    release = timezone.now() + timezone.timedelta(minutes=2)
    publish("Meta Platforms embargoed story", "Meta Platforms will say more.", published_at=release)
    first = client.get(TIMELINE)
    assert titles(first) == ["Meta Platforms earlier story"]
    assert 0 < max_age(first) <= 120
    later = release + timezone.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    out = client.get(TIMELINE)
    assert titles(out)[0] == "Meta Platforms embargoed story"
    # With no embargo left, pages are kept as long as the settings allow again.
    assert max_age(out) == settings.NEWSDESK_PUBLIC_CACHE_SECONDS
    assert max_age(client.get("/")) == settings.NEWSDESK_PUBLIC_CACHE_SECONDS


def test_an_embargo_set_after_pages_were_cached_bounds_their_lifetime(client, publish, settings):
    publish("Meta Platforms earlier story", "Meta Platforms said things.")
    assert max_age(client.get("/")) == settings.NEWSDESK_PUBLIC_CACHE_SECONDS
    assert max_age(client.get(TIMELINE)) == settings.NEWSDESK_PUBLIC_CACHE_SECONDS
    release = timezone.now() + timezone.timedelta(minutes=2)
    publish("Meta Platforms embargoed story", "Meta Platforms will say more.", published_at=release)
    assert 0 < max_age(client.get("/")) <= 120
    assert 0 < max_age(client.get(TIMELINE)) <= 120
    assert 0 < max_age(client.get("/companies/lg-electronics/")) <= 120


def test_each_host_has_its_own_cached_page(client, stories, settings):
    settings.ALLOWED_HOSTS = ["news.example", "mirror.example"]
    story = stories[0].get_absolute_url()
    main = client.get(story, HTTP_HOST="news.example").content.decode()
    mirror = client.get(story, HTTP_HOST="mirror.example").content.decode()
    assert 'rel="canonical" href="http://news.example/' in main
    assert 'rel="canonical" href="http://mirror.example/' in mirror


def test_pages_are_served_when_the_cache_is_down(client, stories, monkeypatch):
    def cache_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    for operation in ("get", "get_many", "get_or_set", "set", "set_many"):
        monkeypatch.setattr(cache, operation, cache_down)
    for url in PAGES:
        assert client.get(url).status_code == 200
    assert titles(client.get(TIMELINE)) == [story.title for story in stories]


def test_the_admin_is_never_cached(chief_client, stories):
    changelist = reverse("admin:articles_article_changelist")
    first = chief_client.get(changelist)
    assert "ETag" not in first
    assert "no-store" in first["Cache-Control"]


def test_no_page_nor_part_of_one_is_kept_when_the_cache_time_is_zero(client, stories, settings):
    settings.NEWSDESK_PUBLIC_CACHE_SECONDS = 0
    client.get(TIMELINE)
    # Neither the page nor the story's list item can be told: no expiry hook runs inside the
    # test's transaction, and the story's version stays the same.
    Article.objects.filter(pk=stories[1].pk).update(title="Un autre titre")
    assert "Un autre titre" in titles(client.get(TIMELINE))


def test_a_page_drawn_anew_draws_only_the_items_of_the_stories_that_changed(
    client, stories, publish
):
    first = client.get(TIMELINE)
    assert drawn(first, "includes/story_item.html") == 2
    publish("Meta Platforms opens a lab in Paris", "Meta Platforms opened a lab in Paris.")
    again = client.get(TIMELINE)
    assert titles(again) == ["Meta Platforms opens a lab in Paris", *titles(first)]
    assert drawn(again, "includes/story_item.html") == 1
    # The items kept are the ones drawn before, chips included.
    assert again.content.decode().count('href="/people/mark-zuckerberg/"') == (
        first.content.decode().count('href="/people/mark-zuckerberg/"')
    )


def test_a_story_saved_or_re_tagged_is_drawn_anew(
    client, stories, django_capture_on_commit_callbacks
):
    english, _ = stories
    assert 'href="/companies/samsung-electronics/"' not in client.get(TIMELINE).content.decode()
    english.standfirst = "A standfirst <b>rewritten</b> by the desk."
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=english, by=None)
    page = client.get(TIMELINE).content.decode()
    assert "A standfirst &lt;b&gt;rewritten&lt;/b&gt; by the desk." in page
    # Re-tagged with no save (as when the knowledge base learns a name): the story's item
    # gets the entity the tagging found.
    Article.objects.filter(pk=english.pk).update(
        title="Samsung Electronics watches Meta and LG Electronics"
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_request_tagging(article=english)
    page = client.get(TIMELINE).content.decode()
    assert 'href="/companies/samsung-electronics/"' in page


def test_an_editor_s_rename_reaches_every_story_item(
    client, stories, rename, django_capture_on_commit_callbacks
):
    assert ">LG Electronics</a>" in client.get("/").content.decode()
    rename("lg-electronics", "LG Electronics Inc.")
    outlet = stories[0].outlet
    outlet.name = "The Newsdesk Wire"
    with django_capture_on_commit_callbacks(execute=True):
        outlet.save()
    page = client.get("/").content.decode()
    assert ">LG Electronics</a>" not in page
    assert page.count(">LG Electronics Inc.</a>") == 2
    assert page.count("The Newsdesk Wire ·") == 2


def test_the_filter_form_is_drawn_once_per_query(
    client, stories, publish, rename, django_capture_on_commit_callbacks
):
    french = f"{TIMELINE}?language=fr"
    assert drawn(client.get(french), "includes/filter_form.html") == 1
    publish("Meta Platforms opens a lab in Paris", "Meta Platforms opened a lab in Paris.")
    again = client.get(french)
    assert drawn(again, "includes/filter_form.html") == 0
    assert '<option value="fr" selected>' in again.content.decode()
    english = client.get(f"{TIMELINE}?language=en")
    assert drawn(english, "includes/filter_form.html") == 1
    assert '<option value="en" selected>' in english.content.decode()
    # Renaming an entity changes none of its choices: the form is kept.
    rename("lg-electronics", "LG Electronics Inc.")
    renamed = client.get(french)
    assert "LG Electronics Inc." in renamed.content.decode()
    assert drawn(renamed, "includes/filter_form.html") == 0
    # A new outlet is a new choice: the form is drawn anew.
    with django_capture_on_commit_callbacks(execute=True):
        OutletFactory(name="Tech Wire Quebec")
    assert "Tech Wire Quebec</option>" in client.get(french).content.decode()


def test_an_entity_s_header_is_drawn_once_per_change_to_the_knowledge_base(
    client, stories, publish, rename
):
    lg_timeline = "/companies/lg-electronics/"
    assert drawn(client.get(lg_timeline), "entities/entity_header.html") == 1
    publish("LG Electronics opens a plant", "LG Electronics opened a plant in Poland.")
    again = client.get(lg_timeline)
    assert titles(again)[0] == "LG Electronics opens a plant"
    assert drawn(again, "entities/entity_header.html") == 0
    assert 'Part of <a href="/companies/lg-corp/">LG Corp</a>' in again.content.decode()
    rename("lg-corp", "LG Holdings")
    page = client.get(lg_timeline).content.decode()
    assert 'Part of <a href="/companies/lg-corp/">LG Holdings</a>' in page


def test_re_tagging_that_drops_a_suggestion_leaves_the_pages_of_others_cached(
    client, stories, publish, django_capture_on_commit_callbacks, django_assert_num_queries
):
    english, _ = stories
    publish("Apple ships a headset", "Apple shipped the Apple Vision Pro headset in Cupertino.")
    apple = client.get("/companies/apple/")
    nvidia_timeline = "/companies/nvidia/?mentions=all"
    assert english.title in titles(client.get(nvidia_timeline))
    english.body = "Meta Platforms chief Mark Zuckerberg and LG Electronics head William Cho met."
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=english, by=None)
    assert not Mention.objects.filter(article=english, entity__slug="nvidia").exists()
    # The tagger's dropped suggestion expires the pages of what the story named, not all.
    assert english.title not in titles(client.get(nvidia_timeline))
    with django_assert_num_queries(0):
        assert client.get("/companies/apple/").content == apple.content


def test_kept_parts_never_push_pages_out_of_the_page_cache(
    client, stories, django_assert_num_queries
):
    page = client.get(TIMELINE)
    # More parts than the in-process page cache holds entries (Django's default, 300).
    cached_parts("filler", {n: n for n in range(400)}, lambda missing: dict.fromkeys(missing, ""))
    with django_assert_num_queries(0):
        assert client.get(TIMELINE).content == page.content


def test_a_page_drawn_asks_the_cache_for_its_versions_once(client, stories, monkeypatch):
    asked = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: asked.append(keys) or get_many(keys))
    # Its list items, filter form and header take the knowledge version the page was
    # looked up under (a Redis round trip each otherwise).
    assert drawn(client.get(TIMELINE), "includes/story_item.html") == 2
    assert len(asked) == 1


@pytest.fixture
def panels_counted(monkeypatch):
    """Count how many times entity panels are counted (their chart, cards and co-mentions)."""
    counted = []
    count = panels._count
    monkeypatch.setattr(
        panels, "_count", lambda entity, *args: counted.append(entity.slug) or count(entity, *args)
    )
    return counted


def named_with(response, kind: str) -> list[str]:
    section = re.search(rf"<h2>{kind} named with .*?</section>", response.content.decode(), re.S)
    return re.findall(r'href="/\w+/([\w-]+)/"', section.group(0)) if section else []


def test_a_rename_shows_on_the_panels_without_counting_them_again(
    client, stories, panels_counted, rename
):
    assert "William Cho" in client.get(TIMELINE).content.decode()
    rename("lg-electronics", "LG Electronics Inc.")
    rename("william-cho", "William Cho Joo-wan")
    page = client.get(TIMELINE).content.decode()
    # Counted by the worker when the stories came out, and never again since.
    assert panels_counted == []
    assert 'href="/partnerships/lg-electronics/meta-platforms/">LG Electronics Inc.</a>' in page
    assert "William Cho Joo-wan <span" in page


def test_an_editor_s_change_to_the_mentions_counts_the_panels_again(
    client, stories, panels_counted, django_capture_on_commit_callbacks
):
    assert "william-cho" in named_with(client.get(TIMELINE), "People")
    with django_capture_on_commit_callbacks(execute=True):
        for mention in Mention.objects.filter(entity__slug="william-cho"):
            mention.delete()
    assert "william-cho" not in named_with(client.get(TIMELINE), "People")
    assert panels_counted == ["meta-platforms"]


def test_the_worker_counts_the_panels_of_what_a_story_is_about_before_its_readers(
    client, stories, publish, panels_counted
):
    client.get(TIMELINE)
    assert panels_counted == []
    story = publish("Meta Platforms opens a lab", "Meta Platforms opened a lab in Paris.")
    # The tagging task counted them once the story was committed: its reader counts nothing.
    assert panels_counted == ["meta-platforms"]
    assert titles(client.get(TIMELINE))[0] == story.title
    assert panels_counted == ["meta-platforms"]


def test_a_kind_changed_in_the_admin_moves_the_entity_on_the_panels(
    chief_client, client, stories, django_capture_on_commit_callbacks
):
    assert "nvidia-h100" in named_with(client.get(TIMELINE), "Products")
    chip = Entity.objects.get(slug="nvidia-h100")
    form = {
        "kind": Entity.Kind.PERSON,
        "name": chip.name,
        "slug": chip.slug,
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = chief_client.post(f"/admin/entities/entity/{chip.pk}/change/", form)
    assert response.status_code == 302
    page = client.get(TIMELINE)
    assert "nvidia-h100" not in named_with(page, "Products")
    assert "nvidia-h100" in named_with(page, "People")


def test_a_panel_counts_a_story_once_its_embargo_lifts(client, publish, monkeypatch):
    publish("Meta Platforms earlier story", "Meta Platforms hired Mark Zuckerberg again.")
    release = timezone.now() + timezone.timedelta(minutes=2)
    publish(
        "Meta Platforms embargoed story",
        "Meta Platforms and William Cho will say more.",
        published_at=release,
    )
    assert named_with(client.get(TIMELINE), "People") == ["mark-zuckerberg"]
    later = release + timezone.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert named_with(client.get(TIMELINE), "People") == ["mark-zuckerberg", "william-cho"]


def test_a_merge_moves_the_mentions_counted_on_the_panels(
    client, stories, django_capture_on_commit_callbacks
):
    assert "william-cho" in named_with(client.get(TIMELINE), "People")
    source = Entity.objects.get(slug="william-cho")
    target = Entity.objects.create(kind=Entity.Kind.PERSON, name="Cho Joo-wan", slug="cho-joo-wan")
    with django_capture_on_commit_callbacks(execute=True):
        entity_merge(source=source, target=target)
    people = named_with(client.get(TIMELINE), "People")
    assert "cho-joo-wan" in people
    assert "william-cho" not in people


APPLE = "/companies/apple/"


@pytest.fixture
def apple_cached(client, publish, django_assert_num_queries):
    """A story about others, its page cached: it must stay so through changes not about it."""
    publish("Apple ships a headset", "Apple shipped the Apple Vision Pro headset in Cupertino.")
    page = client.get(APPLE).content

    def still_cached():
        with django_assert_num_queries(0):
            assert client.get(APPLE).content == page

    return still_cached


def test_an_editor_s_change_to_a_mention_redraws_what_its_story_names_alone(
    client, stories, apple_cached, panels_counted, django_capture_on_commit_callbacks
):
    english = stories[0]
    lg_all = "/companies/lg-electronics/?mentions=all"
    assert client.get("/").content.decode().count(">LG Electronics</a>") == 2
    assert english.title in titles(client.get(lg_all))
    mention = Mention.objects.get(article=english, entity__slug="lg-electronics")
    mention.status = Mention.Status.REJECTED
    with django_capture_on_commit_callbacks(execute=True):
        mention.save()
    # The story's item is drawn again, and so are the pages of what it names.
    assert client.get("/").content.decode().count(">LG Electronics</a>") == 1
    assert english.title not in titles(client.get(lg_all))
    apple_cached()
    assert "apple" not in panels_counted[1:]


def test_a_mention_pointed_at_another_entity_leaves_the_first_one_s_page(
    client, stories, publish, django_capture_on_commit_callbacks
):
    english = stories[0]
    publish("Apple ships a headset", "Apple shipped the Apple Vision Pro headset in Cupertino.")
    nvidia_all, apple_all = "/companies/nvidia/?mentions=all", f"{APPLE}?mentions=all"
    assert english.title in titles(client.get(nvidia_all))
    assert english.title not in titles(client.get(apple_all))
    mention = Mention.objects.get(article=english, entity__slug="nvidia")
    mention.entity = Entity.objects.get(slug="apple")
    with django_capture_on_commit_callbacks(execute=True):
        mention.save()
    assert english.title not in titles(client.get(nvidia_all))
    assert english.title in titles(client.get(apple_all))


def test_relationships_rejected_in_the_admin_leave_the_pages_of_their_companies_alone(
    chief_client, client, stories, apple_cached, django_capture_on_commit_callbacks
):
    assert client.get(PAIR).context["relationships"]
    assert "/partnerships/lg-electronics/meta-platforms/" in client.get(TIMELINE).content.decode()
    pair = Relationship.objects.filter(
        company_a__slug="lg-electronics", company_b__slug="meta-platforms"
    )
    with django_capture_on_commit_callbacks(execute=True):
        chief_client.post(
            "/admin/entities/relationship/",
            {"action": "reject", "_selected_action": list(pair.values_list("pk", flat=True))},
        )
    assert not client.get(PAIR).context["relationships"]
    assert "/partnerships/lg-electronics/meta-platforms/" not in (
        client.get(TIMELINE).content.decode()
    )
    apple_cached()


def test_the_worker_counts_the_panels_when_a_tagged_draft_is_published(
    client, stories, publish_through_workflow, panels_counted
):
    client.get(TIMELINE)
    story = publish_through_workflow(
        "Meta Platforms opens a lab", "Meta Platforms opened a lab.", stories[0].outlet
    )
    assert panels_counted == ["meta-platforms"]
    assert titles(client.get(TIMELINE))[0] == story.title
    assert panels_counted == ["meta-platforms"]


def test_a_topic_renamed_reaches_the_cards_of_its_companies_alone(
    client, stories, apple_cached, django_capture_on_commit_callbacks
):
    assert '<span class="topic">XR</span>' in client.get(TIMELINE).content.decode()
    topic = Topic.objects.get(slug="xr")
    topic.name = "Extended reality"
    with django_capture_on_commit_callbacks(execute=True):
        topic.save()
    page = client.get(TIMELINE).content.decode()
    assert '<span class="topic">Extended reality</span>' in page
    assert "Extended reality" in client.get(PAIR).content.decode()
    apple_cached()
    with django_capture_on_commit_callbacks(execute=True):
        topic.delete()
    assert "Extended reality" not in client.get(TIMELINE).content.decode()


def test_an_entity_deleted_leaves_every_page_and_panel(
    client, stories, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    assert "william-cho" in named_with(client.get(TIMELINE), "People")
    assert "/partnerships/lg-electronics/meta-platforms/" in client.get(TIMELINE).content.decode()
    assert ">William Cho</a>" in client.get("/").content.decode()
    # The mentions and relationships deleted with it expire nothing one by one.
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(27):
        Entity.objects.get(slug="william-cho").delete()
        Entity.objects.get(slug="lg-electronics").delete()
    page = client.get(TIMELINE)
    assert "william-cho" not in named_with(page, "People")
    assert "/partnerships/lg-electronics/meta-platforms/" not in page.content.decode()
    assert ">William Cho</a>" not in client.get("/").content.decode()
    assert client.get(PAIR).status_code == 404


def test_the_worker_asks_when_the_next_embargo_lifts_once_per_story(stories):
    public_content_changed()
    with CaptureQueriesContext(connection) as queries:
        counted = panels.count_panels_named_in(stories[0].pk)
    embargo = '"articles_article"."published_at" >'
    next_publication = [query for query in queries.captured_queries if embargo in query["sql"]]
    assert counted >= 5
    assert len(next_publication) == 1
