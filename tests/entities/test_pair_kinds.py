"""Relationship kinds decided per pair of companies, from every sentence of the story: the
side a cue names, lists of companies playing one part, and weak cues giving way."""

import pytest

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
        company(10, "canalys", "Canalys"),
        company(11, "qualcomm", "Qualcomm"),
        company(12, "tsmc", "TSMC"),
        company(13, "lenovo", "Lenovo"),
        company(14, "motorola", "Motorola", parent_id=13),
        company(15, "micron", "Micron"),
        company(16, "nokia", "Nokia"),
        product(30, "nvidia-h100", "H100", maker_id=4),
        product(31, "galaxy-s25", "Galaxy S25", maker_id=8),
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
        "canalys": ("Canalys",),
        "qualcomm": ("Qualcomm",),
        "tsmc": ("TSMC",),
        "lenovo": ("Lenovo",),
        "motorola": ("Motorola",),
        "micron": ("Micron",),
        "nokia": ("Nokia",),
        "nvidia-h100": ("H100",),
        "galaxy-s25": ("Galaxy S25",),
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


# Who plays which part: the subject, the company after the cue, lists, "with".


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Samsung Electronics, the group that makes phones for Apple, has signed joint "
            "ventures with three partners: Nvidia for chips, Arm for designs, and Qualcomm.",
            "en",
        ),
        (
            "Samsung Electronics, le groupe qui fabrique des téléphones pour Apple, a signé des "
            "co-entreprises avec trois partenaires : Nvidia pour les puces, Arm pour les "
            "architectures, et Qualcomm.",
            "fr",
        ),
    ],
)
def test_partners_enumerated_after_a_colon_are_each_the_subjects_not_each_others(text, language):
    assert pairs(text, language) == {
        ("partnership", "nvidia", "samsung-electronics"),
        ("partnership", "arm", "samsung-electronics"),
        ("partnership", "qualcomm", "samsung-electronics"),
        ("supplier_customer", "apple", "samsung-electronics"),
    }


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Microsoft and Google said they cooperate with the authorities.", "en"),
        ("Microsoft et Google disent coopérer avec les autorités.", "fr"),
        ("Apple, Samsung and Google, which compete with them, were not named.", "en"),
    ],
)
def test_a_cue_with_no_company_after_with_relates_nothing(text, language):
    assert pairs(text, language) == set()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Microsoft cooperates with Google on cloud security.", "en"),
        ("Microsoft coopère avec Google sur la sécurité du cloud.", "fr"),
        ("Microsoft has cooperated with Google for 14 years.", "en"),
        ("Microsoft teamed up with Google to fight spam.", "en"),
        ("Microsoft and Google co-developed the standard.", "en"),
        ("Microsoft is working with Google on the standard.", "en"),
        ("Microsoft's new standard was built with Google.", "en"),
        ("In partnership with Google, Microsoft built the standard.", "en"),
        ("Microsoft designed the standard in collaboration with Google.", "en"),
        ("Microsoft a conçu la norme en partenariat avec Google.", "fr"),
        ("Microsoft s’allie à Google dans le cloud.", "fr"),
        ("Microsoft avance main dans la main avec Google.", "fr"),
        ("Microsoft travaille depuis 2019 avec Google sur la norme.", "fr"),
    ],
)
def test_partnerships_stated_plainly(text, language):
    assert pairs(text, language) == {("partnership", "google", "microsoft")}


def test_customers_named_together_are_not_partners():
    text = "Samsung Electronics makes phones for Google and Apple, and partners with Nvidia."
    assert pairs(text) == {
        ("supplier_customer", "google", "samsung-electronics"),
        ("supplier_customer", "apple", "samsung-electronics"),
        ("partnership", "nvidia", "samsung-electronics"),
    }


def test_rivals_listed_with_no_cue_are_not_related():
    assert pairs("Apple, Google, Amazon and Microsoft share the rest of the market.") == set()
    text = "Apple, Google, Amazon et Microsoft se partagent le reste du marché."
    assert pairs(text, "fr") == set()


def test_a_list_the_subject_competes_within_itself_not_with_the_customers_after():
    competing = {
        pair
        for pair in pairs("Qualcomm and Nvidia compete for orders from Apple.")
        if pair[0] == "competition"
    }
    assert competing == {("competition", "nvidia", "qualcomm")}
    text = "Qualcomm et Nvidia se font concurrence pour les clients comme Apple."
    assert pairs(text, "fr") == {("competition", "nvidia", "qualcomm")}


