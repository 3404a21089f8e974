"""Find the entities an article mentions and decide which mentions count.

Candidates come from one scan of the title and one of the body with the dictionary's
automaton (see `normalize` for why a key can only be found as whole words). A candidate
is kept when the name form of the original stretch equals an alias's (case-preserved for
case-sensitive aliases) and the alias's language is "" or the article's; an article of
unknown language ("") accepts aliases of every language.

Overlaps: the longest candidate wins ("LG Electronics" over "LG", "Apple Vision Pro" over
"Apple" and "Vision Pro"), then the earliest. Candidates that end up rejected are removed
and the overlaps resolved again, so a rejected long candidate does not hide a shorter one.

Ambiguity rule. An alias flagged ambiguous counts only with supporting context:
  (a) the same entity is matched elsewhere in the title or body by a mention that counts, or
  (b) a related entity is matched: its maker or its products, its affiliation or the people
      affiliated with it, its parent or its subsidiaries, its maker's parent or its
      subsidiaries' products ("Kirin", made by HiSilicon, in a story about Huawei), or
  (c) a cue word of the entity's kind (`data/*/context/<kind>.txt`) stands within
      `CUE_WINDOW_WORDS` words before or after the mention, in the same title or body, or
  (d) for a company, a peer: another company counts in the story ("Amazon" in a story
      about Nvidia and its cloud customers).
Non-ambiguous aliases start the support; (a) and (b) are applied until nothing changes, then
(c), then (d), for what is left, going back to (a) after each gain. Cue lists of all
languages apply to every article, because machine-translated text mixes them.

Whatever the support, an ambiguous mention never counts when it shows its ordinary sense:
a word of `data/*/context/ordinary.txt` stands within `CUE_WINDOW_WORDS` words of it ("the
Amazon rainforest", "la forêt amazonienne", "a blizzard warning"), or, in the body, it is
one word of a longer capitalised name the dictionary does not know ("Orange County",
"Galaxy Ring", "Harrison Ford"); a tier word or a model code after a product's name is its
version, not a longer name ("M5 Pro", "Mate XTs").

Surname rule. A derived surname (see `dictionary`) counts only if a full alias of the same
person counted earlier: earlier in the body, or anywhere in the title (for a surname in the
title, earlier in the title). When several people qualify, the one named most recently
wins. A surname loses to another entity's explicit alias of the same span when that alias
counts.

Versions. A product that counts extends over a version written right after it: the words of
a version the dictionary knows of it ("Sequoia" after "macOS", when macOS 15 lists it), then
numbers, point releases ("iOS 26.1"), model numbers ("S24", "24H2", "XR2+"), tier words
("Pro", "Ultra", "FE", `data/any/products/tiers.txt`) and generations ("Gen 3"); never over a
quantity ("15 million", "5 000"), a specification ("128GB", "5 nm", "13-inch", "5G"), an
ordinal ("13th") or another entity's name. A model number may also be joined to the name by a
hyphen ("Immortalis-G925"), and a glued stem (see `dictionary`) takes the number glued onto
it ("Galaxy S26"), without which it does not count. The mention is the whole stretch; it
counts for the most specific product known, and when words beyond it remain, the stretch is a
new version of that product, reported in `FoundEntities.new_versions` as a suggestion.

A name that is both a company's and a product's ("iQOO", a brand and its phones) names the
product when a version follows it, the company otherwise.

Models. A model maker's name (see `dictionary`) followed by a model number, a word with a digit
that is not a year, a quantity, a specification or a fiscal period ("OnePlus 15", "Xiaomi 15S
Pro", but not "Samsung 2025", "Apple Q3", "Huawei 5G"), is a new product of that company, also
reported in `FoundEntities.new_versions`; the company keeps its own mention. In the body, up to
two capitalised words of a line of products may come between ("Xiaomi Watch S4"), but not a
site's or an event's (`data/any/products/not_lines.txt`: "TSMC Fab 18").

Subsidiaries. In the body, a company's name followed by a country or region or by a word of
another business (`data/any/companies/`: "Acme France", "Acme Brasil", "Acme Bank"), with no
further capitalised word or number but a legal form, names a company of its own: it is suggested in
`FoundEntities.new_versions` with the company for its parent, which is not tagged there.

A product alias that contains its maker's name ("Apple Vision Pro") also implies the maker,
which is reported even with no mention of its own (`FoundEntities.implied_by`).

Confidence of an entity is the best of its evidence: 1.0 for a non-ambiguous alias, then
`CONFIDENCE_*` below for ambiguous aliases with context, surnames and implied makers.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import takewhile
from typing import NamedTuple

from .dictionary import MEASURE, NOT_A_VERSION, AliasEntry, Dictionary, KeyEntries, NamedEntries
from .discovery import COMPANY_WORDS, NEVER_NAMES, PLACES
from .lexicons import language_code, word_list
from .normalize import folded_words, name_forms, searchable
from .text import UPPER_CASE_LETTER
from .types import EntityKind, EntityMatch, NewEntity, Span

CUE_WINDOW_WORDS = 6

CONFIDENCE_EXPLICIT = 1.0
CONFIDENCE_SAME_ENTITY = 0.9
CONFIDENCE_IMPLIED_MAKER = 0.9
CONFIDENCE_RELATED = 0.8
CONFIDENCE_SURNAME = 0.8
CONFIDENCE_CUE = 0.7
CONFIDENCE_PEER = 0.6
# A new version of a known product: its family is sure, the version's name less so.
CONFIDENCE_NEW_VERSION = 0.7
# A new model of a company: only its maker is sure.
CONFIDENCE_NEW_MODEL = 0.6
# A company of its own named after a known one ("Acme France", "Acme Bank"): its parent is sure.
CONFIDENCE_SUBSIDIARY = 0.7

# Words of a version after a product's name: tier words, generations, numbers, model numbers.
_TIERS = frozenset(word_list("products/tiers"))
_GENERATIONS = frozenset(word.casefold() for word in word_list("products/generations"))
_QUANTITIES = frozenset(word.casefold() for word in word_list("products/quantities"))
_UNITS = frozenset(word.casefold() for word in word_list("products/units"))
_NUMBER = re.compile(r"\d+(?:\.\d+)*")
# A version number ("11", "3.5") or a model number with a digit ("S24", "24H2", "7950X").
_VERSION_NUMBER = re.compile(r"\d{1,4}(?:\.\d{1,3})*|(?=[^\W_]*\d)[^\W_]{2,8}")
# Nor, right after a company's name, a model: a year ("Samsung 2025"), a screen ("Sony 8K").
_NOT_A_MODEL = re.compile(r"(?:19|20)\d\d|\d+K", re.IGNORECASE)
# Words between a company's name and a number that make it a site or an event ("Fab 18").
_NOT_LINES = frozenset(word.casefold() for word in word_list("products/not_lines"))
_MAX_LINE_WORDS = 2
# Words after a known company's name that make the stretch a company of its own: a national
# subsidiary ("Acme France") or a related company in another business ("Acme Bank").
_SUBSIDIARY_NAMES = frozenset(
    tuple(entry.split())
    for list_name in ("companies/national_names", "companies/subsidiary_words")
    for entry in word_list(list_name)
)
_LONGEST_SUBSIDIARY_NAME = max(map(len, _SUBSIDIARY_NAMES))
_LEGAL_FORMS = frozenset(word_list("newcomers/company_suffixes"))
# A capitalised word right before a name, spaces only between ("Beijing" of "Beijing Acme").
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \t\u00a0\u202f]+$")
# A version word: letters and digits, with a point release ("3.5") or a "+" ("XR2+", "Pro+").
_VERSION_WORD = r"([^\W_]+(?:\.\d+)*\+?)"
# The next word after a position, spaces only between: a version never crosses punctuation.
_NEXT_WORD = re.compile(r"[ \t\u00a0\u202f]+" + _VERSION_WORD)
# A model number joined to a name by a hyphen ("Immortalis-G925"), or glued onto it ("S26").
_JOINED_WORD = re.compile(r"[-\u2010\u2011]" + _VERSION_WORD)
_GLUED_WORD = re.compile(r"(?=\d)" + _VERSION_WORD)
# A point release right after a name that ends in a number ("iOS 26" → "iOS 26.1").
_POINT_RELEASE = re.compile(r"\.(\d{1,3}(?:\.\d{1,3})*)(?!\w)")
_MAX_VERSION_WORDS = 4
_VERSION_START = re.compile(rf"[ \t\u00a0\u202f]+[0-9{UPPER_CASE_LETTER}]")

# Enough characters of search form for CUE_WINDOW_WORDS words on each side of a mention.
_CUE_WINDOW_CHARACTERS = 16 * CUE_WINDOW_WORDS


class _Phrases(NamedTuple):
    """A word list as the cue window is searched for it: its one-word entries in a set, the
    others padded with a space each side."""

    words: frozenset[str]
    padded: tuple[str, ...]


def _padded_phrases(list_name: str) -> _Phrases:
    phrases = {" ".join(folded_words(cue)) for cue in word_list(list_name)}
    return _Phrases(
        frozenset(phrase for phrase in phrases if " " not in phrase),
        tuple(f" {phrase} " for phrase in sorted(phrases) if " " in phrase),
    )


_PADDED_CUES = {kind: _padded_phrases(f"context/{kind.value}") for kind in EntityKind}
# Words that show an ambiguous name in its ordinary sense: a river, a fruit, the weather.
_PADDED_ORDINARY = _padded_phrases("context/ordinary")
# Words that introduce a company ("the start-up", "la société"): a product's name right after
# them names a company sharing it ("the start-up Gemini"), not the product. Each cue starts
# with a space, so that it ends the words before the name only as whole words.
_COMPANY_INTRODUCTIONS = tuple(
    f" {cue}"
    for cue in sorted(
        {" ".join(folded_words(cue)) for cue in word_list("newcomers/company_cues_before")}
    )
)
# A company's or product's name right before one of these names a venue, tournament or event.
_NAMED_AFTER = re.compile(
    r"[ \t\u00a0]+(?:"
    + "|".join(map(re.escape, sorted(word_list("context/named_after"), key=len, reverse=True)))
    + r")(?![\w/])"
)
_COMPANY_VERBS = frozenset(verb.casefold() for verb in word_list("context/company_verbs"))
# Punctuation or the end right after a name: nothing qualifies it.
_THE_ALONE = re.compile(r"[ \t\u00a0]*(?:[.,;:!?)]|$)")
# What may stand before a word that opens a sentence.
_SENTENCE_OPENING = frozenset(".!?:;…\n\"«“‘'([")


@dataclass(slots=True)
class FoundEntities:
    """The entities an article mentions, before salience is scored."""

    matches: list[EntityMatch]
    # Maker id → ids of the products whose names implied it.
    implied_by: dict[int, list[int]] = field(default_factory=dict)
    # Versions the dictionary does not know, of products it knows.
    new_versions: list[NewEntity] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class _Candidate:
    """A stretch of the title or body that names one or more aliases."""

    start: int
    end: int
    in_title: bool
    entries: tuple[AliasEntry, ...]
    # Derived surnames, apart: they count only after a full name (see `_judge_surnames`).
    surnames: tuple[AliasEntry, ...]
    # The search form of the title or body, and where the name lies in it.
    search_form: str
    search_start: int
    search_end: int
    # Found by a glued stem ("Galaxy S" of "Galaxy S26"): it counts only with its number.
    glued: bool = False
    # The words around the name, as cues are looked for in them; filled in when first asked.
    cue_window: str | None = None
    cue_words: frozenset[str] = frozenset()

    def overlaps(self, other: _Candidate) -> bool:
        """Tell whether both candidates share characters of the same title or body."""
        return self.in_title == other.in_title and self.start < other.end and other.start < self.end

    def introduced_as_company(self) -> bool:
        """Tell whether the words right before the name introduce a company."""
        window = self.search_form[
            max(0, self.search_start - _CUE_WINDOW_CHARACTERS) : self.search_start
        ]
        before = " " + " ".join(window.split()[-4:])
        return before.endswith(_COMPANY_INTRODUCTIONS)

    def has_cue(self, kind: EntityKind) -> bool:
        """Tell whether a cue word of kind stands near the name."""
        return self.has_nearby(_PADDED_CUES[kind])

    def has_nearby(self, phrases: _Phrases) -> bool:
        """Tell whether one of the phrases stands near the name."""
        if self.cue_window is None:
            window_start = max(0, self.search_start - _CUE_WINDOW_CHARACTERS)
            before = self.search_form[window_start : self.search_start].split()
            after = self.search_form[self.search_end : self.search_end + _CUE_WINDOW_CHARACTERS]
            self.cue_window = (
                f" {' '.join(before[-CUE_WINDOW_WORDS:])} "
                f"| {' '.join(after.split()[:CUE_WINDOW_WORDS])} "
            )
            self.cue_words = frozenset(self.cue_window.split())
        return not phrases.words.isdisjoint(self.cue_words) or any(
            phrase in self.cue_window for phrase in phrases.padded
        )


# The entries of a candidate that count, each with its confidence.
_Verdict = list[tuple[AliasEntry, float]]


def find_entities(
    text: str, *, dictionary: Dictionary, title: str = "", language: str = ""
) -> FoundEntities:
    """Return the entities mentioned in an article's title and body text."""
    language = language_code(language)
    candidates = _candidates(title, dictionary, language, in_title=True)
    candidates += _candidates(text, dictionary, language, in_title=False)
    while True:
        chosen, dropped = _longest_first(candidates)
        verdicts = _judge(chosen, dictionary, text=text, title=title)
        rejected = [c for c, verdict in zip(chosen, verdicts, strict=True) if not verdict]
        # Dropping a rejected candidate only matters if it hid a shorter one.
        if not any(hidden.overlaps(c) for c in rejected for hidden in dropped):
            new_versions = _extend_versions(chosen, verdicts, text, title, dictionary)
            found = _collect(chosen, verdicts, text=text, dictionary=dictionary)
            found.new_versions = new_versions
            return found
        rejected_set = set(rejected)
        candidates = [c for c in candidates if c not in rejected_set]


