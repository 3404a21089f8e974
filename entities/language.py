"""Language detection for articles whose editor left the language blank.

Lingua is used because it stays accurate on short texts (a title and a standfirst), works
offline with no model download, and is maintained. The detector is restricted to the
languages a tech newsroom meets, which keeps it fast and its memory small.
"""

from functools import cache

from lingua import Language, LanguageDetectorBuilder

SUPPORTED_LANGUAGES = (
    Language.ENGLISH,
    Language.FRENCH,
    Language.GERMAN,
    Language.SPANISH,
    Language.ITALIAN,
    Language.PORTUGUESE,
    Language.DUTCH,
)
LANGUAGE_CHOICES = [
    (language.iso_code_639_1.name.lower(), language.name.title())
    for language in SUPPORTED_LANGUAGES
]
# Enough to decide; the rest of a long body only costs time.
SAMPLE_CHARS = 2_000


@cache
def _detector():
    return LanguageDetectorBuilder.from_languages(*SUPPORTED_LANGUAGES).build()


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of the text's language, or "" when it cannot be told."""
    language = _detector().detect_language_of(text[:SAMPLE_CHARS])
    if language is None:
        return ""
    return language.iso_code_639_1.name.lower()