def test_a_list_a_preposition_governs_is_not_the_subject():
    text = "The tools are vital to TSMC, Samsung or Apple, and the group signed a partnership."
    assert pairs(text) == set()
    text = (
        "Les outils sont vitaux pour TSMC, Samsung ou Apple, et le groupe a signé un partenariat."
    )
    assert pairs(text, "fr") == set()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("According to Canalys, Apple competes with Samsung in China.", "en"),
        ("Apple competes with Samsung in China, an analyst at Canalys said.", "en"),
        ("Selon Canalys, Apple concurrence Samsung en Chine.", "fr"),
        ("Apple concurrence Samsung en Chine, note un analyste chez Canalys.", "fr"),
    ],
)
def test_a_quoted_source_takes_no_part(text, language):
    assert pairs(text, language) == {("competition", "apple", "samsung-electronics")}


def test_the_company_quoted_in_the_middle_is_a_party_when_not_a_source():
    assert pairs("Selon l'accord, Apple concurrence Samsung.", "fr") == {
        ("competition", "apple", "samsung-electronics")
    }


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Amazon invested in OpenAI, which uses Nvidia's chips.",
            "en",
            {("investment", "amazon", "openai"), ("supplier_customer", "nvidia", "openai")},
        ),
        (
            "Amazon a investi dans OpenAI, qui utilise les puces de Nvidia.",
            "fr",
            {("investment", "amazon", "openai"), ("supplier_customer", "nvidia", "openai")},
        ),
        (
            "OpenAI, dont Microsoft est le premier actionnaire, concurrence Google et Amazon.",
            "fr",
            {
                ("investment", "microsoft", "openai"),
                ("competition", "google", "openai"),
                ("competition", "amazon", "openai"),
            },
        ),
    ],
)
def test_a_relative_clause_has_the_company_it_follows_for_its_subject(text, language, expected):
    assert pairs(text, language) == expected


def test_a_semicolon_or_while_starts_a_statement_about_other_companies():
    text = "Apple partnered with Google; Samsung supplies Nvidia."
    assert pairs(text) == {
        ("partnership", "apple", "google"),
        ("supplier_customer", "nvidia", "samsung-electronics"),
    }
    text = "Apple s'associe à Google, tandis que Samsung fournit Nvidia."
    assert pairs(text, "fr") == {
        ("partnership", "apple", "google"),
        ("supplier_customer", "nvidia", "samsung-electronics"),
    }


def test_items_after_a_colon_relate_to_what_comes_before_it():
    text = "OpenAI signed a series of deals: Nvidia will invest in it; Amazon will supply servers."
    assert pairs(text) == {
        ("investment", "nvidia", "openai"),
        ("supplier_customer", "amazon", "openai"),
    }
    text = "OpenAI a signé une série d'accords : Nvidia y investira ; Amazon fournira des serveurs."
    assert pairs(text, "fr") == {
        ("investment", "nvidia", "openai"),
        ("supplier_customer", "amazon", "openai"),
    }


# Supply.


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("The Galaxy S25 is supplied by Qualcomm.", "en", {("qualcomm", "samsung-electronics")}),
        ("Qualcomm supplies Samsung Electronics.", "en", {("qualcomm", "samsung-electronics")}),
        (
            "Qualcomm is the main supplier of modems to Samsung Electronics.",
            "en",
            {("qualcomm", "samsung-electronics")},
        ),
        (
            "Samsung Electronics buys modems from Qualcomm.",
            "en",
            {("qualcomm", "samsung-electronics")},
        ),
        (
            "Samsung Electronics achète des modems à Qualcomm.",
            "fr",
            {("qualcomm", "samsung-electronics")},
        ),
        ("TSMC makes chips for Apple and Nvidia.", "en", {("apple", "tsmc"), ("nvidia", "tsmc")}),
        (
            "TSMC fabrique des puces pour Apple et Nvidia.",
            "fr",
            {("apple", "tsmc"), ("nvidia", "tsmc")},
        ),
        ("TSMC fabrique les puces d'Apple.", "fr", {("apple", "tsmc")}),
        ("Apple's first foldable uses Samsung's panels.", "en", {("apple", "samsung-electronics")}),
        (
            "Le premier pliable d'Apple utilise les écrans de Samsung.",
            "fr",
            {("apple", "samsung-electronics")},
        ),
        (
            "Apple, Google and Amazon are among Nvidia's customers.",
            "en",
            {("apple", "nvidia"), ("google", "nvidia"), ("amazon", "nvidia")},
        ),
        ("Qualcomm powers Samsung's phones.", "en", {("qualcomm", "samsung-electronics")}),
    ],
)
def test_supply_stated_in_many_ways(text, language, expected):
    assert pairs(text, language) == {("supplier_customer", *pair) for pair in expected}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Qualcomm used its annual summit to court Apple.", "en"),
        ("Samsung Electronics buys chips for its phones, competing with Apple.", "en"),
        ("Apple's customers can now pay with Google's wallet.", "en"),
        ("Samsung Electronics makes it easier for Apple to switch.", "en"),
        ("Capgemini achète une capacité qui lui manquait face à Apple.", "fr"),
    ],
)
def test_words_of_buying_using_or_making_without_a_supplier_relate_no_supply(text, language):
    assert {kind for kind, *_ in pairs(text, language)} - {"competition"} == set()


