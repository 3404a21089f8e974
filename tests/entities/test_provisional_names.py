"""New people and companies named with a cue of their kind become suggestions of provisional
entities (English and French); names without such a cue stay discovery candidates."""

import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Mention
from entities.models import Entity, Relationship
from entities.tagging import AliasRecord, Dictionary, EntityKind, EntityRecord, tag

COMPANY, PERSON = EntityKind.COMPANY, EntityKind.PERSON
DICTIONARY = Dictionary(
    [
        EntityRecord(1, COMPANY, "google", "Google"),
        EntityRecord(2, PERSON, "sundar-pichai", "Sundar Pichai", affiliation_id=1),
        EntityRecord(3, COMPANY, "nvidia", "Nvidia"),
        EntityRecord(4, COMPANY, "zorblax", "Zorblax", provisional=True),
    ],
    [
        AliasRecord(1, "Google"),
        AliasRecord(2, "Sundar Pichai"),
        AliasRecord(3, "Nvidia"),
        AliasRecord(4, "Zorblax", case_sensitive=True),
    ],
)


def suggested(text: str, language: str = "en") -> dict[str, tuple[str, int]]:
    result = tag(text, dictionary=DICTIONARY, language=language)
    for new in result.new_entities:
        for span in new.mentions:
            assert text[span.start : span.end] == span.text
    return {new.name: (new.kind.value, len(new.mentions)) for new in result.new_entities}


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Frobnic's chief executive Jane Doe said sales grew. Jane Doe expects more.",
            "en",
            {"Jane Doe": ("person", 2), "Frobnic": ("company", 1)},
        ),
        (
            "Sales will slow, according to analyst Ming-Chi Kuo.",
            "en",
            {"Ming-Chi Kuo": ("person", 1)},
        ),
        ("Sarah Lee, who heads the chip unit, agreed.", "en", {"Sarah Lee": ("person", 1)}),
        ("Le PDG Jean Dupont a présenté les résultats.", "fr", {"Jean Dupont": ("person", 1)}),
        (
            "La directrice générale Marie Durand a signé l'accord.",
            "fr",
            {"Marie Durand": ("person", 1)},
        ),
        ("Quantix Inc. sold chips to Google.", "en", {"Quantix": ("company", 1)}),
        ("The start-up Vellum Labs raised money.", "en", {"Vellum Labs": ("company", 1)}),
        ("Vellum said in a statement that it would hire.", "en", {"Vellum": ("company", 1)}),
        ("La start-up française Vizzio a levé 10 millions.", "fr", {"Vizzio": ("company", 1)}),
        ("La société Quantix a annoncé dans un communiqué.", "fr", {"Quantix": ("company", 1)}),
    ],
)
def test_a_name_introduced_by_a_cue_of_its_kind_is_suggested(text, language, expected):
    assert suggested(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # No cue: a discovery candidate at most.
        ("Jane Doe met Google last week.", "en"),
        ("Jean Dupont a rencontré Google.", "fr"),
        ("Vellum raised money.", "en"),
        # A person said it, not a company.
        ("Jane Doe said in a statement that she would leave.", "en"),
        ("Jean Dupont a annoncé dans un communiqué son départ.", "fr"),
        # A surname after its full name is not a new company.
        ("Ana Ruiz joined Google. Ruiz said in a statement that she was glad.", "en"),
        # Names the knowledge base holds, or words that are never names.
        ("Google chief executive Sundar Pichai spoke.", "en"),
        ("The start-up Zorblax raised money.", "en"),
        ("Sales will slow, the chief executive Officer said.", "en"),
        ("Le PDG Lundi Matin a parlé.", "fr"),
        ("The start-up, which Google backs, grew.", "en"),
    ],
)
def test_a_name_without_a_sure_cue_is_not_suggested(text, language):
    assert suggested(text, language) == {}


