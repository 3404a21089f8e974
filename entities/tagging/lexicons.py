"""Load the engine's word lists from `data/`, once per process.

A list is a text file, one entry a line; "#" starts a comment and blank lines are skipped.
`data/<language>/<name>.txt` holds a language's entries and `data/any/<name>.txt` those
that hold in every language. `data/README.md` says what each list is for and how the
relationship lists' entries are written.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("en", "fr")
_EVERY_LANGUAGE = "any"
_COMMENT = re.compile(r"(?:^|\s)#.*")


@functools.cache
def word_list(name: str, languages: tuple[str, ...] = LANGUAGES) -> tuple[str, ...]:
    """Return the entries of a word list for languages, those of every language first."""
    codes = (_EVERY_LANGUAGE, *languages)
    if not any((DATA / code / f"{name}.txt").is_file() for code in (*codes, *LANGUAGES)):
        raise LookupError(f"no word list {name!r} in {DATA}")
    return tuple(entry for code in codes for entry in _read(DATA / code / f"{name}.txt"))


@functools.lru_cache(maxsize=256)
def language_code(language: str) -> str:
    """Return the bare ISO 639-1 code of a language tag ("fr-FR" → "fr", "" → "")."""
    return language.strip().lower().replace("_", "-").split("-")[0]


@functools.cache
def topics() -> tuple[str, ...]:
    """Return the slugs of the topics that have a word list, `data/*/topics/<slug>.txt`."""
    return tuple(sorted({path.stem for path in DATA.glob("*/topics/*.txt")}))


@functools.cache
def _read(path: Path) -> tuple[str, ...]:
    if not path.is_file():
        return ()
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(entry for line in lines if (entry := " ".join(_COMMENT.sub("", line).split())))
