"""Split English and French news text into sentences with exact offsets.

One compiled regular expression per language finds the full stops that end sentences: it
already knows the abbreviations and initials that never end one, so Python only looks at
the rare ambiguous abbreviation ("Inc.", "U.S."). pysbd, run per paragraph, took about
45 ms on a 1,000-word article where this takes about 0.1 ms, and its spans keep trailing
whitespace; the whole tagging engine has about a millisecond per article.

Bodies separate paragraphs with a blank line, so a single line break is ordinary
whitespace: a hard-wrapped line never splits a sentence, and a heading without a full stop
needs a blank line after it to stand alone. A dateline ("SEOUL (Reuters) - ") has no full
stop, so it stays with the first sentence.
"""

from __future__ import annotations

import re

from entities.tagging.lexicons import (
    AMBIGUOUS_ABBREVIATIONS,
    LANGUAGES,
    NON_FINAL_ABBREVIATIONS,
    SENTENCE_OPENERS,
)

_UPPER_CASE_LETTER = "A-ZÀ-ÖØ-Þ"
# Not a lower-case word next; brand names such as iPhone and eBay are the exception.
_NEXT_WORD_NOT_LOWER_CASE = r"(?![«“‘\"'(\[\s]*(?:[a-df-hj-zß-öø-ÿ]|[ie](?![A-Z])))"
_CLOSING_PUNCTUATION = r"(?:[\"')\]’]|[ \t\u00a0\u202f]*[»”])+"
# A full stop, then whitespace before the next sentence. A lone full stop ends the sentence
# even before a lower-case word, which machine translation often leaves ("dossier. selon
# les analystes"), since the abbreviations that a lower-case word follows ("etc. and",
# "e.g. the") are known. After an ellipsis or a closing quote a lower-case word continues
# the sentence ("fell... and rose", "“Done.” he said").
_FULL_STOP_TAIL = (
    r"(?P<ellipsis>[.!?…]+)?(?P<closing>"
    + _CLOSING_PUNCTUATION
    + r")?(?P<gap>\s+)(?=\S)(?(ellipsis)"
    + _NEXT_WORD_NOT_LOWER_CASE
    + r"|(?(closing)"
    + _NEXT_WORD_NOT_LOWER_CASE
    + r"))"
)
# "?", "!" and "…" often sit mid-sentence ("Yahoo! said", "“Why?” he asked").
_OTHER_STOP_TAIL = (
    r"[.!?…]*(?:" + _CLOSING_PUNCTUATION + r")?(?P<gap>\s+)(?=\S)" + _NEXT_WORD_NOT_LOWER_CASE
)
# Each pattern starts with a literal character, which the regex engine finds at C speed;
# hence one pattern per character rather than a character class.
_OTHER_STOPS = tuple(
    (character, re.compile(re.escape(character) + _OTHER_STOP_TAIL)) for character in "!?…"
)
# A blank line ends a paragraph, whatever punctuation it has.
_BLANK_LINE = re.compile(r"(?P<gap>\n[^\S\n]*\n\s*)")

_AMBIGUOUS = "ambiguous"
_CHECK_NEXT_WORD = "check_next_word"
_OPENING_PUNCTUATION = "«“‘\"'([ \t\u00a0\u202f"
_FIRST_WORD = re.compile(r"[^\W\d_]+")


