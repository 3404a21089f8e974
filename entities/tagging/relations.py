"""Find relationships between companies named together in news sentences.

A sentence (the title counts as one) relates the distinct companies it refers to: a company
named outright, a person standing for the company they work for, a product standing for
its maker, or an opening pronoun ("They", "La société") standing for the previous
sentence's main company. Cue words (the lists in `data/*/relations/`, whose entry syntax
`data/README.md` describes) decide the kind of relationship; a negation or denial anywhere
in the sentence cancels it.

Which companies a cue relates is read from the sentence's structure, pair by pair:
- A sentence splits into clauses at semicolons and at words such as "while"; a relative
  clause ("Anthropic, which uses AWS chips,") is a clause about the company it follows. A
  company quoted as a source ("according to Canalys") takes no part.
- The companies of a list ("Microsoft, Google and Amazon") play one part. In a clause of
  two parts a cue relates one part to the other; with more, it relates the subject (the
  first company no preposition governs) to the company after the cue, or to every company
  of an enumeration after a colon. A cue followed by "with" ("partners with", "s'allie à")
  relates only a company named soon after that word.
- Some cues name one side of the relationship next to them: the supplier after "customers
  of", the acquirer after "bought by" or before "owner of", the customer before "as a
  customer". Such a cue relates only that company to the other side.
- Words of buying, using and making take their kind from what follows them: goods from a
  supplier, goods made for a customer, a stake, or a whole company.
- Over the whole story, a kind that only weak cues show for a pair gives way to a kind that
  strong cues show for the same pair.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from itertools import combinations, pairwise
from typing import NamedTuple, Protocol

from .lexicons import LANGUAGES, language_code, topics, word_list
from .text import (
    APOSTROPHE,
    APOSTROPHES,
    LOWER_CASE_LETTER,
    UPPER_CASE_LETTER,
    RegexTrie,
    split_sentences,
    straight_apostrophes,
)
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
# How far before the company a customer marker may come: "makes the panels for Samsung".
_MAX_WORDS_AFTER_CUSTOMER_MARKER = 2
# A model's name between a company's name and its goods: "'s Tensor", " MI300".
_MODEL_NAME = re.compile(rf"(?:{APOSTROPHE}s?)?\s+[{UPPER_CASE_LETTER}\d][\w-]*(?=\s)")
# How far after the company bought its business may be named: "Intel's smartphone modem
# business".
_MAX_WORDS_TO_BUSINESS = 3
# How far after its cue "with" may come: "a partnership signed early this year with".
_MAX_WORDS_BEFORE_WITH = 4
# How far after "with" the company must come: "with the Canadian AI chip start-up Tenstorrent".
_MAX_WORDS_AFTER_WITH = 6
# How far after "according to" a company is the quoted source: "according to research firm IDC".
_MAX_WORDS_AFTER_SOURCE = 3
# How far back, in characters, to look for a preposition or an "and with" before a company.
_PREPOSITION_WINDOW = 60
# Punctuation that ends the phrase a "with" opens, or a quoted source's name.
_CLAUSE_BREAK = re.compile(r"[,;.!?()]")
# Ownership chains are short; the cap only guards against a cycle in the data.
_MAX_PARENT_DEPTH = 16
_EXCLUDED_LIST = "excluded"
_BUY_LIST = "buy"
_ACQUIRE_LIST = "acquire"
_NEGATION_LIST = "negation"
_SOURCE_LIST = "source"
_USE_LIST = "use"
_MAKE_LIST = "make"
# Words whose meaning the goods or company after them decide (see `_classify_purchase`).
_PURCHASE_LISTS = frozenset({_BUY_LIST, _ACQUIRE_LIST, _USE_LIST, _MAKE_LIST})
_PARTNERS_AFTER_LIST = "partnership_of"
_TOPIC_LISTS = frozenset(topics())


# After a joining word: a space, or nothing after an elided one ("et d'Infinera").
_AFTER_LINK = rf"(?:\s+|(?<={APOSTROPHE}))"
# What "…" in a lexicon entry stands for: up to three words within the clause.
_WORD_GAP = r"(?:[^\s.;:!?]+\s+){0,3}?"
# Characters that can sit right before a word; phrase matching sees them as spaces, so
# every phrase pattern can start with a literal space (see `_PhraseMatcher`).
_WORD_SEPARATORS = APOSTROPHES + '([«“"/—\n\u00a0\u202f'


def _alternatives(entries: Iterable[str]) -> str:
    """Return a regex alternation of word-list entries, read in raw text, longest first."""
    return "|".join(
        "".join(_phrase_atoms(entry, apostrophe=APOSTROPHE))
        for entry in sorted(entries, key=len, reverse=True)
    )


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
        for position, character in enumerate(word.removesuffix("*")):
            # A leading hyphen joins the entry to the word before it ("Lenovo-owned").
            if character == "-" and (index or position):
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
    """A cue that names one side of its relationship: the company right after or before it.
    The other side is across the cue, or, for a cue in the possessive ("among Nvidia's
    customers"), beyond the named company."""

    kind: RelationshipKind
    after: bool
    beyond: bool = False
    # The company on the other side owns goods named right after it ("Google's Tensor chips
    # are manufactured by TSMC"), not merely stands before the cue.
    owns_goods: bool = False


# Strong cues whose company next to them is one side of the relationship.
_SIDED_CUE_LISTS = {
    "supplier_customer_supplier_after": _Side(RelationshipKind.SUPPLIER_CUSTOMER, after=True),
    "supplier_customer_supplier_before": _Side(RelationshipKind.SUPPLIER_CUSTOMER, after=False),
    "supplier_customer_customers_before": _Side(
        RelationshipKind.SUPPLIER_CUSTOMER, after=False, beyond=True
    ),
    "supplier_customer_customer_before": _Side(
        RelationshipKind.SUPPLIER_CUSTOMER, after=False, beyond=True
    ),
    "supplier_customer_goods_before": _Side(
        RelationshipKind.SUPPLIER_CUSTOMER, after=True, owns_goods=True
    ),
    "acquisition_acquirer_after": _Side(RelationshipKind.ACQUISITION, after=True),
    "acquisition_acquirer_before": _Side(RelationshipKind.ACQUISITION, after=False),
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
                _PARTNERS_AFTER_LIST: entries("partnership_of"),
                _BUY_LIST: entries("buy"),
                _ACQUIRE_LIST: entries("acquire"),
                **{cue_list: entries(cue_list) for cue_list in _CUE_LISTS},
                # After the cues that start with them ("construit avec", "built with").
                _USE_LIST: entries("use"),
                _MAKE_LIST: entries("make"),
                _NEGATION_LIST: entries("negations"),
                _SOURCE_LIST: entries("sources"),
                **{topic: word_list(f"topics/{topic}", languages) for topic in topics()},
            }
        )
        self.supplier_marker = _PhraseMatcher({"marker": entries("supplier_markers")})
        self.customer_marker = _PhraseMatcher({"marker": entries("customer_markers")})
        self.business_unit = _PhraseMatcher({"business": entries("business_units")})
        goods = {"goods": entries("goods")}
        self.goods = _PhraseMatcher(goods)
        self.goods_of = _PhraseMatcher({"of": entries("goods_of")})
        # "Nvidia chips", "Nvidia's GPUs": goods right after a company's name.
        self.goods_after_name = _PhraseMatcher(goods, prefix="(?: s)?")
        # "chip designer Arm" names a company, not chips.
        self.company_role = _PhraseMatcher({"role": entries("company_roles")})
        self.stake = _PhraseMatcher({"stake": entries("stakes")})
        # What may stand between two companies of one list: a comma, a joining word, or both.
        links = _alternatives(entries("list_links"))
        # After a joining word, an article and a lower-case word may describe the next
        # company ("et le britannique Nscale"); not after a comma alone, nor without the
        # article, where they would start a clause (", which", "et compte désormais").
        articles = _alternatives(entries("articles"))
        self.list_link = re.compile(
            rf"\s*,?\s*(?i:{links}){_AFTER_LINK}"
            rf"(?:(?i:{articles}){_AFTER_LINK}[{LOWER_CASE_LETTER}][\w{APOSTROPHES}-]*\s+)?"
            r"|\s*,\s*"
        )
        # The raw text around a cue or a company is read with these, so they read apostrophes.
        with_words = _alternatives(entries("with"))
        # "partners with", "s'allie à": the cue's other side follows these words.
        self.with_after_cue = re.compile(
            rf"(?P<gap>(?:\s+[^\s,;:.!?]+){{0,{_MAX_WORDS_BEFORE_WITH}}}?)\s+(?:{with_words})(?!\w)",
            re.I,
        )
        # "provide … to", "merged with", "face à": a cue that ends with a preposition needs
        # the company it governs right after it.
        prepositions = _alternatives(entries("prepositions"))
        self.with_ending_cue = re.compile(rf"(?<!\w)(?:{with_words}|{prepositions})$", re.I)
        self.with_word = re.compile(rf"(?<!\w)(?:{with_words})(?!\w)", re.I)
        self.clause_break = re.compile(
            rf";|(?<!\w)(?:{_alternatives(entries('clause_breaks'))})(?!\w)", re.I
        )
        # Checked right before each company's name: "after Nvidia invested".
        self.clause_opener = re.compile(
            rf"(?<!\w)(?:{_alternatives(entries('clause_openers'))})\s+$", re.I
        )
        relative = _alternatives(entries("relative_pronouns"))
        self.relative_pronoun = re.compile(rf"(?<!\w)(?:{relative})(?!\w)", re.I)
        # "Anthropic, which uses": a relative clause that opens right after a company.
        self.relative_opening = re.compile(rf"\s*,?\s*(?:{relative})(?!\w)", re.I)
        self.object_pronoun = re.compile(
            rf"\s+(?:{_alternatives(entries('object_pronouns'))})(?!\w)", re.I
        )
        self.between = re.compile(rf"\s+(?:{_alternatives(entries('between'))})\s", re.I)
        # "…, and with Preferred Networks": a further company on a cue's other side.
        self.and_with = re.compile(
            rf"(?<!\w)(?:{links})\s+(?:{with_words})\s+(?:[^\s,;:.]+\s+){{0,3}}$", re.I
        )
        # "makes phones for Motorola", "face à Apple": a company that is not a subject.
        self.after_preposition = re.compile(
            rf"(?<![\w-])(?:{prepositions})\s+"
            r"(?:[^\s,;:.()\[\]—–]+\s+){0,2}$",
            re.I,
        )
        # Checked on the raw text at each sentence start, so it reads apostrophes itself.
        openers = sorted(entries("anaphora_openers"), key=len, reverse=True)
        self.anaphora = re.compile(
            r"[\W_]*(?:"
            + "|".join("".join(_phrase_atoms(entry, apostrophe=APOSTROPHE)) for entry in openers)
            + r")(?!\w)",
            re.IGNORECASE,
        )

    def names_business(self, sentence: _Sentence, start: int, company_end: int) -> bool:
        """Tell whether a business is bought: named between a buying word and the company
        ("l'activité de capteurs de NXP"), or a few words after it ("Intel's modem business").
        """
        end = company_end
        for _ in range(_MAX_WORDS_TO_BUSINESS + 1):
            end = sentence.folded.find(" ", end + 1)
            if end == -1:
                end = len(sentence.folded)
                break
        return self.business_unit.search(sentence, start, end) is not None

    def owns_goods(self, sentence: _Sentence, reference: _Reference) -> bool:
        """Tell whether goods of a company are named next to its name: "Google's Tensor
        chips", or, in French, "les puces d'Apple"."""
        start, end, _, _ = reference
        window_start = max(0, start - sentence.start - _PREPOSITION_WINDOW)
        return self.names_goods_after(sentence, end) or self.names_goods_of(
            sentence, window_start, start - sentence.start + 1
        )

    def names_goods_after(self, sentence: _Sentence, company_end: int) -> bool:
        """Tell whether goods follow a company's name, maybe after a model name ("Google's
        Tensor chips", "AMD's MI300 accelerators", "Nvidia GPUs")."""
        model = _MODEL_NAME.match(sentence.text, company_end - sentence.start)
        # In the prepared sentence, index i + 1 is index i of the sentence.
        position = (model.end() if model else company_end - sentence.start) + 1
        return self.goods_after_name.match(sentence, position) is not None

    def names_goods_of(self, sentence: _Sentence, start: int, end: int) -> bool:
        """Tell whether a stretch of the prepared sentence ends with goods and the word that
        gives them to the company after it ("les puces de", "the chips of")."""
        _, of = next(reversed(self.goods_of.finditer(sentence, start, end)), (None, None))
        return (
            of is not None
            and not sentence.folded[of.end() : end].strip()
            and self.names_goods(sentence, start, of.start())
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
    # The references of each sentence that names a company, and the company it is mainly
    # about (see `_main_company`), worked out only when a pronoun asks for it.
    references_of: dict[int, list[_Reference]] = {}
    main_companies: dict[int, int | None] = {}

    def main_company(index: int) -> int | None:
        if index not in main_companies and index in references_of:
            start = sentences[index][0]
            main_companies[index] = _main_company(text, start, references_of[index], rules)
        return main_companies.get(index)

    for index, references in _body_references(sentences, matches, companies):
        start, end = sentences[index]
        references_of[index] = references
        only_company = references[0][2]
        if all(company_id == only_company for _, _, company_id, _ in references):
            # Relating needs a second company: an opening pronoun may stand for one.
            if not rules.anaphora.match(text, start, end):
                continue
            antecedent = main_company(index - 1)
            if index - 1 not in references_of:
                antecedent = main_company(index - 2)
            if antecedent in (None, only_company):
                continue
            # The pronoun opens the sentence, so its company is the sentence's subject.
            main_companies[index] = antecedent
            references = [(start, start, antecedent, Via.ANAPHORA), *references]
        _relate_sentence(text, start, end, references, rules, companies, relationships)

    return [relationships[key] for key in sorted(_decided_per_pair(relationships))]


def _main_company(
    text: str, start: int, references: list[_Reference], rules: _LanguageRules
) -> int | None:
    """Return the company a sentence is mainly about: the first one it names that no
    preposition governs ("Le groupe a conclu un partenariat avec Nvidia" is not about
    Nvidia), or None."""
    for ref_start, _, company_id, _ in references:
        window_start = max(start, ref_start - _PREPOSITION_WINDOW)
        if not rules.after_preposition.search(text, window_start, ref_start):
            return company_id
    return None


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
    if len({company_id for _, _, company_id, _ in references}) < 2:
        return
    sentence = _Sentence(text, start, end)
    phrases = rules.phrases.finditer(sentence)
    if any(list_name == _NEGATION_LIST for list_name, _ in phrases) or not any(
        list_name in _CUE_NAMES for list_name, _ in phrases
    ):
        return
    references = _parties(sentence, phrases, references)
    phrases = [
        (list_name, match)
        for list_name, match in phrases
        if list_name in _TOPIC_LISTS
        or (
            list_name in _CUE_NAMES
            and not _in_a_name(sentence, match, references, in_title=in_title)
        )
    ]
    # The cue words and strength each cue gives a (kind, pair of company ids).
    found: dict[tuple[RelationshipKind, frozenset[int]], _PairCues] = {}
    for clause in _clauses(text, sentence, references, rules):
        for list_name, match in phrases:
            if not clause.contains(sentence.start + match.start()):
                continue
            cue = _cue(clause, list_name, match)
            if cue is None:
                continue
            kind, words, strong, pairs = cue
            for pair in pairs:
                known = found.setdefault((kind, pair), _PairCues([], strong=False))
                known.words.extend(word for word in words if word not in known.words)
                known.strong = known.strong or strong
    if not found:
        return
    kinds_of_pair: dict[frozenset[int], set[RelationshipKind]] = defaultdict(set)
    for kind, pair in found:
        kinds_of_pair[pair].add(kind)
    topics = sorted({list_name for list_name, _ in phrases if list_name in _TOPIC_LISTS})
    via_by_company: dict[int, Via] = {}
    for _, _, company_id, via in references:
        via_by_company[company_id] = min(via, via_by_company.get(company_id, via))
    slugs, ancestors = companies.slugs, companies.ancestors
    for (kind, pair), cues in found.items():
        # "deal", "accord" and the like belong to whatever more specific kind the pair has.
        if (
            kind is RelationshipKind.PARTNERSHIP
            and not cues.strong
            and len(kinds_of_pair[pair]) > 1
        ):
            continue
        first_id, second_id = sorted(pair, key=slugs.__getitem__)
        # A subsidiary and its parent are one group, not partners or rivals; it may still
        # supply the other, or have been bought by it.
        if kind in _MUTUAL and (
            first_id in ancestors[second_id] or second_id in ancestors[first_id]
        ):
            continue
        pair_slugs = (slugs[first_id], slugs[second_id])
        relationship = relationships.setdefault(
            (kind, *pair_slugs), RelationshipMatch(kind, (first_id, second_id), pair_slugs)
        )
        relationship.topics = sorted({*relationship.topics, *topics})
        confidence = round(
            _CUE_WEIGHT[cues.strong]
            + _REFERENCE_WEIGHT[via_by_company[first_id]]
            + _REFERENCE_WEIGHT[via_by_company[second_id]],
            2,
        )
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


@dataclass(slots=True)
class _PairCues:
    """The cue words that relate one pair of companies with one kind, in one sentence."""

    words: list[str]
    strong: bool


# The phrase lists whose phrases may relate companies.
_CUE_NAMES = frozenset({*_CUE_LISTS, *_SIDED_CUE_LISTS, *_PURCHASE_LISTS, _PARTNERS_AFTER_LIST})
# Kinds whose two sides play the same part, and never hold between a company and its
# parent or subsidiary.
_MUTUAL = frozenset({RelationshipKind.PARTNERSHIP, RelationshipKind.COMPETITION})


def _in_a_name(
    sentence: _Sentence, match: re.Match[str], references: list[_Reference], *, in_title: bool
) -> bool:
    """Tell whether a phrase is part of a name rather than a cue: inside a company's name, or
    capitalised after a capitalised word in the body ("IRDI Capital Investissement",
    "Silver Lake Partners"); titles capitalise every word."""
    start = sentence.start + match.start()
    end = sentence.start + match.end() - 1
    if any(ref_start < end and start < ref_end for ref_start, ref_end, _, _ in references):
        return True
    if in_title or not sentence.text[match.start() : match.start() + 1].isupper():
        return False
    previous = sentence.text[: match.start()].split()
    return bool(previous) and previous[-1][0].isupper() and previous[-1][-1].isalnum()


def _parties(
    sentence: _Sentence, phrases: list[tuple[str, re.Match[str]]], references: list[_Reference]
) -> list[_Reference]:
    """Return the references to companies that take part in what the sentence relates: not
    a source it quotes ("according to Canalys", "an analyst at TrendForce")."""
    sources = [match.end() - 1 for list_name, match in phrases if list_name == _SOURCE_LIST]
    if not sources:
        return references
    return [
        reference
        for reference in references
        if not any(
            source <= reference[0] - sentence.start
            and _names_source(sentence.text[source : reference[0] - sentence.start])
            for source in sources
        )
    ]


def _names_source(gap: str) -> bool:
    """Tell whether the words between a source word and a company make it the source."""
    return len(gap.split()) <= _MAX_WORDS_AFTER_SOURCE and not _CLAUSE_BREAK.search(gap)


def _clauses(
    text: str, sentence: _Sentence, references: list[_Reference], rules: _LanguageRules
) -> list[_Clause]:
    """Split a sentence at its semicolons and at the words that start a clause with its own
    subject ("while", "tandis que", "after" right before a company's name): each joins
    statements about different companies. A
    relative clause ("Anthropic, which uses AWS chips,") is a clause of its own too, about
    the company it follows.

    After a colon, the clauses are the items of an enumeration about what comes before the
    colon ("OpenAI signed a series of deals: Nvidia will invest …; AMD will supply …"): each
    item then relates its companies to those named before the colon too. Otherwise a clause
    that names one company may speak of the previous clause's subject too ("Meta sells
    headsets, while its rival Apple sells the Vision Pro").
    """
    breaks = sorted(
        [
            *(
                sentence.start + match.start()
                for match in rules.clause_break.finditer(sentence.text)
            ),
            *(
                opener.start()
                for start, _, _, _ in references
                if (
                    opener := rules.clause_opener.search(
                        text, max(sentence.start, start - 20), start
                    )
                )
            ),
        ]
    )
    inside: list[list[_Reference]] = [[] for _ in range(len(breaks) + 1)]
    for reference in references:
        inside[bisect_right(breaks, reference[0])].append(reference)
    if breaks:
        colon = sentence.text.find(":", 0, breaks[0] - sentence.start)
        if colon != -1:
            topic = [ref for ref in inside[0] if ref[0] < sentence.start + colon]
            inside[1:] = [[*topic, *item] for item in inside[1:]]
        else:
            for index in range(1, len(inside)):
                if len({company_id for _, _, company_id, _ in inside[index]}) == 1:
                    subject = _subject_references(text, inside[index - 1], rules)
                    inside[index] = [*subject, *inside[index]]
    clauses = []
    for (start, end), clause_references in zip(
        pairwise([sentence.start - 1, *breaks, sentence.end]), inside, strict=True
    ):
        clauses += _with_relative_clauses(text, sentence, start + 1, end, clause_references, rules)
    return [
        clause
        for clause in clauses
        if len({company_id for _, _, company_id, _ in clause.references}) >= 2
    ]


def _subject_references(
    text: str, references: list[_Reference], rules: _LanguageRules
) -> list[_Reference]:
    """Return the references to a clause's subject: its first company no preposition
    governs, with the list it starts."""
    lists = _lists(text, references, rules)
    for index, (start, _, _, _) in enumerate(references):
        if rules.after_preposition.search(text, max(0, start - _PREPOSITION_WINDOW), start):
            continue
        last = next((last for first, last, _ in lists if first == index), index)
        return references[index : last + 1]
    return []


def _with_relative_clauses(
    text: str,
    sentence: _Sentence,
    start: int,
    end: int,
    references: list[_Reference],
    rules: _LanguageRules,
) -> list[_Clause]:
    """Return a clause, less its relative clauses, and each relative clause with the company
    it follows: "Ubisoft, dont Tencent est le premier actionnaire, concurrence EA" makes
    "Ubisoft … concurrence EA" and "Ubisoft, dont Tencent est le premier actionnaire".

    A relative clause opens right after a company's name and ends at the next punctuation,
    or after a list it starts ("which supplies Apple, Google and Amazon").
    """
    holes: list[tuple[int, int]] = []
    relatives: list[_Clause] = []
    lists = None
    # Most clauses hold no relative pronoun: one search rules them out.
    if not rules.relative_pronoun.search(text, start, end):
        return [_Clause(text, sentence, start, end, references, rules)]
    for antecedent in references:
        if holes and antecedent[0] < holes[-1][1]:
            continue
        opening = rules.relative_opening.match(text, antecedent[1], end)
        if opening is None:
            continue
        if lists is None:
            lists = _lists(text, references, rules)
        hole_end = _phrase_end(text, opening.end(), end)
        for first, last, _ in lists:
            if opening.end() <= references[first][0] < hole_end <= references[last][0]:
                hole_end = _phrase_end(text, references[last][1], end)
        members = [ref for ref in references if opening.end() <= ref[0] < hole_end]
        holes.append((opening.start(), hole_end))
        relatives.append(
            _Clause(text, sentence, opening.start(), hole_end, [antecedent, *members], rules)
        )
    if not holes:
        return [_Clause(text, sentence, start, end, references, rules)]
    rest = [ref for ref in references if not any(a <= ref[0] < b for a, b in holes)]
    return [_Clause(text, sentence, start, end, rest, rules, holes=holes), *relatives]


def _phrase_end(text: str, start: int, end: int) -> int:
    """Return where the phrase that runs from start ends: at its punctuation, or at end."""
    found = _CLAUSE_BREAK.search(text, start, end)
    return found.start() if found else end


def _pairs_across(first: Iterable[int], second: Iterable[int]) -> set[frozenset[int]]:
    """Return every pair of a company on one side with a different company on the other."""
    return {frozenset((one, other)) for one in first for other in second if one != other}


def _pairs_within(companies: Iterable[int]) -> set[frozenset[int]]:
    """Return every pair of the companies."""
    return {frozenset(pair) for pair in combinations(set(companies), 2)}


class _Clause:
    """A sentence, or one of its clauses (see `_clauses`), with the companies it refers to.

    The companies of a list ("Microsoft, Google and Amazon") play one part in it, and each
    other company plays its own part. A cue relates the parts around it: see `related_by`.
    """

    __slots__ = (
        "end",
        "holes",
        "lists",
        "part_count",
        "parts",
        "references",
        "rules",
        "sentence",
        "start",
        "text",
    )

    def __init__(
        self,
        text: str,
        sentence: _Sentence,
        start: int,
        end: int,
        references: list[_Reference],
        rules: _LanguageRules,
        *,
        holes: Iterable[tuple[int, int]] = (),
    ) -> None:
        self.text = text
        self.sentence = sentence
        self.start = start
        self.end = end
        # Stretches of the clause that are clauses of their own (relative clauses).
        self.holes = list(holes)
        self.references = references
        self.rules = rules
        self.lists = _lists(text, references, rules)
        # The companies of the part each reference plays.
        self.parts = [frozenset((company_id,)) for _, _, company_id, _ in references]
        for first, last, members in self.lists:
            self.parts[first : last + 1] = [members] * (last + 1 - first)
        listed = frozenset().union(*(members for _, _, members in self.lists))
        self.part_count = len({part for part in self.parts if len(part) > 1 or not part <= listed})

    def contains(self, position: int) -> bool:
        """Tell whether a position of the text is in this clause, not in one of its holes."""
        return self.start <= position < self.end and not any(
            start <= position < end for start, end in self.holes
        )

    def related_by(
        self, cue_start: int, cue_end: int, *, mutual: bool = False
    ) -> set[frozenset[int]]:
        """Return the pairs a cue between two offsets relates.

        With "with" after the cue, see `_related_with`. Otherwise, with two parts in the
        clause, the cue relates each company of one part to each of the other (when one of
        them comes before the cue), unless it is
        mutual (partners, rivals) and its subject is a list the other part does not stand
        next to ("Qualcomm and MediaTek compete for orders from Xiaomi"); with one part,
        a list, it relates the list's companies with each other, unless the list is what a
        preposition governs ("indispensables à TSMC, Samsung ou Intel"). With three parts or
        more, it relates the subject (the first company before the cue that no preposition
        governs) to the company after the cue, or, after a colon, to every company of the
        enumeration.
        """
        references = self.references
        before = [index for index, reference in enumerate(references) if reference[1] <= cue_start]
        after = [index for index, reference in enumerate(references) if reference[0] >= cue_end]
        if after and self.rules.between.match(self.text, cue_end, self.end):
            return self.partners_after(after[0])
        companion = self._with(cue_start, cue_end)
        # A "with" a few words on may belong to another phrase ("supplies it with displays").
        if companion is not None and (
            companion.direct or (after and self._soon_after(companion.end, after[0]))
        ):
            return self._related_with(cue_start, companion, before, after)
        if self.part_count == 1:
            if self._subject([0]) is None:
                return set()
            return _pairs_within(company_id for _, _, company_id, _ in references)
        if self.part_count == 2:
            # A cue before both parts has no subject ("lève 8 millions auprès de Kima
            # Ventures, le fonds de Xavier Niel"), unless a partnership or a rivalry is what
            # the sentence is about ("The partnership … : EssilorLuxottica said … and Meta…").
            if not before and (not mutual or self._subject(range(len(references))) is None):
                return set()
            subject = self._subject(before)
            if (
                mutual
                and subject is not None
                and len(self.parts[subject]) > 1
                and not self._beside_cue(cue_start, cue_end, before, after)
            ):
                return _pairs_within(self.parts[subject])
            return {
                pair
                for pair in _pairs_within(company_id for _, _, company_id, _ in references)
                if not any(pair <= members for _, _, members in self.lists)
            }
        subject = self._subject(before)
        if subject is None:
            return set()
        if not after:
            return _pairs_within(self.parts[subject])
        return _pairs_across(self.parts[subject], self._objects(cue_end, after))

    def _related_with(
        self, cue_start: int, companion: _With, before: list[int], after: list[int]
    ) -> set[frozenset[int]]:
        """Return the pairs a cue with "with" after it relates ("partners with", "s'allie à",
        "a partnership signed last year with"): its subject and the company named soon after
        "with", and nothing when none is ("cooperate with the authorities").

        The phrase may open the clause ("Face à Electronic Arts, Ubisoft reste", "In
        partnership with Google, Samsung"); and in a clause of two parts, the other part
        before the cue is the subject even when a preposition governs it ("fonctions
        développées en partenariat avec Google" after "One UI 8").
        """
        references = self.references
        if before and self.rules.object_pronoun.match(self.text, companion.end, self.end):
            # "Rapidus must compete with them": the nearest company, and those before it.
            nearest = self.parts[before[-1]]
            others = {references[index][2] for index in before} - nearest
            return _pairs_across(nearest, others) if others else _pairs_within(nearest)
        if not after or not self._soon_after(companion.end, after[0]):
            return set()
        if self._goods_follow(after[0]):
            return set()
        objects = self._objects(companion.end, after)
        subject = self._subject(index for index in before if references[index][2] not in objects)
        if subject is None and companion.direct:
            if not before and len(self.text[self.start : cue_start].split()) <= 1:
                # The phrase opens the clause; its subject follows the comma that closes it.
                comma = self.text.find(",", companion.end, self.end)
                subject = self._subject(
                    index
                    for index in after
                    if references[index][2] not in objects and references[index][0] > comma > -1
                )
            elif before and self.part_count == 2:
                others = {references[index][2] for index in before} - objects
                return _pairs_across(others, objects)
        return _pairs_across(self.parts[subject], objects) if subject is not None else set()

    def partners_before(self, cue_start: int) -> set[frozenset[int]]:
        """Return the pairs of the list that is the subject before a cue, or none."""
        before = [
            index for index, reference in enumerate(self.references) if reference[1] <= cue_start
        ]
        subject = self._subject(before)
        return _pairs_within(self.parts[subject]) if subject is not None else set()

    def partners_after(self, index: int) -> set[frozenset[int]]:
        """Return the pairs of the list a reference starts, each other's partners or rivals
        ("the alliance between A and B", "la co-entreprise d'Orange et de Capgemini")."""
        return _pairs_within(self.parts[index])

    def _beside_cue(
        self, cue_start: int, cue_end: int, before: list[int], after: list[int]
    ) -> bool:
        """Tell whether a company stands right next to a cue: "Nvidia's partners", "rivals
        of Huawei"."""
        references = self.references
        return bool(
            (after and len(self.text[cue_end : references[after[0]][0]].split()) <= 1)
            or (before and _OWNER_OF_CUE.fullmatch(self.text, references[before[-1]][1], cue_start))
        )

    def _with(self, cue_start: int, cue_end: int) -> _With | None:
        """Return the "with" that ends a cue or follows it within a few words, or None."""
        if self.rules.with_ending_cue.search(self.text, cue_start, cue_end):
            return _With(cue_end, direct=True)
        following = self.rules.with_after_cue.match(self.text, cue_end, self.end)
        if following is None:
            return None
        return _With(following.end(), direct=not following.group("gap"))

    def _soon_after(self, position: int, index: int) -> bool:
        """Tell whether a reference follows a position within a few words of one phrase,
        with no other "with" between ("un partenariat avec l'AFP et un accord avec")."""
        gap = self.text[position : self.references[index][0]]
        return (
            len(gap.split()) <= _MAX_WORDS_AFTER_WITH
            and not _CLAUSE_BREAK.search(gap)
            and not self.rules.with_word.search(gap)
        )

    def _goods_follow(self, index: int) -> bool:
        """Tell whether goods follow a company's name ("built with TSMC's process", "built
        with Nvidia's Blackwell chips")."""
        references = self.references
        while self._possesses_next(index) and references[index + 1][2] == references[index][2]:
            index += 1
        end = references[index][1]
        return (
            references[index][3] is Via.PRODUCT
            or self.rules.goods_after_name.match(self.sentence, end - self.sentence.start + 1)
            is not None
        )

    def _possesses_next(self, index: int) -> bool:
        """Tell whether a company owns the next one named ("Alphabet's Waymo")."""
        references = self.references
        return index + 1 < len(references) and bool(
            _POSSESSIVE.fullmatch(self.text, references[index][1], references[index + 1][0])
        )

    def _subject(self, candidates: Iterable[int]) -> int | None:
        """Return the first reference among candidates that no preposition governs, and
        that is no owner of the next one ("Alphabet's Waymo competes"), or None."""
        candidates = list(candidates)
        for index in candidates:
            # A list's companies are its first one's part.
            if any(first < index <= last for first, last, _ in self.lists):
                continue
            if index + 1 in candidates and self._possesses_next(index):
                continue
            start = self.references[index][0]
            window_start = max(self.start, start - _PREPOSITION_WINDOW)
            if not self.rules.after_preposition.search(self.text, window_start, start):
                return index
        return None

    def _objects(self, cue_end: int, after: list[int]) -> set[int]:
        """Return the companies on a cue's far side: the first company after it and its list,
        those after a colon that opens an enumeration ("three partners: A for …, B for …"),
        and those a further "and with" brings in."""
        references = self.references
        colon = self.text.find(":", cue_end, references[after[0]][0])
        if colon != -1:
            return {company_id for start, _, company_id, _ in references if start > colon}
        objects = set(self.parts[after[0]])
        for previous, index in pairwise(after):
            gap_start = max(references[previous][1], references[index][0] - _PREPOSITION_WINDOW)
            if self.rules.and_with.search(self.text, gap_start, references[index][0]):
                objects |= self.parts[index]
        return objects


# Between a company and a cue it owns: "Nvidia's partners", "Apple's biggest rival".
_OWNER_OF_CUE = re.compile(rf"{APOSTROPHE}s?(?:\s+\S+){{0,2}}\s+")
# Between an owner and what it owns: "Alphabet's Waymo", "Nvidia's Blackwell", or its
# backer and what it backs: "Lenovo-owned Motorola", "Microsoft-backed OpenAI".
_POSSESSIVE = re.compile(rf"(?:{APOSTROPHE}s?|-\w+)\s+")


class _With(NamedTuple):
    """The "with" of a cue ("partners with"): where it ends, and whether it follows the cue
    right away rather than a few words later ("a partnership signed last year with")."""

    end: int
    direct: bool


def _lists(
    text: str, references: list[_Reference], rules: _LanguageRules
) -> list[tuple[int, int, frozenset[int]]]:
    """Return each list of companies in a clause ("Microsoft, Google and Amazon") as the
    indexes of its first and last references, and its companies.

    A list ends with a joining word: companies linked by commas alone may be an apposition
    or two clauses ("Under its deal with Microsoft, OpenAI will…").
    """
    lists: list[tuple[int, int, frozenset[int]]] = []
    chain: set[int] = set()
    chain_start = 0
    for index in range(1, len(references)):
        _, previous_end, previous_id, _ = references[index - 1]
        start, _, company_id, _ = references[index]
        if previous_id == company_id:
            continue
        link = rules.list_link.fullmatch(text, previous_end, start)
        if link is None:
            chain = set()
            continue
        if not chain:
            chain_start = index - 1
        chain |= {previous_id, company_id}
        if link.group().strip(" ,\t\n\u00a0"):
            lists.append((chain_start, index, frozenset(chain)))
            chain = set()
    return lists


def _cue(
    clause: _Clause, list_name: str, match: re.Match[str]
) -> tuple[RelationshipKind, list[str], bool, set[frozenset[int]]] | None:
    """Return what a phrase of a clause says: its kind, its cue words, whether it is strong,
    and the pairs of companies it relates; or None when it is no cue there."""
    if list_name in (_EXCLUDED_LIST, _NEGATION_LIST, _SOURCE_LIST) or list_name in _TOPIC_LISTS:
        return None
    sentence = clause.sentence
    # In the prepared sentence a phrase match starts at the space before the phrase.
    cue_start = sentence.start + match.start()
    cue_end = sentence.start + match.end() - 1
    if list_name in _SIDED_CUE_LISTS:
        side = _SIDED_CUE_LISTS[list_name]
        lists = [members for _, _, members in clause.lists]
        pairs = _sided_pairs(sentence, match, clause.references, lists, side, clause.rules)
        return side.kind, [_cue_text(sentence, match)], True, set(pairs)
    if list_name in _PURCHASE_LISTS:
        found = _classify_purchase(sentence, match, clause.references, clause.rules, list_name)
        if found is None:
            return None
        kind, words, strong = found
        # What is bought, used or made for is the company right after the word; the other
        # side comes before it ("Qualcomm used its Snapdragon Summit to…" relates nothing).
        bought = next(
            (
                clause.parts[index]
                for index, (start, _, _, _) in enumerate(clause.references)
                if start >= cue_end
            ),
            None,
        )
        if bought is None:
            return None
        before = {company for _, end, company, _ in clause.references if end <= cue_start}
        pairs = {
            pair
            for pair in clause.related_by(cue_start, cue_end)
            if pair & bought and pair - bought <= before
        }
        return kind, words, strong, pairs
    elif list_name == _PARTNERS_AFTER_LIST:
        after = [i for i, reference in enumerate(clause.references) if reference[0] >= cue_end]
        pairs = clause.partners_after(after[0]) if after else set()
        if not pairs:
            # "Bouygues Telecom, Free et Orange ont déposé une offre commune".
            pairs = clause.partners_before(cue_start)
        return RelationshipKind.PARTNERSHIP, [_cue_text(sentence, match)], True, pairs
    else:
        kind, strong = _CUE_LISTS[list_name]
        words = [_cue_text(sentence, match)]
        if kind is RelationshipKind.INVESTMENT and _names_majority(clause, match):
            kind = RelationshipKind.ACQUISITION
    return kind, words, strong, clause.related_by(cue_start, cue_end, mutual=kind in _MUTUAL)


# A share of a company right before or after a stake cue ("a 60% stake", "une participation
# de 51 %"); more than half of it is an acquisition.
_SHARE = re.compile(r"(?<![\d.,])(\d{1,3})(?:[.,]\d+)?\s?(?:%|per\s?cent|percent|pour\s?cent)")
# How far from a stake its share may be named: "a 60% stake", "une participation de 51 %".
_SHARE_WINDOW = 15


def _names_majority(clause: _Clause, cue: re.Match[str]) -> bool:
    """Tell whether a stake cue names a majority share right next to it ("took a 60% stake
    in"), not any share in the sentence ("shares rose 60% after Nvidia invested")."""
    sentence = clause.sentence
    if clause.rules.stake.search(sentence, cue.start(), cue.end()) is None:
        return False
    start = max(0, cue.start() - _SHARE_WINDOW)
    window = sentence.text[start : cue.end() - 1 + _SHARE_WINDOW]
    return any(int(share) > 50 for share in _SHARE.findall(window))


def _sided_pairs(
    sentence: _Sentence,
    cue: re.Match[str],
    references: list[_Reference],
    lists: list[set[int]],
    side: _Side,
    rules: _LanguageRules,
) -> frozenset[frozenset[int]]:
    """Return the pairs a sided cue relates: the company it names next to it, with the company
    nearest on its other side and that company's list (unless the cue is in apposition to
    that company), or, when the other side names none, with the companies beyond the named
    one. A cue about goods relates only the company whose goods are named before it.

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
    if side.beyond:
        # "TSMC's largest customer, Apple, …": a company in apposition right after the cue.
        other_side = [
            reference
            for reference in after[:1]
            if _APPOSITION.fullmatch(sentence.text, cue.end() - 1, reference[0] - sentence.start)
        ]
    if side.owns_goods and not (other_side and rules.owns_goods(sentence, other_side[0])):
        return frozenset()
    listed = set()
    if other_side:
        nearest = other_side[0][2]
        listed = {nearest}
        # "Abridge et Nuance, racheté par Microsoft": an apposition is about one company.
        if not (
            side.after
            and _APPOSITION.fullmatch(sentence.text, other_side[0][1] - sentence.start, cue.start())
        ):
            listed = listed.union(*(members for members in lists if nearest in members))
    if not named or named[0][3] is Via.ANAPHORA or not _near_cue(sentence, cue, named[0], side):
        others = {company for _, _, company, _ in other_side} - listed
        if len(listed) < 2 or len(others) != 1:
            return frozenset()
        named_id = others.pop()
        return frozenset(frozenset((named_id, other)) for other in listed)
    company_id = named[0][2]
    counterparts = listed
    if side.owns_goods:
        # "used by Microsoft and Meta": each company of the list the cue names.
        named_ids = {company_id}.union(*(members for members in lists if company_id in members))
        return frozenset(_pairs_across(named_ids, counterparts))
    if not counterparts:
        # Nothing on the other side: the companies beyond the named one play that part
        # ("Customers of Nvidia include Microsoft", "ByteDance is one of Nvidia's largest
        # customers"), unless listed with it ("Murata et TDK, propriétaire de …").
        own_lists = set().union(*(members for members in lists if company_id in members))
        counterparts = {other for _, _, other, _ in named[1:]} - own_lists
    return frozenset(frozenset((company_id, other)) for other in counterparts - {company_id})


# A comma and at most one word between a company and a cue: the cue describes that company
# alone ("Nuance, racheté par Microsoft", "3DS Outscale, la filiale de Dassault Systèmes").
_APPOSITION = re.compile(rf"\s*,\s*(?:[{LOWER_CASE_LETTER}][\w{APOSTROPHES}-]*\s+)?")


def _near_cue(sentence: _Sentence, cue: re.Match[str], named: _Reference, side: _Side) -> bool:
    """Tell whether the company a sided cue names stands close enough to it."""
    start, end, _, _ = named
    if side.after:
        gap = sentence.text[cue.end() - 1 : start - sentence.start]
        return len(gap.split()) <= _MAX_WORDS_TO_SIDE_AFTER and not _CLAUSE_BREAK.search(gap)
    gap = sentence.text[end - sentence.start : cue.start()]
    # "Lenovo-owned": a cue joined by a hyphen names the very word before it.
    if sentence.text.startswith("-", cue.start()):
        return not gap
    return len(gap.split()) <= _MAX_WORDS_TO_SIDE_BEFORE


def _classify_purchase(
    sentence: _Sentence,
    word: re.Match[str],
    references: list[_Reference],
    rules: _LanguageRules,
    word_list: str,
) -> tuple[RelationshipKind, list[str], bool] | None:
    """Decide what a word of buying, acquiring, using or making means, by what comes between
    it and the next company: goods from a supplier ("buys GPUs from Nvidia", "uses Samsung's
    panels"), goods made for a customer ("makes phones for Motorola"), a stake, or a whole
    company or business ("buys Arm", "acquiert l'activité capteurs de NXP")."""
    word_text = _cue_text(sentence, word)
    word_end = sentence.start + word.end() - 1
    # The first company after the word, and how the sentence refers to it.
    company_start, company_end, company_via = next(
        ((start, end, via) for start, end, _, via in references if start >= word_end),
        (sentence.end, sentence.end, None),
    )
    # What lies between the word and the next company ("350,000 GPUs from"), in the prepared
    # sentence, where a phrase match starts at the space before its text offset.
    window_start = word_end - sentence.start
    window_end = company_start - sentence.start + 1
    near = (
        company_via is not None
        and len(sentence.text[window_start : window_end - 1].split())
        <= _MAX_WORDS_BEFORE_BOUGHT_COMPANY
    )
    # The company's own goods: "H100 GPUs", "Nvidia's chips", "les puces de Nvidia".
    its_goods = company_via is Via.PRODUCT or (
        company_via is not None
        and (
            rules.goods_after_name.match(sentence, company_end - sentence.start + 1) is not None
            or (near and rules.names_goods_of(sentence, window_start, window_end))
        )
    )
    if word_list == _MAKE_LIST:
        # Goods made for a customer ("makes phones for Motorola"), or its own goods.
        marker = rules.customer_marker.search(sentence, window_start, window_end)
        if (
            near
            and marker is not None
            and len(sentence.text[marker.end() - 1 : window_end - 1].split())
            <= _MAX_WORDS_AFTER_CUSTOMER_MARKER
            and rules.names_goods(sentence, window_start, marker.start())
        ):
            return (
                RelationshipKind.SUPPLIER_CUSTOMER,
                [word_text, _cue_text(sentence, marker)],
                True,
            )
        return (RelationshipKind.SUPPLIER_CUSTOMER, [word_text], True) if its_goods else None
    marker = rules.supplier_marker.search(sentence, window_start, window_end)
    if near and marker is not None:
        return RelationshipKind.SUPPLIER_CUSTOMER, [word_text, _cue_text(sentence, marker)], True
    if word_list != _USE_LIST and rules.names_business(
        sentence, window_start, company_end - sentence.start + 1
    ):
        return RelationshipKind.ACQUISITION, [word_text], near or word_list == _ACQUIRE_LIST
    if its_goods:
        return RelationshipKind.SUPPLIER_CUSTOMER, [word_text], True
    if word_list == _USE_LIST:
        return None
    acquire_word = word_list == _ACQUIRE_LIST
    # Goods bought from a seller the sentence does not name.
    if rules.names_goods(sentence, window_start, window_end):
        return None
    if rules.stake.search(sentence, window_start, window_end) is not None:
        return RelationshipKind.INVESTMENT, [word_text], True
    if near and company_via is Via.NAME:
        return RelationshipKind.ACQUISITION, [word_text], True
    if acquire_word:
        return RelationshipKind.ACQUISITION, [word_text], False
    return None


def _cue_text(sentence: _Sentence, match: re.Match[str]) -> str:
    """Return a matched cue as reported: lower-case, single-spaced, straight apostrophes."""
    cue = sentence.text[match.start() : match.end() - 1].lower()
    return " ".join(straight_apostrophes(cue).split())
