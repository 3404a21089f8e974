"""Find relationships between companies named together in news sentences.

A sentence (the title counts as one) relates the distinct companies it refers to: a company
named outright, a person standing for the company they work for, a product standing for
its maker, or an opening pronoun ("They", "La société") standing for the previous
sentence's main company. Cue words (the lists in `data/*/relations/`, whose entry syntax
`data/README.md` describes) decide the kind of relationship; a negation or denial anywhere
in the sentence cancels it.

Kinds are decided per pair of companies, not per sentence:
- Some cues name one side of the relationship next to them: the supplier after "customers
  of" or "runs on", before "customers include"; the acquirer after "bought by". Such a cue
  relates only that company to the sentence's others.
- The companies of a list ("Microsoft, Google and Amazon") play one part in the sentence:
  when the sentence names another company too, each of them is related to it, and none of
  them to each other.
- Over the whole story, a kind that only weak cues show for a pair gives way to a kind that
  strong cues show for the same pair.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from enum import IntEnum
from itertools import combinations, pairwise
from typing import NamedTuple, Protocol

from .lexicons import LANGUAGES, language_code, topics, word_list
from .text import APOSTROPHE, APOSTROPHES, RegexTrie, split_sentences, straight_apostrophes
from .types import (
    EntityKind,
    EntityMatch,
    EntityRecord,
    Evidence,
    RelationshipKind,
    RelationshipMatch,
)


class EntityLookup(Protocol):
    """Anything that can look up knowledge-base entities by id."""

    @property
    def entities(self) -> Mapping[int, EntityRecord]: ...


class Via(IntEnum):
    """How a sentence refers to a company, most direct first."""

    NAME = 0
    PERSON = 1
    PRODUCT = 2
    ANAPHORA = 3


# Evidence confidence = cue weight + one share per company, by how directly it is named;
# at most 1.0, when a strong cue relates two companies named outright.
_CUE_WEIGHT = {True: 0.6, False: 0.4}  # keyed by "the cue is strong"
_REFERENCE_WEIGHT = {Via.NAME: 0.2, Via.PERSON: 0.1, Via.PRODUCT: 0.1, Via.ANAPHORA: 0.05}
# A company this many words or fewer after "buy" is what is bought ("agreed to buy Arm").
_MAX_WORDS_BEFORE_BOUGHT_COMPANY = 6
# Ownership chains are short; the cap only guards against a cycle in the data.
_MAX_PARENT_DEPTH = 16
_EXCLUDED_LIST = "excluded"
_BUY_LIST = "buy"
_ACQUIRE_LIST = "acquire"
_NEGATION_LIST = "negation"
_TOPIC_LISTS = frozenset(topics())


# What "…" in a lexicon entry stands for: up to three words within the clause.
_WORD_GAP = r"(?:[^\s.;:!?]+\s+){0,3}?"
# Characters that can sit right before a word; phrase matching sees them as spaces, so
# every phrase pattern can start with a literal space (see `_PhraseMatcher`).
_WORD_SEPARATORS = APOSTROPHES + '([«“"/—\n\u00a0\u202f'


def _phrase_atoms(entry: str, *, apostrophe: str = " ") -> list[str]:
    """Translate a word-list entry (see `data/README.md`) into one regex piece per character."""
    atoms: list[str] = []
    words = entry.split(" ")
    for index, word in enumerate(words):
        previous = words[index - 1] if index else ""
        # An elided word ("n'") runs straight into the next one.
        if previous and previous != "…" and not previous.endswith("'"):
            atoms.append(r"\s+")
        if word == "…":
            atoms.append(_WORD_GAP)
            continue
        for character in word.removesuffix("*"):
            if character == "-":
                atoms.append(r"[-\s]?")
            elif character == "'":
                atoms.append(apostrophe)
            else:
                atoms.append(re.escape(character))
        if word.endswith("*"):
            atoms.append(r"\w*")
    return atoms


class _Sentence:
    """One sentence (or the title) prepared for phrase matching.

    Phrases are matched in `folded` (lower case) or `cased`: the sentence with word
    separators turned into spaces and one space in front, so index i + 1 there is index i
    of the sentence. A phrase match starts at the space before the phrase.
    """

    __slots__ = ("cased", "end", "folded", "start", "text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.start = start
        self.end = end
        self.text = text[start:end]
        cased = self.text
        for separator in _WORD_SEPARATORS:
            cased = cased.replace(separator, " ")
        folded = cased.lower()
        if len(folded) != len(cased):  # "İ" lower-cases to two characters
            folded = "".join(
                character.lower() if len(character.lower()) == 1 else character
                for character in cased
            )
        self.cased = " " + cased
        self.folded = " " + folded


class _PhraseMatcher:
    """Many lexicon phrases in one regex that tells which list each match comes from.

    The phrases share a character trie behind a literal space, so the regex engine jumps
    from space to space at C speed and tries each word start once, one character test per
    branch. An empty group closes each phrase, and its name gives the list. Entries
    written with capitals are in the trie in lower case too, and a hit on one is checked
    against the sentence's original case.
    """

    def __init__(self, lists: Mapping[str, Iterable[str]], *, prefix: str = "") -> None:
        # Keyed by what a phrase starts with: the space before a word, or any character.
        tries: dict[str, RegexTrie] = {}
        # The name of the empty group that closes the phrases ending at each trie node.
        marker_of: dict[RegexTrie, str] = {}
        # Per marker, the lists whose entries end there, with their case check if any.
        self._lists_of_marker: dict[str, list[tuple[str, re.Pattern[str] | None]]] = {}
        for list_name, entries in lists.items():
            for entry in entries:
                lead = " " if entry[0].isalnum() else "."
                node = tries.setdefault(lead, RegexTrie()).add(_phrase_atoms(entry.lower()))
                if node not in marker_of:
                    marker = marker_of[node] = f"phrase{len(marker_of)}"
                    whole_word = entry[-1].isalnum() or entry.endswith("*")
                    node.end = (r"(?!\w)" if whole_word else "") + f"(?P<{marker}>)"
                    self._lists_of_marker[marker] = []
                case_check = None
                if entry != entry.lower():
                    case_check = re.compile(prefix + lead + "".join(_phrase_atoms(entry)))
                self._lists_of_marker[marker_of[node]].append((list_name, case_check))
        self._pattern = re.compile(
            prefix + "|".join(lead + trie.render() for lead, trie in tries.items())
        )

    def _list_of(self, match: re.Match[str], sentence: _Sentence) -> str | None:
        """Return the list a trie match belongs to, or None when its case is wrong."""
        for list_name, case_check in self._lists_of_marker[match.lastgroup or ""]:
            if case_check is None or case_check.fullmatch(
                sentence.cased, match.start(), match.end()
            ):
                return list_name
        return None

    def finditer(
        self, sentence: _Sentence, start: int = 0, end: int = sys.maxsize
    ) -> list[tuple[str, re.Match[str]]]:
        """Return (list name, match) for each phrase in the prepared sentence, in order."""
        return [
            (list_name, match)
            for match in self._pattern.finditer(sentence.folded, start, end)
            if (list_name := self._list_of(match, sentence)) is not None
        ]

    def search(self, sentence: _Sentence, start: int, end: int) -> re.Match[str] | None:
        """Return the first phrase in part of the prepared sentence, or None."""
        return next((match for _, match in self.finditer(sentence, start, end)), None)

    def match(self, sentence: _Sentence, position: int) -> re.Match[str] | None:
        """Return the phrase at a position of the prepared sentence, or None."""
        match = self._pattern.match(sentence.folded, position)
        return match if match and self._list_of(match, sentence) is not None else None


# The phrase lists of each kind's strong and weak cues, strong ones first.
_CUE_LISTS = {
    f"{kind.value}_{'strong' if strong else 'weak'}": (kind, strong)
    for strong in (True, False)
    for kind in RelationshipKind
}


class _Side(NamedTuple):
    """A cue that names one side of its relationship: the company right after or before it."""

    kind: RelationshipKind
    after: bool


# Strong cues whose company next to them is one side of the relationship.
_SIDED_CUE_LISTS = {
    "supplier_customer_supplier_after": _Side(RelationshipKind.SUPPLIER_CUSTOMER, after=True),
    "supplier_customer_supplier_before": _Side(RelationshipKind.SUPPLIER_CUSTOMER, after=False),
    "acquisition_acquirer_after": _Side(RelationshipKind.ACQUISITION, after=True),
}
# How near a sided cue its company must be, in words: "customers of chip maker Nvidia",
# "trained on Nvidia", "Nvidia's customers include".
_MAX_WORDS_TO_SIDE_AFTER = 4
_MAX_WORDS_TO_SIDE_BEFORE = 2


class _LanguageRules:
    """The word lists of one language (or all of them), compiled."""

    def __init__(self, languages: tuple[str, ...]) -> None:
        def entries(name: str) -> tuple[str, ...]:
            return word_list(f"relations/{name}", languages)

        # One scan per sentence finds cues, negations and topics together. Earlier lists win
        # a phrase they share with later ones: exclusions first, then buying words, then
        # strong cues before weak ones, then negations and topics.
        self.phrases = _PhraseMatcher(
            {
                _EXCLUDED_LIST: entries("exclusions"),
                **{cue_list: entries(cue_list) for cue_list in _SIDED_CUE_LISTS},
                _BUY_LIST: entries("buy"),
                _ACQUIRE_LIST: entries("acquire"),
                **{cue_list: entries(cue_list) for cue_list in _CUE_LISTS},
                _NEGATION_LIST: entries("negations"),
                **{topic: word_list(f"topics/{topic}", languages) for topic in topics()},
            }
        )
        self.supplier_marker = _PhraseMatcher({"marker": entries("supplier_markers")})
        goods = {"goods": entries("goods")}
        self.goods = _PhraseMatcher(goods)
        # "Nvidia chips", "Nvidia's GPUs": goods right after a company's name.
        self.goods_after_name = _PhraseMatcher(goods, prefix="(?: s)?")
        # "chip designer Arm" names a company, not chips.
        self.company_role = _PhraseMatcher({"role": entries("company_roles")})
        self.stake = _PhraseMatcher({"stake": entries("stakes")})
        # What may stand between two companies of one list: a comma, a joining word, or both.
        links = "|".join(
            r"\s+".join(map(re.escape, entry.split())) for entry in entries("list_links")
        )
        self.list_link = re.compile(rf"\s*(?:,\s*(?:(?:{links})\s+)?|(?:{links})\s+)", re.I)
        # Checked on the raw text at each sentence start, so it reads apostrophes itself.
        openers = sorted(entries("anaphora_openers"), key=len, reverse=True)
        self.anaphora = re.compile(
            r"[\W_]*(?:"
            + "|".join("".join(_phrase_atoms(entry, apostrophe=APOSTROPHE)) for entry in openers)
            + r")(?!\w)",
            re.IGNORECASE,
        )

    def names_goods(self, sentence: _Sentence, start: int, end: int) -> bool:
        """Tell whether a stretch of the prepared sentence names goods, not a company."""
        return any(
            self.company_role.match(sentence, goods.end()) is None
            for _, goods in self.goods.finditer(sentence, start, end)
        )


_RULES = {code: _LanguageRules((code,)) for code in LANGUAGES}
# Unknown or mixed language: every language's words.
_ANY_LANGUAGE_RULES = _LanguageRules(LANGUAGES)


# One place a sentence refers to a company: (start, end, company id, how). A plain tuple,
# because an article has dozens and a NamedTuple costs three times as much to build.
_Reference = tuple[int, int, int, Via]


class _Cues(NamedTuple):
    """The cue words of one relationship kind found in a sentence."""

    words: list[str]
    strong: bool
    # The pairs sided cues relate (the company a cue names, and the company or list on the
    # cue's other side); empty when the cues name no side, and every pair is related.
    pairs: frozenset[frozenset[int]] = frozenset()


class _Companies:
    """Resolve matched entities to the companies they stand for, and tell owners apart."""

    def __init__(self, entities: Mapping[int, EntityRecord], matches: list[EntityMatch]) -> None:
        self._entities = entities
        self.slugs: dict[int, str] = {}
        self.company_of: dict[int, tuple[int, Via]] = {}
        for match in matches:
            resolved = self._resolve(match)
            if resolved is not None:
                self.company_of[match.entity_id] = resolved
        self.ancestors = {company_id: self._ancestors_of(company_id) for company_id in self.slugs}

    def _resolve(self, match: EntityMatch) -> tuple[int, Via] | None:
        """Return the company a matched entity stands for, and how, or None."""
        record = self._entities.get(match.entity_id)
        # Readers do not see a provisional entity: nothing it stands in may relate companies.
        if match.provisional or (record is not None and record.provisional):
            return None
        if match.kind == EntityKind.COMPANY:
            self.slugs[match.entity_id] = record.slug if record else match.slug
            return match.entity_id, Via.NAME
        if record is None:
            return None
        if match.kind == EntityKind.PERSON:
            company_id, via = record.affiliation_id, Via.PERSON
        else:
            company_id, via = record.maker_id, Via.PRODUCT
        company = self._entities.get(company_id) if company_id is not None else None
        if company is None or company.kind != EntityKind.COMPANY or company.provisional:
            return None
        self.slugs[company.id] = company.slug
        return company.id, via

    def _ancestors_of(self, company_id: int) -> set[int]:
        """Return the ids of the company's parent, grandparent and so on."""
        ancestors: set[int] = set()
        record = self._entities.get(company_id)
        while record is not None and record.parent_id is not None:
            if record.parent_id in ancestors or len(ancestors) >= _MAX_PARENT_DEPTH:
                break
            ancestors.add(record.parent_id)
            record = self._entities.get(record.parent_id)
        return ancestors


