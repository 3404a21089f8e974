"""The stories-per-month chart of a timeline: which months it spans."""

from django.utils import timezone

from tests.public_site import at, chart


def test_the_chart_spans_the_24_months_up_to_the_latest_story(client, publish):
    for year, month, day in [(2024, 3, 20), (2022, 4, 1), (2022, 3, 31)]:
        publish("Nvidia ships a chip", "Nvidia shipped a chip.", published_at=at(year, month, day))
    bars = chart(client.get("/companies/nvidia/"))
    months = list(bars)
    assert (len(months), months[0], months[-1]) == (24, "April 2022", "March 2024")
    assert {month: n for month, n in bars.items() if n} == {"April 2022": 1, "March 2024": 1}


def test_a_chart_with_no_story_ends_this_month(client, kb):
    bars = chart(client.get("/companies/apple/"))
    assert len(bars) == 24
    assert list(bars)[-1] == timezone.localdate().strftime("%B %Y")
    assert not any(bars.values())