def _candidates(
    source: str, dictionary: Dictionary, language: str, *, in_title: bool
) -> list[_Candidate]:
    """Return the candidates of a title or body, longest first, then earliest."""
    # Keyed by a number that sorts the longest first, then the earliest.
    found: dict[int, _Candidate] = {}
    longer_than_source = len(source) + 1
    # An article names the same few entities again and again: check each stretch of text
    # against a key's entries once.
    entries_named: dict[tuple[str, KeyEntries], NamedEntries] = {}
    searchable_source = searchable(source)
    search_form = searchable_source.padded
    locate = searchable_source.original_bounds
    for key_end, key_entries in dictionary.find_keys(search_form):
        key_length = key_entries.key_length
        if key_entries.glued:
            # A glued stem ends inside a word: only a number may follow it. Seen as a key with
            # that digit for its closing pad, it is located like any other.
            if not search_form[key_end + 1].isdigit():
                continue
            key_end += 1
            key_length += 1
        start, end = locate(key_end, key_length)
        named = (source[start:end], key_entries)
        entries = entries_named.get(named)
        if entries is None:
            entries = entries_named[named] = key_entries.matching(*name_forms(named[0]), language)
        aliases, surnames = entries
        if not aliases and not surnames:
            continue
        rank = (start - end) * longer_than_source + start
        candidate = found.get(rank)
        if candidate is None:
            search_start = key_end - key_length + 2
            found[rank] = _Candidate(
                start,
                end,
                in_title,
                aliases,
                surnames,
                search_form,
                search_start,
                key_end,
                glued=key_entries.glued,
            )
        else:
            candidate.entries += aliases
            candidate.surnames += surnames
    return [found[rank] for rank in sorted(found)]