# Acquisitions and stakes.


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ("SoftBank took a 60% stake in Arm.", "en", "acquisition"),
        ("SoftBank took a 10% stake in Arm.", "en", "investment"),
        ("SoftBank a pris une participation de 51 % dans Arm.", "fr", "acquisition"),
        ("SoftBank a pris une participation de 5 % dans Arm.", "fr", "investment"),
        ("Arm, which is owned by SoftBank, licenses its designs.", "en", "acquisition"),
        ("SoftBank bought Arm in 2016.", "en", "acquisition"),
        ("SoftBank rachète Arm.", "fr", "acquisition"),
        ("SoftBank a racheté Arm en 2016.", "fr", "acquisition"),
        ("SoftBank, propriétaire d'Arm, prépare une cotation.", "fr", "acquisition"),
        ("SoftBank-owned Arm licenses its designs.", "en", "acquisition"),
        ("SoftBank-backed Arm licenses its designs.", "en", "investment"),
    ],
)
def test_stakes_and_ownership(text, language, kind):
    assert pairs(text, language) == {(kind, "arm", "softbank")}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("SoftBank sold a 10% stake in Arm to Nvidia.", "en"),
        ("SoftBank a cédé sa participation dans Arm à Nvidia.", "fr"),
        ("Apple, a longtime owner of Arm shares, is selling them.", "en"),
    ],
)
def test_selling_a_stake_is_no_investment_by_the_seller(text, language):
    assert {kind for kind, *_ in pairs(text, language)} <= {"supplier_customer"}
    assert ("investment", "arm", "softbank") not in pairs(text, language)


def test_a_parent_may_have_bought_its_subsidiary_but_not_partner_with_it():
    assert pairs("Motorola was bought by Lenovo in 2014.") == {
        ("acquisition", "lenovo", "motorola")
    }
    assert pairs("Lenovo-owned Motorola competes with Apple.") == {
        ("acquisition", "lenovo", "motorola"),
        ("competition", "apple", "motorola"),
    }
    assert pairs("Motorola partners with Lenovo on phones.") == set()
    assert pairs("Motorola a été racheté par Lenovo en 2014.", "fr") == {
        ("acquisition", "lenovo", "motorola")
    }


def test_a_business_bought_is_an_acquisition_even_with_goods_named():
    assert pairs("Apple bought most of Qualcomm's modem chip business.") == {
        ("acquisition", "apple", "qualcomm")
    }
    assert pairs("Apple va acquérir l'activité de puces modem de Qualcomm.", "fr") == {
        ("acquisition", "apple", "qualcomm")
    }


def test_a_pronoun_stands_for_the_previous_sentences_subject_not_its_object():
    text = "The group signed a partnership with Nvidia. It also counts Apple among its customers."
    assert pairs(text) == set()
    text = "Le groupe a signé un partenariat avec Nvidia. Il compte aussi Apple parmi ses clients."
    assert pairs(text, "fr") == set()
    text = (
        "Samsung Electronics signed a partnership with Nvidia. It counts Apple among its customers."
    )
    assert pairs(text) == {
        ("partnership", "nvidia", "samsung-electronics"),
        ("supplier_customer", "apple", "samsung-electronics"),
    }