def detect_relationships(
    *,
    text: str,
    title: str,
    language: str,
    matches: list[EntityMatch],
    dictionary: EntityLookup,
) -> list[RelationshipMatch]:
    """Return the relationships between companies that the article's sentences state."""
    companies = _Companies(dictionary.entities, matches)
    # Relating needs two companies; most articles stop here.
    if len({company_id for company_id, _ in companies.company_of.values()}) < 2:
        return []
    rules = _RULES.get(language_code(language), _ANY_LANGUAGE_RULES)
    relationships: dict[tuple[RelationshipKind, str, str], RelationshipMatch] = {}

    title_references = _title_references(title, matches, companies)
    _relate_sentence(
        title, 0, len(title), title_references, rules, companies, relationships, in_title=True
    )

    sentences = split_sentences(text, language)
    # The company each sentence is mainly about: the one it refers to first.
    main_companies: dict[int, int] = {}
    for index, references in _body_references(sentences, matches, companies):
        start, end = sentences[index]
        main_company = references[0][2]
        antecedent = main_companies.get(index - 1, main_companies.get(index - 2))
        if (
            antecedent not in (None, main_company)
            and all(company_id == main_company for _, _, company_id, _ in references)
            and rules.anaphora.match(text, start, end)
        ):
            # The pronoun opens the sentence, so its company is the sentence's subject.
            main_company = antecedent
            references = [(start, start, antecedent, Via.ANAPHORA), *references]
        main_companies[index] = main_company
        _relate_sentence(text, start, end, references, rules, companies, relationships)

    return [relationships[key] for key in sorted(_decided_per_pair(relationships))]


