"""The compiled dictionary: every alias of every entity in one Aho–Corasick automaton.

Keys are the search forms of the aliases (see `normalize`); a key's payload, `KeyEntries`,
holds the `AliasEntry`s that share it, indexed by the name form a match must have.

Besides the aliases it is given, the dictionary derives one surname alias per person whose
name has two tokens or more: the last token ("Cho" of "William Cho"), or the first when the
last is a hyphenated given name, as in Korean names ("Kwon" of "Kwon Bong-seok", but
"Smith-Jones" of "Anne Smith-Jones"). A derived surname is case-sensitive and counts only
after the person's full alias (see `matcher`).

Pickling a dictionary stores its records and unpickling compiles them again: as fast as
unpickling the automaton, and several times smaller.
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import NamedTuple

import ahocorasick

from .lexicons import language_code, word_list
from .normalize import LEGAL_SUFFIXES, has_word_character, name_forms, search_key
from .text import DASHES
from .types import AliasRecord, EntityKind, EntityRecord

_DASH = re.compile(f"[{DASHES}]")
_NAME_SUFFIXES = frozenset(word_list("names/suffixes"))


class AliasEntry(NamedTuple):
    """One way of naming an entity, as the matcher checks it."""

    entity_id: int
    # The name form a match must have: case-preserved if case-sensitive, else casefolded.
    form: str
    case_sensitive: bool
    language: str
    ambiguous: bool
    derived_surname: bool = False
    # A product alias that contains its maker's name ("Apple Vision Pro").
    implies_maker: bool = False


# The entries a stretch of text names: its aliases, then its derived surnames, apart because
# a common surname ("Kim", "Martin") is the surname of dozens of people.
NamedEntries = tuple[tuple[AliasEntry, ...], tuple[AliasEntry, ...]]


class KeyEntries:
    """The alias entries that share one automaton key, indexed by the name form they need."""

    __slots__ = (
        "_case_insensitive",
        "_case_sensitive",
        "_language_specific",
        "_surnames",
        "key_length",
    )

    def __init__(self, key_length: int, entries: Iterable[AliasEntry]) -> None:
        self.key_length = key_length
        case_sensitive: dict[str, list[AliasEntry]] = defaultdict(list)
        case_insensitive: dict[str, list[AliasEntry]] = defaultdict(list)
        surnames: dict[str, list[AliasEntry]] = defaultdict(list)
        language_specific = False
        for entry in entries:
            if entry.derived_surname:
                by_form = surnames
            else:
                by_form = case_sensitive if entry.case_sensitive else case_insensitive
            by_form[entry.form].append(entry)
            language_specific = language_specific or bool(entry.language)
        # None rather than an empty dict: most keys have entries of one kind only.
        self._case_sensitive = {form: tuple(e) for form, e in case_sensitive.items()} or None
        self._case_insensitive = {form: tuple(e) for form, e in case_insensitive.items()} or None
        self._surnames = {form: tuple(e) for form, e in surnames.items()} or None
        self._language_specific = language_specific

    def matching(self, cased: str, folded: str, language: str) -> NamedEntries:
        """Return the entries named by text of these name forms in an article of language."""
        found = self._case_sensitive.get(cased, ()) if self._case_sensitive else ()
        if self._case_insensitive:
            found += self._case_insensitive.get(folded, ())
        if self._language_specific and language:
            found = tuple(entry for entry in found if entry.language in ("", language))
        # Derived surnames are case-sensitive and of every language.
        return found, (self._surnames.get(cased, ()) if self._surnames else ())


def family_name(full_name: str) -> str | None:
    """Return the token of a person's name that is the family name, or None for one token."""
    tokens = [token for token in full_name.split() if token.casefold() not in _NAME_SUFFIXES]
    if len(tokens) < 2:
        return None
    last_parts = _DASH.split(tokens[-1])
    # A hyphenated given name written last ("Kwon Bong-seok") follows a family name written
    # first; a double-barrelled family name ("Smith-Jones") capitalises both of its parts.
    if len(last_parts) > 1 and last_parts[1][:1].islower():
        return tokens[0]
    return tokens[-1]


