"""The engine's one text layer: sentences, paragraphs and apostrophes, with exact offsets.

Every module that needs one of these takes it from here, so that the offsets of a sentence or
a paragraph agree across tagging, relationships, discovery and the rendered page.

Paragraphs are separated by a blank line (a line holding only whitespace), so a single line
break is ordinary whitespace: a hard-wrapped line never splits a sentence, and a heading
without a full stop needs a blank line after it to stand alone.

Sentences: one compiled regular expression per language finds the full stops that end
sentences: it already knows the abbreviations and initials that never end one, so Python
only looks at the rare ambiguous abbreviation ("Inc.", "U.S."). pysbd, run per paragraph,
took about 45 ms on a 1,000-word article where this takes about 0.1 ms, and its spans keep
trailing whitespace; the whole tagging engine has about a millisecond per article. A
dateline ("SEOUL (Reuters) - ") has no full stop, so it stays with the first sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .lexicons import LANGUAGES, language_code, word_list

# Every character machine-translated and hand-typed copy uses as an apostrophe ("d’Apple",
# "l'IA", "OpenAIʼs"); each reads as a straight one.
APOSTROPHES = "'’‘ʼ′`´"
APOSTROPHE = f"[{APOSTROPHES}]"
_STRAIGHT_APOSTROPHES = str.maketrans(dict.fromkeys(APOSTROPHES, "'"))
# Hyphens join the parts of a word ("Bong-seok"); the other dashes may separate words.
HYPHENS = "-‐‑"
DASHES = HYPHENS + "‒–—―−﹘﹣－"
# A blank line, and the whitespace up to the next paragraph.
PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")

UPPER_CASE_LETTER = "A-ZÀ-ÖØ-Þ"
LOWER_CASE_LETTER = "a-zß-öø-ÿ"
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
_AMBIGUOUS = "ambiguous"
_CHECK_NEXT_WORD = "check_next_word"
# The first word of a sentence, after any opening quote or bracket.
_FIRST_WORD = re.compile(r"[«“‘\"'(\[ \t\u00a0\u202f]*([^\W\d_]+)")


class _LanguageSplitter:
    """The full-stop pattern and sentence openers of one language (or all of them)."""

    def __init__(self, languages: tuple[str, ...]) -> None:
        non_final = set(word_list("sentences/abbreviations_non_final", languages))
        ambiguous = set(word_list("sentences/abbreviations_ambiguous", languages))
        self.openers = frozenset(word_list("sentences/openers", languages))
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
            + rf"(?<![\s(«“‘\"'’-][{UPPER_CASE_LETTER}]\.)(?<!^[{UPPER_CASE_LETTER}]\.)"
            + rf"(?P<{_AMBIGUOUS}>{maybe_final})?"
            + r"(?:"
            + _FULL_STOP_TAIL
            # A full stop glued to the next word by machine translation ("année.Ils").
            + rf"|(?<=[^\W\d_]{{2}}\.)(?=[{UPPER_CASE_LETTER}][^\W\d_]*\s)"
            + r")"
            # Closes last, so `lastgroup` tells the caller to look at the next word.
            + rf"(?({_AMBIGUOUS})(?P<{_CHECK_NEXT_WORD}>))"
        )


def _by_length(abbreviations: set[str]) -> list[str]:
    """Build one case-insensitive alternation per abbreviation length, as look-behinds need.

    Each alternation is a trie of character classes ("[mM](?:[rR]|[sS])"), which the regex
    engine dispatches on the first character; the (?i) flag would make it try every branch.
    """
    by_length: dict[int, RegexTrie] = {}
    for abbreviation in sorted(abbreviations):
        trie = by_length.setdefault(len(abbreviation), RegexTrie())
        trie.add(map(_either_case, abbreviation)).end = ""
    return [trie.render() for _, trie in sorted(by_length.items())]


def _either_case(character: str) -> str:
    lower, upper = character.lower(), character.upper()
    return f"[{lower}{upper}]" if lower != upper else re.escape(character)


@dataclass(slots=True, eq=False)
class RegexTrie:
    """Regular-expression pieces in a trie, so that the regex engine tests a shared start once."""

    children: dict[str, RegexTrie] = field(default_factory=dict)
    # What the pattern holds where an entry ends here, or None where none does.
    end: str | None = None

    def add(self, pieces: Iterable[str]) -> RegexTrie:
        """Add an entry's pieces and return the node where it ends."""
        node = self
        for piece in pieces:
            node = node.children.setdefault(piece, RegexTrie())
        return node

    def render(self) -> str:
        """Render the trie as nested alternations, longer entries tried first."""
        branches = [piece + child.render() for piece, child in self.children.items()]
        if self.end is not None:
            branches.append(self.end)
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"


_SPLITTERS = {code: _LanguageSplitter((code,)) for code in LANGUAGES}
# Unknown or mixed language: accept every language's abbreviations.
_ANY_LANGUAGE_SPLITTER = _LanguageSplitter(LANGUAGES)


def split_sentences(text: str, language: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of each sentence in text, without surrounding whitespace."""
    splitter = _SPLITTERS.get(language_code(language), _ANY_LANGUAGE_SPLITTER)
    candidates = list(splitter.full_stop.finditer(text))
    full_stops = len(candidates)
    if "\n" in text:
        # A blank line ends a paragraph, whatever punctuation it has.
        candidates.extend(PARAGRAPH_BREAK.finditer(text))
    for character, other_stop in _OTHER_STOPS:
        if character in text:
            candidates.extend(other_stop.finditer(text))
    if len(candidates) > full_stops:
        candidates.sort(key=re.Match.start)
    sentences: list[tuple[int, int]] = []
    sentence_start = len(text) - len(text.lstrip())
    for match in candidates:
        is_paragraph_break = match.re is PARAGRAPH_BREAK
        end, next_start = match.span() if is_paragraph_break else match.span("gap")
        if end == -1:  # a full stop glued to the next sentence
            end = next_start = match.end()
        # Part of a break already taken ("?.", or a blank line after a full stop).
        if end < sentence_start:
            continue
        if is_paragraph_break:
            end = sentence_start + len(text[sentence_start:end].rstrip())
        elif match.lastgroup == _CHECK_NEXT_WORD:
            # After an ambiguous abbreviation, only a word that typically opens a sentence
            # ("The", "Il") starts a new one.
            word = _FIRST_WORD.match(text, next_start)
            if word is None or word.group(1) not in splitter.openers:
                continue
        # Breaks end on punctuation and resume at a non-space, so no stripping is needed.
        if end > sentence_start:
            sentences.append((sentence_start, end))
        sentence_start = next_start
    end = len(text.rstrip())
    if end > sentence_start:
        sentences.append((sentence_start, end))
    return sentences


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of each paragraph in text, without surrounding whitespace."""
    return list(iter_paragraph_spans(text))


def iter_paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield the offsets of `paragraph_spans` one by one, reading no further than asked."""
    start = len(text) - len(text.lstrip())
    for match in PARAGRAPH_BREAK.finditer(text, start):
        end = match.start()
        if text[end - 1].isspace():  # spaces, or the "\r" of "\r\n", before the blank line
            end = start + len(text[start:end].rstrip())
        yield start, end
        start = match.end()
    end = len(text.rstrip())
    if end > start:
        yield start, end


def straight_apostrophes(text: str) -> str:
    """Return text with every apostrophe variant replaced by a straight apostrophe."""
    return text.translate(_STRAIGHT_APOSTROPHES)