def _longest_first(candidates: list[_Candidate]) -> tuple[list[_Candidate], list[_Candidate]]:
    """Split candidates into those chosen, longest first, and those they overlap; the chosen
    in reading order. The candidates of the title and of the body come longest first, then
    earliest, as `_candidates` returns them."""
    chosen: list[_Candidate] = []
    dropped: list[_Candidate] = []
    for in_title in (True, False):
        kept: list[_Candidate] = []
        starts: list[int] = []
        for candidate in (c for c in candidates if c.in_title == in_title):
            position = bisect_right(starts, candidate.start)
            if (position and kept[position - 1].end > candidate.start) or (
                position < len(kept) and kept[position].start < candidate.end
            ):
                dropped.append(candidate)
                continue
            kept.insert(position, candidate)
            starts.insert(position, candidate.start)
        chosen += kept
    return chosen, dropped


def _judge(
    chosen: list[_Candidate], dictionary: Dictionary, *, text: str, title: str
) -> list[_Verdict]:
    verdicts: list[_Verdict] = [[] for _ in chosen]
    supported: set[int] = set()
    companies: set[int] = set()
    entities = dictionary.entities

    def accept(index: int, entry: AliasEntry, confidence: float) -> bool:
        verdicts[index].append((entry, confidence))
        supported.add(entry.entity_id)
        entity = entities[entry.entity_id]
        if entity.kind == EntityKind.COMPANY:
            companies.add(entity.id)
        if entry.implies_maker:
            supported.add(entity.maker_id)
            companies.add(entity.maker_id)
        return True

    def accept_by_context(index: int, entry: AliasEntry) -> bool:
        if entry.entity_id in supported:
            return accept(index, entry, CONFIDENCE_SAME_ENTITY)
        if not supported.isdisjoint(dictionary.related.get(entry.entity_id, ())):
            return accept(index, entry, CONFIDENCE_RELATED)
        return False

    def accept_by_cue(index: int, entry: AliasEntry) -> bool:
        # A short name ("Magic" of "Honor Magic") is as often an ordinary word near a cue.
        if entry.short_name:
            return False
        kind = entities[entry.entity_id].kind
        return chosen[index].has_cue(kind) and accept(index, entry, CONFIDENCE_CUE)

    def accept_by_peer(index: int, entry: AliasEntry) -> bool:
        # A capital that only opens a sentence says nothing: "Target prices rose".
        return (
            entities[entry.entity_id].kind == EntityKind.COMPANY
            and not _opens_sentence_without_verb(chosen[index], text)
            and bool(companies - {entry.entity_id})
            and accept(index, entry, CONFIDENCE_PEER)
        )

    pending: list[tuple[int, AliasEntry]] = []
    for index, candidate in enumerate(chosen):
        for entry in candidate.entries:
            kind = entities[entry.entity_id].kind
            if kind == EntityKind.PRODUCT and candidate.introduced_as_company():
                continue
            if _names_venue_or_event(candidate, kind, text=text, title=title):
                continue
            if not entry.ambiguous:
                accept(index, entry, CONFIDENCE_EXPLICIT)
            elif not _shows_ordinary_sense(candidate, text, product=kind == EntityKind.PRODUCT):
                pending.append((index, entry))
    # The weakest support is tried last, and the strongest again after each gain.
    stages = (accept_by_context, accept_by_cue, accept_by_peer)
    while pending:
        for stage in stages:
            remaining = [(i, entry) for i, entry in pending if not stage(i, entry)]
            if len(remaining) < len(pending):
                break
        else:
            break
        pending = remaining
    _judge_surnames(chosen, verdicts)
    for verdict in verdicts:
        if len(verdict) > 1 and len({entry.entity_id for entry, _ in verdict}) > 1:
            best = max(confidence for _, confidence in verdict)
            verdict[:] = [(entry, c) for entry, c in verdict if c == best]
    return verdicts