def _decided_per_pair(
    relationships: dict[tuple[RelationshipKind, str, str], RelationshipMatch],
) -> list[tuple[RelationshipKind, str, str]]:
    """Return the keys of the relationships kept once each pair's evidence is weighed: a kind
    only weak cues show gives way to another kind strong cues show for the same pair."""
    strong_kinds: dict[tuple[str, str], set[RelationshipKind]] = defaultdict(set)
    for (kind, *pair), relationship in relationships.items():
        if any(evidence.strong for evidence in relationship.evidence):
            strong_kinds[tuple(pair)].add(kind)
    return [
        (kind, first, second)
        for kind, first, second in relationships
        if not strong_kinds[first, second] - {kind} or kind in strong_kinds[first, second]
    ]


def _body_references(
    sentences: list[tuple[int, int]], matches: list[EntityMatch], companies: _Companies
) -> list[tuple[int, list[_Reference]]]:
    """Return each body sentence that refers to a company, as (index, its references)."""
    references: list[_Reference] = []
    for match in matches:
        resolved = companies.company_of.get(match.entity_id)
        if resolved is not None:
            company_id, via = resolved
            references += [(start, end, company_id, via) for start, end, _ in match.mentions]
    references.sort()
    sentence_starts = [start for start, _ in sentences]
    grouped: list[tuple[int, list[_Reference]]] = []
    for reference in references:
        index = bisect_right(sentence_starts, reference[0]) - 1
        if index < 0 or reference[0] >= sentences[index][1]:
            continue
        if grouped and grouped[-1][0] == index:
            grouped[-1][1].append(reference)
        else:
            grouped.append((index, [reference]))
    return grouped


