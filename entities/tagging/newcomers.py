"""Suggest people, companies and products the knowledge base lacks, when the story says what
they are.

Discovery (`discovery`) lists every unknown name for an editor to review. This pass is
narrower and surer: it takes only a name introduced by a cue of its kind, written next to it,

- a person: a role right before the name ("chief executive Jane Doe", "le PDG Jean Dupont",
  "its founder, Jane Doe,"), "who" or a verb right after it and a comma ("Jane Doe, who
  heads Acme", "Jean Dupont, qui dirige Acme"), or a role in an apposition, perhaps after a
  determiner and a few words ("Jane Doe, a senior analyst at Acme", "Jane Doe, Acme's vice
  chairman", "Marie Dupont, directrice générale de Acme"); the name must have the shape of a
  person's name (two or three capitalised words, see `discovery.is_person_shaped`);
- a company: a legal form right after the name ("Acme Inc.", "Acme Sdn Bhd"), a company's word
  ending it ("Acme Securities"), a trade right before it ("the start-up Acme", "chipmaker
  Acme", "la société française Acme", "l'américain Acme") or in an apposition after it
  ("Acme, a local firm that…", "Acme, le fabricant chinois"), the employer a person's role
  names ("an analyst at Acme", "analyste chez Acme"), a role only a company has ("Acme's
  chief executive", "le PDG d'Acme"), a deal ("a stake in Acme", "le rachat d'Acme"), or a
  statement right after it ("Acme said in a statement"); the last three, and trades that
  may be a person's ("rival"), only when the name is shaped like no person's;
- a product: a product noun right after the name in English ("the XR9 chip"), right before
  it in French ("la puce XR9", with up to two lower-case words between: "la puce sans fil
  XR9"); the name must start with a capital letter and hold a digit, and be no quantity,
  year, fiscal period or technical standard ("Wi-Fi 7 chip", "DDR5 chips",
  `data/any/products/standards.txt`). A company's possessive right before the name is its
  maker ("Acme's XR9 chip").

The cue lists are `data/*/newcomers/`. Words that are never names (places, months, titles,
function words: `discovery.NEVER_NAMES`) are trimmed from the ends of a name; a name the
dictionary knows, that overlaps an entity already tagged, or that names an institution is left
alone. Every occurrence of the name in the body is a mention, and so are, after it, a person's
bare surname, a company's short name ("Acme" for "Acme Securities") and the acronym written
after its name ("Acme Semiconductor (ASC)"); its occurrence in the title marks it as named
there.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

import ahocorasick

from .dictionary import MEASURE, NOT_A_VERSION
from .discovery import GENERIC_WORDS, NAME_MAX_CHARS, NEVER_NAMES, PLACES, is_person_shaped
from .lexicons import LANGUAGES, language_code, word_list
from .text import APOSTROPHE, APOSTROPHES, UPPER_CASE_LETTER, RegexTrie, straight_apostrophes
from .types import EntityKind, NewEntity, Span

CONFIDENCE_PERSON_ROLE = 0.8
CONFIDENCE_COMPANY_SUFFIX = 0.85
CONFIDENCE_COMPANY_CUE = 0.8
CONFIDENCE_COMPANY_WORD = 0.75
CONFIDENCE_COMPANY_EMPLOYER = 0.75
CONFIDENCE_COMPANY_STATEMENT = 0.7
CONFIDENCE_PRODUCT_NOUN = 0.6

_SPACES = " \u00a0\u202f"
_GAP = f"[{_SPACES}]+"
# A capitalised word of a person's name: "Jane", "O'Brien", "Bong-seok".
_PERSON_WORD = rf"[{UPPER_CASE_LETTER}][^\W\d_]*(?:[-'’][^\W\d_]+)*"
_PERSON = rf"{_PERSON_WORD}(?:{_GAP}{_PERSON_WORD}){{1,3}}"
# A word of a company's name: initials, capitalised, a number, or camel case ("D.A.", "Acme",
# "3M", "xAI").
_COMPANY_WORD = (
    rf"(?:(?:[{UPPER_CASE_LETTER}]\.){{2,}}|[{UPPER_CASE_LETTER}0-9][\w&]*(?:[-.][\w&]+)*"
    rf"|[a-z]+[{UPPER_CASE_LETTER}]\w*)"
)
_COMPANY = rf"{_COMPANY_WORD}(?:{_GAP}{_COMPANY_WORD}){{0,3}}"
_POSSESSIVE = re.compile(rf"{APOSTROPHE}s$")
# A word of a product's name: capitalised, a model number, camel case ("Orbit", "XR9", "iPad").
_PRODUCT_WORD = (
    rf"(?:[{UPPER_CASE_LETTER}0-9][\w+]*(?:-[\w+]+)*|[a-z]+[{UPPER_CASE_LETTER}0-9][\w+]*)"
)
_PRODUCT = rf"{_PRODUCT_WORD}(?:{_GAP}{_PRODUCT_WORD}){{0,3}}"
# A company's possessive right before a product's name: its maker ("Acme's XR9 chip").
_MAKER_POSSESSIVE = re.compile(rf"{APOSTROPHE}s{_GAP}$")
# Technical standards, grades and rounds: their names with a digit are no products.
_STANDARDS = frozenset(
    entry.replace("-", "").casefold() for entry in word_list("products/standards")
)
_LEADING_LETTERS = re.compile(r"[^\W\d_]*")
_YEAR = re.compile(r"(?:19|20)\d\d")
_WORD = re.compile(r"\S+")
_LOWER_CASE_WORD = re.compile(r"(?<![\w'’-])[a-zà-ÿ]+(?![\w-])")

# How far before a cue a name that ends at the cue may start, in characters.
_WINDOW = 100
# Searched in the stretch before a cue, up to the cue: `$` is where the cue starts.
_PERSON_BEFORE = re.compile(rf"(?<![\w-])(?P<name>{_PERSON}),{_GAP}$")
_COMPANY_BEFORE = re.compile(rf"(?<![\w-])(?P<name>{_COMPANY}){_GAP}$")
_PRODUCT_BEFORE = re.compile(rf"(?<![\w-])(?P<name>{_PRODUCT}){_GAP}$")
# French: "la puce XR9", "la puce sans fil XR9", "le robot humanoïde XR9".
_PRODUCT_AFTER = re.compile(rf"(?:{_GAP}[a-zà-ÿ]{{3,}}){{0,2}}{_GAP}(?P<name>{_PRODUCT})")
_NAME_BEFORE = {
    EntityKind.PERSON: _PERSON_BEFORE,
    EntityKind.COMPANY: _COMPANY_BEFORE,
    EntityKind.PRODUCT: _PRODUCT_BEFORE,
}
# Matched after a cue. A comma may stand before a person's name that a comma closes ("its
# founder, Jane Doe, said").
_PERSON_AFTER = re.compile(rf"(?P<comma>,)?{_GAP}(?P<name>{_PERSON})")
_COMPANY_AFTER = re.compile(rf"{_GAP}(?P<name>{_COMPANY})")
# After an elided cue ("le rachat d'Acme").
_COMPANY_AFTER_ELISION = re.compile(rf"[ ]*(?P<name>{_COMPANY})")
# A company's possessive before a role only a company has ("Acme's chief executive"), or its
# name after the role and "of" ("chief executive of Acme", "PDG d'Acme").
_COMPANY_OWNING = re.compile(rf"(?<![\w-])(?P<name>{_COMPANY}){APOSTROPHE}s{_GAP}$")
_OF_COMPANY = re.compile(rf"{_GAP}(?:of|de|du|d{APOSTROPHE})[ ]*(?P<name>{_COMPANY})")
# French puts adjectives and complements between the cue and the name ("la société française
# Acme", "le fabricant de puces Acme", "le ministre délégué Jean Dupont").
_FRENCH_ADJECTIVE = (
    rf"(?:{_GAP}(?:de|d{APOSTROPHE})[ ]*(?P<complement>[a-zà-ÿ-]{{3,}}))?"
    rf"(?:{_GAP}(?P<adjective>[a-zà-ÿ-]{{4,}}))?"
)
_PERSON_AFTER_ADJECTIVE = re.compile(rf"{_FRENCH_ADJECTIVE}(?P<comma>,)?{_GAP}(?P<name>{_PERSON})")
_COMPANY_AFTER_ADJECTIVE = re.compile(rf"{_FRENCH_ADJECTIVE}{_GAP}(?P<name>{_COMPANY})")
# A role's company, then the person: "chief executive of Acme, Jane Doe".
_OF = re.compile(rf"{_GAP}(?:of|at|de|du|chez|d{APOSTROPHE})[ \u00a0\u202f]*")
_APPOSITION = re.compile(rf",{_GAP}(?P<name>{_PERSON})")
# The same with a body the knowledge base lacks, the person's name between commas: "the
# chairman of the Federal Reserve, Jane Doe, said".
_BODY_THEN_APPOSITION = re.compile(
    rf"(?:(?:the|la|le){_GAP}|l{APOSTROPHE})?{_COMPANY},{_GAP}(?P<name>{_PERSON})(?=[,.])"
)
# A company right before a role, possessive or not: "Acme's chief executive", "Acme CEO".
_OWNER = re.compile(rf"(?:{APOSTROPHE}s)?[ \u00a0\u202f]$")
# The employer a role names: "a senior analyst at Acme"; in French after the adjectives
# that follow the role: "analyste télécoms chez Acme", "directrice de recherche chez Acme".
_EMPLOYER = re.compile(rf"{_GAP}at{_GAP}(?P<name>{_COMPANY})")
_FRENCH_EMPLOYER = re.compile(
    rf"(?:{_GAP}[a-zà-ÿ][\w'’-]*){{0,3}}?{_GAP}(?:chez|at){_GAP}(?P<name>{_COMPANY})"
)
# A word between "Name, " and the role or trade of an apposition: a lower-case word, a
# capitalised one ("a former Google engineer"), a possessive ("Acme's"), an acronym ("CFDT")
# or a word such as "Curitiba-based".
_FILLER = rf"(?:[a-zà-ÿ][\w'’-]*|[{UPPER_CASE_LETTER}0-9][\w&.-]*(?:{APOSTROPHE}s)?)"
_MAX_FILLERS = 3
# How far before its role or trade the comma of an apposition may be, in characters.
_APPOSITION_WORDS = 60
# An acronym in brackets after a name: "Japan Advanced Semiconductor Manufacturing (JASM)".
_ACRONYM = re.compile(
    rf"[{_SPACES}]*\((?P<acronym>[{UPPER_CASE_LETTER}][{UPPER_CASE_LETTER}0-9&]{{1,7}})\)"
)
# A capitalised word that describes a company rather than names it: "Seoul-based",
# "Nasdaq-listed".
_DESCRIPTION = re.compile(rf"[{UPPER_CASE_LETTER}][\w.]*-[a-z][\w-]*")
_CAPITALISED_NEXT = re.compile(rf"{_GAP}[{UPPER_CASE_LETTER}]")
# What may end the words before an apposition's name in a sentence ("In Manaus, the firm…").
_SENTENCE_START = re.compile(r"(?:^|[.!?:;«\"“(\n])[^.!?:;«\"“(\n]*$")
_CLAUSE_END = frozenset(",.;:!?)»”\"'’")
# A Korean given name, after the family name: "Ji-hoon" in "Kim Ji-hoon", whose surname is Kim.
_GIVEN_NAME_AFTER_FAMILY_NAME = re.compile(r"[^\W\d_]+-[a-zà-ÿ]+")

# Nationalities are never the one distinctive word of a company's name.
_NATIONALITIES = frozenset(word_list("newcomers/nationalities"))
# Words never the distinctive word of a company's name: nationalities, "Advanced", "Cloud".
_ORDINARY_CAPITALISED = _NATIONALITIES | frozenset(word_list("newcomers/ordinary_words"))
_COMPANY_WORDS = frozenset(word_list("newcomers/company_words"))
_NAME_PARTICLES = frozenset(word_list("newcomers/name_particles"))
_BUSINESS_UNITS = frozenset(word_list("newcomers/business_units"))
_WORD_BEFORE = re.compile(rf"(?<![^\W\d_])([^\W\d_]+)[{_SPACES}]*$")
_WORD_AFTER = re.compile(rf"[{_SPACES}]*([^\W\d_]+)")
_INSTITUTIONS = tuple(entry.casefold().split() for entry in word_list("newcomers/institutions"))
_VERBS = frozenset(word_list("newcomers/apposition_breakers"))
_APPOSITION_BREAKERS = GENERIC_WORDS | _VERBS


class _Cue(NamedTuple):
    """What a cue list says of the name next to it, and where that name stands."""

    kind: EntityKind
    confidence: float
    # Right after the cue ("chipmaker Acme"), right before it ("Acme said in a statement",
    # "Acme Inc."), or before it and a comma, with perhaps a determiner and a few words
    # ("Acme, a local firm that").
    after: bool = False
    before: bool = False
    apposition: bool = False
    # The cue is the last word of the name ("Acme Securities").
    ends_name: bool = False
    # A statement after the name ("Acme said"): a person's name may stand there too.
    statement: bool = False
    # A noun that may also stand for a person ("rival"): the name must be shaped like no
    # person's.
    unless_person: bool = False
    # A role in a company: the capitalised name after "at" or "chez" is the company.
    names_employer: bool = False
    # A French nationality: it stands for a company after an article ("l'américain Acme").
    nationality: bool = False
    # A role only a company has: its name is the possessive before it ("Acme's chief
    # executive") or follows "of" ("the chief executive of Acme").
    owned: bool = False


_CUES = {
    "person_roles_before": _Cue(EntityKind.PERSON, CONFIDENCE_PERSON_ROLE, after=True),
    "person_roles_after": _Cue(EntityKind.PERSON, CONFIDENCE_PERSON_ROLE, before=True),
    "person_roles": _Cue(
        EntityKind.PERSON, CONFIDENCE_PERSON_ROLE, apposition=True, names_employer=True
    ),
    "person_roles_public": _Cue(EntityKind.PERSON, CONFIDENCE_PERSON_ROLE, apposition=True),
    "company_cues_before": _Cue(EntityKind.COMPANY, CONFIDENCE_COMPANY_CUE, after=True),
    "company_nouns": _Cue(EntityKind.COMPANY, CONFIDENCE_COMPANY_CUE, after=True, apposition=True),
    "company_nouns_ambiguous": _Cue(
        EntityKind.COMPANY, CONFIDENCE_COMPANY_CUE, after=True, apposition=True, unless_person=True
    ),
    "company_cues_after": _Cue(
        EntityKind.COMPANY, CONFIDENCE_COMPANY_STATEMENT, before=True, statement=True
    ),
    "company_words": _Cue(EntityKind.COMPANY, CONFIDENCE_COMPANY_WORD, ends_name=True),
    "company_roles": _Cue(
        EntityKind.COMPANY, CONFIDENCE_COMPANY_CUE, unless_person=True, owned=True
    ),
    "company_deals": _Cue(
        EntityKind.COMPANY, CONFIDENCE_COMPANY_CUE, after=True, unless_person=True
    ),
    "nationalities": _Cue(EntityKind.COMPANY, CONFIDENCE_COMPANY_CUE, after=True, nationality=True),
    "product_nouns_after": _Cue(EntityKind.PRODUCT, CONFIDENCE_PRODUCT_NOUN, before=True),
    "product_nouns_before": _Cue(EntityKind.PRODUCT, CONFIDENCE_PRODUCT_NOUN, after=True),
}
# Where the names each cue introduces stand.
_WHERE_NAMED = {
    cue: frozenset(
        place
        for place in ("after", "before", "apposition", "ends_name", "owned")
        if getattr(cue, place)
    )
    for cue in _CUES.values()
}
_SUFFIX_CUE = _Cue(EntityKind.COMPANY, CONFIDENCE_COMPANY_SUFFIX, before=True)
_COMPANY_WORD_CUE = _CUES["company_words"]
_EMPLOYER_CUE = _Cue(EntityKind.COMPANY, CONFIDENCE_COMPANY_EMPLOYER)
_WHERE_NAMED[_SUFFIX_CUE] = frozenset({"before"})
# The article before a French nationality that stands for a company.
_FRENCH_ARTICLE_BEFORE = re.compile(rf"(?:^|[^\w])(?:le|l{APOSTROPHE}|du|au)[ ]*$", re.IGNORECASE)


def _phrases(name: str, languages: tuple[str, ...], *, lower: bool = True) -> str:
    """Return a word list's entries as a regex alternation: a space matches any spaces, an
    apostrophe any apostrophe."""
    entries = sorted(word_list(f"newcomers/{name}", languages), key=len, reverse=True)
    return "|".join(
        _GAP.join(
            re.escape(word.lower() if lower else word).replace("'", APOSTROPHE)
            for word in entry.split()
        )
        for entry in entries
    )


def _apposition(name: str, languages: tuple[str, ...]) -> re.Pattern[str]:
    """Return the pattern of a name, a comma and the words before an apposition's noun,
    searched up to the noun: "Jane Doe, a senior ", "Acme, l'"."""
    determiners = "|".join(
        re.escape(entry[:-1]) + APOSTROPHE if entry.endswith("'") else re.escape(entry) + _GAP
        for entry in sorted(
            word_list("newcomers/apposition_determiners", languages), key=len, reverse=True
        )
    )
    return re.compile(
        rf"(?<![\w-])(?P<name>{name}),{_GAP}(?:\d{{1,3}},{_GAP})?(?:{determiners})?"
        rf"(?P<fillers>(?:{_FILLER}{_GAP}){{0,{_MAX_FILLERS}}})$"
    )


class _Rules:
    """The cues of one language (or all of them), compiled.

    Cues are looked for first, in the lower-cased text with one pattern, and names only next
    to the few found: a name pattern tried at every position of the text costs ten times
    more.
    """

    def __init__(self, languages: tuple[str, ...]) -> None:
        french = "fr" in languages
        # Cues are found in one Aho–Corasick scan of the lower-cased text, as whole words, a
        # single space between words; a regex tried at every position cost four times more.
        # One entry may be in several lists ("founder" before a name and in an apposition).
        lists_of: dict[str, list[str]] = {}
        for list_name, cue in _CUES.items():
            # Company words are capitalised: they are found in the text as written, below.
            if cue.ends_name or (list_name == "nationalities" and not french):
                continue
            list_languages = ("fr",) if list_name == "nationalities" else languages
            for entry in word_list(f"newcomers/{list_name}", list_languages):
                key = " ".join(entry.lower().split())
                for apostrophe in APOSTROPHES:
                    lists_of.setdefault(key.replace("'", apostrophe), []).append(list_name)
        self.cues = ahocorasick.Automaton()
        for spelled, list_names in lists_of.items():
            cues = tuple(_CUES[list_name] for list_name in dict.fromkeys(list_names))
            self.cues.add_word(spelled, (cues, len(spelled)))
        self.cues.make_automaton()
        self.longest_cue = max(map(len, lists_of))
        self.suffixes = re.compile(
            rf"(?:{_phrases('company_suffixes', languages, lower=False)})(?![\w-])"
        )
        # Legal forms and company words, in one scan of the text as written; a trie, since
        # the regex engine would try each of some eighty branches at every capital letter.
        self.legal_forms = frozenset(word_list("newcomers/company_suffixes", languages))
        trie = RegexTrie()
        for entry in (*self.legal_forms, *word_list("newcomers/company_words", languages)):
            trie.add(_GAP if char == " " else re.escape(char) for char in entry).end = ""
        self.capitalised_cues = re.compile(rf"{trie.render()}(?![\w-])")
        self.person_apposition = _apposition(_PERSON, languages)
        self.company_apposition = _apposition(_COMPANY, languages)
        # French adjectives follow the noun ("analyste principale"), so any word may follow a
        # role there; English ones precede it, so a role followed by another noun is only
        # that noun's modifier ("a company spokesman").
        self.followers = (
            None if french else frozenset(word_list("newcomers/apposition_followers", languages))
        )
        self.employer = _FRENCH_EMPLOYER if french else _EMPLOYER
        self.person_after = _PERSON_AFTER_ADJECTIVE if french else _PERSON_AFTER
        self.company_after = _COMPANY_AFTER_ADJECTIVE if french else _COMPANY_AFTER


_RULES = {code: _Rules((code,)) for code in LANGUAGES}
_ANY_LANGUAGE_RULES = _Rules(LANGUAGES)


# Where a name stands from its cue: right after it, right before it, before it in an
# apposition, ending with it (a company's word), or after the role in an apposition.
_AFTER, _BEFORE, _IN_APPOSITION, _ENDING, _EMPLOYER_OF = range(5)


class _Named(NamedTuple):
    """A name a cue introduces: the cue, its bounds, where the name stands and its bounds,
    and the company the cue names with it (a person's employer), if any."""

    cue: _Cue
    cue_start: int
    cue_end: int
    where: int
    start: int
    end: int
    employer: int | None = None


def find_newcomers(
    text: str,
    *,
    title: str = "",
    language: str = "",
    is_known: Callable[[str], bool],
    taken: Sequence[tuple[int, int]],
    companies: Sequence[tuple[int, int, int]] = (),
    people: Sequence[tuple[int, int]] = (),
) -> list[NewEntity]:
    """Return the people and companies a cue introduces in the body, with every mention;
    `taken` holds the spans of the entities already tagged, `companies` the (start, end, id)
    of the companies among them, which a person's role may name ("chief executive of Acme,
    Jane Doe", "Acme's chief executive Jane Doe"), and `people` the spans of the people."""
    rules = _RULES.get(language_code(language), _ANY_LANGUAGE_RULES)
    tagged = _Spans(taken)
    company_at = {start: (end, company_id) for start, end, company_id in companies}
    company_ending = {end: company_id for _, end, company_id in companies}
    ordinary = _OrdinaryWords(text)
    found: dict[str, NewEntity] = {}
    for named in _named_by_cues(text, rules, tagged, company_at, company_ending):
        cue = named.cue
        if named.where == _ENDING:
            start, end = _trimmed_company(text, named.start, named.end)
        else:
            start, end = _trimmed(
                text,
                named.start,
                named.end,
                keep_start=named.where == _AFTER,
                company=cue.kind == EntityKind.COMPANY,
            )
        if cue.kind == EntityKind.COMPANY:
            end = _without_legal_form(text, start, end, rules)
        name = " ".join(text[start:end].split())
        if (
            end <= start
            or name in found
            or tagged.overlaps(start, end)
            or not _is_likely(name, named.where, cue, text, start, end, ordinary, rules)
            or is_known(name)
            or (
                cue.kind == EntityKind.COMPANY
                and _names_known_company(text, end, name, rules, is_known)
            )
        ):
            continue
        found[name] = NewEntity(
            cue.kind,
            name,
            mentions=_occurrences(text, name, tagged),
            in_title=_occurrences(title, name, _Spans(())) != [],
            cue=" ".join(text[named.cue_start : named.cue_end].split()),
            confidence=cue.confidence,
            affiliation_id=named.employer if cue.kind == EntityKind.PERSON else None,
            maker_id=_maker(text, start, company_ending)
            if cue.kind == EntityKind.PRODUCT
            else None,
        )
    if not found:
        return []
    newcomers = _without_short_names(list(found.values()), text, tagged, people)
    _add_short_mentions(newcomers, text, rules, tagged, ordinary, is_known)
    return newcomers


def _named_by_cues(
    text: str,
    rules: _Rules,
    taken: _Spans,
    company_at: dict[int, tuple[int, int]],
    company_ending: dict[int, int],
) -> Iterator[_Named]:
    """Yield each name a cue outside the entities already tagged introduces."""
    for cue, cue_start, cue_end in _cues_in(text, rules):
        # "Acme Technologies", "The Acme Company": the cue is part of a known name.
        if taken.overlaps(cue_start, cue_end):
            continue
        if cue.after:
            yield from _named_after(
                text, rules, cue, cue_start, cue_end, company_at, company_ending
            )
        if cue.before:
            name = _NAME_BEFORE[cue.kind].search(text, max(0, cue_start - _WINDOW), cue_start)
            if name is not None:
                yield _Named(cue, cue_start, cue_end, _BEFORE, *name.span("name"))
        if cue.apposition:
            yield from _named_in_apposition(text, rules, cue, cue_start, cue_end)
        if cue.owned:
            # "Acme's chief executive"
            if cue_start > 2 and text[cue_start - 2] == "s" and text[cue_start - 3] in APOSTROPHES:
                name = _COMPANY_OWNING.search(text, max(0, cue_start - _WINDOW), cue_start)
                if name is not None:
                    yield _Named(cue, cue_start, cue_end, _BEFORE, *name.span("name"))
            name = _OF_COMPANY.match(text, cue_end)
            if name is not None:
                yield _Named(cue, cue_start, cue_end, _AFTER, *name.span("name"))
        if cue.ends_name:
            name = _COMPANY_BEFORE.search(text, max(0, cue_start - _WINDOW), cue_start)
            further = _CAPITALISED_NEXT.match(text, cue_end)
            if name is not None and (further is None or rules.suffixes.match(text, cue_end + 1)):
                yield _Named(cue, cue_start, cue_end, _ENDING, name.start("name"), cue_end)


def _cues_in(text: str, rules: _Rules) -> list[tuple[_Cue, int, int]]:
    """Return the cues in the text, whole words, with their bounds; a cue inside a longer one
    of the other kind that looks for its name in the same place ("manager" in "fund
    manager") is left out."""
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ" lower-cases to two characters
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    size = len(lowered)
    hits: list[tuple[_Cue, int, int]] = []
    for last, (cues, length) in rules.cues.iter(lowered):
        end = last + 1
        start = end - length
        # Whole words only: not "invest" in "investors". Most hits end inside a word, and
        # a character test is cheaper than a regex.
        if end < size and ((after := lowered[end]).isalnum() or after == "_"):
            continue
        if start and ((before := lowered[start - 1]).isalnum() or before == "_"):
            continue
        for cue in cues:
            if cue.nationality and not (
                text[start].islower()
                and _FRENCH_ARTICLE_BEFORE.search(text, max(0, start - 4), start)
            ):
                continue
            hits.append((cue, start, end))
    # A legal form or a company word follows the name after a space ("Acme Inc.", not
    # "AcmeInc.").
    hits += [
        (
            _SUFFIX_CUE
            if " ".join(hit.group().split()) in rules.legal_forms
            else _COMPANY_WORD_CUE,
            *hit.span(),
        )
        for hit in rules.capitalised_cues.finditer(text)
        if hit.start() and text[hit.start() - 1] in _SPACES
    ]
    hits.sort(key=lambda hit: (hit[1], -hit[2]))
    kept: list[tuple[_Cue, int, int]] = []
    reach = -1  # the farthest end of the cues kept so far
    for hit in hits:
        if hit[2] > reach:
            reach = hit[2]
        elif _inside_other(hit, kept, rules.longest_cue):
            continue
        kept.append(hit)
    return kept


def _inside_other(
    hit: tuple[_Cue, int, int], kept: list[tuple[_Cue, int, int]], longest_cue: int
) -> bool:
    """Tell whether a cue lies inside a longer one kept before it, of the other kind, that
    looks for its name in the same place."""
    cue, start, end = hit
    for other, other_start, other_end in reversed(kept):
        if other_start < start - longest_cue:
            return False
        if (
            other.kind != cue.kind
            and end <= other_end
            and (start, end) != (other_start, other_end)
            and _WHERE_NAMED[other] & _WHERE_NAMED[cue]
        ):
            return True
    return False


def _named_after(
    text: str,
    rules: _Rules,
    cue: _Cue,
    cue_start: int,
    cue_end: int,
    company_at: dict[int, tuple[int, int]],
    company_ending: dict[int, int],
) -> Iterator[_Named]:
    """Yield the name right after a cue, and a person's employer named with it."""
    if cue.kind == EntityKind.PERSON:
        # "chief executive of Acme, Jane Doe", "le PDG de Acme, Jean Dupont"
        of = _OF.match(text, cue_end)
        if of is not None and of.end() in company_at:
            company_end, company_id = company_at[of.end()]
            name = _APPOSITION.match(text, company_end)
            if name is not None:
                yield _Named(cue, cue_start, cue_end, _AFTER, *name.span("name"), company_id)
            return
        if of is not None:
            name = _BODY_THEN_APPOSITION.match(text, of.end())
            if name is not None:
                yield _Named(cue, cue_start, cue_end, _AFTER, *name.span("name"))
            return
        name = rules.person_after.match(text, cue_end)
        # "its founder, Jane Doe, said": the comma closes what it opened.
        if name is None or (name.group("comma") and not text.startswith(",", name.end())):
            return
    elif cue.kind == EntityKind.PRODUCT:
        name = _PRODUCT_AFTER.match(text, cue_end)
    elif text[cue_end - 1] in APOSTROPHES:
        name = _COMPANY_AFTER_ELISION.match(text, cue_end)
    else:
        name = (_COMPANY_AFTER if cue.nationality else rules.company_after).match(text, cue_end)
    # "l'analyste chez Acme": an adjective between the cue and the name is no function word.
    if name is None or any(
        word in _APPOSITION_BREAKERS
        for word in (name.groupdict().get("complement"), name.groupdict().get("adjective"))
    ):
        return
    # "Acme's chief executive Jane Doe"
    owner = _OWNER.search(text, max(0, cue_start - 3), cue_start)
    employer = company_ending.get(owner.start()) if owner else None
    yield _Named(cue, cue_start, cue_end, _AFTER, *name.span("name"), employer)


def _named_in_apposition(
    text: str, rules: _Rules, cue: _Cue, cue_start: int, cue_end: int
) -> Iterator[_Named]:
    """Yield the name before "Name, a senior analyst" and the company after "at"."""
    # The comma after the name comes a few words before the role.
    comma = text.rfind(",", max(0, cue_start - _APPOSITION_WORDS), cue_start)
    if comma < 0 or not _ends_noun(text, cue_end, rules.followers):
        return
    pattern = rules.person_apposition if cue.kind == EntityKind.PERSON else rules.company_apposition
    name = pattern.search(text, max(0, comma - _WINDOW), cue_start)
    if name is None or any(
        straight_apostrophes(word).casefold() in _APPOSITION_BREAKERS
        for word in name.group("fillers").split()
    ):
        return
    yield _Named(cue, cue_start, cue_end, _IN_APPOSITION, *name.span("name"))
    if cue.names_employer:
        employer = rules.employer.match(text, cue_end)
        if employer is not None and not _POSSESSIVE.match(text, employer.end()):
            yield _Named(_EMPLOYER_CUE, cue_start, cue_end, _EMPLOYER_OF, *employer.span("name"))


def _ends_noun(text: str, end: int, followers: frozenset[str] | None) -> bool:
    """Tell whether the noun ending at `end` ends its apposition: punctuation or a word of
    `followers` comes next, not a possessive or another noun; without `followers` (French),
    any word but a verb ("Jean Dupont, le directeur a dit")."""
    if _POSSESSIVE.match(text, end, end + 2):
        return False
    position = end
    while position < len(text) and text[position] in _SPACES:
        position += 1
    word = _WORD.match(text, position)
    if word is None or not text[position].isalnum():
        return True
    word_text = straight_apostrophes(word.group().rstrip(",.;:!?)»”\"'’")).lower()
    if followers is None:
        return word_text not in _VERBS
    return word_text in followers


def _trimmed(
    text: str, start: int, end: int, *, keep_start: bool = False, company: bool = False
) -> tuple[int, int]:
    """Return the bounds of a name without the words that are never names at its ends, nor a
    possessive. Right after a cue (`keep_start`), a first word that is never a name means the
    cue introduces no name ("the company CEO Jane Doe"): the bounds are then empty. A
    company's name keeps a place at its end ("Acme India") and loses a description at its
    start ("Seoul-based Acme")."""
    words = [(word.start(), word.end()) for word in _WORD.finditer(text, start, end)]
    if company:
        while words and _DESCRIPTION.fullmatch(text, *words[0]):
            words.pop(0)
    if keep_start and words and text[slice(*words[0])].casefold() in NEVER_NAMES:
        return start, start
    while words and text[slice(*words[0])].casefold() in NEVER_NAMES:
        words.pop(0)
    while words and text[slice(*words[-1])].casefold() in NEVER_NAMES:
        if company and text[slice(*words[-1])].casefold() in PLACES:
            break
        words.pop()
    if not words:
        return start, start
    last = _POSSESSIVE.search(text, *words[-1])
    return words[0][0], last.start() if last else words[-1][1]


def _without_legal_form(text: str, start: int, end: int, rules: _Rules) -> int:
    """Return the end of a company's name without the legal form ending it ("Acme Sdn Bhd")."""
    for word in _WORD.finditer(text, start, end):
        legal_form = rules.suffixes.match(text, word.start(), end)
        if word.start() > start and legal_form is not None and legal_form.end() == end:
            name_end = word.start()
            while text[name_end - 1] in _SPACES:
                name_end -= 1
            return name_end
    return end


def _names_known_company(
    text: str, end: int, name: str, rules: _Rules, is_known: Callable[[str], bool]
) -> bool:
    """Tell whether a company's name is the long form of one the knowledge base knows: its
    acronym follows it ("Semiconductor Manufacturing International Corp (SMIC)"), or it is a
    known name with a place before, or company words or a place after ("Beijing Pinecone
    Electronics", "Acme France")."""
    acronym = _ACRONYM.match(text, _after_legal_form(text, end, rules))
    if acronym is not None and is_known(acronym.group("acronym")):
        return True
    words = name.split()
    while len(words) > 1 and words[0].casefold() in PLACES:
        words.pop(0)
    while len(words) > 1 and (words[-1] in _COMPANY_WORDS or words[-1].casefold() in PLACES):
        words.pop()
    return len(words) < len(name.split()) and is_known(" ".join(words))


def _trimmed_company(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the bounds of a name ending in a company's word without the words before it
    that are never names; a place opens it when two words follow ("Korea Investment
    Partners", not "Korea Securities")."""
    words = [(word.start(), word.end()) for word in _WORD.finditer(text, start, end)]
    while words:
        first = text[slice(*words[0])].casefold()
        if first not in NEVER_NAMES or (first in PLACES and len(words) >= 3):
            break
        words.pop(0)
    if len(words) < 2:
        return start, start
    return words[0][0], words[-1][1]


class _OrdinaryWords:
    """The lower-case words of a text, read once when first asked."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._words: frozenset[str] | None = None

    def __contains__(self, word: str) -> bool:
        if self._words is None:
            self._words = frozenset(_LOWER_CASE_WORD.findall(self.text))
        return word.lower() in self._words or word.casefold() in _ORDINARY_CAPITALISED


def _is_product_shaped(words: list[str]) -> bool:
    """Tell whether a name before or after a product noun is a product's: capitalised, with a
    digit, and no quantity, year, fiscal period, measure or technical standard."""
    if not words[0][0].isupper() or not any(char.isdigit() for word in words for char in word):
        return False
    if any(word.casefold() in NEVER_NAMES for word in words):
        return False
    first = _LEADING_LETTERS.match(words[0].replace("-", "")).group().casefold()
    return first not in _STANDARDS and not any(
        _YEAR.fullmatch(word) or MEASURE.fullmatch(word) or NOT_A_VERSION.fullmatch(word)
        for word in words
    )


def _maker(text: str, start: int, company_ending: dict[int, int]) -> int | None:
    """Return the company whose possessive stands right before a product's name, if any."""
    possessive = _MAKER_POSSESSIVE.search(text, max(0, start - 4), start)
    return company_ending.get(possessive.start()) if possessive else None


def _is_likely(
    name: str,
    where: int,
    cue: _Cue,
    text: str,
    start: int,
    end: int,
    ordinary: _OrdinaryWords,
    rules: _Rules,
) -> bool:
    """Tell whether a name so introduced is surely one of its kind."""
    words = name.split()
    if cue.kind == EntityKind.PRODUCT:
        # A model number may hold a single letter: "N4", "G1".
        return _is_product_shaped(words)
    if sum(char.isalpha() for char in name) < 2:
        return False
    if cue.kind == EntityKind.PERSON:
        # A particle may stand inside a name: "Emmanuel Le Roux".
        inner = {*words[1:-1]} - _NAME_PARTICLES
        return is_person_shaped(name) and not any(
            word.casefold() in NEVER_NAMES for word in (words[0], *inner, words[-1])
        )
    # A company's name may hold a place: "Korea Investment Partners", "Acme India"; not a
    # lone letter: "Class A shares", "Series B".
    if any(
        (word.casefold() in NEVER_NAMES and word.casefold() not in PLACES) or len(word) == 1
        for word in words
    ):
        return False
    if _names_institution(words) or _names_business_unit(text, start, end):
        return False
    if where == _ENDING:
        # "Consumer Electronics" is no company's name: its words are the story's own words.
        # A national company's name introduced with its acronym holds no other name:
        # "Japan Advanced Semiconductor Manufacturing (JASM)".
        return any(
            word not in ordinary and word.casefold() not in PLACES and word not in _COMPANY_WORDS
            for word in words[:-1]
        ) or (words[0].casefold() in PLACES and _ACRONYM.match(text, end) is not None)
    if len(words) == 1 and (name in ordinary or _is_surname(name, text, rules)):
        return False
    if where == _EMPLOYER_OF:
        # "an economist at OECD", "a researcher at MIT": an acronym is often an institution.
        return not (len(words) == 1 and name.isupper())
    person_shaped = is_person_shaped(name)
    if cue.unless_person and person_shaped:
        return False
    if where == _AFTER and person_shaped and not (end == len(text) or text[end] in _CLAUSE_END):
        # "the company Jane Doe founded": a person's name is the company's only when it ends
        # the clause ("the firm Acme Partners, which…").
        return False
    if where == _IN_APPOSITION and _opens_sentence_aside(text, start, words):
        return False
    # "Jane Doe said in a statement" is a person.
    return not (cue.statement and person_shaped)


def _is_surname(name: str, text: str, rules: _Rules) -> bool:
    """Tell whether a one-word name is also the last of a person's name in the story ("Jane
    Doe runs Acme. The company Doe founded…"); not when shaped like no word ("xAI", "3M"),
    nor after a cue ("Rival Acme")."""
    if any(char.isdigit() or char.isupper() for char in name[1:]):
        return False
    pattern = rf"(?<![\w-])([{UPPER_CASE_LETTER}][^\W\d_]+){_GAP}{re.escape(name)}(?!\w)"
    return any(
        first.casefold() not in NEVER_NAMES and not rules.cues.exists(first.lower())
        for first in re.findall(pattern, text)
    )


def _names_institution(words: list[str]) -> bool:
    """Tell whether a name holds a word of an institution's ("Stanford University")."""
    folded = [word.casefold() for word in words]
    return any(
        folded[at : at + len(entry)] == entry
        for entry in _INSTITUTIONS
        for at in range(len(folded) - len(entry) + 1)
    )


def _names_business_unit(text: str, start: int, end: int) -> bool:
    """Tell whether a word next to a name makes it a company's unit ("its Acme unit")."""
    before = _WORD_BEFORE.search(text, max(0, start - 20), start)
    after = _WORD_AFTER.match(text, end)
    return any(word is not None and word.group(1) in _BUSINESS_UNITS for word in (before, after))


def _opens_sentence_aside(text: str, start: int, words: list[str]) -> bool:
    """Tell whether a name before a comma opens its sentence as an aside rather than a
    subject: after a preposition ("In Manaus, the firm that…", "Selon Jean Dupont, la
    société…") or as an adverb ("Separately, the firm that…", "Désormais, la société…")."""
    opening = _SENTENCE_START.search(text, max(0, start - 40), start)
    if opening is None:
        return False
    before = text[opening.start() : start].lstrip('.!?:;«"“(\n').split()
    if before:
        return all(straight_apostrophes(word).casefold() in GENERIC_WORDS for word in before)
    return len(words) == 1 and words[0].endswith(("ly", "ment"))


class _Spans:
    """Stretches of a text, sorted, to tell at little cost whether another overlaps one."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [start for start, _ in self.spans]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return iter(self.spans)

    def add(self, start: int, end: int) -> None:
        at = bisect.bisect(self.starts, start)
        self.starts.insert(at, start)
        self.spans.insert(at, (start, end))

    def overlaps(self, start: int, end: int) -> bool:
        """Tell whether a stretch overlaps one of the spans."""
        # Spans starting before `end`, nearest first; none is longer than a name may be.
        index = bisect.bisect_left(self.starts, end) - 1
        while index >= 0:
            span_start, span_end = self.spans[index]
            if span_end > start:
                return True
            if span_start < start - NAME_MAX_CHARS:
                return False
            index -= 1
        return False


def _occurrences(source: str, name: str, taken: _Spans, *, after: int = 0) -> list[Span]:
    """Return the whole-word occurrences of a name from `after` on that no tagged entity
    covers."""
    pattern = re.compile(rf"(?<!\w){_GAP.join(map(re.escape, name.split()))}(?!\w)")
    return [
        Span(match.start(), match.end(), match.group())
        for match in pattern.finditer(source, after)
        if not taken.overlaps(match.start(), match.end())
    ]


def _without_short_names(
    newcomers: list[NewEntity],
    text: str,
    tagged: _Spans,
    people: Sequence[tuple[int, int]],
) -> list[NewEntity]:
    """Drop a one-word company that is the short name of another: a person's surname ("the
    company Doe founded"), the start of a name already tagged ("Counterpoint" for
    "Counterpoint Research", "ST" for "STMicroelectronics") or the first word of a new
    company's, whose mentions it then joins ("Yuanta" for "Yuanta Securities")."""
    people_words = {word for start, end in people for word in text[start:end].split()}
    people_words.update(
        word for new in newcomers if new.kind == EntityKind.PERSON for word in new.name.split()
    )
    tagged_first_words = {text[start:end].split()[0] for start, end in tagged}
    kept: list[NewEntity] = []
    for new in newcomers:
        if new.kind == EntityKind.COMPANY and " " not in new.name:
            if new.name in people_words or any(
                word.startswith(new.name) for word in tagged_first_words
            ):
                continue
            longer = next(
                (
                    other
                    for other in newcomers
                    if other.kind == EntityKind.COMPANY and other.name.startswith(f"{new.name} ")
                ),
                None,
            )
            if longer is not None:
                longer.mentions = sorted(
                    {*longer.mentions, *new.mentions}, key=lambda span: span.start
                )
                continue
        kept.append(new)
    return kept


def _add_short_mentions(
    newcomers: list[NewEntity],
    text: str,
    rules: _Rules,
    tagged: _Spans,
    ordinary: _OrdinaryWords,
    is_known: Callable[[str], bool],
) -> None:
    """Add to each newcomer's mentions the shorter names that stand for it after its first
    mention: a person's surname, a company's name without its company words ("Yuanta" for
    "Yuanta Securities") or the acronym in brackets after it; and stretch a company's
    mention over the legal form after it ("Acme Sdn Bhd")."""
    occupied = _Spans(
        [*tagged, *((span.start, span.end) for new in newcomers for span in new.mentions)]
    )
    short_names = [_short_name(new, ordinary) for new in newcomers]
    for new, short_name in zip(newcomers, short_names, strict=True):
        if not new.mentions:
            continue
        first = new.mentions[0]
        shorter = []
        if short_name and short_names.count(short_name) == 1:
            shorter.append(short_name)
        if new.kind == EntityKind.COMPANY:
            acronym = _ACRONYM.match(text, _after_legal_form(text, first.end, rules))
            if acronym is not None and not is_known(acronym.group("acronym")):
                shorter.append(acronym.group("acronym"))
            new.mentions = [_with_legal_form(span, text, rules) for span in new.mentions]
        for short in shorter:
            found = _occurrences(text, short, occupied, after=first.end)
            for span in found:
                occupied.add(span.start, span.end)
            new.mentions += found
        new.mentions.sort(key=lambda span: span.start)


def _short_name(new: NewEntity, ordinary: _OrdinaryWords) -> str:
    """Return the short name a story may use for a newcomer, or "": a person's surname (the
    first word of "Kim Ji-hoon"), a company's name without the company words ending it."""
    words = new.name.split()
    if new.kind == EntityKind.PRODUCT:
        return ""
    if new.kind == EntityKind.PERSON:
        short = words[0] if _GIVEN_NAME_AFTER_FAMILY_NAME.fullmatch(words[-1]) else words[-1]
    else:
        while len(words) > 1 and words[-1] in _COMPANY_WORDS:
            words.pop()
        if len(words) == len(new.name.split()) or words[0].casefold() in PLACES:
            return ""
        short = " ".join(words)
    if short.casefold() in NEVER_NAMES or (" " not in short and short in ordinary):
        return ""
    return short


def _with_legal_form(span: Span, text: str, rules: _Rules) -> Span:
    """Return a company's mention stretched over the legal form right after it, if any."""
    end = _after_legal_form(text, span.end, rules)
    return Span(span.start, end, text[span.start : end])


def _after_legal_form(text: str, end: int, rules: _Rules) -> int:
    """Return where the legal form right after a name ends, or the name's end."""
    legal_form = rules.suffixes.match(text, end + 1) if text.startswith(" ", end) else None
    return end if legal_form is None else legal_form.end()
