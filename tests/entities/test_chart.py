"""The stories chart of a timeline: the whole history, a scale, labels and a text alternative."""

import re

import pytest
from django.utils import timezone

from articles.templatetags.newsdesk import _scale, stories_chart
from tests.public_site import at, chart, tags, text

# What a 390 px wide phone leaves the chart: the page's 1 rem margins taken off.
PHONE_CONTENT_PX = 390 - 2 * 16
SMALLEST_READABLE_PX = 11


def months_between(first, last) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


def test_the_chart_covers_a_long_history_a_bar_per_year(client, publish):
    for year, month in [(2012, 5), (2012, 9), (2019, 3), (2024, 3)]:
        publish("Nvidia ships a chip", "Nvidia shipped a chip.", published_at=at(year, month, 2))
    bars = chart(client.get("/companies/nvidia/"))
    this_year = timezone.localdate().year
    assert list(bars) == [str(year) for year in range(2012, this_year + 1)]
    assert {year: n for year, n in bars.items() if n} == {"2012": 2, "2019": 1, "2024": 1}


def test_the_chart_covers_a_few_years_a_bar_per_quarter(client, publish):
    today = timezone.localdate()
    first = today.replace(year=today.year - 4, month=1, day=15)
    publish("Nvidia ships a chip", "Nvidia shipped a chip.", published_at=at(first.year, 1, 15))
    bars = chart(client.get("/companies/nvidia/"))
    assert next(iter(bars)) == f"Q1 {first.year}"
    assert list(bars)[-1] == f"Q{(today.month - 1) // 3 + 1} {today.year}"
    assert len(bars) == 4 * 4 + (today.month - 1) // 3 + 1
    assert {quarter: n for quarter, n in bars.items() if n} == {f"Q1 {first.year}": 1}


def test_a_recent_history_is_a_bar_per_month_up_to_this_month(client, publish):
    now = timezone.now()
    for days_ago in [200, 20, 19]:
        publish(
            "Nvidia ships a chip",
            "Nvidia shipped a chip.",
            published_at=now - timezone.timedelta(days=days_ago),
        )
    bars = chart(client.get("/companies/nvidia/"))
    first = (now - timezone.timedelta(days=200)).date()
    assert len(bars) == months_between(first, now.date())
    assert list(bars)[-1] == timezone.localdate().strftime("%B %Y")
    assert sum(bars.values()) == 3


def test_the_chart_has_a_title_a_scale_and_a_text_alternative(client, publish):
    for day in [1, 2, 3, 4, 5, 6, 7]:
        publish("Nvidia ships a chip", "Nvidia shipped a chip.", published_at=at(2021, 3, day))
    html = text(client.get("/companies/nvidia/"))
    svg = html[html.index("<svg") : html.index("</svg>")]
    (root,) = tags(svg, "svg")
    assert root["role"] == "img"
    assert root["aria-labelledby"] == "chart-title chart-desc"
    assert '<title id="chart-title">Stories about Nvidia, per quarter</title>' in svg
    assert re.search(r'<desc id="chart-desc">7 stories from Q1 2021 to Q\d \d{4}; ', svg)
    assert "the busiest quarter, Q1 2021, had 7." in svg
    # A scale of round steps up to the busiest bar, each with its gridline.
    ticks = re.findall(r'<text x="[\d.]+" y="[\d.]+" class="tick">(\d+)</text>', svg)
    assert ticks == ["0", "2", "4", "6", "8"]
    assert svg.count('class="grid"') == 4
    # The same figures as a table, for whoever cannot see the chart.
    table = html[html.index('<table class="visually-hidden">') : html.index("</table>")]
    assert '<th scope="col">Quarter</th><th scope="col">Stories</th>' in table
    assert '<tr><th scope="row">Q1 2021</th><td>7</td></tr>' in table


def test_labels_are_centred_on_what_they_name(client, publish):
    # Some 17 months: a bar per month, months named under their bars, years under theirs.
    publish(
        "Nvidia ships a chip",
        "Nvidia shipped a chip.",
        published_at=timezone.now() - timezone.timedelta(days=500),
    )
    svg = text(client.get("/companies/nvidia/"))
    centres = [
        float(bar["x"]) + float(bar["width"]) / 2
        for bar in tags(svg, "rect")
        if bar.get("class") == "bar"
    ]
    labels = re.findall(r'<text x="([\d.]+)" y="\d+" class="label">(\w+)</text>', svg)
    months = [(float(x), name) for x, name in labels if not name.isdigit()]
    years = [(float(x), name) for x, name in labels if name.isdigit()]
    assert len(months) >= 4
    assert len(years) >= 1
    for x, name in months:
        assert any(abs(x - centre) < 0.2 for centre in centres), name
    for x, name in years:
        between = [(a + b) / 2 for a in centres for b in centres if a <= b]
        assert any(abs(x - middle) < 0.2 for middle in between), name


def test_text_is_drawn_no_smaller_than_11_px_on_a_390_px_screen():
    months = [{"month": at(2024, month, 1).date(), "stories": month} for month in range(1, 13)]
    drawn = stories_chart(months, "Nvidia")
    assert drawn["font_size"] * PHONE_CONTENT_PX / drawn["width"] >= SMALLEST_READABLE_PX


@pytest.mark.parametrize(
    ("peak", "step", "top"), [(0, 1, 1), (1, 1, 1), (3, 1, 3), (7, 2, 8), (36, 10, 40)]
)
def test_the_scale_has_round_steps_up_to_the_peak(peak, step, top):
    assert _scale(peak) == (step, top)


def test_a_company_without_a_public_story_says_so(client, kb):
    html = text(client.get("/companies/apple/"))
    assert "<svg" not in html
    assert "No public story yet." in html