class _LanguageSplitter:
    """The full-stop pattern and sentence openers of one language (or all of them)."""

    def __init__(self, languages: tuple[str, ...]) -> None:
        non_final = set().union(*(NON_FINAL_ABBREVIATIONS[code] for code in languages))
        ambiguous = set().union(*(AMBIGUOUS_ABBREVIATIONS[code] for code in languages))
        self.openers = frozenset().union(*(SENTENCE_OPENERS[code] for code in languages))
        never_final = "".join(rf"(?<!\b{alternatives}\.)" for alternatives in _by_length(non_final))
        maybe_final = "|".join(
            [rf"(?<=\b{alternatives}\.)" for alternatives in _by_length(ambiguous)]
            # Any letter-dot run ("U.S.", "C.C. Wei"); initials are usually followed by a name.
            + [r"(?<=\b[^\W\d_]\.[^\W\d_]\.)"]
        )
        self.full_stop = re.compile(
            r"\.(?=[^\W\d_]|[.!?…\"')\]’»”\s])"
            # The last dot of an ellipsis belongs to the candidate at its first dot.
            + r"(?<![.!?…]\.)"
            + never_final
            # A single capital after a space is an initial ("Jay Y. Lee", "M. Macron"); the
            # last letter of "U.S." is not.
            + rf"(?<![\s(«“‘\"'’-][{_UPPER_CASE_LETTER}]\.)(?<!^[{_UPPER_CASE_LETTER}]\.)"
            + rf"(?P<{_AMBIGUOUS}>{maybe_final})?"
            + r"(?:"
            + _FULL_STOP_TAIL
            # A full stop glued to the next word by machine translation ("année.Ils").
            + rf"|(?<=[^\W\d_]{{2}}\.)(?=[{_UPPER_CASE_LETTER}][^\W\d_]*\s)"
            + r")"
            # Closes last, so `lastgroup` tells the caller to look at the next word.
            + rf"(?({_AMBIGUOUS})(?P<{_CHECK_NEXT_WORD}>))"
        )


def _by_length(abbreviations: set[str]) -> list[str]:
    """Build one case-insensitive alternation per abbreviation length, as look-behinds need.

    Each alternation is a trie of character classes ("[mM](?:[rR]|[sS])"), which the regex
    engine dispatches on the first character; the (?i) flag would make it try every branch.
    """
    by_length: dict[int, list[str]] = {}
    for abbreviation in sorted(abbreviations):
        by_length.setdefault(len(abbreviation), []).append(abbreviation)
    return [_trie_alternation(group) for _, group in sorted(by_length.items())]


def _trie_alternation(words: list[str]) -> str:
    """Render words as a regex trie that matches them in any letter case."""
    by_first: dict[str, list[str]] = {}
    for word in words:
        by_first.setdefault(word[0], []).append(word[1:])
    branches = []
    for first, rests in by_first.items():
        character = (
            f"[{first.lower()}{first.upper()}]"
            if first.lower() != first.upper()
            else re.escape(first)
        )
        remaining = [rest for rest in rests if rest]
        branches.append(character + (f"(?:{_trie_alternation(remaining)})" if remaining else ""))
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"


_SPLITTERS = {code: _LanguageSplitter((code,)) for code in LANGUAGES}
# Unknown or mixed language: accept every language's abbreviations.
_ANY_LANGUAGE_SPLITTER = _LanguageSplitter(LANGUAGES)


def split_sentences(text: str, language: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of each sentence in text, without surrounding whitespace."""
    splitter = _SPLITTERS.get(language[:2].lower(), _ANY_LANGUAGE_SPLITTER)
    candidates = list(splitter.full_stop.finditer(text))
    full_stops = len(candidates)
    if "\n" in text:
        candidates.extend(_BLANK_LINE.finditer(text))
    for character, other_stop in _OTHER_STOPS:
        if character in text:
            candidates.extend(other_stop.finditer(text))
    if len(candidates) > full_stops:
        candidates.sort(key=re.Match.start)
    sentences: list[tuple[int, int]] = []
    sentence_start = _skip_space(text, 0)
    for match in candidates:
        end, next_start = match.span("gap")
        if end == -1:  # a full stop glued to the next sentence
            end = next_start = match.end()
        # Part of a break already taken ("?.", or a blank line after a full stop).
        if end < sentence_start:
            continue
        if match.re is _BLANK_LINE:
            while text[end - 1].isspace():
                end -= 1
        elif match.lastgroup == _CHECK_NEXT_WORD and not _opens_sentence(
            text, next_start, splitter.openers
        ):
            continue
        # Breaks end on punctuation and resume at a non-space, so no stripping is needed.
        if end > sentence_start:
            sentences.append((sentence_start, end))
        sentence_start = next_start
    end = len(text.rstrip())
    if end > sentence_start:
        sentences.append((sentence_start, end))
    return sentences


def _skip_space(text: str, position: int) -> int:
    """Return the position of the first non-space character at or after position."""
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _opens_sentence(text: str, position: int, openers: frozenset[str]) -> bool:
    """Tell whether the word at position typically opens a sentence ("The", "Il")."""
    while position < len(text) and text[position] in _OPENING_PUNCTUATION:
        position += 1
    word = _FIRST_WORD.match(text, position)
    return word is not None and word.group() in openers
