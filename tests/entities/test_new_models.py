"""New products: a company the knowledge base knows to name its products with its name and a
model number ("OnePlus 13") is suggested a new product when its name is followed by a new model
number ("OnePlus 15"); an unknown name with a digit next to a product noun ("the Vega X2 chip",
"la puce Vega X2") is suggested too. English and French."""

import pytest

from entities.tagging import AliasRecord, Dictionary, EntityKind, EntityRecord, tag

COMPANY, PRODUCT = EntityKind.COMPANY, EntityKind.PRODUCT
ENTITIES = [
    EntityRecord(1, COMPANY, "oneplus", "OnePlus"),
    EntityRecord(2, PRODUCT, "oneplus-13", "OnePlus 13", maker_id=1),
    EntityRecord(3, COMPANY, "apple", "Apple"),
    EntityRecord(4, PRODUCT, "iphone", "iPhone", maker_id=3),
    EntityRecord(5, COMPANY, "nasdaq", "Nasdaq"),
    EntityRecord(6, COMPANY, "xiaomi", "Xiaomi"),
    EntityRecord(7, PRODUCT, "xiaomi-15", "Xiaomi 15", maker_id=6),
]
ALIASES = [
    AliasRecord(1, "OnePlus"),
    AliasRecord(2, "OnePlus 13"),
    AliasRecord(3, "Apple", case_sensitive=True),
    AliasRecord(4, "iPhone"),
    AliasRecord(5, "Nasdaq"),
    AliasRecord(6, "Xiaomi"),
    AliasRecord(7, "Xiaomi 15"),
]
DICTIONARY = Dictionary(ENTITIES, ALIASES)


def tagged(text: str, language: str = "en", title: str = ""):
    result = tag(text, dictionary=DICTIONARY, title=title, language=language)
    mentions = {match.slug: [span.text for span in match.mentions] for match in result.entities}
    return mentions, {entity.name: entity for entity in result.new_entities}


def test_model_makers_are_the_companies_that_name_products_with_a_model_number():
    assert DICTIONARY.model_makers == {1, 6}


@pytest.mark.parametrize(
    ("text", "language", "maker", "model"),
    [
        ("OnePlus will sell the OnePlus 15 in Europe.", "en", "oneplus", "OnePlus 15"),
        ("OnePlus vendra le OnePlus 15 en Europe.", "fr", "oneplus", "OnePlus 15"),
        ("Xiaomi showed the Xiaomi 15S Pro on stage.", "en", "xiaomi", "Xiaomi 15S Pro"),
        ("Xiaomi a montré le Xiaomi 15S Pro sur scène.", "fr", "xiaomi", "Xiaomi 15S Pro"),
    ],
)
def test_a_model_makers_name_and_a_new_model_number_is_a_new_product(text, language, maker, model):
    mentions, new = tagged(text, language)
    assert set(new) == {model}
    assert new[model].kind == PRODUCT
    assert new[model].variant_of_id is None
    assert DICTIONARY.entities[new[model].maker_id].slug == maker
    assert [span.text for span in new[model].mentions] == [model]
    # The company keeps its own mentions, the one inside the model's name too.
    assert mentions[maker] == [model.split()[0]] * 2


def test_a_new_model_in_the_title_is_suggested_without_body_spans():
    _, new = tagged("Nothing else here.", title="OnePlus 15 Goes On Sale")
    assert new["OnePlus 15"].in_title
    assert new["OnePlus 15"].mentions == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("OnePlus 2025 sales fell.", "en"),
        ("Les ventes OnePlus 2024 ont chuté.", "fr"),
        ("OnePlus 5G phones are cheap.", "en"),
        ("OnePlus Q3 revenue rose.", "en"),
        ("Xiaomi 3Q profit beat forecasts.", "en"),
        ("Xiaomi 8K screens are coming.", "en"),
        ("Xiaomi 10 million phones were sold.", "en"),
        ("Xiaomi 12 millions de téléphones vendus.", "fr"),
        ("Xiaomi 5 000 salariés.", "fr"),
        ("Xiaomi 40% of sales.", "en"),
        ("Xiaomi 40\u202f% des ventes.", "fr"),
        ("OnePlus 10-K filing.", "en"),
        ("Xiaomi 3nm chips.", "en"),
        ("Xiaomi 3 nm chips.", "en"),
        ("OnePlus Nord phones are cheap.", "en"),
        ("OnePlus 13 reviews are in.", "en"),
        ("Apple 3 is not a phone.", "en"),
        ("Le Nasdaq 100 a reculé de 2 %.", "fr"),
        ("The Nasdaq 100 fell 2%.", "en"),
    ],
)
def test_years_quantities_specifications_and_other_companies_are_not_new_models(text, language):
    _, new = tagged(text, language)
    assert new == {}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("OnePlus also showed the OnePlus Watch 4 Pro on stage.", "en"),
        ("OnePlus a aussi montré la OnePlus Watch 4 Pro sur scène.", "fr"),
    ],
)
def test_a_line_of_products_may_stand_between_the_makers_name_and_the_model(text, language):
    _, new = tagged(text, language)
    assert set(new) == {"OnePlus Watch 4 Pro"}
    assert new["OnePlus Watch 4 Pro"].maker_id == 1


