"""Ambiguous aliases decided by the story's context, in English and French: the company, or
the ordinary word (a river, a forest, a fruit) — and never a discovery candidate."""

from entities.tagging import AliasRecord, Dictionary, EntityKind, EntityRecord
from entities.tagging.discovery import discover_candidates
from entities.tagging.matcher import CONFIDENCE_PEER, find_entities

COMPANY, PERSON, PRODUCT = EntityKind.COMPANY, EntityKind.PERSON, EntityKind.PRODUCT
ENTITIES = [
    EntityRecord(1, COMPANY, "amazon", "Amazon"),
    EntityRecord(2, COMPANY, "nvidia", "Nvidia"),
    EntityRecord(3, COMPANY, "amazon-web-services", "Amazon Web Services", parent_id=1),
    EntityRecord(4, PERSON, "andy-jassy", "Andy Jassy", affiliation_id=1),
    EntityRecord(5, COMPANY, "orange", "Orange"),
    EntityRecord(6, COMPANY, "samsung-electronics", "Samsung Electronics"),
    EntityRecord(7, COMPANY, "ring", "Ring", parent_id=1),
    EntityRecord(8, COMPANY, "google", "Google"),
    EntityRecord(9, PRODUCT, "gemini", "Gemini", maker_id=8),
]
ALIASES = [
    AliasRecord(1, "Amazon", case_sensitive=True, ambiguous=True),
    AliasRecord(2, "Nvidia"),
    AliasRecord(3, "Amazon Web Services"),
    AliasRecord(3, "AWS", case_sensitive=True),
    AliasRecord(4, "Andy Jassy"),
    AliasRecord(5, "Orange", case_sensitive=True, ambiguous=True),
    AliasRecord(6, "Samsung Electronics"),
    AliasRecord(6, "Samsung"),
    AliasRecord(7, "Ring", case_sensitive=True, ambiguous=True),
    AliasRecord(8, "Google"),
    AliasRecord(9, "Gemini", case_sensitive=True),
]
DICTIONARY = Dictionary(ENTITIES, ALIASES)


def slugs(text: str, language: str = "en", title: str = "") -> set[str]:
    found = find_entities(text, dictionary=DICTIONARY, title=title, language=language)
    return {match.slug for match in found.matches}


def test_amazon_beside_a_peer_company_is_the_company():
    text = "Nvidia sold more chips to its largest buyers, Microsoft and Amazon among them."
    found = find_entities(text, dictionary=DICTIONARY, language="en")
    amazon = next(match for match in found.matches if match.slug == "amazon")
    assert amazon.confidence == CONFIDENCE_PEER


def test_amazon_beside_its_cloud_arm_or_its_chief_is_the_company():
    assert "amazon" in slugs("Amazon grew fast. AWS signed more contracts.")
    assert "amazon" in slugs("Andy Jassy told staff that Amazon would hire fewer people.")


def test_amazon_beside_cloud_or_retail_words_is_the_company():
    assert slugs("Amazon expanded its cloud business this year.") == {"amazon"}
    assert slugs("Amazon, le géant du commerce en ligne, recrute.", "fr") == {"amazon"}


def test_the_amazon_river_or_forest_is_not_the_company_even_beside_a_peer():
    text = "Nvidia pledged money to protect the Amazon rainforest from fires."
    assert slugs(text) == {"nvidia"}
    assert slugs("Samsung finance des ONG qui protègent la forêt autour de l'Amazon.", "fr") == {
        "samsung-electronics"
    }
    text_fr = "Nvidia soutient des chercheurs qui étudient le fleuve Amazon et ses affluents."
    assert slugs(text_fr, "fr") == {"nvidia"}


def test_amazon_alone_without_context_is_not_tagged():
    assert slugs("The Amazon flows through several countries.") == set()
    assert slugs("L'Amazon traverse plusieurs pays.", "fr") == set()


def test_a_name_inside_a_longer_capitalised_name_is_not_tagged():
    assert slugs("Samsung showed its Galaxy Ring in Seoul.") == {"samsung-electronics"}
    assert slugs("Samsung opened an office in Orange County.") == {"samsung-electronics"}
    assert slugs("Samsung a ouvert un bureau à Orange County.", "fr") == {"samsung-electronics"}


