"""The company directory (/companies/): order, who is listed, cards, filters and pages."""

import re

import pytest

from articles import selectors
from articles.cache import new_site_generation
from articles.models import Article, Mention
from entities.models import Alias, Entity
from tests.directory_data import company, relationship, story
from tests.public_site import tags, text

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    return [company.name for company in response.context["companies"]]


def test_companies_come_latest_story_first(client):
    old, new, middle = company("Old Co"), company("New Co"), company("Middle Co")
    story(old, days_ago=30)
    story(new, days_ago=1)
    story(middle, days_ago=10)
    story(old, days_ago=60)
    assert listed(client.get("/companies/")) == ["New Co", "Middle Co", "Old Co"]


def test_companies_with_the_same_latest_story_come_by_name(client):
    story(company("Zeta"), company("alpha"), company("Mu"), days_ago=2)
    story(company("Latest"), days_ago=1)
    assert listed(client.get("/companies/")) == ["Latest", "alpha", "Mu", "Zeta"]


def test_alphabetical_order_ignores_case_and_accents(client):
    names = ["Zeta", "eBay", "AT&T", "ASML", "Ébène Systems", "AMD", "Eagle", "Acer"]
    for days_ago, name in enumerate(names):
        story(company(name), days_ago=days_ago + 1)
    response = client.get("/companies/", {"sort": "name"})
    assert listed(response) == [
        "Acer",
        "AMD",
        "ASML",
        "AT&T",
        "Eagle",
        "eBay",
        "Ébène Systems",
        "Zeta",
    ]
    assert '<a href="/companies/" aria-current' not in text(response)
    assert '<a href="?sort=name" aria-current="page">Name, A to Z</a>' in text(response)


def test_companies_without_a_public_story_are_listed_only_on_request(client):
    named = company("Named Co")
    story(named)
    hidden = {
        "Draft Co": {"status": Article.Status.DRAFT},
        "Review Co": {"status": Article.Status.IN_REVIEW},
        "Archived Co": {"status": Article.Status.ARCHIVED},
        "Embargo Co": {"days_ago": -2},
    }
    for name, fields in hidden.items():
        story(company(name), **fields)
    rejected = story(company("Rejected Co"))
    Mention.objects.filter(article=rejected).update(status=Mention.Status.REJECTED)
    company("Unnamed Co")
    assert listed(client.get("/companies/")) == ["Named Co"]
    assert listed(client.get("/companies/", {"sort": "name"})) == ["Named Co"]
    everyone = [*sorted([*hidden, "Rejected Co", "Unnamed Co"])]
    assert listed(client.get("/companies/", {"show": "all"})) == ["Named Co", *everyone]
    assert listed(client.get("/companies/", {"show": "all", "sort": "name"})) == sorted(
        ["Named Co", *everyone]
    )
    html = text(client.get("/companies/", {"show": "all"}))
    assert html.count("No story yet") == len(everyone)


def test_stories_readers_cannot_see_never_place_or_show_a_company(client):
    first, second = company("First Co"), company("Second Co")
    public = story(first, days_ago=20, title="The public one")
    story(second, days_ago=10)
    for fields in [{"days_ago": -1}, {"days_ago": 1, "status": Article.Status.DRAFT}]:
        story(first, title="Hidden from readers", **fields)
    response = client.get("/companies/")
    assert listed(response) == ["Second Co", "First Co"]
    (card,) = [found for found in response.context["companies"] if found == first]
    assert card.latest_story == public
    assert "Hidden from readers" not in text(response)


def test_a_card_links_its_latest_story_and_counts_public_relationships(client):
    acme, other, third, fourth = (company(name) for name in ["Acme", "Other", "Third", "Fourth"])
    latest = story(acme, other, days_ago=2, title="Acme and Other team up")
    story(acme, days_ago=5)
    relationship(acme, other, evidence=[(latest, "Acme and Other team up.", 0)])
    relationship(
        acme, other, "supplier_customer", evidence=[(latest, "Acme and Other team up.", 0)]
    )
    relationship(acme, third, "competition", evidence=[(latest, "Acme beats Third.", 30)])
    relationship(acme, fourth, status="rejected", evidence=[(latest, "Acme and Fourth.", 60)])
    embargoed = story(acme, days_ago=-3)
    relationship(acme, company("Later"), evidence=[(embargoed, "Acme and Later.", 0)])
    html = text(client.get("/companies/"))
    card = html[html.index('<a href="/companies/acme/">') :]
    card = card[: card.index("</li>")]
    assert (
        f'Latest: <a href="{latest.get_absolute_url()}" lang="en">Acme and Other team up</a>'
        in (card)
    )
    assert latest.published_at.strftime("%-d %B %Y") in card
    assert '<a href="/partnerships/?company=acme">Relationships with 2 companies</a>' in card


