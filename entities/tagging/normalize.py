"""Normalise text for dictionary matching, keeping a map back to the original offsets.

Two forms are used.

The *name form* of a short string (an alias, or the stretch of text a candidate match
covers) is what names are compared on: every apostrophe (`text.APOSTROPHES`) becomes ',
zero-width characters (U+200B/C/D, U+2060, U+FEFF, soft hyphen) are dropped, NFKC is applied,
every kind of whitespace becomes a space and runs of it one space, every dash or hyphen
becomes a space, and ™/℠ are dropped (NFKC would glue them on as "TM"). `name_forms` returns
it case-preserved and casefolded.

The *search form* of a whole text is what the Aho–Corasick automaton scans: the casefolded
NFKC text in which every character that is not a word character (letter, digit, underscore)
becomes a space, runs of whitespace shrink to one space, zero-width characters disappear,
and one space pads each end. Alias keys get the same treatment (`search_key`), so a key can
only be found between two non-word characters: "Meta" is never found in "Metaverse", while
"d’Apple", "Apple’s" and "Meta-owned" expose "apple" and "meta" as whole words. The search
form only proposes candidates; the matcher accepts one only if the name form of the
original stretch equals the alias's.

Building the search form is the hot path. Text is encoded to Windows-1252 (which holds
ASCII, French accents, curly quotes, dashes, œ, € and …), folded and stripped of punctuation
with two `bytes.translate` calls, and decoded. Only the characters that this cannot handle
(those outside Windows-1252, zero-width characters, combining marks, ß and the like) are
normalised one by one, as "edits" replacing a stretch of the text; whitespace runs are edits
too. Offsets map back through the short, sorted list of edits: they are identities shifted
by the edits before them.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

from .lexicons import word_list
from .text import APOSTROPHES, DASHES

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# NFKC turns these into letters ("Apple™" → "AppleTM"), which would hide the name.
DROPPED_SYMBOLS = "™℠"
# Frequent characters outside Windows-1252, swapped one-for-one for a character of the same
# class (space, punctuation) in its stead, so that they need no edit.
_STAND_INS = {
    **dict.fromkeys("\u202f\u2002\u2003\u2007\u2008\u2009\u200a\u2028\u2029\u3000℠", " "),
    **dict.fromkeys("\u2010\u2011\u2012\u2015\u2212", "-"),
    **{apostrophe: "'" for apostrophe in APOSTROPHES if not apostrophe.encode("cp1252", "ignore")},
}
_WHITESPACE = "".join(character for character in map(chr, range(0x3001)) if character.isspace())
_UNIFY = str.maketrans(
    {
        **dict.fromkeys(APOSTROPHES, "'"),
        **dict.fromkeys(DASHES, "-"),
        **dict.fromkeys(_WHITESPACE + DROPPED_SYMBOLS, " "),
        **dict.fromkeys(ZERO_WIDTH),
    }
)
_SPACE_RUN = re.compile(" {2,}")
_WORD = re.compile(r"\w+")
_NON_WORD_CHARACTER = re.compile(r"\W")


def _build_cp1252_tables() -> tuple[bytes, bytes, tuple[int, ...]]:
    whitespace_to_space = bytearray(range(256))
    search = bytearray(range(256))
    # Bytes whose search form is not one Windows-1252 character: soft hyphen (nothing),
    # ß ("ss"), ¼ ("1 4") …
    edited_bytes = []
    for byte in range(256):
        character = bytes([byte]).decode("cp1252", errors="ignore")
        if character and character.translate(_UNIFY) == " ":
            whitespace_to_space[byte] = 0x20
        folded = _search_fold(character)
        folded_byte = folded.encode("cp1252", errors="ignore")
        if len(folded) == 1 and len(folded_byte) == 1:
            search[byte] = folded_byte[0]
        elif folded.isspace():
            # Punctuation that NFKC spells out ("…" → "...") is one non-word character here.
            search[byte] = 0x20
        elif character:
            edited_bytes.append(byte)
        else:
            # A byte that Windows-1252 leaves undefined, such as _OUTSIDE_BYTE.
            search[byte] = 0x20
    return bytes(whitespace_to_space), bytes(search), tuple(edited_bytes)


def _search_fold(text: str) -> str:
    unified = unicodedata.normalize("NFKC", text.translate(_UNIFY)).translate(_UNIFY)
    return _NON_WORD_CHARACTER.sub(" ", unified.casefold())


_CP1252_WHITESPACE_TO_SPACE, _CP1252_SEARCH, _CP1252_EDITED_BYTES = _build_cp1252_tables()

# Encoding to Windows-1252 writes the stand-in of a character outside it, or else this byte,
# which Windows-1252 leaves undefined so that no character of the text encodes to it.
_OUTSIDE_BYTE = 0x81
_STAND_IN_BYTES = {character: ord(stand_in) for character, stand_in in _STAND_INS.items()}
_ENCODE_OUTSIDE = "entities.tagging.normalize.outside_cp1252"


def _encode_outside(error: UnicodeEncodeError) -> tuple[bytes, int]:
    run = error.object[error.start : error.end]
    return bytes(_STAND_IN_BYTES.get(character, _OUTSIDE_BYTE) for character in run), error.end


codecs.register_error(_ENCODE_OUTSIDE, _encode_outside)


@lru_cache(maxsize=1 << 16)
def name_forms(text: str) -> tuple[str, str]:
    """Return the case-preserving and casefolded name forms of text."""
    unified = text.translate(_UNIFY)
    if not unified.isascii():
        unified = unicodedata.normalize("NFKC", unified).translate(_UNIFY)
    cased = _SPACE_RUN.sub(" ", unified).replace("-", " ").strip()
    return cased, cased.casefold()


def search_key(folded_name: str) -> str:
    """Return the automaton key for a casefolded name form, padded with a space each side."""
    return f" {_NON_WORD_CHARACTER.sub(' ', folded_name)} "


def has_word_character(text: str) -> bool:
    """Tell whether text contains a letter, digit or underscore."""
    return _WORD.search(text) is not None


def folded_words(text: str) -> list[str]:
    """Return the casefolded words of text, split at every non-word character."""
    return _WORD.findall(unicodedata.normalize("NFKC", text.translate(_UNIFY)).casefold())


# Legal forms that end a company's name ("Amazon.com, Inc.", "LG Corp"): not part of who it is.
LEGAL_SUFFIXES = frozenset(word_list("discovery/legal_suffixes"))


def identity_key(name: str) -> str:
    """Return what two spellings of one entity's name share: its casefolded words without
    accents or punctuation, and without the legal forms that end it ("Société Générale SA"
    and "societe generale" → "societe generale")."""
    if not name.isascii():
        # NFKD splits accents off their letters (and spells out ligatures): drop the accents.
        decomposed = unicodedata.normalize("NFKD", name.translate(_UNIFY))
        name = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = _WORD.findall(name.casefold())
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


class SearchableText:
    """The search form of a text (`padded`), and the way back to the text's own offsets."""

    __slots__ = ("_edit_core_starts", "_edits", "padded")

    def __init__(self, padded: str, edits: list[tuple[int, int, str]]) -> None:
        self.padded = padded
        # Per edit (start, end, replacement) of the text, sorted: where its replacement
        # starts and ends in the unpadded search form, where it came from in the text, and the
        # offset to add to search-form indexes after it. A sentinel makes every lookup land
        # on an entry.
        self._edit_core_starts = [-1]
        self._edits = [(-1, -1, -1, 0)]
        shift = 0
        for start, end, replacement in edits:
            core_start = start - shift
            shift += end - start - len(replacement)
            self._edit_core_starts.append(core_start)
            self._edits.append((core_start + len(replacement), start, end, shift))

    def original_bounds(self, key_end: int, key_length: int) -> tuple[int, int]:
        """Return the original offsets of the name a key found, given the index in `padded`
        of the key's last character and the key's length."""
        # The key has one pad character each side, and `padded` one at its start.
        first = key_end - key_length + 1
        last = key_end - 2
        edit_core_starts = self._edit_core_starts
        core_end, _, _, shift = self._edits[bisect_right(edit_core_starts, last) - 1]
        if core_end <= first:
            # The usual case: no edit within the name, whose ends shift alike.
            return first + shift, last + 1 + shift
        index = bisect_right(edit_core_starts, first)
        core_end, start, _, shift = self._edits[index - 1]
        original_start = start if first < core_end else first + shift
        if index < len(edit_core_starts) and edit_core_starts[index] <= last:
            core_end, _, end, shift = self._edits[bisect_right(edit_core_starts, last) - 1]
            return original_start, (end if last < core_end else last + 1 + shift)
        return original_start, last + 1 + shift


