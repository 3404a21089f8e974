"""The cues that introduce a person or a company the knowledge base lacks, in English and
French: roles and trades in appositions a few words on, employers, company words, deals, legal
forms; and the look-alikes they must leave alone."""

import pytest

from entities.tagging import AliasRecord, Dictionary, EntityKind, EntityRecord, tag

COMPANY, PERSON = EntityKind.COMPANY, EntityKind.PERSON
DICTIONARY = Dictionary(
    [
        EntityRecord(1, COMPANY, "google", "Google"),
        EntityRecord(2, COMPANY, "nvidia", "Nvidia"),
        EntityRecord(3, COMPANY, "smic", "SMIC"),
    ],
    [AliasRecord(1, "Google"), AliasRecord(2, "Nvidia"), AliasRecord(3, "SMIC")],
)


def suggested(text: str, language: str) -> dict[str, tuple[str, list[str]]]:
    result = tag(text, dictionary=DICTIONARY, language=language)
    return {
        new.name: (new.kind.value, [span.text for span in new.mentions])
        for new in result.new_entities
    }


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # A role a few words after the name and a comma; the employer after "at" or "chez".
        (
            "“Demand is soft,” said Tomas Brandt, a senior memory analyst at Norvik.",
            "en",
            {"Tomas Brandt": ("person", ["Tomas Brandt"]), "Norvik": ("company", ["Norvik"])},
        ),
        (
            "Ana Lund, Quorvel's vice chairman and managing director, signed the deal.",
            "en",
            {"Ana Lund": ("person", ["Ana Lund"])},
        ),
        (
            "Ivo Brandt, a former Google engineer, joined in May. Brandt will run the lab.",
            "en",
            {"Ivo Brandt": ("person", ["Ivo Brandt", "Brandt"])},
        ),
        (
            "Ivo Brandt, who led the modem team, left.",
            "en",
            {"Ivo Brandt": ("person", ["Ivo Brandt"])},
        ),
        (
            "Commerce Secretary Ivo Brandt met Nvidia.",
            "en",
            {"Ivo Brandt": ("person", ["Ivo Brandt"])},
        ),
        ("Board member Lin Tao replaced him.", "en", {"Lin Tao": ("person", ["Lin Tao"])}),
        (
            "Its founder, Ivo Brandt, declined to comment.",
            "en",
            {"Ivo Brandt": ("person", ["Ivo Brandt"])},
        ),
        (
            "The chairman of the Federal Reserve, Ivo Brandt, spoke.",
            "en",
            {"Ivo Brandt": ("person", ["Ivo Brandt"])},
        ),
        (
            "« La demande ralentit », estime Léa Brandt, analyste principale chez Norvik à Paris.",
            "fr",
            {"Léa Brandt": ("person", ["Léa Brandt"]), "Norvik": ("company", ["Norvik"])},
        ),
        (
            "Selon Léa Brandt, directrice de recherche chez Norvik, la puce arrive.",
            "fr",
            {"Léa Brandt": ("person", ["Léa Brandt"]), "Norvik": ("company", ["Norvik"])},
        ),
        (
            "Léa Brandt, qui pilote la filiale, a confirmé.",
            "fr",
            {"Léa Brandt": ("person", ["Léa Brandt"])},
        ),
        (
            "Le ministre Jean Vasseur a salué l'accord.",
            "fr",
            {"Jean Vasseur": ("person", ["Jean Vasseur"])},
        ),
        (
            "Il succède au co-PDG Han Jong-hee. Han avait pris la tête en 2022.",
            "fr",
            {"Han Jong-hee": ("person", ["Han Jong-hee", "Han"])},
        ),
        (
            "Ivo Brandt, the under secretary who runs exports, met Nvidia.",
            "en",
            {"Ivo Brandt": ("person", ["Ivo Brandt"])},
        ),
        (
            "Le projet sera dirigé par Emmanuel Le Gall, qui pilotait déjà l'activité.",
            "fr",
            {"Emmanuel Le Gall": ("person", ["Emmanuel Le Gall"])},
        ),
        (
            "Sa cofondatrice, Léa Fournel, passée par Airbus, veut recruter.",
            "fr",
            {"Léa Fournel": ("person", ["Léa Fournel"])},
        ),
        # Companies: a trade before or after the name, a company word, a legal form, a deal.
        (
            "Contract manufacturer Quorvel builds phones for Google.",
            "en",
            {"Quorvel": ("company", ["Quorvel"])},
        ),
        (
            "The optics come from the Israeli company Lumivex.",
            "en",
            {"Lumivex": ("company", ["Lumivex"])},
        ),
        (
            "A Kuala Lumpur firm called Norstar Compute Sdn Bhd bought servers.",
            "en",
            {"Norstar Compute": ("company", ["Norstar Compute Sdn Bhd"])},
        ),
        (
            "The casings come from Quorvel, a local firm that moulds plastics.",
            "en",
            {"Quorvel": ("company", ["Quorvel"])},
        ),
        (
            "Yuanli Securities raised its target. Yuanli expects more orders.",
            "en",
            {"Yuanli Securities": ("company", ["Yuanli Securities", "Yuanli"])},
        ),
        (
            "Korea Growth Partners led the round.",
            "en",
            {"Korea Growth Partners": ("company", ["Korea Growth Partners"])},
        ),
        (
            "Japan Advanced Wafer Manufacturing (JAWM) opened a plant. JAWM will hire.",
            "en",
            {
                "Japan Advanced Wafer Manufacturing": (
                    "company",
                    [
                        "Japan Advanced Wafer Manufacturing",
                        "JAWM",
                        "JAWM",
                    ],
                )
            },
        ),
        ("Google bought a stake in Quorvel.", "en", {"Quorvel": ("company", ["Quorvel"])}),
        ("The panels are supplied by Quorvel.", "en", {"Quorvel": ("company", ["Quorvel"])}),
        (
            "Lumivex raised $20 million in a round led by Harbor Ventures.",
            "en",
            {"Harbor Ventures": ("company", ["Harbor Ventures"])},
        ),
        (
            "Elle boucle un tour de table mené par Quorvel.",
            "fr",
            {"Quorvel": ("company", ["Quorvel"])},
        ),
        ("Quorvel's chief executive resigned.", "en", {"Quorvel": ("company", ["Quorvel"])}),
        (
            "Le sous-traitant taïwanais Quorvel fournit les coques.",
            "fr",
            {"Quorvel": ("company", ["Quorvel"])},
        ),
        (
            "L'équipementier Quorvel a signé avec le néerlandais Lumivex.",
            "fr",
            {"Quorvel": ("company", ["Quorvel"]), "Lumivex": ("company", ["Lumivex"])},
        ),
        (
            "Quorvel, le fabricant chinois de coques, ouvre une usine.",
            "fr",
            {"Quorvel": ("company", ["Quorvel"])},
        ),
        ("Le rachat de Quorvel a été bouclé.", "fr", {"Quorvel": ("company", ["Quorvel"])}),
    ],
)
def test_a_cue_introduces_a_newcomer(text, language, expected):
    assert suggested(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # A place, an adverb or a preposition's object before the comma is no company.
        ("In Manaus, the firm that won the contract hired staff.", "en", {}),
        ("Separately, the company that makes the chips grew.", "en", {}),
        ("Pour Jean Dupont, la société doit changer de cap.", "fr", {}),
        ("Désormais, la société vise l'Asie.", "fr", {}),
        ("Selon Jean Dupont, le fabricant devra baisser ses prix.", "fr", {}),
        # A place, a person or a body after a deal word is no company.
        ("Google signed a deal with Kenya and was backed by Temasek.", "en", {}),
        ("The round led by Jane Doe closed.", "en", {}),
        ("Le projet est soutenu par Bpifrance et mené par Thales.", "fr", {}),
        ("Google won a contract from NASA and supplied by NASA.", "en", {}),
        # A person's name after a trade is a company's only when it ends the clause.
        ("The company Jane Doe founded in 2010 was sold.", "en", {}),
        ("The rival Jane Doe won the vote.", "en", {}),
        ("Le Français Jean Dupont a remporté le prix.", "fr", {}),
        # A role that only modifies the noun after it, a verb between name and role.
        ("Galaxy Ring, the company said, will ship in June.", "en", {}),
        ("Jane Doe, said the analyst, was right.", "en", {}),
        # Ordinary words, institutions, units, lone letters.
        ("Consumer Electronics sales rose as consumer demand improved.", "en", {}),
        ("High Performance Computing is the new battleground.", "en", {}),
        (
            "Researchers at the Korea Advanced Institute of Science and Technology built it.",
            "en",
            {},
        ),
        ("Loans from the World Bank paid for the plant.", "en", {}),
        ("Class A shares rose while Series B shares fell.", "en", {}),
        ("The chip comes from its Advanced Computing unit.", "en", {}),
        ("L'État a racheté l'activité Advanced Computing de Bull.", "fr", {}),
        # The long form of a known company: its acronym follows, or its name is in it.
        ("It is made at Semiconductor Manufacturing International Corp (SMIC).", "en", {}),
        ("Beijing Nvidia Electronics makes the boards.", "en", {}),
        # A person's role names no company when it is in public life or research.
        (
            "“It is early,” said Jane Doe, a researcher at Brightwater.",
            "en",
            {"Jane Doe": ("person", ["Jane Doe"])},
        ),
        (
            "Jane Doe, a company spokeswoman, declined to comment.",
            "en",
            {"Jane Doe": ("person", ["Jane Doe"])},
        ),
        (
            "« C'est tôt », estime Jean Dupont, chercheur au CNRS.",
            "fr",
            {"Jean Dupont": ("person", ["Jean Dupont"])},
        ),
        (
            "« C'est tôt », estime Jean Dupont, maire de Crolles.",
            "fr",
            {"Jean Dupont": ("person", ["Jean Dupont"])},
        ),
        # A surname that stands alone after a full name is hers, not a company's.
        ("Jane Doe runs Quorvel. The company Doe founded grew.", "en", {}),
    ],
)
def test_a_look_alike_is_left_alone(text, language, expected):
    assert suggested(text, language) == expected
