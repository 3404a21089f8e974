"""The partnership list (one entry per pair), the pair page's evidence, and story chips."""

import pytest

from articles.models import Article
from tests.directory_data import company, relationship, story
from tests.public_site import tags, text

pytestmark = pytest.mark.django_db

SENTENCE = "Acme will supply chips to Bolt and invest in it, as rivals in phones."


@pytest.fixture
def acme_and_bolt():
    """Acme and Bolt: one sentence shows three kinds of relationship; an older story a
    fourth; an embargoed story and a draft add newer sentences readers may not see."""
    acme, bolt = company("Acme"), company("Bolt")
    older = story(acme, bolt, days_ago=9, title="Acme and Bolt, years ago", body="Old deal.")
    newer = story(acme, bolt, days_ago=2, title="Acme and Bolt sign", body=SENTENCE)
    embargoed = story(acme, bolt, days_ago=-2, title="Acme buys Bolt, soon")
    draft = story(acme, bolt, days_ago=1, status=Article.Status.DRAFT, title="Acme drafts")
    hidden = [(embargoed, "Acme will buy Bolt.", 0), (draft, "Acme drafted a deal.", 0)]
    for kind in ["supplier_customer", "investment", "competition"]:
        relationship(acme, bolt, kind, evidence=[(newer, SENTENCE, 0), *hidden])
    relationship(acme, bolt, "partnership", evidence=[(older, "Old deal.", 0), *hidden])
    return {"acme": acme, "bolt": bolt, "newer": newer, "older": older}


def test_the_partnership_list_has_one_entry_per_pair_with_every_kind(client, acme_and_bolt):
    cog, dyn, eon = company("Cog"), company("Dyn"), company("Eon")
    relationship(cog, eon, evidence=[(story(cog, eon, days_ago=5), "Cog and Eon.", 0)])
    relationship(cog, dyn, evidence=[])  # known from no public story
    response = client.get("/partnerships/")
    pairs = response.context["pairs"]
    assert [(pair.company_a.slug, pair.company_b.slug) for pair in pairs] == [
        ("acme", "bolt"),
        ("cog", "eon"),
    ]
    assert [r.kind for r in pairs[0].relationships] == [
        "partnership",
        "supplier_customer",
        "competition",
        "investment",
    ]
    html = text(response)
    assert html.count('href="/partnerships/acme/bolt/"') == 1
    start = html.index('href="/partnerships/acme/bolt/"')
    entry = html[start : html.index("</li>", start)]
    badges = [span["class"] for span in tags(entry, "span") if "badge" in span["class"]]
    assert badges == [
        "badge badge-partnership",
        "badge badge-supplier_customer",
        "badge badge-competition",
        "badge badge-investment",
    ]


def test_a_pair_entry_quotes_its_newest_public_evidence(client, acme_and_bolt):
    html = text(client.get("/partnerships/"))
    newer = acme_and_bolt["newer"]
    assert f'<blockquote lang="en">{SENTENCE}</blockquote>' in html
    assert f'<a href="{newer.get_absolute_url()}" lang="en">Acme and Bolt sign</a>' in html
    for hidden in ["Acme will buy Bolt.", "Acme drafted a deal.", "Acme buys Bolt, soon"]:
        assert hidden not in html


def test_a_filter_by_kind_lists_the_pairs_with_that_kind(client, acme_and_bolt):
    cog, eon = company("Cog"), company("Eon")
    relationship(cog, eon, evidence=[(story(cog, eon), "Cog and Eon.", 0)])
    response = client.get("/partnerships/", {"kind": "investment"})
    assert [pair.company_a.slug for pair in response.context["pairs"]] == ["acme"]
    response = client.get("/partnerships/", {"kind": "partnership"})
    assert [pair.company_a.slug for pair in response.context["pairs"]] == ["cog", "acme"]


def test_the_pair_page_quotes_each_sentence_once_by_story(client, acme_and_bolt):
    response = client.get("/partnerships/acme/bolt/")
    html = text(response)
    assert html.count(SENTENCE) == 1
    assert html.count('href="{}"'.format(acme_and_bolt["newer"].get_absolute_url())) == 2
    quote = html[html.index(SENTENCE) :]
    quote = quote[: quote.index("</figure>")]
    assert [span.get("class") for span in tags(quote, "span")] == ["badge"] * 3
    assert "Supplier and customer" in quote
    assert "Competition" in quote
    assert "Investment" in quote
    stories = [item.story.title for item in response.context["evidence"]]
    assert stories == ["Acme and Bolt sign", "Acme and Bolt, years ago"]
    for hidden in ["Acme will buy Bolt.", "Acme drafted a deal."]:
        assert hidden not in html


def test_a_story_item_says_how_many_more_it_names(client):
    named = [company(f"Company {n}") for n in range(8)]
    listed = story(*named, title="Eight companies")
    html = text(client.get("/"))
    item = html[html.index("Eight companies") :]
    item = item[: item.index("</ul>")]
    chips = [a for a in tags(item, "a") if "chip" in a.get("class", "")]
    assert [a["href"] for a in chips[:5]] == [company.get_absolute_url() for company in named[:5]]
    assert chips[5]["class"] == "chip chip-more"
    assert chips[5]["href"] == listed.get_absolute_url()
    assert ">+3 more</a>" in item


def test_a_story_item_naming_five_shows_no_more(client):
    story(*[company(f"Company {n}") for n in range(5)], title="Five companies")
    assert "more</a>" not in text(client.get("/"))


def test_a_pair_page_shows_the_pair_among_each_story_s_chips(client):
    named = [company(f"Company {n}") for n in range(6)]
    pair = company("Zed"), company("Yak")
    story(*named, *pair, title="Zed, Yak and six others")
    relationship(*pair, evidence=[])
    response = client.get("/partnerships/yak/zed/")
    (listed,) = response.context["stories"]
    assert [entity.slug for entity in listed.chips[:2]] == ["yak", "zed"]
    assert len(listed.chips) == 5
    assert listed.more_chips == 3
    home = client.get("/").context["stories"][0]
    assert "yak" not in [entity.slug for entity in home.chips]
