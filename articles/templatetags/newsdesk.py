import json

from django import template
from django.utils import dateformat
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The same escapes as django.utils.html.json_script: nothing in the data can close the tag.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """Render data as a schema.org JSON-LD script element."""
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


CHART_HEIGHT = 120
BAR_WIDTH = 18
BAR_GAP = 4


@register.inclusion_tag("includes/chart.html")
def stories_chart(months, label):
    """Draw a stories-per-month bar chart as inline SVG, sized on the server."""
    peak = max((month["stories"] for month in months), default=0) or 1
    # The bars are written here, not in the template: through the template engine, or
    # format_html escaping each of their hundred numbers, they cost more than the queries.
    bars = "\n".join(_bar(index, month, peak) for index, month in enumerate(months))
    return {
        "bars": mark_safe(bars),  # noqa: S308 (integers and escaped labels only)
        "label": label,
        "peak": peak if any(month["stories"] for month in months) else 0,
        "months": len(months),
        "width": len(months) * (BAR_WIDTH + BAR_GAP),
        "height": CHART_HEIGHT,
        "total": sum(month["stories"] for month in months),
    }


def _bar(index: int, month: dict, peak: int) -> str:
    """Return a bar's SVG: integers, and month names escaped."""
    stories = month["stories"]
    height = round(stories / peak * CHART_HEIGHT)
    x = index * (BAR_WIDTH + BAR_GAP)
    y = CHART_HEIGHT - height
    name = escape(dateformat.format(month["month"], "F Y"))
    bar = (
        f"<g><title>{name}: {stories} stor{'y' if stories == 1 else 'ies'}</title>"
        f'<rect x="{x}" y="{y}" width="{BAR_WIDTH}" height="{height}" class="bar"/>'
    )
    if stories:
        bar += f'<text x="{x + BAR_WIDTH // 2}" y="{y - 3}" class="value">{stories}</text>'
    if month["month"].month in {1, 7}:
        short_name = escape(dateformat.format(month["month"], "M Y"))
        bar += f'<text x="{x}" y="{CHART_HEIGHT + 14}" class="label">{short_name}</text>'
    return bar + "</g>"