def _title_references(
    title: str, matches: list[EntityMatch], companies: _Companies
) -> list[_Reference]:
    """Return the title's company references, placed where their names occur in the title."""
    folded_title = title.casefold()
    references = []
    for match in matches:
        resolved = companies.company_of.get(match.entity_id)
        if not match.in_title or resolved is None:
            continue
        # Title spans are not given: look for any surface form seen in the body.
        start, end = len(title), len(title)
        for surface in {match.name, *(mention.text for mention in match.mentions)}:
            position = folded_title.find(surface.casefold())
            if position != -1 and position < start:
                start, end = position, position + len(surface)
        references.append((start, end, *resolved))
    references.sort()
    return references


def _relate_sentence(
    text: str,
    start: int,
    end: int,
    references: list[_Reference],
    rules: _LanguageRules,
    companies: _Companies,
    relationships: dict[tuple[RelationshipKind, str, str], RelationshipMatch],
    *,
    in_title: bool = False,
) -> None:
    """Add the relationships one sentence (or the title) states between its companies."""
    via_by_company: dict[int, Via] = {}
    for _, _, company_id, via in references:
        known = via_by_company.get(company_id)
        if known is None or via < known:
            via_by_company[company_id] = via
    if len(via_by_company) < 2:
        return
    sentence = _Sentence(text, start, end)
    phrases = rules.phrases.finditer(sentence)
    if any(list_name == _NEGATION_LIST for list_name, _ in phrases):
        return
    lists = _lists(text, references, rules)
    cues_by_kind = _find_cues(sentence, phrases, references, lists, rules)
    if not cues_by_kind:
        return
    topics = {list_name for list_name, _ in phrases if list_name in _TOPIC_LISTS}
    slugs, ancestors = companies.slugs, companies.ancestors
    # Lists beside which the sentence names another company.
    lists = [members for members in lists if via_by_company.keys() - members]
    for first_id, second_id in combinations(via_by_company, 2):
        # A subsidiary and its parent are one group, not partners or rivals.
        if first_id in ancestors[second_id] or second_id in ancestors[first_id]:
            continue
        # Companies listed together play one part, beside another company that plays the other.
        if any(first_id in listed and second_id in listed for listed in lists):
            continue
        if slugs[second_id] < slugs[first_id]:
            first_id, second_id = second_id, first_id
        pair_slugs = (slugs[first_id], slugs[second_id])
        first_weight = _REFERENCE_WEIGHT[via_by_company[first_id]]
        second_weight = _REFERENCE_WEIGHT[via_by_company[second_id]]
        for kind, cues in cues_by_kind.items():
            # Cues that name one side relate only the pairs they name.
            if cues.pairs and frozenset((first_id, second_id)) not in cues.pairs:
                continue
            relationship = relationships.setdefault(
                (kind, *pair_slugs), RelationshipMatch(kind, (first_id, second_id), pair_slugs)
            )
            relationship.topics = sorted({*relationship.topics, *topics})
            confidence = round(_CUE_WEIGHT[cues.strong] + first_weight + second_weight, 2)
            relationship.evidence.append(
                Evidence(
                    start,
                    end,
                    sentence.text,
                    cues.words,
                    confidence,
                    in_title=in_title,
                    strong=cues.strong,
                )
            )


