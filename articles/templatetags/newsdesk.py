import json

from django import template
from django.utils import dateformat
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from articles.selectors import sector_name

register = template.Library()

# The same escapes as django.utils.html.json_script: nothing in the data can close the tag.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter(name="sector_name")
def sector_name_filter(sector: str) -> str:
    """Show a sector slug in words ("consumer-electronics" as "Consumer electronics")."""
    return sector_name(sector)


@register.filter
def json_ld(data):
    """Render data as a schema.org JSON-LD script element."""
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


# The chart's drawing, in SVG user units: a 400-wide view box, so that at 390 px wide (some
# 360 px of content) its 13-unit text is drawn at 11.7 px and never smaller.
CHART_WIDTH = 400
PLOT_LEFT = 44  # room for the scale's numbers
PLOT_RIGHT = 394
PLOT_TOP = 10
PLOT_HEIGHT = 150
AXIS = PLOT_TOP + PLOT_HEIGHT
CHART_HEIGHT = AXIS + 44  # two rows of labels under the axis
FONT_SIZE = 13
# About how wide a character of a label is, and the least room between two labels.
CHARACTER_WIDTH = 7.5
LABEL_GAP = 6
# A bar per month up to three years, per quarter up to ten, then per year.
MONTHLY_UP_TO = 36
QUARTERLY_UP_TO = 120
UNITS = {"month": "Month", "quarter": "Quarter", "year": "Year"}


@register.inclusion_tag("includes/chart.html")
def stories_chart(months, name, subjects_only=True):
    """Draw an entity's stories over its whole history as an inline SVG bar chart, with a
    scale, and as a table for screen readers: a bar per month, quarter or year."""
    unit, periods = _periods(months)
    title = f"Stories {'about' if subjects_only else 'naming'} {name}, per {unit}"
    if not periods:
        return {"title": title, "periods": []}
    total = sum(period["stories"] for period in periods)
    peak = max(periods, key=lambda period: (period["stories"], period["start"]))
    step, top = _scale(peak["stories"])
    slot = (PLOT_RIGHT - PLOT_LEFT) / len(periods)
    # The marks are written here, not in the template: through the template engine, or
    # format_html escaping each number, they would cost more than the chart's query.
    marks = [*_scale_marks(step, top), *_bars(periods, slot, top), *_labels(unit, periods, slot)]
    span = f"from {periods[0]['name']} to {periods[-1]['name']}"
    return {
        "title": title,
        "caption": f"{title}, {span}",
        "summary": (
            f"{total} stor{'y' if total == 1 else 'ies'} {span}; the busiest {unit}, "
            f"{peak['name']}, had {peak['stories']}."
        ),
        "marks": mark_safe("\n".join(marks)),  # noqa: S308 (numbers and escaped names only)
        "periods": periods,
        "unit": UNITS[unit],
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "font_size": FONT_SIZE,
    }


def _periods(months: list[dict]) -> tuple[str, list[dict]]:
    """Return the unit that draws this history well and the stories per period of it."""
    if len(months) <= MONTHLY_UP_TO:
        unit = "month"
    elif len(months) <= QUARTERLY_UP_TO:
        unit = "quarter"
    else:
        unit = "year"
    periods: dict[tuple, dict] = {}
    for month in months:
        day = month["month"]
        key = {
            "month": (day.year, day.month),
            "quarter": (day.year, (day.month - 1) // 3),
            "year": (day.year,),
        }[unit]
        if key not in periods:
            periods[key] = {
                "start": day,
                "year": day.year,
                "stories": 0,
                "name": {
                    "month": dateformat.format(day, "F Y"),
                    "quarter": f"Q{(day.month - 1) // 3 + 1} {day.year}",
                    "year": str(day.year),
                }[unit],
            }
        periods[key]["stories"] += month["stories"]
    return unit, list(periods.values())


def _scale(peak: int) -> tuple[int, int]:
    """Return the scale's step (1, 2 or 5 times a power of ten) and top: at most four steps
    up to the peak."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if peak <= 4 * step:
                return step, step * max(1, -(-peak // step))
        magnitude *= 10


def _y(stories: int, top: int) -> float:
    return AXIS - stories / top * PLOT_HEIGHT


def _scale_marks(step: int, top: int) -> list[str]:
    """Return the gridlines and their numbers."""
    marks = []
    for stories in range(0, top + 1, step):
        y = _y(stories, top)
        marks.append(
            f'<line x1="{PLOT_LEFT}" y1="{y:.1f}" x2="{PLOT_RIGHT}" y2="{y:.1f}" '
            f'class="{"axis" if stories == 0 else "grid"}"/>'
            f'<text x="{PLOT_LEFT - 6}" y="{y + 4.5:.1f}" class="tick">{stories:,}</text>'
        )
    return marks


def _bars(periods: list[dict], slot: float, top: int) -> list[str]:
    """Return a bar per period, centred on its slot, with its name and count as a tooltip."""
    width = max(1.0, slot * 0.7)
    bars = []
    for index, period in enumerate(periods):
        stories = period["stories"]
        # A story is never drawn thinner than a line.
        height = max(1.5, stories / top * PLOT_HEIGHT) if stories else 0
        x = PLOT_LEFT + slot * (index + 0.5) - width / 2
        bars.append(
            f"<g><title>{escape(period['name'])}: {stories} "
            f"stor{'y' if stories == 1 else 'ies'}</title>"
            f'<rect x="{x:.1f}" y="{AXIS - height:.1f}" width="{width:.1f}" '
            f'height="{height:.1f}" class="bar"/></g>'
        )
    return bars


def _labels(unit: str, periods: list[dict], slot: float) -> list[str]:
    """Return the labels under the axis, each centred on what it names, none overlapping:
    months (as many as fit) with their years under them, or years."""
    labels = []  # (centre, text, row)
    if unit == "month":
        every = next((n for n in (1, 2, 3, 6) if slot * n >= 3 * CHARACTER_WIDTH + LABEL_GAP), 12)
        for index, period in enumerate(periods):
            if (period["start"].month - 1) % every == 0:
                labels.append((index, dateformat.format(period["start"], "M"), 1))
    years: dict[int, list[int]] = {}
    for index, period in enumerate(periods):
        years.setdefault(period["year"], []).append(index)
    row = 2 if unit == "month" else 1
    for year, indexes in years.items():
        labels.append(((indexes[0] + indexes[-1]) / 2, str(year), row))
    marks, right_edge = [], {1: float("-inf"), 2: float("-inf")}
    for index, text, row in sorted(labels, key=lambda label: (label[2], label[0])):
        centre = PLOT_LEFT + slot * (index + 0.5)
        half = len(text) * CHARACTER_WIDTH / 2
        if centre - half < max(0, right_edge[row] + LABEL_GAP) or centre + half > CHART_WIDTH:
            continue
        right_edge[row] = centre + half
        y = AXIS + (18 if row == 1 else 36)
        marks.append(f'<text x="{centre:.1f}" y="{y}" class="label">{escape(text)}</text>')
    return marks
