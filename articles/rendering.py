"""Turn an article's plain-text body into safe HTML paragraphs with its entities linked."""

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from entities.tagging.text import paragraph_spans


def linked_paragraphs(body: str, links: list[tuple[int, int, str]]) -> list[SafeString]:
    """Return the body's paragraphs as HTML, each (start, end, url) span made a link.

    Every piece of text is escaped; overlapping or out-of-range spans are skipped.
    """
    links = sorted(link for link in links if 0 <= link[0] < link[1] <= len(body))
    return [_render(body, start, end, links) for start, end in paragraph_spans(body)]


def _render(body: str, start: int, end: int, links) -> SafeString:
    parts, cursor = [], start
    for link_start, link_end, url in links:
        if link_start < cursor or link_end > end:
            continue
        parts.append(escape(body[cursor:link_start]))
        parts.append(
            format_html('<a href="{}" class="entity">{}</a>', url, body[link_start:link_end])
        )
        cursor = link_end
    parts.append(escape(body[cursor:end]))
    html = "".join(parts).replace("\n", "<br>")
    return mark_safe(html)  # noqa: S308  (every part above is escaped or built by format_html)