class Dictionary:
    """Entities and their aliases, compiled once for matching many articles."""

    def __init__(self, entities: Iterable[EntityRecord], aliases: Iterable[AliasRecord]) -> None:
        # The build allocates hundreds of thousands of small objects and frees none of them;
        # cyclic garbage collection would only walk them over and over.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._compile(entities, aliases)
        finally:
            if collecting:
                gc.enable()

    def _compile(self, entities: Iterable[EntityRecord], aliases: Iterable[AliasRecord]) -> None:
        self.entities: dict[int, EntityRecord] = {entity.id: entity for entity in entities}
        self._aliases = tuple(aliases)
        self.related: dict[int, frozenset[int]] = self._relate()
        keyed_aliases: list[tuple[str, str, str, AliasRecord]] = []
        keys_by_entity: dict[int, set[str]] = defaultdict(set)
        for alias in self._with_short_forms(self._aliases):
            cased, folded = name_forms(alias.text)
            if not has_word_character(folded):
                continue
            key = search_key(folded)
            keyed_aliases.append((key, cased, folded, alias))
            keys_by_entity[alias.entity_id].add(key)
        # A dict keeps the entries of one key unique and in alias order.
        entries_by_key: dict[str, dict[AliasEntry, None]] = defaultdict(dict)
        for key, cased, folded, alias in keyed_aliases:
            entry = AliasEntry(
                alias.entity_id,
                cased if alias.case_sensitive else folded,
                alias.case_sensitive,
                language_code(alias.language),
                alias.ambiguous,
                False,
                self._names_its_maker(alias.entity_id, key, keys_by_entity),
            )
            entries_by_key[key][entry] = None
        self.alias_count = sum(len(entries) for entries in entries_by_key.values())
        self.versions = self._versions(keyed_aliases)
        self.longest_version = max(
            (len(words) for suffixes in self.versions.values() for words in suffixes), default=0
        )
        for key, entry in self._derived_surnames(keys_by_entity):
            entries_by_key[key][entry] = None
        self.automaton = ahocorasick.Automaton()
        for key, entries in entries_by_key.items():
            self.automaton.add_word(key, KeyEntries(len(key), entries))
        self.automaton.make_automaton()

    def _with_short_forms(self, aliases: Iterable[AliasRecord]) -> Iterator[AliasRecord]:
        """Yield the aliases, and each company's alias again without its legal form: stories
        shorten "Corporation" to "Corp" or drop it. A one-word short form ("Snap" of "Snap
        Inc.") is too often an ordinary word to be derived."""
        for alias in aliases:
            if alias.entity_id not in self.entities:
                raise ValueError(f"alias {alias.text!r} names unknown entity {alias.entity_id}")
            yield alias
            words = alias.text.split()
            if (
                len(words) > 2
                and words[-1].rstrip(".").casefold() in LEGAL_SUFFIXES
                and self.entities[alias.entity_id].kind == EntityKind.COMPANY
            ):
                yield replace(alias, text=" ".join(words[:-1]).rstrip(","))

    def find_keys(self, search_form: str) -> Iterator[tuple[int, KeyEntries]]:
        """Yield (index of its last character, its entries) for each key in a search form."""
        if self.automaton.kind != ahocorasick.AHOCORASICK:
            # An automaton without keys refuses to search.
            return iter(())
        return self.automaton.iter(search_form)

    def knows(self, name: str) -> bool:
        """Tell whether a name, in any letter case, is an alias or derived surname here."""
        _, folded = name_forms(name)
        return has_word_character(folded) and self.automaton.exists(search_key(folded))

    def __reduce__(self) -> tuple[type[Dictionary], tuple[object, ...]]:
        return (Dictionary, (list(self.entities.values()), self._aliases))

    def _relate(self) -> dict[int, frozenset[int]]:
        related: dict[int, set[int]] = defaultdict(set)
        for entity in self.entities.values():
            for other_id in (entity.maker_id, entity.affiliation_id, entity.parent_id):
                if other_id is not None and other_id in self.entities:
                    related[entity.id].add(other_id)
                    related[other_id].add(entity.id)
        return {entity_id: frozenset(ids) for entity_id, ids in related.items()}

    def _versions(
        self, keyed_aliases: list[tuple[str, str, str, AliasRecord]]
    ) -> dict[int, dict[tuple[str, ...], int]]:
        """Map each product family to its known versions, by the words that follow the family's
        name to name them: "9 Pro" after "Pixel", or a codename such as "Sequoia" after
        "macOS" when the version's aliases do not start with the family's name."""
        words_by_entity: dict[int, list[tuple[str, ...]]] = defaultdict(list)
        for key, _, _, alias in keyed_aliases:
            words_by_entity[alias.entity_id].append(tuple(key.split()))
        versions: dict[int, dict[tuple[str, ...], int]] = defaultdict(dict)
        for entity in self.entities.values():
            family_id = entity.variant_of_id
            if family_id is None or family_id not in self.entities:
                continue
            family_names = words_by_entity[family_id]
            for words in words_by_entity[entity.id]:
                prefixes = [name for name in family_names if words[: len(name)] == name]
                suffix = words[len(max(prefixes, key=len)) :] if prefixes else words
                if suffix:
                    versions[family_id].setdefault(suffix, entity.id)
        return dict(versions)

    def _names_its_maker(
        self, entity_id: int, key: str, keys_by_entity: dict[int, set[str]]
    ) -> bool:
        product = self.entities[entity_id]
        if product.kind != EntityKind.PRODUCT or product.maker_id not in self.entities:
            return False
        maker = self.entities[product.maker_id]
        maker_keys = keys_by_entity[maker.id] | {search_key(name_forms(maker.name)[1])}
        # Keys are space-padded, so this is a whole-word containment test.
        return any(maker_key in key for maker_key in maker_keys if maker_key != key)

    def _derived_surnames(
        self, keys_by_entity: dict[int, set[str]]
    ) -> Iterable[tuple[str, AliasEntry]]:
        for person in self.entities.values():
            if person.kind != EntityKind.PERSON:
                continue
            surname = family_name(person.name)
            if surname is None:
                continue
            cased, folded = name_forms(surname)
            key = search_key(folded)
            if has_word_character(folded) and key not in keys_by_entity[person.id]:
                yield key, AliasEntry(person.id, cased, True, "", False, True, False)