def test_a_cue_word_inside_a_name_is_no_cue():
    assert pairs("Apple hired bankers from Google Capital Partners and Microsoft.") == set()
    text = "Apple a embauché des banquiers de Google Capital Investissement et de Microsoft."
    assert pairs(text, "fr") == set()


def test_a_cue_before_both_companies_with_no_subject_relates_no_supply():
    text = "The start-up raised €8 million from Amazon, the fund of a Google founder."
    assert pairs(text) == set()
    text = (
        "La jeune pousse lève 8 millions d'euros auprès d'Amazon, le fonds d'un fondateur de "
        "Google."
    )
    assert pairs(text, "fr") == set()


def test_a_partnership_the_sentence_is_about_relates_the_companies_after_it():
    text = "The partnership, first signed in 2019, has grown: Apple said sales tripled with Google."
    assert pairs(text) == {("partnership", "apple", "google")}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Micron, like Samsung Electronics, shipped memory samples to customers.", "en"),
        ("Samsung Electronics a fusionné avec une filiale, loin de Micron.", "fr"),
    ],
)
def test_a_cue_ending_with_a_preposition_needs_a_company_right_after(text, language):
    assert pairs(text, language) == set()


def test_a_cue_ending_with_a_preposition_relates_the_company_after_it():
    assert pairs("Micron shipped memory samples to Nvidia, like Samsung Electronics.") == {
        ("supplier_customer", "micron", "nvidia")
    }
    assert pairs("Samsung Electronics a fusionné avec Micron.", "fr") == {
        ("acquisition", "micron", "samsung-electronics")
    }


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Apple relies on TSMC for its processors.", "en"),
        ("Apple veut réduire sa dépendance à TSMC.", "fr"),
    ],
)
def test_relying_on_a_company_makes_it_a_supplier(text, language):
    assert pairs(text, language) == {("supplier_customer", "apple", "tsmc")}


def test_a_clause_naming_one_company_may_speak_of_the_previous_clauses_subject():
    assert pairs("Samsung Electronics sells phones, while its rival Apple sells tablets.") == {
        ("competition", "apple", "samsung-electronics")
    }
    text = "Samsung Electronics vend des téléphones, tandis que son concurrent Apple vend des PC."
    assert pairs(text, "fr") == {("competition", "apple", "samsung-electronics")}
    # A clause that names two companies of its own speaks of them only.
    text = "Microsoft teamed up with Amazon, while Google works with Nvidia."
    assert pairs(text) == {
        ("partnership", "amazon", "microsoft"),
        ("partnership", "google", "nvidia"),
    }


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Apple's M5 chips are made by TSMC in Taiwan.", "en"),
        ("Les puces d'Apple sont fabriquées par TSMC.", "fr"),
        ("TSMC's largest customer, Apple, grew fastest.", "en"),
    ],
)
def test_goods_of_one_company_made_by_another(text, language):
    assert pairs(text, language) == {("supplier_customer", "apple", "tsmc")}


def test_goods_made_by_a_company_relate_it_only_to_their_owner():
    # The headsets are not the Galaxy S25's.
    assert pairs("The Galaxy S25 competes with phones made by Apple.") == {
        ("competition", "apple", "samsung-electronics")
    }
    assert pairs("Les téléphones fabriqués par Apple concurrencent le Galaxy S25.", "fr") == {
        ("competition", "apple", "samsung-electronics")
    }


def test_after_a_company_a_clause_opener_starts_a_clause_of_its_own():
    text = "Apple shares rose after Nvidia invested in Amazon."
    assert pairs(text) == {("investment", "amazon", "nvidia")}
    text = "L'action d'Apple a bondi après que Nvidia a investi dans Amazon."
    assert pairs(text, "fr") == {("investment", "amazon", "nvidia")}
    # Without a company right after it, the word opens no clause of its own.
    text = "Nokia grew after completing the acquisition of Nvidia's unit, and Apple's."
    assert ("acquisition", "nokia", "nvidia") in pairs(text)


def test_a_share_far_from_the_stake_makes_no_acquisition():
    assert pairs("Arm shares rose 60% after SoftBank invested in it.") == {
        ("investment", "arm", "softbank")
    }
    assert pairs("SoftBank invested in Arm, whose shares rose 60%.") == {
        ("investment", "arm", "softbank")
    }
