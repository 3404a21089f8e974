"""Relationship detection between companies, in English and French.

Entity matches are built here by a tiny whole-word alias finder, so these tests do not
depend on the real matcher or dictionary.
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entities.tagging.lexicons import LANGUAGES, word_list
from entities.tagging.relations import detect_relationships
from entities.tagging.text import split_sentences
from entities.tagging.types import (
    EntityKind,
    EntityMatch,
    EntityRecord,
    RelationshipKind,
    RelationshipMatch,
    Span,
)

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "meta-lg-xr-ai-fr.txt"

PARTNERSHIP = RelationshipKind.PARTNERSHIP
SUPPLIER_CUSTOMER = RelationshipKind.SUPPLIER_CUSTOMER
COMPETITION = RelationshipKind.COMPETITION
INVESTMENT = RelationshipKind.INVESTMENT
ACQUISITION = RelationshipKind.ACQUISITION


@dataclass(frozen=True)
class StubDictionary:
    """Stands in for the real Dictionary: only `entities` is needed."""

    entities: dict[int, EntityRecord]


@dataclass(frozen=True)
class KnowledgeBase:
    """Entity records and the aliases the test finder looks for."""

    records: tuple[EntityRecord, ...]
    aliases: dict[str, tuple[str, ...]]

    @property
    def dictionary(self) -> StubDictionary:
        return StubDictionary({record.id: record for record in self.records})

    def matches(self, text: str, title: str = "") -> list[EntityMatch]:
        """Find every alias as a whole word, longest first, as a matcher would."""
        by_slug = {record.slug: record for record in self.records}
        body_mentions = self._find(text)
        title_mentions = self._find(title)
        return [
            EntityMatch(
                entity_id=by_slug[slug].id,
                kind=by_slug[slug].kind,
                slug=slug,
                name=by_slug[slug].name,
                mentions=body_mentions.get(slug, []),
                in_title=slug in title_mentions,
            )
            for slug in sorted(set(body_mentions) | set(title_mentions))
        ]

    def _find(self, text: str) -> dict[str, list[Span]]:
        found: dict[str, list[Span]] = {}
        taken: list[tuple[int, int]] = []
        surfaces = sorted(
            ((alias, slug) for slug, aliases in self.aliases.items() for alias in aliases),
            key=lambda pair: -len(pair[0]),
        )
        for alias, slug in surfaces:
            for match in re.finditer(rf"(?<!\w){re.escape(alias)}(?!\w)", text):
                if any(match.start() < end and start < match.end() for start, end in taken):
                    continue
                taken.append(match.span())
                found.setdefault(slug, []).append(Span(match.start(), match.end(), match.group()))
        for spans in found.values():
            spans.sort(key=lambda span: span.start)
        return found


def company(entity_id, slug, name, parent_id=None):
    return EntityRecord(entity_id, EntityKind.COMPANY, slug, name, parent_id=parent_id)


def person(entity_id, slug, name, affiliation_id=None):
    return EntityRecord(entity_id, EntityKind.PERSON, slug, name, affiliation_id=affiliation_id)


def product(entity_id, slug, name, maker_id):
    return EntityRecord(entity_id, EntityKind.PRODUCT, slug, name, maker_id=maker_id)


KB = KnowledgeBase(
    records=(
        company(1, "apple", "Apple"),
        company(2, "samsung-electronics", "Samsung Electronics"),
        company(3, "nvidia", "Nvidia"),
        company(4, "meta-platforms", "Meta Platforms"),
        company(5, "lg-electronics", "LG Electronics", parent_id=6),
        company(6, "lg-corp", "LG Corp"),
        company(7, "arm", "Arm"),
        company(8, "softbank", "SoftBank"),
        company(9, "microsoft", "Microsoft"),
        company(10, "openai", "OpenAI"),
        company(11, "scale-ai", "Scale AI"),
        company(12, "lg-innotek", "LG Innotek", parent_id=5),
        person(20, "mark-zuckerberg", "Mark Zuckerberg", affiliation_id=4),
        person(21, "william-cho", "William Cho", affiliation_id=5),
        person(22, "yoon-suk-yeol", "Yoon Suk Yeol"),
        product(30, "apple-vision-pro", "Vision Pro", maker_id=1),
        product(31, "nvidia-h100", "H100", maker_id=3),
    ),
    aliases={
        "apple": ("Apple",),
        "samsung-electronics": ("Samsung Electronics", "Samsung"),
        "nvidia": ("Nvidia",),
        "meta-platforms": ("Meta Platforms", "Meta"),
        "lg-electronics": ("LG Electronics",),
        "lg-corp": ("LG Corp",),
        "arm": ("Arm",),
        "softbank": ("SoftBank",),
        "microsoft": ("Microsoft",),
        "openai": ("OpenAI",),
        "scale-ai": ("Scale AI",),
        "lg-innotek": ("LG Innotek",),
        "mark-zuckerberg": ("Mark Zuckerberg", "Zuckerberg"),
        "william-cho": ("William Cho", "Cho"),
        "yoon-suk-yeol": ("Yoon Suk Yeol",),
        "apple-vision-pro": ("Vision Pro",),
        "nvidia-h100": ("H100",),
    },
)


def detect(text: str, language: str = "en", title: str = "") -> list[RelationshipMatch]:
    """Run detection with matches found by the test alias finder, and check evidence offsets."""
    relationships = detect_relationships(
        text=text,
        title=title,
        language=language,
        matches=KB.matches(text, title),
        dictionary=KB.dictionary,
    )
    for relationship in relationships:
        for evidence in relationship.evidence:
            source = title if evidence.in_title else text
            assert source[evidence.start : evidence.end] == evidence.text
    return relationships


def pairs(relationships: list[RelationshipMatch]) -> set[tuple[str, str, str]]:
    """Reduce relationships to (kind, first slug, second slug)."""
    return {(r.kind.value, *r.company_slugs) for r in relationships}


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Samsung Electronics announced a partnership with Apple on foldable displays.",
            "en",
            ("partnership", "apple", "samsung-electronics"),
        ),
        (
            "Samsung Electronics a annoncé un partenariat avec Apple sur les écrans pliables.",
            "fr",
            ("partnership", "apple", "samsung-electronics"),
        ),
        (
            "Samsung Electronics supplies OLED panels to Apple.",
            "en",
            ("supplier_customer", "apple", "samsung-electronics"),
        ),
        (
            "Samsung Electronics fournit des écrans OLED à Apple depuis 2017.",
            "fr",
            ("supplier_customer", "apple", "samsung-electronics"),
        ),
        (
            "Samsung Electronics competes with Apple in premium smartphones.",
            "en",
            ("competition", "apple", "samsung-electronics"),
        ),
        (
            "Samsung Electronics, principal concurrent d’Apple, a lancé un nouveau téléphone.",
            "fr",
            ("competition", "apple", "samsung-electronics"),
        ),
        (
            "Microsoft invests another $10 billion in OpenAI.",
            "en",
            ("investment", "microsoft", "openai"),
        ),
        (
            "Microsoft a investi 10 milliards de dollars dans OpenAI.",
            "fr",
            ("investment", "microsoft", "openai"),
        ),
        ("SoftBank agreed to buy Arm for $32 billion.", "en", ("acquisition", "arm", "softbank")),
        ("SoftBank a racheté Arm en 2016.", "fr", ("acquisition", "arm", "softbank")),
    ],
)
def test_each_kind_in_english_and_french(text, language, expected):
    assert pairs(detect(text, language)) == {expected}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Samsung Electronics denied talks with Apple about a partnership.", "en"),
        ("Samsung Electronics has no plans to partner with Apple.", "en"),
        ("Samsung Electronics won't supply chips to Apple.", "en"),
        ("Apple called off its partnership with Samsung Electronics.", "en"),
        ("Samsung Electronics n’a pas l’intention de s’associer à Apple.", "fr"),
        ("Samsung Electronics ne fournira plus de puces à Apple.", "fr"),
        ("LG Electronics dément tout partenariat avec Apple.", "fr"),
    ],
)
def test_negation_and_denial_cancel_the_sentence(text, language):
    assert detect(text, language) == []


def test_negation_stays_in_its_sentence():
    text = "Samsung denied talks with Apple. Samsung Electronics partners with Nvidia."
    assert pairs(detect(text)) == {("partnership", "nvidia", "samsung-electronics")}


def test_a_person_stands_for_the_company_they_work_for():
    text = "Zuckerberg met LG Electronics' chief executive to discuss a partnership."
    [relationship] = detect(text)
    assert (relationship.kind, relationship.company_slugs) == (
        PARTNERSHIP,
        ("lg-electronics", "meta-platforms"),
    )
    [evidence] = relationship.evidence
    assert evidence.text == text
    assert evidence.cues == ["partnership"]
    # Named through a person, so less sure than two companies named outright.
    direct = detect("Meta met LG Electronics to discuss a partnership.")[0].evidence[0]
    assert evidence.confidence < direct.confidence


def test_two_people_stand_for_their_companies():
    text = "Mark Zuckerberg et William Cho ont discuté d’une coopération dans l’IA."
    [relationship] = detect(text, "fr")
    assert relationship.company_slugs == ("lg-electronics", "meta-platforms")
    assert relationship.topics == ["ai"]


def test_a_person_without_an_affiliation_relates_nothing():
    text = "Zuckerberg met President Yoon Suk Yeol to discuss a partnership."
    assert detect(text) == []


def test_a_product_stands_for_its_maker():
    text = "The Vision Pro competes with headsets made by Meta Platforms."
    [relationship] = detect(text)
    assert (relationship.kind, relationship.company_slugs) == (
        COMPETITION,
        ("apple", "meta-platforms"),
    )
    assert relationship.topics == ["xr"]


def test_three_companies_in_one_sentence_make_three_pairs():
    text = "Samsung Electronics, Nvidia and Apple formed an alliance on AI chips."
    relationships = detect(text)
    assert pairs(relationships) == {
        ("partnership", "apple", "nvidia"),
        ("partnership", "apple", "samsung-electronics"),
        ("partnership", "nvidia", "samsung-electronics"),
    }
    assert all(r.topics == ["ai", "chips"] for r in relationships)


def test_both_orders_give_one_canonical_pair():
    text = "Apple partners with Samsung Electronics. Samsung Electronics partners with Apple."
    [relationship] = detect(text)
    assert relationship.company_slugs == ("apple", "samsung-electronics")
    assert relationship.company_ids == (1, 2)
    second = text.index("Samsung Electronics partners")
    assert [evidence.start for evidence in relationship.evidence] == [0, second]


def test_a_parent_and_its_subsidiaries_are_not_paired():
    text = "LG Corp and LG Electronics announced a partnership with Meta."
    assert pairs(detect(text)) == {
        ("partnership", "lg-corp", "meta-platforms"),
        ("partnership", "lg-electronics", "meta-platforms"),
    }
    # A grandparent counts too.
    assert detect("LG Innotek and LG Corp signed a partnership.") == []


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Meta buys GPUs from Nvidia.", "en", ("supplier_customer", "meta-platforms", "nvidia")),
        ("Meta will buy Nvidia chips.", "en", ("supplier_customer", "meta-platforms", "nvidia")),
        ("Meta bought 350,000 H100 GPUs.", "en", ("supplier_customer", "meta-platforms", "nvidia")),
        (
            "Meta achète des puces à Nvidia.",
            "fr",
            ("supplier_customer", "meta-platforms", "nvidia"),
        ),
        (
            "Meta va acheter à Nvidia 350 000 processeurs.",
            "fr",
            ("supplier_customer", "meta-platforms", "nvidia"),
        ),
        (
            "Meta a acheté des GPU auprès de Nvidia.",
            "fr",
            ("supplier_customer", "meta-platforms", "nvidia"),
        ),
        ("SoftBank agreed to buy Arm.", "en", ("acquisition", "arm", "softbank")),
        (
            "SoftBank agreed to buy British chip designer Arm for $32 billion.",
            "en",
            ("acquisition", "arm", "softbank"),
        ),
        ("Arm was bought by SoftBank in 2016.", "en", ("acquisition", "arm", "softbank")),
        (
            "Meta acquired Scale AI in a surprise move.",
            "en",
            ("acquisition", "meta-platforms", "scale-ai"),
        ),
        ("SoftBank a acheté Arm en 2016.", "fr", ("acquisition", "arm", "softbank")),
        ("Microsoft bought a 49% stake in OpenAI.", "en", ("investment", "microsoft", "openai")),
    ],
)
def test_buying_goods_is_supply_and_buying_a_company_is_acquisition(text, language, expected):
    assert pairs(detect(text, language)) == {expected}


def test_a_generic_deal_word_yields_to_a_specific_kind():
    assert pairs(detect("SoftBank signed a deal to buy Arm.")) == {
        ("acquisition", "arm", "softbank")
    }


def test_a_deal_alone_makes_no_partnership():
    assert pairs(detect("SoftBank signed a deal with Arm.")) == set()
    assert pairs(detect("SoftBank a signé un accord avec Arm.", "fr")) == set()


def test_anaphora_pairs_with_the_previous_sentence_main_company():
    text = "Meta is building new data centres this year. They plan to buy 350,000 GPUs from Nvidia."
    [relationship] = detect(text)
    assert (relationship.kind, relationship.company_slugs) == (
        SUPPLIER_CUSTOMER,
        ("meta-platforms", "nvidia"),
    )
    [evidence] = relationship.evidence
    assert evidence.text == "They plan to buy 350,000 GPUs from Nvidia."
    assert evidence.cues == ["buy", "from"]
    assert relationship.topics == ["chips"]


def test_anaphora_looks_back_one_more_sentence_and_no_further():
    two_back = (
        "Meta is building data centres. Demand is soaring. The company will buy GPUs from Nvidia."
    )
    assert pairs(detect(two_back)) == {("supplier_customer", "meta-platforms", "nvidia")}
    three_back = (
        "Meta is building data centres. Demand is soaring. Prices are rising. "
        "The company will buy GPUs from Nvidia."
    )
    assert detect(three_back) == []


def test_anaphora_in_french():
    text = (
        "Meta construit de nouveaux centres de données. "
        "La société achètera des puces auprès de Nvidia."
    )
    [relationship] = detect(text, "fr")
    assert (relationship.kind, relationship.company_slugs) == (
        SUPPLIER_CUSTOMER,
        ("meta-platforms", "nvidia"),
    )
    assert relationship.topics == ["chips"]


def test_no_anaphora_without_an_opening_stand_in_or_with_the_same_company():
    assert detect("Meta is building data centres. Analysts expect purchases from Nvidia.") == []
    assert detect("Meta is growing. It said Meta would partner more.") == []


def test_the_title_is_evidence_with_offsets_into_the_title():
    title = "Apple and Samsung Electronics sign a partnership"
    text = "The companies gave no financial details. Apple will partner with Samsung on displays."
    [relationship] = detect(text, title=title)
    assert relationship.company_slugs == ("apple", "samsung-electronics")
    title_evidence, body_evidence = relationship.evidence
    assert (title_evidence.in_title, title_evidence.start, title_evidence.end) == (
        True,
        0,
        len(title),
    )
    assert title_evidence.text == title
    assert body_evidence.in_title is False
    assert body_evidence.text == "Apple will partner with Samsung on displays."


def test_several_kinds_for_one_pair_are_sorted_by_kind():
    text = "Samsung Electronics, a rival of Apple, also supplies it with displays."
    relationships = detect(text)
    assert [r.kind for r in relationships] == [COMPETITION, SUPPLIER_CUSTOMER]
    assert [r.evidence[0].cues for r in relationships] == [["rival"], ["supplies"]]


def test_cues_are_reported_in_lower_case_with_straight_apostrophes():
    [relationship] = detect(
        "Samsung Electronics annonce une PARTENARIAT et va s’associer à Apple.", "fr"
    )
    assert relationship.evidence[0].cues == ["partenariat", "s'associer"]


def test_a_regulator_is_not_a_competitor():
    assert detect("Competition regulators are reviewing Apple and Samsung Electronics.") == []
    assert detect("L’Autorité de la concurrence examine Apple et Samsung Electronics.", "fr") == []


def test_french_car_is_not_a_car():
    text = "Samsung Electronics s’associe à Apple car le marché des voitures ralentit."
    [relationship] = detect(text, "fr")
    assert relationship.topics == ["automotive"]
    [english] = detect("Samsung Electronics partners with Apple on car screens.")
    assert english.topics == ["automotive"]


def test_acronym_topics_are_case_sensitive():
    # French "j'ai" is not AI.
    [relationship] = detect("« J’ai signé un partenariat », dit Apple à Samsung Electronics.", "fr")
    assert relationship.topics == []


def test_unknown_language_uses_every_lexicon():
    assert pairs(detect("Samsung Electronics s’associe à Apple.", "")) == {
        ("partnership", "apple", "samsung-electronics")
    }


def test_every_kind_has_english_and_french_strong_cues():
    for language in LANGUAGES:
        for kind in RelationshipKind:
            assert word_list(f"relations/{kind.value}_strong", (language,))


def test_no_cue_belongs_to_two_lists_of_one_language():
    names = [
        *(
            f"relations/{kind.value}_{strength}"
            for kind in RelationshipKind
            for strength in ("strong", "weak")
        ),
        "relations/buy",
        "relations/acquire",
        "relations/negations",
    ]
    for language in LANGUAGES:
        seen: set[str] = set()
        for name in names:
            entries = set(word_list(name, (language,)))
            assert not seen & entries
            seen |= entries


def test_a_french_cue_added_to_its_data_file_is_used():
    assert "s'associe" in word_list("relations/partnership_strong", ("fr",))
    assert "s'associe" not in word_list("relations/partnership_strong", ("en",))
    assert pairs(detect("Samsung Electronics s’associe avec Apple.", "fr")) == {
        ("partnership", "apple", "samsung-electronics")
    }


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Apple Inc. said it would partner with Samsung Electronics Co. on chips.\n"
            "Dr. Su said Nvidia competes with Samsung.\n\nMr. Cho. SoftBank bought Arm",
            "en",
        ),
        (
            "Apple Inc. va s’associer à Samsung Electronics Co. sur les puces.\n"
            "M. Su a dit que Nvidia concurrence Samsung.\n\nMme Cho. SoftBank a racheté Arm",
            "fr",
        ),
    ],
)
@pytest.mark.parametrize("as_unknown_language", [False, True])
def test_evidence_sentences_are_the_engines_sentences(text, language, as_unknown_language):
    language = "" if as_unknown_language else language
    sentences = split_sentences(text, language)

    evidence = [item for r in detect(text, language) for item in r.evidence]

    assert len(evidence) == 3
    assert {(item.start, item.end) for item in evidence} <= set(sentences)


@pytest.mark.parametrize("apostrophe", ["'", "’", "‘", "ʼ", "′", "`", "´"])
def test_every_apostrophe_reads_as_one_in_cues_and_anaphora(apostrophe: str):
    text = (
        f"Samsung Electronics va s{apostrophe}associer à Apple."
        f" L{apostrophe}entreprise a aussi acheté Arm."
    )

    relationships = detect(text, "fr")

    assert pairs(relationships) == {
        ("partnership", "apple", "samsung-electronics"),
        ("acquisition", "arm", "samsung-electronics"),
    }
    assert relationships[-1].evidence[0].cues == ["s'associer"]


SEED_KB = KnowledgeBase(
    records=(
        company(1, "meta-platforms", "Meta Platforms"),
        company(2, "lg-electronics", "LG Electronics", parent_id=3),
        company(3, "lg-corp", "LG Corp"),
        company(4, "apple", "Apple"),
        company(5, "nvidia", "Nvidia"),
        person(10, "mark-zuckerberg", "Mark Zuckerberg", affiliation_id=1),
        person(11, "william-cho", "William Cho", affiliation_id=2),
        person(12, "kwon-bong-seok", "Kwon Bong-seok", affiliation_id=3),
        person(13, "yoon-suk-yeol", "Yoon Suk Yeol"),
        product(20, "apple-vision-pro", "Vision Pro", maker_id=4),
        product(21, "nvidia-h100", "H100", maker_id=5),
    ),
    aliases={
        "meta-platforms": ("Meta Platforms", "Meta"),
        "lg-electronics": ("LG Electronics", "LG"),
        "lg-corp": ("LG Corp",),
        "apple": ("Apple",),
        "nvidia": ("Nvidia",),
        "mark-zuckerberg": ("Mark Zuckerberg", "Zuckerberg"),
        "william-cho": ("William Cho", "Cho"),
        "kwon-bong-seok": ("Kwon Bong-seok",),
        "yoon-suk-yeol": ("Yoon Suk Yeol",),
        "apple-vision-pro": ("Vision Pro",),
        "nvidia-h100": ("H100",),
    },
)


@pytest.fixture(scope="module")
def seed_article() -> tuple[str, str]:
    if not SEED.exists():
        if os.environ.get("CI"):
            pytest.fail(f"seed article missing: {SEED}")
        pytest.skip(f"seed article missing: {SEED}")
    title, _, body = SEED.read_text(encoding="utf-8").partition("\n\n")
    return title.strip(), body


def test_seed_article_relationships(seed_article):
    title, body = seed_article
    relationships = detect_relationships(
        text=body,
        title=title,
        language="fr",
        matches=SEED_KB.matches(body, title),
        dictionary=SEED_KB.dictionary,
    )
    assert pairs(relationships) == {
        ("competition", "apple", "meta-platforms"),
        ("partnership", "lg-electronics", "meta-platforms"),
        ("supplier_customer", "meta-platforms", "nvidia"),
    }
    competition, partnership, supply = relationships

    assert partnership.topics == ["ai", "xr"]
    assert partnership.company_ids == (2, 1)
    assert any(
        "Le PDG de Meta Platforms, Mark Zuckerberg, a rencontré les dirigeants de LG "
        "Electronics pour discuter d’un partenariat" in evidence.text
        for evidence in partnership.evidence
    )
    assert partnership.evidence[0].in_title
    assert partnership.evidence[0].text == title
    assert partnership.evidence[1].text.startswith("JAKARTA - Le PDG de Meta Platforms")
    assert [evidence.start for evidence in partnership.evidence[1:]] == sorted(
        evidence.start for evidence in partnership.evidence[1:]
    )

    [competition_evidence] = competition.evidence
    assert competition_evidence.text.startswith("Meta a lancé son dernier casque")
    assert "concurrent" in competition_evidence.cues

    [supply_evidence] = supply.evidence
    assert supply_evidence.text.startswith("Ils prévoient également de sécuriser")
    assert "chips" in supply.topics

    for relationship in relationships:
        for evidence in relationship.evidence:
            source = title if evidence.in_title else body
            assert source[evidence.start : evidence.end] == evidence.text
            assert 0 < evidence.confidence <= 1


_PIECES = st.sampled_from(
    [
        "Apple",
        "Samsung Electronics",
        "Nvidia",
        "Meta",
        "LG Corp",
        "LG Electronics",
        "LG Innotek",
        "Zuckerberg",
        "Vision Pro",
        "H100",
        "They",
        "La société",
        "partner",
        "partenariat",
        "buys",
        "achète",
        "from",
        "auprès de",
        "chips",
        "rival",
        "stake",
        "acquire",
        "deal",
        "not",
        "n’a pas",
        "ne … pas",
        "AI",
        "İ",
        "d’",
        "«",
        "»",
        "“",
        "”",
        "%",
        "3.5",
    ]
)
_GLUE = st.sampled_from([" ", ", ", ". ", "! ", "\n\n", "’", " - "])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_PIECES, _GLUE), max_size=40),
    st.lists(st.tuples(_PIECES, _GLUE), max_size=8),
    st.sampled_from(["en", "fr", ""]),
)
def test_any_text_gives_consistent_relationships(body_pieces, title_pieces, language):
    text = "".join(piece + glue for piece, glue in body_pieces)
    title = "".join(piece + glue for piece, glue in title_pieces)
    relationships = detect(text, language, title)
    ids_by_slug = {record.slug: record.id for record in KB.records}
    keys = [(r.kind.value, r.company_slugs) for r in relationships]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    for relationship in relationships:
        first, second = relationship.company_slugs
        assert first < second
        assert relationship.company_ids == (ids_by_slug[first], ids_by_slug[second])
        # One group's companies may buy or supply each other, never partner or compete.
        if relationship.kind in (PARTNERSHIP, COMPETITION):
            assert {first, second} not in (
                {"lg-corp", "lg-electronics"},
                {"lg-corp", "lg-innotek"},
                {"lg-electronics", "lg-innotek"},
            )
        assert relationship.topics == sorted(set(relationship.topics))
        assert relationship.evidence
        body_starts = [e.start for e in relationship.evidence if not e.in_title]
        assert body_starts == sorted(body_starts)
        for evidence in relationship.evidence:
            assert evidence.cues
            assert all(cue == cue.lower() for cue in evidence.cues)
            assert 0 < evidence.confidence <= 1


def test_entities_missing_from_the_dictionary_are_ignored():
    text = "Zuckerberg and Samsung Electronics announced a partnership with Apple."
    matches = KB.matches(text)
    entities = {record.id: record for record in KB.records if record.slug != "mark-zuckerberg"}
    relationships = detect_relationships(
        text=text,
        title="",
        language="en",
        matches=matches,
        dictionary=StubDictionary(entities),
    )
    assert pairs(relationships) == {("partnership", "apple", "samsung-electronics")}


def test_a_cycle_of_parents_does_not_hang():
    entities = {
        1: company(1, "alpha", "Alpha", parent_id=2),
        2: company(2, "beta", "Beta", parent_id=1),
        3: company(3, "gamma", "Gamma"),
    }
    text = "Alpha, Beta and Gamma formed an alliance."
    matches = [
        EntityMatch(1, EntityKind.COMPANY, "alpha", "Alpha", [Span(0, 5, "Alpha")]),
        EntityMatch(2, EntityKind.COMPANY, "beta", "Beta", [Span(7, 11, "Beta")]),
        EntityMatch(3, EntityKind.COMPANY, "gamma", "Gamma", [Span(16, 21, "Gamma")]),
    ]
    relationships = detect_relationships(
        text=text, title="", language="en", matches=matches, dictionary=StubDictionary(entities)
    )
    assert pairs(relationships) == {
        ("partnership", "alpha", "gamma"),
        ("partnership", "beta", "gamma"),
    }


def test_a_character_that_lower_cases_to_two_keeps_offsets():
    text = "İSTANBUL - Samsung Electronics signed a partnership with Apple."
    [relationship] = detect(text)
    assert relationship.evidence[0].cues == ["partnership"]
    assert relationship.evidence[0].text == text


def test_no_matches_or_one_company_gives_nothing():
    assert detect("") == []
    assert detect("Apple partners with Apple.") == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Apple and Samsung Electronics face supply chain problems.", "en"),
        ("Apple and Samsung Electronics must deal with weak demand.", "en"),
        ("The stakes are high for Apple and Samsung Electronics.", "en"),
        ("Apple and Samsung Electronics both lost customers this year.", "en"),
        ("Apple et Samsung Electronics réorganisent leur chaîne d’approvisionnement.", "fr"),
        ("Cho, aux commandes de LG Electronics, a rencontré Apple.", "fr"),
        ("Apple va reprendre ses ventes, comme Samsung Electronics.", "fr"),
    ],
)
def test_common_phrases_that_are_not_relationships(text, language):
    assert detect(text, language) == []


def test_not_only_is_not_a_negation():
    text = "Samsung Electronics is not only a rival of Apple but also its supplier."
    assert pairs(detect(text)) == {
        ("competition", "apple", "samsung-electronics"),
        ("supplier_customer", "apple", "samsung-electronics"),
    }