def test_a_provisional_company_stands_in_no_relationship():
    result = tag("Nvidia signed a partnership with Zorblax.", dictionary=DICTIONARY, language="en")
    zorblax = next(match for match in result.entities if match.slug == "zorblax")
    assert zorblax.provisional
    assert result.relationships == []


@pytest.mark.django_db
def test_tagging_a_story_creates_a_provisional_person_once_and_suggests_it(kb, publish):
    first = publish(
        "Nvidia names a new chief",
        "Nvidia said its chief financial officer Lena Okafor would lead the talks.",
    )
    third = publish("Chief named", "Nvidia's chief technology officer Ivo Brandt spoke.")
    assert third.mentions.filter(entity__name="Ivo Brandt").exists()
    assert Entity.objects.get(name="Ivo Brandt").affiliation == kb["nvidia"]
    person = Entity.objects.get(provisional=True, name="Lena Okafor")
    assert (person.kind, person.slug) == ("person", "lena-okafor")
    assert person.affiliation is None
    mention = first.mentions.get(entity=person)
    assert mention.status == Mention.Status.SUGGESTED
    assert first.body[slice(*mention.offsets[0])] == "Lena Okafor"
    second = publish("Talks go on", "Lena Okafor met Nvidia's customers in Seoul.")
    assert Entity.objects.filter(provisional=True, name="Lena Okafor").count() == 1
    assert second.mentions.filter(entity=person).exists()
    # Readers see neither her page's stories nor her on the story pages, until accepted.
    assert not Mention.objects.published().filter(entity=person).exists()


@pytest.mark.django_db
def test_a_provisional_entity_stays_off_public_pages_counts_and_search(kb, publish, client):
    story = publish(
        "Quantix joins the race",
        "The start-up Quantix Robotics sold robots to Nvidia this year.",
        published_at=timezone.now() - timezone.timedelta(hours=2),
    )
    [company] = Entity.objects.filter(provisional=True)
    assert company.name == "Quantix Robotics"
    assert not Relationship.objects.filter(company_a=company).exists()
    assert not Relationship.objects.filter(company_b=company).exists()
    url = company.get_absolute_url()
    for page in ("/", story.get_absolute_url(), "/companies/", "/search/?q=Quantix", "/feeds/rss/"):
        assert url not in client.get(page).content.decode(), page
    assert url not in client.get("/sitemap-entities.xml").content.decode()


@pytest.mark.django_db
def test_tag_text_shows_a_suggested_new_entity_as_provisional(kb):
    out = io.StringIO()
    text = "Nvidia said its chief technology officer Lena Okafor would speak."
    call_command("tag_text", "--lang", "en", stdin=io.BytesIO(text.encode()), stdout=out)
    entities = {entity["name"]: entity for entity in json.loads(out.getvalue())["entities"]}
    assert entities["Lena Okafor"]["provisional"] is True
    assert entities["Lena Okafor"]["kind"] == "person"
    assert entities["Lena Okafor"]["mentions"] == [{"start": 41, "end": 52, "text": "Lena Okafor"}]
    assert "provisional" not in entities["Nvidia"]
    assert not Entity.objects.filter(provisional=True).exists()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The chief executive of Google, Jane Doe, spoke.", "en"),
        ("Google's chief executive Jane Doe spoke.", "en"),
        ("Google CEO Jane Doe spoke.", "en"),
        ("Le PDG de Google, Jean Dupont, a parlé.", "fr"),
        ("La directrice générale de Google, Marie Durand, a parlé.", "fr"),
    ],
)
def test_a_new_person_works_for_the_company_her_role_names(text, language):
    [person] = tag(text, dictionary=DICTIONARY, language=language).new_entities
    assert person.kind == PERSON
    assert person.affiliation_id == 1


def test_a_new_person_whose_role_names_no_company_works_for_none():
    [person] = tag(
        "Sales rose, said chief executive Jane Doe.", dictionary=DICTIONARY, language="en"
    ).new_entities
    assert person.affiliation_id is None
