"""Names of the shipped starter knowledge base as stories write them, in English and French:
a firm's everyday short name counts beside its context, and never when it is an ordinary word
or the surname of someone the story quotes."""

import pytest

from entities.importers import LINKS, starter_rows
from entities.tagging import AliasRecord, Dictionary, EntityKind, EntityRecord
from entities.tagging.matcher import find_entities


@pytest.fixture(scope="module")
def dictionary() -> Dictionary:
    rows = starter_rows()
    ids = {}
    for kind, kind_rows in rows.items():
        for row in kind_rows:
            ids[kind, row["slug"]] = len(ids) + 1
    entities, aliases = [], []
    for kind, kind_rows in rows.items():
        for row in kind_rows:
            number = ids[kind, row["slug"]]
            links = {
                f"{field}_id": ids[target_kind, row[field]]
                for field, (linked_kind, target_kind) in LINKS.items()
                if linked_kind == kind and row.get(field)
            }
            record = EntityRecord(number, EntityKind(kind), row["slug"], row["name"], **links)
            entities.append(record)
            aliases += [
                AliasRecord(
                    number,
                    alias["text"],
                    alias.get("lang", ""),
                    alias.get("case_sensitive", False),
                    alias.get("ambiguous", False),
                )
                for alias in row["aliases"]
            ]
    return Dictionary(entities, aliases)


def slugs(dictionary: Dictionary, text: str, language: str) -> set[str]:
    found = find_entities(text, dictionary=dictionary, language=language)
    return {match.slug for match in found.matches}


def test_a_brokerage_named_by_its_short_name_counts_beside_its_analyst(dictionary):
    text = "Margins at Apple should hold, Bernstein analyst Toni Sacconaghi wrote on Monday."
    assert {"bernstein", "toni-sacconaghi", "apple"} <= slugs(dictionary, text, "en")


def test_une_maison_de_courtage_nommee_en_bref_compte_a_cote_de_son_analyste(dictionary):
    text = "Selon Sébastien Sztabowicz, analyste chez Kepler Cheuvreux, ASML va rebondir."
    assert {"kepler-cheuvreux", "sebastien-sztabowicz", "asml"} <= slugs(dictionary, text, "fr")


def test_suppliers_and_researchers_are_found_by_their_usual_names(dictionary):
    text = (
        "Panels from BOE and Visionox will go into the next iPhone, and the Apple supplier "
        "Flex will assemble some of them, according to Counterpoint and Synergy Research Group."
    )
    assert {
        "boe-technology",
        "visionox",
        "flex",
        "counterpoint-research",
        "synergy-research-group",
    } <= slugs(dictionary, text, "en")


def test_les_investisseurs_et_agences_sont_trouves_par_leur_nom_usuel(dictionary):
    text = (
        "La start-up parisienne lève 20 millions d'euros auprès de Partech, Elaia et Kima "
        "Ventures, a appris l'Agence France-Presse."
    )
    assert {"partech", "elaia", "kima-ventures", "afp"} <= slugs(dictionary, text, "fr")


def test_a_short_name_used_as_an_ordinary_word_is_not_the_company(dictionary):
    text = "Flex your wrist and the Apple Watch now counts the repetitions."
    assert "flex" not in slugs(dictionary, text, "en")


def test_un_nom_court_inclus_dans_un_nom_plus_long_n_est_pas_l_entreprise(dictionary):
    text = "Chez Google, le Flex Office s'impose dans les nouveaux bureaux de Paris."
    assert "flex" not in slugs(dictionary, text, "fr")


def test_the_surname_of_a_quoted_executive_is_not_a_company_of_that_name(dictionary):
    text = (
        "Jean-Marc Chery, the chief executive of STMicroelectronics, met Nintendo's Shuntaro "
        "Furukawa. Chery said orders were recovering."
    )
    found = slugs(dictionary, text, "en")
    assert {"jean-marc-chery", "shuntaro-furukawa"} <= found
    assert not found & {"chery", "furukawa-electric"}


def test_le_nom_de_famille_d_un_dirigeant_cite_n_est_pas_une_entreprise(dictionary):
    text = (
        "Shuntaro Furukawa, le président de Nintendo, était à Kyoto avec Sony. Furukawa a "
        "confirmé la date de sortie."
    )
    found = slugs(dictionary, text, "fr")
    assert "shuntaro-furukawa" in found
    assert "furukawa-electric" not in found