def _shows_ordinary_sense(candidate: _Candidate, text: str, *, product: bool) -> bool:
    """Tell whether an ambiguous name is used as an ordinary word or inside another name."""
    if candidate.has_nearby(_PADDED_ORDINARY):
        return True
    if not candidate.in_title and _THE_ALONE.match(text, candidate.end):
        # "deep in the Amazon.": a company is not "the X" with nothing after it.
        opening = text[max(0, candidate.start - 4) : candidate.start]
        if opening.casefold() == "the ":
            return True
    # Title-case headlines capitalise every word: only the body is read for longer names.
    return not candidate.in_title and _inside_longer_name(
        text, candidate.start, candidate.end, product=product
    )


def _opens_sentence_without_verb(candidate: _Candidate, text: str) -> bool:
    """Tell whether the name is the first word of its sentence (or of the title) and no verb
    of a company's follows it: "Target prices rose", not "Oracle said"."""
    if candidate.in_title:
        return candidate.start == 0
    if not _opens_sentence(text, candidate.start):
        return False
    next_word = _NEXT_WORD.match(text, candidate.end)
    return next_word is None or next_word.group(1).casefold() not in _COMPANY_VERBS


def _names_venue_or_event(
    candidate: _Candidate, kind: EntityKind, *, text: str, title: str
) -> bool:
    """Tell whether a company's or product's name is part of a venue's or event's ("Oracle
    Park", "Galaxy Unpacked", "Snapdragon Summit")."""
    if kind == EntityKind.PERSON:
        return False
    if candidate.in_title:
        # Title-case headlines capitalise every word ("Nvidia Open Sources Its Model"): a
        # company's name is read in the body only. A product's name is seldom followed there
        # by one of these words but for an event.
        return kind == EntityKind.PRODUCT and _NAMED_AFTER.match(title, candidate.end) is not None
    return _NAMED_AFTER.match(text, candidate.end) is not None