def _lists(text: str, references: list[_Reference], rules: _LanguageRules) -> list[set[int]]:
    """Return the companies of each list in a sentence ("Microsoft, Google and Amazon").

    A list ends with a joining word: companies linked by commas alone may be an apposition
    or two clauses ("Under its deal with Microsoft, OpenAI will…").
    """
    lists: list[set[int]] = []
    chain: set[int] = set()
    for (_, previous_end, previous_id, _), (start, _, company_id, _) in pairwise(references):
        if previous_id == company_id:
            continue
        link = rules.list_link.fullmatch(text, previous_end, start)
        if link is None:
            chain = set()
            continue
        chain |= {previous_id, company_id}
        if link.group().strip(" ,\t\n\u00a0"):
            lists.append(chain)
            chain = set()
    return lists


def _find_cues(
    sentence: _Sentence,
    phrases: list[tuple[str, re.Match[str]]],
    references: list[_Reference],
    lists: list[set[int]],
    rules: _LanguageRules,
) -> dict[RelationshipKind, _Cues]:
    """Return the cue words of each relationship kind among a sentence's phrases."""
    cues_by_kind: dict[RelationshipKind, _Cues] = {}
    for list_name, match in phrases:
        if list_name == _EXCLUDED_LIST or list_name in _TOPIC_LISTS:
            continue
        pairs: frozenset[frozenset[int]] = frozenset()
        if list_name in _SIDED_CUE_LISTS:
            kind, strong = _SIDED_CUE_LISTS[list_name].kind, True
            words = [_cue_text(sentence, match)]
            pairs = _sided_pairs(sentence, match, references, lists, _SIDED_CUE_LISTS[list_name])
            if not pairs:
                continue
        elif list_name in (_BUY_LIST, _ACQUIRE_LIST):
            found = _classify_purchase(
                sentence, match, references, rules, acquire_word=list_name == _ACQUIRE_LIST
            )
            if found is None:
                continue
            kind, words, strong = found
        else:
            kind, strong = _CUE_LISTS[list_name]
            words = [_cue_text(sentence, match)]
        known = cues_by_kind.get(kind)
        if known is None:
            cues_by_kind[kind] = _Cues(words, strong, pairs)
        else:
            known.words.extend(word for word in words if word not in known.words)
            cues_by_kind[kind] = _Cues(known.words, known.strong or strong, known.pairs | pairs)
    # "deal", "accord" and the like belong to whatever more specific kind is present.
    partnership = cues_by_kind.get(RelationshipKind.PARTNERSHIP)
    if partnership is not None and not partnership.strong and len(cues_by_kind) > 1:
        del cues_by_kind[RelationshipKind.PARTNERSHIP]
    return cues_by_kind


