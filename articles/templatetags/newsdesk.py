import json

from django import template
from django.utils import dateformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles.public_cache import cached_fragments

register = template.Library()

# The same escapes as django.utils.html.json_script: nothing in the data can close the tag.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """Render data as a schema.org JSON-LD script element."""
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.simple_tag(takes_context=True)
def filter_form(context):
    """Draw a story list's filter form, the same for every page of the same query.

    Its choices (the outlets, say) change only with the knowledge base, and what it shows
    filled in, with its errors, only with the query: it is drawn once per query.
    """
    request = context["request"]
    query = tuple(
        (key, tuple(values)) for key, values in sorted(request.GET.lists()) if key != "page"
    )
    stamp = (type(context["filterset"]).__name__, request.path, query)
    template = context.template.engine.get_template("includes/filter_form.html")
    drawn = cached_fragments(
        "filter-form", {"form": stamp}, lambda _: {"form": template.render(context)}
    )
    return drawn["form"]


CHART_HEIGHT = 120
BAR_WIDTH = 18
BAR_GAP = 4


@register.inclusion_tag("includes/chart.html")
def stories_chart(months, label):
    """Draw a stories-per-month bar chart as inline SVG, sized on the server."""
    peak = max((month["stories"] for month in months), default=0) or 1
    return {
        # The bars are drawn here: their hundred numbers and labels cost several times more
        # through the template engine.
        "bars": format_html_join(
            "\n", "{}", ((_bar(index, month, peak),) for index, month in enumerate(months))
        ),
        "label": label,
        "peak": peak if any(month["stories"] for month in months) else 0,
        "months": len(months),
        "width": len(months) * (BAR_WIDTH + BAR_GAP),
        "height": CHART_HEIGHT,
        "total": sum(month["stories"] for month in months),
    }


def _bar(index: int, month: dict, peak: int) -> str:
    stories = month["stories"]
    height = round(stories / peak * CHART_HEIGHT)
    x = index * (BAR_WIDTH + BAR_GAP)
    y = CHART_HEIGHT - height
    value = label = ""
    if stories:
        value = format_html(
            '<text x="{}" y="{}" class="value">{}</text>', x + BAR_WIDTH // 2, y - 3, stories
        )
    if month["month"].month in {1, 7}:
        label = format_html(
            '<text x="{}" y="{}" class="label">{}</text>',
            x,
            CHART_HEIGHT + 14,
            dateformat.format(month["month"], "M Y"),
        )
    return format_html(
        '<g><title>{}: {} stor{}</title><rect x="{}" y="{}" width="{}" height="{}" class="bar"/>'
        "{}{}</g>",
        dateformat.format(month["month"], "F Y"),
        stories,
        "y" if stories == 1 else "ies",
        x,
        y,
        BAR_WIDTH,
        height,
        value,
        label,
    )