def _inside_longer_name(text: str, start: int, end: int, *, product: bool) -> bool:
    """Tell whether capitalised words run on from the name with only spaces between, as in
    "Orange County" or "Galaxy Ring", a capital that only opens a sentence aside. After a
    product's name, a tier word or a model code is its version, not another name ("M5 Pro",
    "Mate XTs")."""
    after = end
    while after < len(text) and text[after] in " \t\u00a0":
        after += 1
    if after > end and after < len(text) and text[after].isupper():
        word_end = after
        while word_end < len(text) and text[word_end].isalpha():
            word_end += 1
        word = text[after:word_end]
        # An acronym after the name ("Apple CEO", "Orange SA") is not part of it.
        if not word.isupper() and not (
            product and (word in _TIERS or sum(c.isupper() for c in word) > 1)
        ):
            return True
    before = start
    while before and text[before - 1] in " \t\u00a0":
        before -= 1
    if before == start or not before or not text[before - 1].isalpha():
        return False
    word_start = before
    while word_start and text[word_start - 1].isalpha():
        word_start -= 1
    word = text[word_start:before]
    if not word[0].isupper() or word.isupper():
        return False
    return not _opens_sentence(text, word_start)


def _opens_sentence(text: str, start: int) -> bool:
    """Tell whether the word at `start` is the first of its sentence: only spaces, and then
    the start of the text or a sentence's punctuation, stand before it."""
    while start and text[start - 1] in " \t\u00a0":
        start -= 1
    return not start or text[start - 1] in _SENTENCE_OPENING