def _sided_pairs(
    sentence: _Sentence,
    cue: re.Match[str],
    references: list[_Reference],
    lists: list[set[int]],
    side: _Side,
) -> frozenset[frozenset[int]]:
    """Return the pairs a sided cue relates: the company it names next to it, with the company
    nearest on its other side and that company's list, or every other company when the other
    side names none.

    When no company stands near enough the cue ("early customers of the new chip"), a list on
    the other side still plays its part beside the one other company named on that side: in
    "Nvidia's chief said Microsoft, Google and Amazon were early customers of the chip", each
    of the three with Nvidia. Otherwise the cue relates no pair.
    """
    # In the prepared sentence a phrase match starts at the space before the phrase.
    cue_start = sentence.start + cue.start()
    cue_end = sentence.start + cue.end() - 1
    before = [reference for reference in references if reference[1] <= cue_start]
    after = [reference for reference in references if reference[0] >= cue_end]
    named, other_side = (after, before[::-1]) if side.after else (before[::-1], after)
    listed = set()
    if other_side:
        nearest = other_side[0][2]
        listed = {nearest}.union(*(members for members in lists if nearest in members))
    if not named or named[0][3] is Via.ANAPHORA or not _near_cue(sentence, cue, named[0], side):
        others = {company for _, _, company, _ in other_side} - listed
        if len(listed) < 2 or len(others) != 1:
            return frozenset()
        named_id = others.pop()
        return frozenset(frozenset((named_id, other)) for other in listed)
    company_id = named[0][2]
    counterparts = listed or {other for _, _, other, _ in references}
    return frozenset(frozenset((company_id, other)) for other in counterparts - {company_id})


