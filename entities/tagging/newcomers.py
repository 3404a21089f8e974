"""Suggest people and companies the knowledge base lacks, when the story says what they are.

Discovery (`discovery`) lists every unknown name for an editor to review. This pass is
narrower and surer: it takes only a name introduced by a cue of its kind, written next to it,

- a person: a role right before the name ("chief executive Jane Doe", "le PDG Jean Dupont",
  "according to analyst Jane Doe"), or after it and a comma ("Jane Doe, who heads Acme",
  "Marie Dupont, directrice générale de Acme"); the name must have the shape of a person's
  name (two or three capitalised words, see `discovery.is_person_shaped`);
- a company: a legal form right after the name ("Acme Inc."), words right before it ("the
  start-up Acme", "la société française Acme"), or a statement right after it ("Acme said in
  a statement", "Acme a annoncé dans un communiqué") when the name is shaped like no person's.

The cue lists are `data/*/newcomers/`. Words that are never names (places, months, titles,
function words: `discovery.NEVER_NAMES`) are trimmed from the ends of a name; a name the
dictionary knows, or that overlaps an entity already tagged, is left alone. Every occurrence
of the name in the body is a mention; its occurrence in the title marks it as named there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .discovery import NEVER_NAMES, is_person_shaped
from .lexicons import LANGUAGES, language_code, word_list
from .text import APOSTROPHE
from .types import EntityKind, NewEntity, Span

CONFIDENCE_PERSON_ROLE = 0.8
CONFIDENCE_COMPANY_SUFFIX = 0.85
CONFIDENCE_COMPANY_CUE = 0.8
CONFIDENCE_COMPANY_STATEMENT = 0.7

_UPPER = "A-ZÀ-ÖØ-Þ"
_GAP = r"[ \u00a0\u202f]+"
# A capitalised word of a person's name: "Jane", "O'Brien", "Bong-seok".
_PERSON_WORD = rf"[{_UPPER}][^\W\d_]*(?:[-'’][^\W\d_]+)*"
_PERSON = rf"{_PERSON_WORD}(?:{_GAP}{_PERSON_WORD}){{1,3}}"
# A word of a company's name: capitalised, a number, or camel case ("Acme", "3M", "xAI").
_COMPANY_WORD = rf"(?:[{_UPPER}0-9][\w&]*(?:[-.][\w&]+)*|[a-z]+[{_UPPER}]\w*)"
_COMPANY = rf"{_COMPANY_WORD}(?:{_GAP}{_COMPANY_WORD}){{0,3}}"
_POSSESSIVE = re.compile(rf"{APOSTROPHE}s$")
_WORD = re.compile(r"\S+")


def _phrases(name: str, languages: tuple[str, ...]) -> str:
    """Return a word list's entries as a regex alternation: a space matches any spaces, an
    apostrophe any apostrophe."""
    entries = sorted(word_list(f"newcomers/{name}", languages), key=len, reverse=True)
    return "|".join(
        _GAP.join(re.escape(word).replace("'", APOSTROPHE) for word in entry.split())
        for entry in entries
    )


class _Rules:
    """The cue patterns of one language (or all of them), each with the kind it suggests."""

    def __init__(self, languages: tuple[str, ...]) -> None:
        def cue(name: str) -> str:
            return f"(?i:{_phrases(name, languages)})"

        suffixes = _phrases("company_suffixes", languages)
        # French puts an adjective between the cue and the name ("la société française Acme").
        adjective = rf"(?:{_GAP}[a-zà-ÿ]{{4,}})?" if "fr" in languages else ""
        self.patterns: list[tuple[re.Pattern[str], EntityKind, float]] = [
            (
                re.compile(rf"(?<!\w){cue('person_roles_before')}{_GAP}(?P<name>{_PERSON})"),
                EntityKind.PERSON,
                CONFIDENCE_PERSON_ROLE,
            ),
            (
                re.compile(rf"(?P<name>{_PERSON}),{_GAP}{cue('person_roles_after')}(?!\w)"),
                EntityKind.PERSON,
                CONFIDENCE_PERSON_ROLE,
            ),
            (
                re.compile(rf"(?P<name>{_COMPANY}){_GAP}(?:{suffixes})(?![\w-])"),
                EntityKind.COMPANY,
                CONFIDENCE_COMPANY_SUFFIX,
            ),
            (
                re.compile(
                    rf"(?<!\w){cue('company_cues_before')}{adjective}{_GAP}(?P<name>{_COMPANY})"
                ),
                EntityKind.COMPANY,
                CONFIDENCE_COMPANY_CUE,
            ),
            (
                re.compile(rf"(?P<name>{_COMPANY}){_GAP}{cue('company_cues_after')}(?!\w)"),
                EntityKind.COMPANY,
                CONFIDENCE_COMPANY_STATEMENT,
            ),
        ]


_RULES = {code: _Rules((code,)) for code in LANGUAGES}
_ANY_LANGUAGE_RULES = _Rules(LANGUAGES)


def find_newcomers(
    text: str,
    *,
    title: str = "",
    language: str = "",
    is_known: Callable[[str], bool],
    taken: Sequence[tuple[int, int]],
) -> list[NewEntity]:
    """Return the people and companies a cue introduces in the body, with every mention;
    `taken` holds the spans of the entities already tagged."""
    rules = _RULES.get(language_code(language), _ANY_LANGUAGE_RULES)
    found: dict[str, NewEntity] = {}
    for pattern, kind, confidence in rules.patterns:
        for match in pattern.finditer(text):
            start, end = _trimmed(text, *match.span("name"))
            name = text[start:end]
            if (
                end <= start
                or name in found
                or _overlaps(start, end, taken)
                or not _is_likely(name, kind, text, statement=confidence < CONFIDENCE_COMPANY_CUE)
                or is_known(name)
            ):
                continue
            cue = match.group().replace(match.group("name"), "").strip(" ,")
            found[name] = NewEntity(
                kind,
                " ".join(name.split()),
                mentions=_occurrences(text, name, taken),
                in_title=_occurrences(title, name, ()) != [],
                cue=" ".join(cue.split()),
                confidence=confidence,
            )
    return list(found.values())


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
    if kind == EntityKind.PERSON:
        return is_person_shaped(name)
    if not statement:
        return True
    # "Jane Doe said in a statement" is a person; "Doe said…" may be her surname.
    if " " in name:
        return not is_person_shaped(name)
    distinctive = any(char.isdigit() or char.isupper() for char in name[1:])
    return distinctive or re.search(rf"[{_UPPER}]\w+{_GAP}{re.escape(name)}(?!\w)", text) is None


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
