"""Provisional entities: what tagging suggests as new (a product version, for now) is created
once, tagged as a suggestion that editors see at once, and kept from readers until a chief
editor accepts it. A family's timeline and feed take in its accepted versions."""

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Mention
from articles.selectors import stories_per_month, story_ids, timeline
from entities.knowledge_base import kb_changed
from entities.models import Alias, Entity

pytestmark = pytest.mark.django_db

VERSION_STORY = (
    "Apple showed the Vision Pro 2 to developers in Cupertino.\n\n"
    "The Vision Pro 2 is lighter than the first headset."
)
FRENCH_VERSION_STORY = "Apple a montré le Vision Pro 2 Ultra aux développeurs à Cupertino."


def provisional(**filters):
    return Entity.objects.filter(provisional=True, **filters)


def test_a_new_version_becomes_a_provisional_variant_with_a_suggested_mention(kb, publish):
    story = publish("Apple shows a second headset", VERSION_STORY)
    [variant] = provisional()
    assert variant.name == "Vision Pro 2"
    assert variant.kind == Entity.Kind.PRODUCT
    assert variant.variant_of == kb["apple-vision-pro"]
    assert variant.maker == kb["apple"]
    assert variant.slug == "vision-pro-2"
    mention = story.mentions.get(entity=variant)
    assert mention.status == Mention.Status.SUGGESTED
    assert mention.origin == Mention.Origin.AUTO
    assert mention.count == 2
    assert [story.body[start:end] for start, end in mention.offsets] == ["Vision Pro 2"] * 2
    # The family is tagged too, so readers see the story under the product they know.
    assert story.mentions.filter(entity=kb["apple-vision-pro"]).exists()


def test_a_french_new_version_is_suggested_too(kb, publish):
    story = publish("Apple montre un casque", FRENCH_VERSION_STORY, language="fr")
    [variant] = provisional()
    assert variant.name == "Vision Pro 2 Ultra"
    assert story.mentions.filter(entity=variant).exists()


def test_a_provisional_variant_is_created_once_and_tagged_directly_later(kb, publish):
    first = publish("Apple shows a second headset", VERSION_STORY)
    second = publish("The Vision Pro 2 ships", "Apple started shipping the Vision Pro 2 today.")
    [variant] = provisional()
    assert first.mentions.filter(entity=variant).exists()
    assert second.mentions.filter(entity=variant).exists()
    assert Alias.objects.filter(entity=variant).count() == 1


def test_readers_see_a_provisional_entitys_mentions_only_once_it_is_accepted(
    kb, publish, client, chief_editor
):
    story = publish("Apple shows a second headset", VERSION_STORY)
    [variant] = provisional()
    # Its own page, its feed and the "also" filter do not know it yet either.
    assert client.get("/products/vision-pro-2/").status_code == 404
    assert client.get("/products/vision-pro-2/rss/").status_code == 404
    family_page = client.get("/products/apple-vision-pro/?also=vision-pro-2")
    assert story.title not in family_page.content.decode()
    assert not Mention.objects.visible().filter(entity=variant).exists()
    assert not Mention.objects.published().filter(entity=variant).exists()
    page = client.get(story.get_absolute_url()).content.decode()
    assert "/products/vision-pro-2/" not in page
    assert "/products/vision-pro-2/" not in client.get("/sitemap-entities.xml").content.decode()
    assert "/products/vision-pro-2/" not in client.get("/").content.decode()
    # Editors see the suggestion at once.
    assert story.mentions.filter(entity=variant, status=Mention.Status.SUGGESTED).exists()

    # A chief editor accepts it from the entity list.
    desk = Client()
    desk.force_login(chief_editor)
    accepted = desk.post(
        "/admin/entities/entity/?provisional__exact=1",
        {"action": "accept", "_selected_action": [variant.pk]},
    )
    assert accepted.status_code == 302
    variant.refresh_from_db()
    assert not variant.provisional
    assert Mention.objects.published().filter(entity=variant).exists()
    assert story.title in client.get("/products/vision-pro-2/").content.decode()
    assert client.get("/products/vision-pro-2/rss/").status_code == 200
    assert "/products/vision-pro-2/" in client.get("/sitemap-entities.xml").content.decode()


def test_a_familys_timeline_and_chart_include_its_accepted_versions_once_per_story(kb, publish):
    family = kb["apple-vision-pro"]
    older = publish(
        "Apple's headset",
        "Apple sells the Vision Pro in America.",
        published_at=timezone.now() - timezone.timedelta(days=40),
    )
    version = Entity.objects.create(
        kind=Entity.Kind.PRODUCT,
        slug="vision-pro-3",
        name="Vision Pro 3",
        variant_of=family,
        maker=kb["apple"],
    )
    Alias.objects.create(entity=version, text="Vision Pro 3")
    kb_changed()
    newer = publish("Apple's third headset", "Apple teased the Vision Pro 3 and the Vision Pro.")
    only_version = publish("The third headset", "Apple will sell the Vision Pro 3 next year.")
    assert list(story_ids(timeline(family, subjects_only=False))) == [
        only_version.pk,
        newer.pk,
        older.pk,
    ]
    assert sum(month["stories"] for month in stories_per_month(family, subjects_only=False)) == 3
    # A version's own timeline does not take in its family's other stories.
    assert set(story_ids(timeline(version, subjects_only=False))) == {only_version.pk, newer.pk}


def test_a_familys_feed_lists_its_versions_stories(kb, publish, client):
    version = Entity.objects.create(
        kind=Entity.Kind.PRODUCT,
        slug="vision-pro-3",
        name="Vision Pro 3",
        variant_of=kb["apple-vision-pro"],
        maker=kb["apple"],
    )
    Alias.objects.create(entity=version, text="Vision Pro 3")
    kb_changed()
    publish("The third headset", "Apple will sell the Vision Pro 3 next year.")
    feed = client.get("/products/apple-vision-pro/rss/").content.decode()
    assert "The third headset" in feed


def test_a_provisional_version_stays_out_of_its_familys_timeline(kb, publish):
    story = publish("Apple shows a second headset", VERSION_STORY)
    [variant] = provisional()
    family = kb["apple-vision-pro"]
    assert list(story_ids(timeline(family, subjects_only=False))) == [story.pk]
    assert list(story_ids(timeline(variant, subjects_only=False))) == []