def test_a_capital_that_opens_the_sentence_does_not_make_a_longer_name():
    assert "amazon" in slugs("Nvidia grew. When Amazon buys chips, prices rise.")


def test_a_french_peer_company_supports_orange():
    text = "Samsung a signé un contrat avec Orange pour ses réseaux."
    assert slugs(text, "fr") == {"samsung-electronics", "orange"}


def test_a_name_in_the_knowledge_base_is_never_a_candidate():
    text = "The Amazon flows through several countries. Amazon is long. Zorblax Labs grew."
    candidates = discover_candidates(
        text=text, language="en", known_spans=[], is_known=DICTIONARY.knows
    )
    assert [candidate.text for candidate in candidates] == ["Zorblax Labs"]


def test_a_name_in_the_knowledge_base_is_never_a_french_candidate():
    text = "L'Amazon traverse le Brésil et Orange aussi. La société Zorblax Labs recrute."
    candidates = discover_candidates(
        text=text,
        language="fr",
        known_spans=[],
        is_known=DICTIONARY.knows,
        finder=_capitalised_finder("fr"),
    )
    texts = {candidate.text for candidate in candidates}
    assert "Amazon" not in texts
    assert "Orange" not in texts
    assert "Zorblax Labs" in texts


def test_the_dictionary_knows_every_alias_in_any_letter_case():
    assert DICTIONARY.knows("Amazon")
    assert DICTIONARY.knows("AMAZON")
    assert DICTIONARY.knows("amazon web services")
    assert not DICTIONARY.knows("Amazonia")
    assert not DICTIONARY.knows("—")


def _capitalised_finder(language: str):
    from entities.tagging.discovery import CapitalisedSpanFinder

    return CapitalisedSpanFinder(language)


def test_a_product_name_introduced_as_a_company_is_not_the_product():
    # Another firm sharing the product's name: a company the knowledge base lacks.
    assert "gemini" not in slugs("The start-up Gemini, a crypto exchange, cut 10% of its staff.")
    assert "gemini" not in slugs("La start-up Gemini a réduit ses effectifs.", language="fr")
    assert "gemini" not in slugs("Les clients de la société Gemini sont inquiets.", language="fr")


def test_the_product_named_plainly_is_still_the_product():
    assert "gemini" in slugs("Google released Gemini to more users this week.")
    assert "gemini" in slugs("Google a ouvert Gemini à plus d'utilisateurs.", language="fr")


def test_a_company_name_that_names_a_venue_or_event_is_not_the_company():
    assert "samsung-electronics" not in slugs("The final was played at the Samsung Arena.")
    assert "google" not in slugs("The start-up showed its robot at Google I/O this week.")
    assert "orange" not in slugs("Le match s'est joué à l'Orange Vélodrome.", language="fr")
    # Named for itself elsewhere in the story, it is the company.
    assert "google" in slugs("At Google I/O, Google showed a new phone.")
    assert "samsung-electronics" in slugs("Samsung Arena opened; Samsung paid for it.")


def test_weather_warnings_are_not_orange():
    text = "Forecasters issued a storm warning for Orange County and the coast."
    assert "orange" not in slugs(text)
    assert "orange" not in slugs("Six départements en vigilance Orange pour orages.", language="fr")


def test_a_peer_company_does_not_support_a_name_that_only_opens_a_sentence():
    text = "Nvidia raised its forecast. Orange prices in the cafeteria went up too."
    assert slugs(text) == {"nvidia"}
    french = "Nvidia relève ses prévisions. Orange pâlit à côté de ce bond."
    assert slugs(french, "fr") == {"nvidia"}


def test_a_peer_company_still_supports_the_name_inside_a_sentence():
    assert "orange" in slugs("Nvidia signed a deal with Orange on Monday.")
    assert "orange" in slugs("Nvidia a signé un accord avec Orange lundi.", "fr")


def test_the_amazon_with_nothing_after_it_is_the_region():
    assert slugs("Samsung builds phones deep in the Amazon, far from its buyers.") == {
        "samsung-electronics"
    }
    assert "amazon" in slugs("Samsung sells more phones than the Amazon store does.")


def test_a_name_opening_a_sentence_before_a_company_verb_keeps_its_peer_support():
    assert "orange" in slugs("Nvidia raised its forecast. Orange said it would buy more chips.")
    assert "orange" in slugs("Nvidia relève ses prévisions. Orange a commandé des puces.", "fr")