def _judge_surnames(chosen: list[_Candidate], verdicts: list[_Verdict]) -> None:
    # `chosen` is in reading order, so an index in it is a position in reading order.
    surname_only = [
        index
        for index, (candidate, verdict) in enumerate(zip(chosen, verdicts, strict=True))
        if not verdict and candidate.surnames
    ]
    if not surname_only:
        return
    full_mentions: dict[int, list[int]] = defaultdict(list)
    for index, verdict in enumerate(verdicts):
        for entry, _ in verdict:
            full_mentions[entry.entity_id].append(index)
    for index in surname_only:
        latest_full_mention = -1
        for entry in chosen[index].surnames:
            mentions = full_mentions.get(entry.entity_id)
            if not mentions:
                continue
            position = bisect_left(mentions, index)
            if position and mentions[position - 1] > latest_full_mention:
                latest_full_mention = mentions[position - 1]
                verdicts[index][:] = [(entry, CONFIDENCE_SURNAME)]


def _extend_versions(
    chosen: list[_Candidate],
    verdicts: list[_Verdict],
    text: str,
    title: str,
    dictionary: Dictionary,
) -> list[NewEntity]:
    """Extend each product that counts over the version written after it, and find the new
    models of model makers (see the module's docstring); return the new versions and models,
    one per name, with their mentions."""
    entities = dictionary.entities
    # Where the names that count start, in the title (True) and in the body (False).
    starts: dict[bool, set[int]] = {True: set(), False: set()}
    for c, verdict in zip(chosen, verdicts, strict=True):
        if verdict:
            starts[c.in_title].add(c.start)
    new_versions: dict[tuple[str, int | None], NewEntity] = {}

    def suggest(candidate: _Candidate, end: int, new: NewEntity) -> None:
        # A name the dictionary holds is no new entity, whatever the candidate it grew from
        # ("Apple C1" after the company "Apple", when "Apple C1" is a product alias).
        if dictionary.knows(new.name):
            return
        new = new_versions.setdefault((new.name.casefold(), new.variant_of_id), new)
        if candidate.in_title:
            new.in_title = True
        else:
            new.mentions.append(Span(candidate.start, end, text[candidate.start : end]))

    for index, (candidate, verdict) in enumerate(zip(chosen, verdicts, strict=True)):
        if not verdict:
            continue
        named = {entry.entity_id for entry, _ in verdict}
        product_ids = {i for i in named if entities[i].kind == EntityKind.PRODUCT}
        source = title if candidate.in_title else text
        words = _version_words(source, candidate)
        if not product_ids:
            company_id = next(iter(named)) if len(named) == 1 else None
            # Title-case headlines capitalise every word: a subsidiary is read in the body.
            if (
                company_id is not None
                and not candidate.in_title
                and entities[company_id].kind == EntityKind.COMPANY
                and (end := _subsidiary_end(source, words))
                and not _after_place(source, candidate.start)
            ):
                parent = entities[company_id]
                suggest(
                    candidate,
                    end,
                    NewEntity(
                        EntityKind.COMPANY,
                        " ".join(source[candidate.start : end].split()),
                        parent_id=parent.id,
                        cue=parent.name,
                        confidence=CONFIDENCE_SUBSIDIARY,
                    ),
                )
                # The stretch names the subsidiary, not its parent.
                verdict.clear()
                continue
            if company_id in dictionary.model_makers and words:
                end = _model_end(
                    source, words, starts[candidate.in_title], in_title=candidate.in_title
                )
                if end:
                    name = " ".join(source[candidate.start : end].split())
                    maker = entities[company_id]
                    suggest(
                        candidate,
                        end,
                        NewEntity(
                            EntityKind.PRODUCT,
                            name,
                            maker_id=maker.id,
                            cue=maker.name,
                            confidence=CONFIDENCE_NEW_MODEL,
                        ),
                    )
            continue
        if len(product_ids) != 1:
            continue
        [product_id] = product_ids
        known_id, end, version_end = product_id, 0, 0
        if words:
            known_id, known_words = _known_version(product_id, words, dictionary)
            version_end = _version_end(source, words[known_words:], starts[candidate.in_title])
            end = version_end or (words[known_words - 1][2] if known_words else 0)
        if len(named) > 1:
            # A company's name and a product's: the product's only with a version after it.
            keep = EntityKind.PRODUCT if end else EntityKind.COMPANY
            verdict[:] = [(e, c) for e, c in verdict if entities[e.entity_id].kind == keep]
        if not end:
            if candidate.glued:
                verdict.clear()
            continue
        # What the stretch covers now belongs to it.
        for covered in range(index + 1, len(chosen)):
            other = chosen[covered]
            if other.in_title == candidate.in_title and other.start < end:
                verdicts[covered].clear()
        candidate.end = end
        if known_id != product_id:
            verdict[:] = [(entry._replace(entity_id=known_id), c) for entry, c in verdict]
        if version_end:
            family = entities[known_id]
            suggest(
                candidate,
                end,
                NewEntity(
                    EntityKind.PRODUCT,
                    " ".join(source[candidate.start : end].split()),
                    variant_of_id=known_id,
                    maker_id=family.maker_id,
                    cue=family.name,
                    confidence=CONFIDENCE_NEW_VERSION,
                ),
            )
    return list(new_versions.values())


