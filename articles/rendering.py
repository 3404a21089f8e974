"""Turn an article's plain-text body into safe HTML paragraphs with its entities linked or
highlighted."""

import re
from collections.abc import Callable

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from entities.tagging.text import paragraph_spans

# An excerpt keeps about this many characters each side of the name it quotes.
EXCERPT_MARGIN = 120


def linked_paragraphs(body: str, links: list[tuple[int, int, str]]) -> list[SafeString]:
    """Return the body's paragraphs as HTML, each (start, end, url) span made a link.

    Every piece of text is escaped; overlapping or out-of-range spans are skipped.
    """
    return marked_paragraphs(
        body,
        links,
        lambda text, url: format_html('<a href="{}" class="entity">{}</a>', url, text),
    )


def marked_paragraphs(
    body: str, spans: list[tuple[int, int, object]], render: Callable[[str, object], SafeString]
) -> list[SafeString]:
    """Return the body's paragraphs as HTML, each (start, end, value) span drawn by
    render(text, value); the rest escaped. Overlapping or out-of-range spans are skipped."""
    spans = sorted(
        (span for span in spans if 0 <= span[0] < span[1] <= len(body)),
        key=lambda span: span[:2],
    )
    return [_render(body, start, end, spans, render) for start, end in paragraph_spans(body)]


def _render(body: str, start: int, end: int, spans, render) -> SafeString:
    return mark_safe(_drawn(body, start, end, spans, render).replace("\n", "<br>"))  # noqa: S308


def _drawn(body: str, start: int, end: int, spans, render) -> SafeString:
    """Return body[start:end] as HTML, each sorted (start, end, value) span inside it drawn by
    render(text, value); the rest escaped."""
    parts, cursor = [], start
    for span_start, span_end, value in spans:
        if span_start < cursor or span_end > end:
            continue
        parts.append(escape(body[cursor:span_start]))
        parts.append(render(body[span_start:span_end], value))
        cursor = span_end
    parts.append(escape(body[cursor:end]))
    return mark_safe("".join(parts))  # noqa: S308  (every part is escaped or built by format_html)


def names_marked(text: str, names) -> SafeString:
    """Return text as HTML with every whole-word, any-case occurrence of one of names in <mark>."""
    names = sorted({name for name in names if name.strip()}, key=len, reverse=True)
    if not names:
        return escape(text)
    found = re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, names))})(?!\w)", re.IGNORECASE)
    spans = [(match.start(), match.end(), None) for match in found.finditer(text)]
    return _drawn(text, 0, len(text), spans, lambda name, _: format_html("<mark>{}</mark>", name))


def excerpt_with_name(text: str, start: int, end: int, margin: int = EXCERPT_MARGIN) -> SafeString:
    """Return text[start:end] in <mark>, with up to `margin` characters each side, cut
    between words ("…" where cut)."""
    before, after = text[:start], text[end:]
    if len(before) > margin:
        cut = before[-margin:]
        before = "…" + (cut.split(None, 1)[1] if " " in cut.strip() else cut).lstrip()
    if len(after) > margin:
        cut = after[:margin]
        after = (cut.rsplit(None, 1)[0] if " " in cut.strip() else cut).rstrip() + "…"
    return format_html("{}<mark>{}</mark>{}", before, text[start:end], after)
