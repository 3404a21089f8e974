"""What a story page says: its title, text, byline, date, language and canonical URL.

trafilatura finds the story among the navigation, advertising and comments around it, and
reads the page's metadata (canonical link, author and date tags).
"""

import datetime as dt
from dataclasses import dataclass

import lxml.html
import trafilatura
from django.utils import timezone

from entities.language import LANGUAGE_CHOICES, detect_language

KNOWN_LANGUAGES = {code for code, _ in LANGUAGE_CHOICES}
# Paragraph-like elements of a feed item's HTML, each made one paragraph of the body.
# Fewer words than this is a menu or a notice, not a story (the shortest brief has more).
MIN_STORY_WORDS = 20
BLOCKS = ("p", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre")


class ExtractionError(ValueError):
    pass


@dataclass(frozen=True)
class Extracted:
    title: str
    body: str
    byline: str
    published_at: dt.datetime | None
    language: str
    canonical_url: str


def page_extract(*, html: bytes | str, url: str) -> Extracted:
    """Return the story a page tells, without what surrounds it; raise ExtractionError."""
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        # With the time when the page gives one, not only the day.
        date_extraction_params={
            "original_date": True,
            "extensive_search": True,
            "outputformat": "%Y-%m-%dT%H:%M:%S%z",
        },
    )
    if document is None or not (document.text or "").strip():
        raise ExtractionError(f"No story text was found on {url}.")
    title = (document.title or "").strip()
    # trafilatura gives one line per paragraph; the newsroom separates them by a blank line.
    paragraphs = [line.strip() for line in document.text.splitlines() if line.strip()]
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    body = "\n\n".join(paragraphs)
    if len(body.split()) < MIN_STORY_WORDS:
        raise ExtractionError(f"No story text was found on {url}.")
    language = known_language(document.language) or detect_language(f"{title}\n{body}")
    return Extracted(
        title=title,
        body=body,
        byline=(document.author or "").strip(),
        published_at=parse_date(document.date),
        language=language,
        canonical_url=document.url or url,
    )


def known_language(declared: str | None) -> str:
    """Return a declared language ("en-GB", "FR") as a Newsdesk code, or "" if none of them."""
    language = (declared or "").lower()[:2]
    return language if language in KNOWN_LANGUAGES else ""


def parse_date(value: str | None) -> dt.datetime | None:
    """Return a page's date as an aware datetime (midnight UTC for a day alone), or None."""
    if not value:
        return None
    for pattern in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d"):
        try:
            moment = dt.datetime.strptime(value, pattern)
        except ValueError:
            continue
        return moment if timezone.is_aware(moment) else moment.replace(tzinfo=dt.UTC)
    return None


def html_text(fragment: str) -> str:
    """Return an HTML fragment (a feed item's content) as plain text, a paragraph a block."""
    if not fragment.strip():
        return ""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    for hidden in root.xpath("//script | //style"):
        hidden.drop_tree()
    found = root.xpath("|".join(f"//{tag}" for tag in BLOCKS))
    # A paragraph inside a list item or a quotation is read once, with its block.
    blocks = [b for b in found if not any(a.tag in BLOCKS for a in b.iterancestors())]
    texts = [block.text_content() for block in blocks] if blocks else [root.text_content()]
    return "\n\n".join(" ".join(text.split()) for text in texts if text.strip())