def _version_words(source: str, candidate: _Candidate) -> list[tuple[str, int, int]]:
    """Return the words that may be a version right after a name: glued onto a glued stem, a
    point release after a name that ends in a number, joined by a hyphen to a name that ends
    in a letter, or after spaces."""
    end = candidate.end
    if candidate.glued:
        first = _GLUED_WORD.match(source, end)
    elif source[end - 1 : end].isdigit() and (point := _POINT_RELEASE.match(source, end)):
        first = point
    elif source[end - 1 : end].isalpha() and (joined := _JOINED_WORD.match(source, end)):
        first = joined if any(character.isdigit() for character in joined.group(1)) else None
    else:
        # Most names are followed by an ordinary word: a version starts with a capital or a digit.
        return _words_after(source, end) if _VERSION_START.match(source, end) else []
    if first is None:
        return []
    return [(first.group(1), first.start(1), first.end(1)), *_words_after(source, first.end(1))]


def _words_after(source: str, position: int) -> list[tuple[str, int, int]]:
    """Return the few words right after a position, with only spaces between them."""
    words: list[tuple[str, int, int]] = []
    while len(words) < _MAX_VERSION_WORDS:
        word = _NEXT_WORD.match(source, position)
        if word is None:
            break
        words.append((word.group(1), word.start(1), word.end(1)))
        position = word.end(1)
    return words


def _known_version(
    product_id: int, words: list[tuple[str, int, int]], dictionary: Dictionary
) -> tuple[int, int]:
    """Return the most specific known version the words name after a product, and how many
    of the words name it."""
    used = 0
    # Folded once, when the product has versions at all: most have none.
    folded: list[tuple[str, ...]] = []
    while (suffixes := dictionary.versions.get(product_id)) and used < len(words):
        folded = folded or [tuple(folded_words(word)) for word, _, _ in words]
        for length in range(min(len(words) - used, dictionary.longest_version), 0, -1):
            key = tuple(part for word in folded[used : used + length] for part in word)
            if key in suffixes:
                product_id, used = suffixes[key], used + length
                break
        else:
            break
    return product_id, used


def _model_end(
    source: str, words: list[tuple[str, int, int]], taken: set[int], *, in_title: bool
) -> int:
    """Return where a model number after a company's name ends, with the version words after
    it, or 0 when there is none. In the body, up to two words of a line of products may come
    first ("Xiaomi Pad 7 Ultra", "Xiaomi Watch S4"); a title capitalises every word."""
    model = next(
        (i for i, (word, _, _) in enumerate(words) if any(c.isdigit() for c in word)), None
    )
    if model is None or model > (0 if in_title else _MAX_LINE_WORDS):
        return 0
    if not all(_is_line_word(word) and start not in taken for word, start, _ in words[:model]):
        return 0
    if _NOT_A_MODEL.fullmatch(words[model][0].rstrip("+")):
        return 0
    end = _version_end(source, words[model:], taken)
    return end if end >= words[model][2] else 0


def _subsidiary_end(source: str, words: list[tuple[str, int, int]]) -> int:
    """Return where the name of a subsidiary that starts with a company's name ends ("Acme
    France", "Acme Europe Bank"), or 0 when the words after the name name none. Another
    capitalised word or a number after them makes a longer name ("Acme China Road", "Acme
    Japan 2"), a hyphen a description ("Acme China-based"): neither is read as one."""
    index = end = 0
    while index < len(words):
        for length in range(min(_LONGEST_SUBSIDIARY_NAME, len(words) - index), 0, -1):
            if tuple(word for word, _, _ in words[index : index + length]) in _SUBSIDIARY_NAMES:
                index += length
                end = words[index - 1][2]
                break
        else:
            break
    if not end or source[end : end + 1] in ("-", "\u2010", "\u2011", "&", "/"):
        return 0
    following = words[index][0] if index < len(words) else ""
    if (following[:1].isupper() or following[:1].isdigit()) and following not in _LEGAL_FORMS:
        return 0
    return end


def _after_place(source: str, start: int) -> bool:
    """Tell whether a place's name stands right before a name: "Beijing Acme Electronics" is
    the known company's local legal name, not a new company."""
    before = _WORD_BEFORE.search(source, max(0, start - 40), start)
    return before is not None and before.group(1).casefold() in PLACES