def test_sectors_read_as_words(client):
    story(company("Gadget Co", sector="consumer-electronics"))
    story(company("Brain Co", sector="ai"))
    html = text(client.get("/companies/"))
    assert '<p class="kind">Consumer electronics</p>' in html
    assert '<option value="consumer-electronics">Consumer electronics</option>' in html
    assert '<option value="ai">AI</option>' in html
    assert "consumer-electronics</" not in html


def test_sector_filter_lists_that_sector(client):
    story(company("Gadget Co", sector="consumer-electronics"))
    story(company("Brain Co", sector="ai"))
    response = client.get("/companies/", {"sector": "ai"})
    assert listed(response) == ["Brain Co"]


def test_name_search_matches_names_and_aliases(client):
    alphabet = company("Alphabet")
    Alias.objects.create(entity=alphabet, text="Google")
    story(alphabet)
    story(company("Meta Platforms"))
    assert listed(client.get("/companies/", {"q": "platforms"})) == ["Meta Platforms"]
    assert listed(client.get("/companies/", {"q": "goog"})) == ["Alphabet"]


def test_the_first_letter_is_a_bar_of_links_not_a_text_box(client):
    story(company("Acer"))
    html = text(client.get("/companies/"))
    assert not [field for field in tags(html, "input") if field.get("name") == "letter"]
    links = [a["href"] for a in tags(html, "a") if re.fullmatch(r"\?letter=.*", a["href"])]
    assert len(links) == 27
    assert '<a href="?letter=%23">#</a>' in html
    chosen = text(client.get("/companies/", {"letter": "A", "sort": "name"}))
    assert '<input type="hidden" name="letter" value="A"' in chosen
    assert '<a href="?sort=name&amp;letter=A" aria-current="page">A</a>' in chosen


def test_a_letter_lists_names_under_it_accents_included(client):
    for name in ["Ébène Systems", "Eagle", "3D Printing Group", "Zeta"]:
        story(company(name))
    assert sorted(listed(client.get("/companies/", {"letter": "E"}))) == [
        "Eagle",
        "Ébène Systems",
    ]
    assert listed(client.get("/companies/", {"letter": "#"})) == ["3D Printing Group"]


def test_pages_say_next_and_previous(client):
    for n in range(30):
        story(company(f"Company {n:02d}"), days_ago=n + 1)
    first = client.get("/companies/")
    second = client.get("/companies/", {"page": 2})
    assert len(first.context["companies"]) == 24
    assert listed(second) == [f"Company {n:02d}" for n in range(24, 30)]
    assert '<a rel="next" href="?page=2">Next</a>' in text(first)
    assert '<a rel="prev" href="?page=1">Previous</a>' in text(second)
    for html in [text(first), text(second)]:
        assert "Newer" not in html
        assert "Older" not in html
    by_name = text(client.get("/companies/", {"sort": "name"}))
    assert '<a rel="next" href="?sort=name&amp;page=2">Next</a>' in by_name


@pytest.mark.parametrize("everyone", [False, True])
def test_pages_follow_one_order_past_the_newest_stories(client, monkeypatch, everyone):
    """Past the companies the newest stories name, pages are ranked from each company's
    timeline: the pages still follow one another in one order."""
    for n in range(30):
        story(company(f"Company {n:02d}"), days_ago=n + 1)
    company("Quiet Co")
    query = {"show": "all"} if everyone else {}
    whole = [
        *listed(client.get("/companies/", query)),
        *listed(client.get("/companies/", {**query, "page": 2})),
    ]
    # The first page from the newest stories, the second from the timelines.
    monkeypatch.setattr(selectors, "ACTIVITY_WINDOW", 26)
    new_site_generation()
    pages = [
        *listed(client.get("/companies/", query)),
        *listed(client.get("/companies/", {**query, "page": 2})),
    ]
    assert pages == whole
    assert whole == [f"Company {n:02d}" for n in range(30)] + (["Quiet Co"] if everyone else [])


def test_an_invalid_filter_shows_an_error_and_the_directory(client):
    story(company("Acer"))
    response = client.get("/companies/", {"sort": "size", "letter": "ab"})
    assert response.status_code == 200
    assert set(response.context["filterset"].errors) == {"sort", "letter"}
    assert "Some filters were not understood, so every company is shown" in text(response)
    assert listed(response) == ["Acer"]


def test_a_company_page_names_its_sector_in_words(client, kb):
    Entity.objects.filter(pk=kb["lg-electronics"].pk).update(sector="consumer-electronics")
    page = client.get("/companies/lg-electronics/").content.decode()
    assert "Company · Consumer electronics" in page
