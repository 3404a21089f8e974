"""Suggest people, companies and products the knowledge base lacks, when the story says what
they are.

Discovery (`discovery`) lists every unknown name for an editor to review. This pass is
narrower and surer: it takes only a name introduced by a cue of its kind, written next to it,

- a person: a role right before the name ("chief executive Jane Doe", "le PDG Jean Dupont",
  "according to analyst Jane Doe"), or after it and a comma ("Jane Doe, who heads Acme",
  "Marie Dupont, directrice générale de Acme"); the name must have the shape of a person's
  name (two or three capitalised words, see `discovery.is_person_shaped`);
- a company: a legal form right after the name ("Acme Inc."), words right before it ("the
  start-up Acme", "la société française Acme"), or a statement right after it ("Acme said in
  a statement", "Acme a annoncé dans un communiqué") when the name is shaped like no person's;
- a product: a product noun right after the name in English ("the XR9 chip"), right before
  it in French ("la puce XR9", with up to two lower-case words between: "la puce sans fil
  XR9"); the name must start with a capital letter and hold a digit, and be no quantity,
  year, fiscal period or technical standard ("Wi-Fi 7 chip", "DDR5 chips",
  `data/any/products/standards.txt`). A company's possessive right before the name is its
  maker ("Acme's XR9 chip").

The cue lists are `data/*/newcomers/`. Words that are never names (places, months, titles,
function words: `discovery.NEVER_NAMES`) are trimmed from the ends of a name; a name the
dictionary knows, or that overlaps an entity already tagged, is left alone. Every occurrence
of the name in the body is a mention; its occurrence in the title marks it as named there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

import ahocorasick

from .dictionary import NOT_A_VERSION
from .discovery import NEVER_NAMES, is_person_shaped
from .lexicons import LANGUAGES, language_code, word_list
from .text import APOSTROPHE, APOSTROPHES, UPPER_CASE_LETTER
from .types import EntityKind, NewEntity, Span

CONFIDENCE_PERSON_ROLE = 0.8
CONFIDENCE_COMPANY_SUFFIX = 0.85
CONFIDENCE_COMPANY_CUE = 0.8
CONFIDENCE_COMPANY_STATEMENT = 0.7
CONFIDENCE_PRODUCT_NOUN = 0.6

_SPACES = " \u00a0\u202f"
_GAP = f"[{_SPACES}]+"
_WORD_CHARACTER = re.compile(r"\w")
# A capitalised word of a person's name: "Jane", "O'Brien", "Bong-seok".
_PERSON_WORD = rf"[{UPPER_CASE_LETTER}][^\W\d_]*(?:[-'’][^\W\d_]+)*"
_PERSON = rf"{_PERSON_WORD}(?:{_GAP}{_PERSON_WORD}){{1,3}}"
# A word of a company's name: capitalised, a number, or camel case ("Acme", "3M", "xAI").
_COMPANY_WORD = rf"(?:[{UPPER_CASE_LETTER}0-9][\w&]*(?:[-.][\w&]+)*|[a-z]+[{UPPER_CASE_LETTER}]\w*)"
_COMPANY = rf"{_COMPANY_WORD}(?:{_GAP}{_COMPANY_WORD}){{0,3}}"
_POSSESSIVE = re.compile(rf"{APOSTROPHE}s$")
_WORD = re.compile(r"\S+")
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
_UNIT = re.compile(
    r"\d+(?:[.,]\d+)?(?:" + "|".join(map(re.escape, word_list("products/units"))) + ")",
    re.IGNORECASE,
)


# How far before a cue a name that ends at the cue may start, in characters.
_WINDOW = 80
# Searched in the stretch before a cue, up to the cue: `$` is where the cue starts.
_PERSON_BEFORE = re.compile(rf"(?<![\w-])(?P<name>{_PERSON}),{_GAP}$")
_COMPANY_BEFORE = re.compile(rf"(?<![\w-])(?P<name>{_COMPANY}){_GAP}$")
_PERSON_AFTER = re.compile(rf"{_GAP}(?P<name>{_PERSON})")
_COMPANY_AFTER = re.compile(rf"{_GAP}(?P<name>{_COMPANY})")
# A role's company, then the person: "chief executive of Acme, Jane Doe".
_OF = re.compile(rf"{_GAP}(?:of|at|de|du|chez|d{APOSTROPHE})[ \u00a0\u202f]*")
_APPOSITION = re.compile(rf",{_GAP}(?P<name>{_PERSON})")
# A company right before a role, possessive or not: "Acme's chief executive", "Acme CEO".
_OWNER = re.compile(rf"(?:{APOSTROPHE}s)?[ \u00a0\u202f]$")
# French puts an adjective between the cue and the name ("la société française Acme").
_COMPANY_AFTER_ADJECTIVE = re.compile(rf"(?:{_GAP}[a-zà-ÿ]{{4,}})?{_GAP}(?P<name>{_COMPANY})")
_PRODUCT_BEFORE = re.compile(rf"(?<![\w-])(?P<name>{_PRODUCT}){_GAP}$")
# French: "la puce XR9", "la puce sans fil XR9", "le robot humanoïde XR9".
_PRODUCT_AFTER = re.compile(rf"(?:{_GAP}[a-zà-ÿ]{{3,}}){{0,2}}{_GAP}(?P<name>{_PRODUCT})")


class _Cue(NamedTuple):
    """What a cue list says of the name next to it."""

    kind: EntityKind
    confidence: float
    # How the name is found from the cue: a pattern matched after it, or searched before it.
    name_after: re.Pattern[str] | None = None
    name_before: re.Pattern[str] | None = None
    # A statement after the name ("Acme said"): a person's name may stand there too.
    statement: bool = False


_CUES = {
    "person_roles_before": _Cue(EntityKind.PERSON, CONFIDENCE_PERSON_ROLE, _PERSON_AFTER),
    "person_roles_after": _Cue(EntityKind.PERSON, CONFIDENCE_PERSON_ROLE, None, _PERSON_BEFORE),
    "company_cues_before": _Cue(EntityKind.COMPANY, CONFIDENCE_COMPANY_CUE, _COMPANY_AFTER),
    "company_cues_after": _Cue(
        EntityKind.COMPANY, CONFIDENCE_COMPANY_STATEMENT, None, _COMPANY_BEFORE, statement=True
    ),
    "product_nouns_after": _Cue(EntityKind.PRODUCT, CONFIDENCE_PRODUCT_NOUN, None, _PRODUCT_BEFORE),
    "product_nouns_before": _Cue(EntityKind.PRODUCT, CONFIDENCE_PRODUCT_NOUN, _PRODUCT_AFTER),
}
_SUFFIX_CUE = _Cue(EntityKind.COMPANY, CONFIDENCE_COMPANY_SUFFIX, None, _COMPANY_BEFORE)


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


class _Rules:
    """The cues of one language (or all of them), compiled.

    Cues are looked for first, in the lower-cased text with one pattern, and names only next
    to the few found: a name pattern tried at every position of the text costs ten times
    more.
    """

    def __init__(self, languages: tuple[str, ...]) -> None:
        # Cues are found in one Aho–Corasick scan of the lower-cased text, as whole words, a
        # single space between words; a regex tried at every position cost four times more.
        self.cues = ahocorasick.Automaton()
        for list_name in _CUES:
            for entry in word_list(f"newcomers/{list_name}", languages):
                key = " ".join(entry.lower().split())
                for apostrophe in APOSTROPHES:
                    spelled = key.replace("'", apostrophe)
                    self.cues.add_word(spelled, (list_name, len(spelled)))
        self.cues.make_automaton()
        self.suffixes = re.compile(
            rf"(?:{_phrases('company_suffixes', languages, lower=False)})(?![\w-])"
        )
        self.cue_of = dict(_CUES)
        if "fr" in languages:
            self.cue_of["company_cues_before"] = _CUES["company_cues_before"]._replace(
                name_after=_COMPANY_AFTER_ADJECTIVE
            )


_RULES = {code: _Rules((code,)) for code in LANGUAGES}
_ANY_LANGUAGE_RULES = _Rules(LANGUAGES)


def find_newcomers(
    text: str,
    *,
    title: str = "",
    language: str = "",
    is_known: Callable[[str], bool],
    taken: Sequence[tuple[int, int]],
    companies: Sequence[tuple[int, int, int]] = (),
) -> list[NewEntity]:
    """Return the people, companies and products a cue introduces in the body, with every
    mention; `taken` holds the spans of the entities already tagged, `companies` the (start,
    end, id) of the companies among them, which a person's role may name ("chief executive of
    Acme, Jane Doe", "Acme's chief executive Jane Doe") and a product's possessive its maker
    ("Acme's XR9 chip")."""
    rules = _RULES.get(language_code(language), _ANY_LANGUAGE_RULES)
    company_at = {start: (end, company_id) for start, end, company_id in companies}
    company_ending = {end: company_id for _, end, company_id in companies}
    found: dict[str, NewEntity] = {}
    for cue, cue_start, cue_end, (start, end), employer in _named_by_cues(
        text, rules, company_at, company_ending
    ):
        start, end = _trimmed(text, start, end)
        name = text[start:end]
        if (
            end <= start
            or name in found
            or _overlaps(start, end, taken)
            or not _is_likely(name, cue.kind, text, statement=cue.statement)
            or is_known(name)
        ):
            continue
        found[name] = NewEntity(
            cue.kind,
            " ".join(name.split()),
            mentions=_occurrences(text, name, taken),
            in_title=_occurrences(title, name, ()) != [],
            cue=" ".join(text[cue_start:cue_end].split()),
            confidence=cue.confidence,
            affiliation_id=employer if cue.kind == EntityKind.PERSON else None,
            maker_id=_maker(text, start, company_ending)
            if cue.kind == EntityKind.PRODUCT
            else None,
        )
    return list(found.values())


def _named_by_cues(
    text: str,
    rules: _Rules,
    company_at: dict[int, tuple[int, int]],
    company_ending: dict[int, int],
) -> Iterator[tuple[_Cue, int, int, tuple[int, int], int | None]]:
    """Yield each cue with its bounds, the bounds of the name next to it, and the company the
    cue names with it (a person's employer), if any."""
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ" lower-cases to two characters
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    hits: list[tuple[_Cue, tuple[int, int]]] = []
    for last, (list_name, length) in rules.cues.iter(lowered):
        start, end = last + 1 - length, last + 1
        if (start and _WORD_CHARACTER.match(lowered, start - 1)) or _WORD_CHARACTER.match(
            lowered, end
        ):
            continue
        hits.append((rules.cue_of[list_name], (start, end)))
    # A legal form follows the name after a space ("Acme Inc.", not "AcmeInc.").
    hits += [
        (_SUFFIX_CUE, hit.span())
        for hit in rules.suffixes.finditer(text)
        if hit.start() and text[hit.start() - 1] in _SPACES
    ]
    for cue, (cue_start, cue_end) in hits:
        if cue.name_after is not None:
            # "chief executive of Acme, Jane Doe", "le PDG de Acme, Jean Dupont"
            of = _OF.match(text, cue_end) if cue.kind == EntityKind.PERSON else None
            if of is not None and of.end() in company_at:
                company_end, company_id = company_at[of.end()]
                name = _APPOSITION.match(text, company_end)
                if name is not None:
                    yield cue, cue_start, cue_end, name.span("name"), company_id
                continue
            name = cue.name_after.match(text, cue_end)
            if name is not None:
                # "Acme's chief executive Jane Doe"
                owner = _OWNER.search(text, max(0, cue_start - 3), cue_start)
                employer = company_ending.get(owner.start()) if owner else None
                yield cue, cue_start, cue_end, name.span("name"), employer
        elif cue.name_before is not None:
            name = cue.name_before.search(text, max(0, cue_start - _WINDOW), cue_start)
            if name is not None:
                yield cue, cue_start, cue_end, name.span("name"), None


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the bounds of a name without the words that are never names at its ends, nor a
    possessive."""
    words = [(word.start(), word.end()) for word in _WORD.finditer(text, start, end)]
    while words and text[slice(*words[0])].casefold() in NEVER_NAMES:
        words.pop(0)
    while words and text[slice(*words[-1])].casefold() in NEVER_NAMES:
        words.pop()
    if not words:
        return start, start
    last = _POSSESSIVE.search(text, *words[-1])
    return words[0][0], last.start() if last else words[-1][1]


def _is_likely(name: str, kind: EntityKind, text: str, *, statement: bool) -> bool:
    """Tell whether a name so introduced is surely one of its kind."""
    if any(word.casefold() in NEVER_NAMES for word in name.split()):
        return False
    if kind == EntityKind.PRODUCT:
        # A model number may hold a single letter: "N4", "G1".
        return _is_product_shaped(name)
    if sum(char.isalpha() for char in name) < 2:
        return False
    if kind == EntityKind.PERSON:
        return is_person_shaped(name)
    if not statement:
        return True
    # "Jane Doe said in a statement" is a person; "Doe said…" may be her surname.
    if " " in name:
        return not is_person_shaped(name)
    distinctive = any(char.isdigit() or char.isupper() for char in name[1:])
    return (
        distinctive
        or re.search(rf"[{UPPER_CASE_LETTER}]\w+{_GAP}{re.escape(name)}(?!\w)", text) is None
    )


def _is_product_shaped(name: str) -> bool:
    """Tell whether a name before or after a product noun is a product's: capitalised, with a
    digit, and no quantity, year, fiscal period, measure or technical standard."""
    words = name.split()
    if not name[0].isupper() or not any(char.isdigit() for char in name):
        return False
    first = _LEADING_LETTERS.match(words[0].replace("-", "")).group().casefold()
    return first not in _STANDARDS and not any(
        _YEAR.fullmatch(word) or _UNIT.fullmatch(word) or NOT_A_VERSION.fullmatch(word)
        for word in words
    )


def _maker(text: str, start: int, company_ending: dict[int, int]) -> int | None:
    """Return the company whose possessive stands right before a product's name, if any."""
    possessive = _MAKER_POSSESSIVE.search(text, max(0, start - 4), start)
    return company_ending.get(possessive.start()) if possessive else None


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < span_end and span_start < end for span_start, span_end in spans)


def _occurrences(source: str, name: str, taken: Sequence[tuple[int, int]]) -> list[Span]:
    """Return the whole-word occurrences of a name that no tagged entity covers."""
    pattern = re.compile(rf"(?<!\w){_GAP.join(map(re.escape, name.split()))}(?!\w)")
    return [
        Span(match.start(), match.end(), match.group())
        for match in pattern.finditer(source)
        if not _overlaps(match.start(), match.end(), taken)
    ]