def _is_line_word(word: str) -> bool:
    """Tell whether a word may name a line of products: capitalised ("Pad", "MatePad"), not
    an acronym, a month, a place, a title, a company word or a site's ("Fab", "Plant")."""
    folded = word.casefold()
    return (
        word[0].isupper()
        and word.isalpha()
        and not word.isupper()
        and folded not in NEVER_NAMES
        and folded not in COMPANY_WORDS
        and folded not in _NOT_LINES
    )


def _version_end(source: str, words: list[tuple[str, int, int]], taken: set[int]) -> int:
    """Return where the version words at the start of `words` end, or 0 when there are none.
    They stop at another entity's name (`taken` holds where they start): "H100" after "Pixel"."""
    words = list(takewhile(lambda word: word[1] not in taken, words))
    end = 0
    index = 0
    while index < len(words):
        word, _, word_end = words[index]
        bare = word.rstrip("+")
        if bare in _TIERS:
            end = word_end
        elif word.casefold() in _GENERATIONS and index + 1 < len(words):
            number = words[index + 1][0]
            if not number.isdigit():
                break
            index += 1
            end = words[index][2]
        elif (
            _VERSION_NUMBER.fullmatch(bare)
            and not MEASURE.fullmatch(bare)
            and not NOT_A_VERSION.fullmatch(bare)
        ):
            if _NUMBER.fullmatch(word) and _is_quantity(source, words, index):
                break
            end = word_end
        else:
            break
        index += 1
    return end


def _is_quantity(source: str, words: list[tuple[str, int, int]], index: int) -> bool:
    """Tell whether the number at `index` of the words is a quantity or a measure, not a
    version: "15 million", "3,000", "5 000", "49%", "5 nm", "13-inch"."""
    word, _, word_end = words[index]
    following = words[index + 1][0] if index + 1 < len(words) else ""
    after = source[word_end : word_end + 2]
    return (
        following.casefold() in _QUANTITIES
        or following.casefold() in _UNITS
        # "49%", and in French "49 %".
        or source[word_end : word_end + 3].lstrip(" \u00a0\u202f")[:1] == "%"
        or (after[:1] == "," and after[1:].isdigit())
        or (after[:1] in ("-", "\u2010", "\u2011") and after[1:].isalpha())
        # French thousands: "5 000", "12 500".
        or (len(word) <= 3 and len(following) == 3 and following.isdigit())
    )


def _collect(
    chosen: list[_Candidate], verdicts: list[_Verdict], *, text: str, dictionary: Dictionary
) -> FoundEntities:
    matches: dict[int, EntityMatch] = {}
    implied_by: dict[int, list[int]] = {}
    for candidate, verdict in zip(chosen, verdicts, strict=True):
        for entry, confidence in verdict:
            match = matches.get(entry.entity_id)
            if match is None:
                match = matches[entry.entity_id] = _new_match(dictionary, entry.entity_id, 0.0)
            if candidate.in_title:
                match.in_title = True
            else:
                start, end = candidate.start, candidate.end
                match.mentions.append(Span(start, end, text[start:end]))
            match.confidence = max(match.confidence, confidence)
            if entry.implies_maker:
                products = implied_by.setdefault(dictionary.entities[entry.entity_id].maker_id, [])
                if entry.entity_id not in products:
                    products.append(entry.entity_id)
    for maker_id in implied_by:
        if maker_id not in matches:
            matches[maker_id] = _new_match(dictionary, maker_id, CONFIDENCE_IMPLIED_MAKER)
    # Until a chief editor accepts a suggested version, its family stands for it too.
    for match in [match for match in matches.values() if match.provisional]:
        family_id = _accepted_family(dictionary, match.entity_id)
        if family_id is None:
            continue
        family = matches.get(family_id)
        if family is None:
            family = matches[family_id] = _new_match(dictionary, family_id, match.confidence)
        family.in_title = family.in_title or match.in_title
        family.mentions = sorted({*family.mentions, *match.mentions})
    return FoundEntities(matches=list(matches.values()), implied_by=implied_by)


def _accepted_family(dictionary: Dictionary, product_id: int) -> int | None:
    """Return the nearest family of a product that is not provisional, or None."""
    entities = dictionary.entities
    family_id = entities[product_id].variant_of_id
    seen = {product_id}
    while family_id is not None and family_id in entities and family_id not in seen:
        if not entities[family_id].provisional:
            return family_id
        seen.add(family_id)
        family_id = entities[family_id].variant_of_id
    return None


def _new_match(dictionary: Dictionary, entity_id: int, confidence: float) -> EntityMatch:
    entity = dictionary.entities[entity_id]
    return EntityMatch(
        entity.id,
        entity.kind,
        entity.slug,
        entity.name,
        confidence=confidence,
        provisional=entity.provisional,
    )
