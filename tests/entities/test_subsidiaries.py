"""A known company's name followed by a country or a business's word names a company of its
own, suggested with its parent ("Acme France", "Acme Bank"); the parent is not tagged there."""

import pytest

from entities.tagging.dictionary import Dictionary
from entities.tagging.engine import tag
from entities.tagging.types import AliasRecord, EntityKind, EntityRecord

COMPANY = EntityKind.COMPANY
DICTIONARY = Dictionary(
    [
        EntityRecord(1, COMPANY, "nordvale", "Nordvale"),
        EntityRecord(2, COMPANY, "quillon", "Quillon"),
    ],
    [AliasRecord(1, "Nordvale", case_sensitive=True), AliasRecord(2, "Quillon")],
)


def tagged(text: str, language: str) -> tuple[set[str], dict[str, int | None]]:
    result = tag(text, dictionary=DICTIONARY, language=language)
    known = {match.name for match in result.entities}
    suggested = {new.name: new.parent_id for new in result.new_entities if new.kind == COMPANY}
    return known, suggested


@pytest.mark.parametrize(
    ("text", "language", "subsidiary"),
    [
        ("Sales rose, a spokesman for Nordvale India told reporters.", "en", "Nordvale India"),
        ("The loan came from Nordvale Bank, which declined to comment.", "en", "Nordvale Bank"),
        ("Selon Nordvale France, les ventes ont doublé.", "fr", "Nordvale France"),
        ("Le contrat a été signé avec Nordvale Brasil SA en mars.", "fr", "Nordvale Brasil"),
    ],
)
def test_company_and_country_or_business_word_name_a_subsidiary(text, language, subsidiary):
    known, suggested = tagged(text, language)
    assert suggested == {subsidiary: 1}
    assert "Nordvale" not in known


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # A description, a longer name, a possessive market: the parent is meant.
        ("Nordvale China-based suppliers were hit.", "en"),
        ("Nordvale Japan Road opened a store in Osaka.", "en"),
        ("Nordvale Japan 2 goes on sale in May.", "en"),
        # A place before it: the known company's local legal name.
        ("The boards come from Shenzhen Nordvale Electronics.", "en"),
        ("Investors cheered Nordvale's India sales.", "en"),
        ("Nordvale, France et Quillon ont signé.", "fr"),
        ("Nordvale a ouvert un site à Lyon.", "fr"),
    ],
)
def test_parent_is_tagged_without_a_subsidiary(text, language):
    known, suggested = tagged(text, language)
    assert "Nordvale" in known
    assert suggested == {}
