"""The compiled dictionary: every alias of every entity in one Aho–Corasick automaton.

Keys are the search forms of the aliases (see `normalize`); a key's payload, `KeyEntries`,
holds the `AliasEntry`s that share it, indexed by the name form a match must have.

Besides the aliases it is given, the dictionary derives one surname alias per person whose
name has two tokens or more: the last token ("Cho" of "William Cho"), or the first when the
last is a hyphenated given name, as in Korean names ("Kwon" of "Kwon Bong-seok", but
"Smith-Jones" of "Anne Smith-Jones"). A derived surname is case-sensitive and counts only
after the person's full alias (see `matcher`).

It derives two more kinds of keys for product families, from the way the knowledge base names
their versions:
- a *short name*: a product's name without its maker's, when it is a model number ("C1" of
  "Apple C1", "G1" of "Unitree G1") or when one of the product's versions is named so ("Mate"
  of "Huawei Mate", for "Mate 60"; "Magic" of "Honor Magic", for "Magic7 Pro"). It is
  case-sensitive and ambiguous, and counts only when the product or its maker is named in the
  story, never on a cue word alone: "Magic" or "Drive" are ordinary words elsewhere. A short
  name that is already another entity's alias, or that two products share, is not derived.
- a *glued stem*: a name of the family that a version writes with its number glued on
  ("Galaxy S" of "Galaxy S24", "Honor Magic" of "Honor Magic7 Pro"). Its key has no space
  after it, so that it is found at the start of a word; the matcher keeps it only when a digit
  follows ("Galaxy S26"), and extends it over that version.

A company is a *model maker* when the knowledge base names one of its products with the
company's name and a model number ("OnePlus 13", "Nvidia H100"): the matcher suggests the
company's name followed by a new model number as a new product of it.

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
# Words with a digit that are never a product's version or model number: ordinals ("13th",
# "3ème"; not "3e", which also ends models' names, "iPhone 16e"), network generations ("5G")
# and fiscal periods ("Q3", "2Q", "H1", "FY25").
NOT_A_VERSION = re.compile(
    r"\d+(?:st|nd|rd|th|er|ère|ème|eme)|\d+G|[QH][1-4]|[1-4][QH]|FY\d{2,4}", re.IGNORECASE
)
# A measure is no model number either: "128GB", "5nm", "2,4GHz".
MEASURE = re.compile(
    r"\d+(?:[.,]\d+)?(?:" + "|".join(map(re.escape, word_list("products/units"))) + ")",
    re.IGNORECASE,
)
# A word of a key that glues a number onto letters: "s24", "magic7", "x8".
_GLUED_NUMBER = re.compile(r"([^\W\d_]+)\d\w*")
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
    # A family's name without its maker's, derived: "Mate" of "Huawei Mate".
    short_name: bool = False


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
        "glued",
        "key_length",
    )

    def __init__(
        self, key_length: int, entries: Iterable[AliasEntry], *, glued: bool = False
    ) -> None:
        self.key_length = key_length
        # A glued stem's key: it names the family only with a number glued on ("Galaxy S26").
        self.glued = glued
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
        for alias in self._with_names_without_legal_form(self._aliases):
            cased, folded = name_forms(alias.text)
            if not has_word_character(folded):
                continue
            key = search_key(folded)
            keyed_aliases.append((key, cased, folded, alias))
            keys_by_entity[alias.entity_id].add(key)
        # The keys of each maker's names, its aliases' and its own.
        maker_keys = {
            maker_id: keys_by_entity[maker_id] | {search_key(name_forms(maker.name)[1])}
            for maker_id in {entity.maker_id for entity in self.entities.values()}
            if (maker := self.entities.get(maker_id)) is not None
        }
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
                self._names_its_maker(alias.entity_id, key, maker_keys),
            )
            entries_by_key[key][entry] = None
        self.alias_count = sum(len(entries) for entries in entries_by_key.values())
        self.model_makers = self._model_makers(keys_by_entity, maker_keys)
        for key, entry in list(self._short_names(keys_by_entity, maker_keys)):
            entries_by_key[key][entry] = None
            keys_by_entity[entry.entity_id].add(key)
        self.versions = self._versions(keys_by_entity)
        self.longest_version = max(
            (len(words) for suffixes in self.versions.values() for words in suffixes), default=0
        )
        glued_stems = self._glued_stems(keys_by_entity)
        for key, entry in self._derived_surnames(keys_by_entity):
            entries_by_key[key][entry] = None
        self.automaton = ahocorasick.Automaton()
        for key, entries in entries_by_key.items():
            self.automaton.add_word(key, KeyEntries(len(key), entries))
        for stem, family_id in glued_stems.items():
            entries = [e for e in entries_by_key[f"{stem} "] if e.entity_id == family_id]
            self.automaton.add_word(stem, KeyEntries(len(stem), entries, glued=True))
        self.automaton.make_automaton()

    def _with_names_without_legal_form(
        self, aliases: Iterable[AliasRecord]
    ) -> Iterator[AliasRecord]:
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
            maker = self.entities.get(entity.maker_id) if entity.maker_id is not None else None
            # A subsidiary's product is its parent's too: "Kirin", by HiSilicon, in a Huawei story.
            maker_parent_id = maker.parent_id if maker is not None else None
            for other_id in (
                entity.maker_id,
                entity.affiliation_id,
                entity.parent_id,
                maker_parent_id,
            ):
                if other_id is not None and other_id in self.entities:
                    related[entity.id].add(other_id)
                    related[other_id].add(entity.id)
        return {entity_id: frozenset(ids) for entity_id, ids in related.items()}

    def _versions(
        self, keys_by_entity: dict[int, set[str]]
    ) -> dict[int, dict[tuple[str, ...], int]]:
        """Map each product family to its known versions, by the words that follow the family's
        name to name them: "9 Pro" after "Pixel", or a codename such as "Sequoia" after
        "macOS" when the version's aliases do not start with the family's name."""
        words_by_entity = {
            entity_id: [tuple(key.split()) for key in sorted(keys)]
            for entity_id, keys in keys_by_entity.items()
        }
        versions: dict[int, dict[tuple[str, ...], int]] = defaultdict(dict)
        for entity in self.entities.values():
            family_id = entity.variant_of_id
            if family_id is None or family_id not in self.entities:
                continue
            family_names = words_by_entity.get(family_id, [])
            for words in words_by_entity.get(entity.id, []):
                prefixes = [name for name in family_names if words[: len(name)] == name]
                suffix = words[len(max(prefixes, key=len)) :] if prefixes else words
                if suffix:
                    versions[family_id].setdefault(suffix, entity.id)
        return dict(versions)

    def _names_its_maker(self, entity_id: int, key: str, maker_keys: dict[int, set[str]]) -> bool:
        product = self.entities[entity_id]
        if product.kind != EntityKind.PRODUCT or product.maker_id not in self.entities:
            return False
        # Keys are space-padded, so this is a whole-word containment test.
        return any(
            maker_key in key for maker_key in maker_keys[product.maker_id] if maker_key != key
        )

    def _model_makers(
        self, keys_by_entity: dict[int, set[str]], maker_keys: dict[int, set[str]]
    ) -> frozenset[int]:
        """Return the companies that name a product with their name and a model number, a word
        with a digit ("OnePlus 13", "Nvidia H100", "Intel 18A")."""
        makers: set[int] = set()
        for product in self.entities.values():
            maker_id = product.maker_id
            if product.kind != EntityKind.PRODUCT or maker_id not in self.entities:
                continue
            if maker_id in makers or self.entities[maker_id].kind != EntityKind.COMPANY:
                continue
            for key in keys_by_entity[product.id]:
                rest = next((key[len(m) :] for m in maker_keys[maker_id] if key.startswith(m)), "")
                if any(character.isdigit() for character in rest.split(" ", 1)[0]):
                    makers.add(maker_id)
                    break
        return frozenset(makers)

    def _short_names(
        self, keys_by_entity: dict[int, set[str]], maker_keys: dict[int, set[str]]
    ) -> Iterable[tuple[str, AliasEntry]]:
        """Yield the short name of each product whose name starts with its maker's, when it is
        a model number or a version of the product is named without the maker (see the
        module's docstring)."""
        taken = set().union(*keys_by_entity.values())
        versions: dict[int, list[int]] = defaultdict(list)
        for entity in self.entities.values():
            if entity.variant_of_id is not None:
                versions[entity.variant_of_id].append(entity.id)
        found: dict[str, dict[int, AliasEntry]] = defaultdict(dict)
        for alias in self._aliases:
            product = self.entities[alias.entity_id]
            if product.kind != EntityKind.PRODUCT or product.maker_id not in maker_keys:
                continue
            cased, folded = name_forms(alias.text)
            key = search_key(folded)
            for maker_key in maker_keys[product.maker_id]:
                if not key.startswith(maker_key) or key == maker_key:
                    continue
                words = cased.split()
                if len(words) != len(key.split()):
                    # Punctuation inside a word ("AT&T") splits the key and the name apart.
                    break
                short = " ".join(words[len(maker_key.split()) :])
                short_key = key[len(maker_key) - 1 :]
                if not short[0].isupper() or short_key in taken or NOT_A_VERSION.fullmatch(short):
                    continue
                if any(character.isdigit() for character in short) or any(
                    version_key.startswith(short_key)
                    or (
                        version_key.startswith(short_key[:-1])
                        and version_key[len(short_key) - 1].isdigit()
                    )
                    for version_id in versions[product.id]
                    for version_key in keys_by_entity[version_id]
                ):
                    found[short_key][product.id] = AliasEntry(
                        product.id,
                        short,
                        True,
                        language_code(alias.language),
                        True,
                        False,
                        False,
                        True,
                    )
        for short_key, entries in found.items():
            # Two products of one short name: it names neither for sure.
            if len(entries) == 1:
                yield short_key, next(iter(entries.values()))

    def _glued_stems(self, keys_by_entity: dict[int, set[str]]) -> dict[str, int]:
        """Map the key of each family name that a version glues its number onto ("Galaxy S"
        of "Galaxy S24"), with no space after it, to the family."""
        stems: dict[str, int] = {}
        for version in self.entities.values():
            family_id = version.variant_of_id
            if family_id is None or family_id not in keys_by_entity:
                continue
            for key in keys_by_entity[version.id]:
                words = key.split()
                for index, word in enumerate(words):
                    glued = _GLUED_NUMBER.fullmatch(word)
                    if glued is None:
                        continue
                    stem = " " + " ".join([*words[:index], glued.group(1)])
                    if f"{stem} " in keys_by_entity[family_id]:
                        stems.setdefault(stem, family_id)
                    break
        return stems

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