def searchable(text: str) -> SearchableText:
    """Return the search form of text."""
    # One character, one byte: offsets in the encoded text are offsets in the text.
    encoded = text.encode("cp1252", errors=_ENCODE_OUTSIDE)
    outside = _byte_positions(encoded, _OUTSIDE_BYTE)
    if outside:
        # The edits below read the text as it was encoded, stand-ins and all.
        text = _with_stand_ins(text)
    edited = outside + [
        position for byte in _CP1252_EDITED_BYTES for position in _byte_positions(encoded, byte)
    ]
    edits = _cluster_edits(text, sorted(edited)) if edited else []
    spaced = encoded.translate(_CP1252_WHITESPACE_TO_SPACE)
    # Keep the first space of each run. Runs are few (paragraph breaks), and bytes.find is
    # much faster than a regular expression that has to try every position.
    run_start = spaced.find(b"  ")
    while run_start != -1:
        run_end = run_start + 2
        while run_end < len(spaced) and spaced[run_end] == 0x20:
            run_end += 1
        edits.append((run_start + 1, run_end, ""))
        run_start = spaced.find(b"  ", run_end)
    edits.sort()
    words = spaced.translate(_CP1252_SEARCH).decode("cp1252")
    pieces = [" "]
    kept_from = 0
    for start, end, replacement in edits:
        pieces += (words[kept_from:start], replacement)
        kept_from = end
    pieces += (words[kept_from:], " ")
    return SearchableText("".join(pieces), edits)


def _with_stand_ins(text: str) -> str:
    for character, stand_in in _STAND_INS.items():
        if character in text:
            text = text.replace(character, stand_in)
    return text


def _byte_positions(encoded: bytes, byte: int) -> list[int]:
    positions = []
    position = encoded.find(byte)
    while position != -1:
        positions.append(position)
        position = encoded.find(byte, position + 1)
    return positions


def _cluster_edits(text: str, positions: list[int]) -> list[tuple[int, int, str]]:
    """Return the edits that replace, with its search form, each cluster (a base character
    and its combining marks) that holds one of the positions."""
    edits: list[tuple[int, int, str]] = []
    for position in positions:
        if edits and position < edits[-1][1]:
            continue
        start = position
        if unicodedata.combining(text[position]) and position and not text[position - 1].isspace():
            start = position - 1
            if edits and edits[-1][1] > start:
                start = edits.pop()[0]
        end = position + 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        edits.append((start, end, _search_fold(text[start:end])))
    return edits
