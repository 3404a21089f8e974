"""Relationship kinds decided per pair of companies, from every sentence of the story: the
side a cue names, lists of companies playing one part, and weak cues giving way."""

from entities.tagging.relations import detect_relationships
from tests.entities.test_relations import KnowledgeBase, company, product

KB = KnowledgeBase(
    records=(
        company(1, "microsoft", "Microsoft"),
        company(2, "google", "Google"),
        company(3, "amazon", "Amazon"),
        company(4, "nvidia", "Nvidia"),
        company(5, "openai", "OpenAI"),
        company(6, "arm", "Arm"),
        company(7, "softbank", "SoftBank"),
        company(8, "samsung-electronics", "Samsung Electronics"),
        company(9, "apple", "Apple"),
        product(30, "nvidia-h100", "H100", maker_id=4),
    ),
    aliases={
        "microsoft": ("Microsoft",),
        "google": ("Google",),
        "amazon": ("Amazon",),
        "nvidia": ("Nvidia",),
        "openai": ("OpenAI",),
        "arm": ("Arm",),
        "softbank": ("SoftBank",),
        "samsung-electronics": ("Samsung Electronics", "Samsung"),
        "apple": ("Apple",),
        "nvidia-h100": ("H100",),
    },
)


def pairs(text: str, language: str = "en") -> set[tuple[str, str, str]]:
    relationships = detect_relationships(
        text=text, title="", language=language, matches=KB.matches(text), dictionary=KB.dictionary
    )
    for relationship in relationships:
        for evidence in relationship.evidence:
            assert text[evidence.start : evidence.end] == evidence.text
    return {(r.kind.value, *r.company_slugs) for r in relationships}


CUSTOMERS_OF_NVIDIA = {
    ("supplier_customer", "microsoft", "nvidia"),
    ("supplier_customer", "google", "nvidia"),
    ("supplier_customer", "amazon", "nvidia"),
}


def test_companies_listed_as_customers_are_each_customers_of_the_supplier():
    assert pairs("Microsoft, Google and Amazon were early customers of Nvidia.") == (
        CUSTOMERS_OF_NVIDIA
    )


def test_french_companies_listed_as_customers_are_each_customers_of_the_supplier():
    text = "Microsoft, Google et Amazon comptaient parmi les premiers clients de Nvidia."
    assert pairs(text, "fr") == CUSTOMERS_OF_NVIDIA


def test_a_supplier_named_before_its_customers():
    assert pairs("Nvidia's customers include Microsoft, Google and Amazon.") == (
        CUSTOMERS_OF_NVIDIA
    )


def test_a_customer_running_on_a_suppliers_chips():
    assert pairs("OpenAI runs on Nvidia's chips, Microsoft said.") == {
        ("supplier_customer", "nvidia", "openai")
    }


def test_training_on_a_suppliers_chips_in_a_sentence_with_deal_is_supply_not_partnership():
    text = "Under the deal with Microsoft, OpenAI will train its models on Nvidia H100 chips."
    assert pairs(text) == {("supplier_customer", "nvidia", "openai")}


def test_french_training_on_a_suppliers_chips_with_accord_is_supply_not_partnership():
    text = "Selon l'accord, OpenAI va entraîner ses modèles sur des puces H100 de Nvidia."
    assert pairs(text, "fr") == {("supplier_customer", "nvidia", "openai")}


def test_a_list_alone_keeps_its_pairs():
    assert pairs("Samsung and Apple compete fiercely in smartphones.") == {
        ("competition", "apple", "samsung-electronics")
    }
    assert pairs("Samsung et Apple sont concurrents sur les smartphones.", "fr") == {
        ("competition", "apple", "samsung-electronics")
    }


def test_a_partnership_with_a_list_relates_each_to_the_other_side_only():
    text = "Nvidia announced a partnership with Microsoft and Google on AI chips."
    assert pairs(text) == {
        ("partnership", "microsoft", "nvidia"),
        ("partnership", "google", "nvidia"),
    }


def test_an_acquirer_named_after_its_targets():
    assert pairs("Arm and Apple were both bought by SoftBank, an old rumour said.") == {
        ("acquisition", "arm", "softbank"),
        ("acquisition", "apple", "softbank"),
    }
    assert pairs("Arm et Apple ont été rachetés par SoftBank selon la rumeur.", "fr") == {
        ("acquisition", "arm", "softbank"),
        ("acquisition", "apple", "softbank"),
    }


def test_a_weak_kind_gives_way_to_a_strong_kind_of_the_same_pair_over_the_story():
    text = (
        "Samsung Electronics supplies memory chips to Apple. "
        "It is Samsung Electronics versus Apple in phones."
    )
    assert pairs(text) == {("supplier_customer", "apple", "samsung-electronics")}


def test_a_weak_kind_stands_when_no_strong_kind_shows_the_pair():
    assert pairs("It is Samsung Electronics versus Apple in phones.") == {
        ("competition", "apple", "samsung-electronics")
    }


def test_a_sided_cue_without_a_company_near_it_relates_nothing():
    text = "Microsoft and Google were customers of a small cloud firm that Nvidia later hired."
    assert pairs(text) == set()


def test_a_listed_side_pairs_with_the_one_other_company_when_the_cue_names_none():
    text = (
        "Nvidia's chief said that Microsoft, Google and Amazon were among the first customers "
        "of the new chip."
    )
    assert pairs(text) == CUSTOMERS_OF_NVIDIA
    text_fr = (
        "Le patron de Nvidia a indiqué que Microsoft, Google et Amazon comptaient parmi les "
        "premiers clients de la nouvelle puce."
    )
    assert pairs(text_fr, "fr") == CUSTOMERS_OF_NVIDIA