def _near_cue(sentence: _Sentence, cue: re.Match[str], named: _Reference, side: _Side) -> bool:
    """Tell whether the company a sided cue names stands close enough to it."""
    start, end, _, _ = named
    if side.after:
        gap = sentence.text[cue.end() - 1 : start - sentence.start]
        return len(gap.split()) <= _MAX_WORDS_TO_SIDE_AFTER
    gap = sentence.text[end - sentence.start : cue.start()]
    return len(gap.split()) <= _MAX_WORDS_TO_SIDE_BEFORE


def _classify_purchase(
    sentence: _Sentence,
    word: re.Match[str],
    references: list[_Reference],
    rules: _LanguageRules,
    *,
    acquire_word: bool,
) -> tuple[RelationshipKind, list[str], bool] | None:
    """Decide what a buying word means: goods from a supplier, a stake, or a whole company."""
    word_text = _cue_text(sentence, word)
    word_end = sentence.start + word.end() - 1
    # The first company after the buying word, and how the sentence refers to it.
    bought_start, bought_end, bought_via = next(
        ((start, end, via) for start, end, _, via in references if start >= word_end),
        (sentence.end, sentence.end, None),
    )
    # What lies between the buying word and the next company ("350,000 GPUs from"), in
    # the prepared sentence, where a phrase match starts at the space before its text offset.
    window_start = word_end - sentence.start
    window_end = bought_start - sentence.start + 1
    marker = rules.supplier_marker.search(sentence, window_start, window_end)
    if marker is not None:
        return RelationshipKind.SUPPLIER_CUSTOMER, [word_text, _cue_text(sentence, marker)], True
    if (
        bought_via is Via.PRODUCT
        or rules.names_goods(sentence, window_start, window_end)
        or (
            bought_via is not None
            and rules.goods_after_name.match(sentence, bought_end - sentence.start + 1)
        )
    ):
        return RelationshipKind.SUPPLIER_CUSTOMER, [word_text], True
    if rules.stake.search(sentence, window_start, window_end) is not None:
        return RelationshipKind.INVESTMENT, [word_text], False
    if (
        bought_via is Via.NAME
        and len(sentence.text[window_start : window_end - 1].split())
        <= _MAX_WORDS_BEFORE_BOUGHT_COMPANY
    ):
        return RelationshipKind.ACQUISITION, [word_text], True
    if acquire_word:
        return RelationshipKind.ACQUISITION, [word_text], False
    return None


def _cue_text(sentence: _Sentence, match: re.Match[str]) -> str:
    """Return a matched cue as reported: lower-case, single-spaced, straight apostrophes."""
    cue = sentence.text[match.start() : match.end() - 1].lower()
    return " ".join(straight_apostrophes(cue).split())