@pytest.mark.parametrize(
    ("text", "language", "title"),
    [
        ("Xiaomi Fab 2 opened near Beijing.", "en", ""),
        ("Xiaomi Campus 3 a ouvert près de Pékin.", "fr", ""),
        ("Xiaomi September 9 launch.", "en", ""),
        ("Xiaomi CEO 2 talks.", "en", ""),
        ("OnePlus Electronics 3 was founded.", "en", ""),
        ("Xiaomi Phase 2 begins.", "en", ""),
        ("Rien ici.", "fr", "OnePlus Lance Watch 4"),
    ],
)
def test_sites_months_acronyms_and_title_words_are_no_line_of_products(text, language, title):
    _, new = tagged(text, language, title)
    assert new == {}


@pytest.mark.parametrize(
    ("text", "language", "maker"),
    [
        ("OnePlus's Vega X2 chip powers the new phone.", "en", 1),
        ("The phone runs on the Vega X2 chip from a start-up.", "en", None),
        ("La puce sans fil Vega X2 équipe le téléphone.", "fr", None),
        ("Le téléphone embarque la puce Vega X2.", "fr", None),
    ],
)
def test_an_unknown_name_with_a_digit_next_to_a_product_noun_is_a_new_product(
    text, language, maker
):
    _, new = tagged(text, language)
    assert set(new) == {"Vega X2"}
    assert new["Vega X2"].kind == PRODUCT
    assert new["Vega X2"].maker_id == maker


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The Wi-Fi 7 chip and its DDR5 chips ship soon.", "en"),
        ("Its Tier 1 chips and the Gen 2 processors ship soon.", "en"),
        ("Sales of 2025 smartphones and Q3 smartphones rose.", "en"),
        ("The Vega chip ships soon.", "en"),
        ("La puce Wi-Fi 7 et les puces LPDDR5X arrivent.", "fr"),
        ("Les smartphones 2025 arrivent, comme la puce Vega.", "fr"),
    ],
)
def test_standards_grades_years_and_names_without_a_digit_are_not_new_products(text, language):
    _, new = tagged(text, language)
    assert new == {}


@pytest.mark.parametrize(
    ("text", "language"),
    [("The phone runs on K4 chips.", "en"), ("Le téléphone tourne sur la puce K4.", "fr")],
)
def test_a_model_number_of_one_letter_next_to_a_product_noun_is_a_new_product(text, language):
    _, new = tagged(text, language)
    assert set(new) == {"K4"}


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Its Vega V7 models answer faster, on Orbit M4 memory.", "en", {"Vega V7", "Orbit M4"}),
        (
            "Le modèle Vega V7 répond plus vite, sur la mémoire Orbit M4.",
            "fr",
            {"Vega V7", "Orbit M4"},
        ),
    ],
)
def test_ai_models_memory_and_servers_are_product_nouns_too(text, language, name):
    _, new = tagged(text, language)
    assert set(new) == name


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Sales rose at the company OnePlus 13 units later.", "en"),
        ("Les ventes de l’entreprise OnePlus 13 ont progressé.", "fr"),
    ],
)
def test_a_known_product_name_is_never_suggested_again(text, language):
    # A company cue before "OnePlus 13" keeps the product from counting there; its name
    # still is a known alias, so no provisional product of the same name is suggested.
    _, suggested = tagged(text, language)
    assert "OnePlus 13" not in suggested
