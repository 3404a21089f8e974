"""The public entity pages: companies, timelines, partnerships and pair pages."""

import pytest

from articles.cache import new_site_generation
from articles.models import Article, Mention
from entities.models import Entity, Relationship
from tests.public_site import at, chart, position, tags, text

# The newsroom is built once for the module; every test here sees it.
pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [story.title for story in response.context["stories"]]


def story_titles(newsroom, *keys) -> list[str]:
    return [newsroom.stories[key].title for key in keys]


# --- Company timeline ---------------------------------------------------------------------


def test_company_timeline_lists_stories_about_it_newest_first(client, newsroom):
    response = client.get("/companies/meta-platforms/")
    assert response.status_code == 200
    assert titles(response) == story_titles(newsroom, "meta-lg-fr", "meta-lg", "samsung-meta")


def test_company_timeline_can_show_every_story_naming_it(client, newsroom):
    response = client.get("/companies/meta-platforms/", {"mentions": "all"})
    assert titles(response) == story_titles(
        newsroom, "nvidia-revenue", "meta-lg-fr", "meta-lg", "samsung-meta"
    )
    assert '<a href="/companies/meta-platforms/">Show only stories about it</a>' in text(response)


def test_company_timeline_groups_stories_by_month(client, newsroom):
    html = text(client.get("/companies/meta-platforms/"))
    march, february, november = position(
        html,
        '<h2 class="month-heading">March 2024</h2>',
        '<h2 class="month-heading">February 2024</h2>',
        '<h2 class="month-heading">November 2023</h2>',
    )
    assert march < february < november
    assert "December 2023</h2>" not in html


def test_company_chart_counts_stories_over_the_whole_history(client, newsroom):
    response = client.get("/companies/meta-platforms/")
    bars = chart(response)
    assert next(iter(bars)) in {"November 2023", "Q4 2023", "2023"}
    assert sum(bars.values()) == 3
    assert "3 stories from " in text(response)


def test_company_chart_follows_the_mentions_switch(client, newsroom):
    about = chart(client.get("/companies/meta-platforms/"))
    naming = chart(client.get("/companies/meta-platforms/", {"mentions": "all"}))
    assert sum(naming.values()) == sum(about.values()) + 1
    assert list(naming) == list(about)


def test_relationship_cards_put_partnerships_first_and_link_pair_pages(client, newsroom):
    response = client.get("/companies/samsung-electronics/")
    html = text(response)
    assert [label for label, _ in response.context["relationship_groups"]] == [
        "Partnership",
        "Supplier and customer",
        "Competition",
    ]
    partnership, supply, competition = position(
        html, "<h3>Partnership</h3>", "<h3>Supplier and customer</h3>", "<h3>Competition</h3>"
    )
    nvidia_card = html[html.index('href="/partnerships/nvidia/samsung-electronics/"') :]
    assert nvidia_card.index('<span class="topic">Chips</span><span class="topic">Cloud</span>') < (
        nvidia_card.index("</li>")
    )
    assert partnership < supply < competition
    links = {a["href"] for a in tags(html, "a")}
    assert {
        "/partnerships/meta-platforms/samsung-electronics/",
        "/partnerships/nvidia/samsung-electronics/",
        "/partnerships/apple/samsung-electronics/",
        "/partnerships/?company=samsung-electronics",
    } <= links


def test_relationship_cards_show_the_latest_and_link_to_every_one(client, newsroom):
    samsung = Entity.objects.get(slug="samsung-electronics")
    partners = [
        Entity.objects.create(kind=Entity.Kind.COMPANY, name=f"Partner {n:02d}", slug=f"p{n:02d}")
        for n in range(15)
    ]
    for n, partner in enumerate(partners):
        Relationship.objects.create(
            company_a=partner,
            company_b=samsung,
            kind=Relationship.Kind.PARTNERSHIP,
            status=Relationship.Status.CONFIRMED,
            last_seen=at(2025, 1, 1 + n),
        )
    cards = client.get("/companies/samsung-electronics/").context["relationship_groups"]
    shown = [relationship.partner.name for _, group in cards for relationship in group]
    assert shown == [f"Partner {n:02d}" for n in range(14, 2, -1)]
    every_one = client.get("/partnerships/", {"company": "samsung-electronics"})
    assert len(every_one.context["pairs"]) > 12


def test_company_page_names_people_and_products_seen_with_it(client, newsroom):
    meta = client.get("/companies/meta-platforms/")
    assert [person.slug for person, _ in meta.context["people"]] == [
        "mark-zuckerberg",
        "william-cho",
    ]
    samsung = client.get("/companies/samsung-electronics/")
    assert {product.slug for product, _ in samsung.context["products"]} == {
        "nvidia-h100",
        "apple-vision-pro",
    }
    assert '<a class="chip chip-product" href="/products/nvidia-h100/">' in text(samsung)


def test_company_page_shows_parent_and_subsidiaries(client, newsroom):
    subsidiary = text(client.get("/companies/lg-electronics/"))
    parent = text(client.get("/companies/lg-corp/"))
    assert 'Part of <a href="/companies/lg-corp/">LG Corp</a>' in subsidiary
    assert 'Subsidiaries: <a href="/companies/lg-electronics/">LG Electronics</a>' in parent


def test_company_page_shows_description_and_sector(client, newsroom):
    html = text(client.get("/companies/meta-platforms/"))
    assert "Owner of Facebook and of mixed-reality headsets." in html
    assert "Company · Internet" in html


@pytest.mark.parametrize(
    "url",
    [
        "/companies/no-such-company/",
        "/companies/mark-zuckerberg/",
        "/people/meta-platforms/",
        "/products/apple/",
    ],
)
def test_unknown_entity_or_wrong_kind_is_not_found(client, newsroom, url):
    assert client.get(url).status_code == 404


# --- Timeline filters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"published_after": "2024-03-01"}, ["nvidia-revenue", "meta-lg-fr"]),
        ({"published_before": "2024-02-29"}, ["meta-lg", "samsung-meta"]),
        ({"published_after": "2024-02-29", "published_before": "2024-02-29"}, ["meta-lg"]),
        ({"language": "fr"}, ["meta-lg-fr"]),
        ({"also": "mark-zuckerberg"}, ["meta-lg"]),
        ({"also": "lg-electronics"}, ["meta-lg-fr", "meta-lg"]),
        ({"also": "nobody-at-all"}, []),
        ({"relationship": "partnership"}, ["meta-lg-fr", "meta-lg", "samsung-meta"]),
        ({"relationship": "acquisition"}, []),
        ({"topic": "xr"}, ["meta-lg-fr", "meta-lg", "samsung-meta"]),
        ({"topic": "chips"}, []),
        ({"language": "en", "relationship": "partnership"}, ["meta-lg", "samsung-meta"]),
        ({"also": "lg-electronics", "published_before": "2024-03-01"}, ["meta-lg"]),
    ],
)
def test_timeline_filters_narrow_the_stories(client, newsroom, filters, expected):
    response = client.get("/companies/meta-platforms/", {"mentions": "all", **filters})
    assert response.status_code == 200
    assert not response.context["filterset"].errors
    assert titles(response) == story_titles(newsroom, *expected)


@pytest.mark.parametrize(
    ("filters", "everything"),
    [
        ({"published_after": "0001-01-01"}, True),
        ({"published_before": "9999-12-31"}, True),
        ({"published_after": "9999-12-31"}, False),
        ({"published_before": "0001-01-01"}, False),
    ],
)
def test_timeline_date_filters_take_the_first_and_last_days_there_are(
    client, newsroom, filters, everything
):
    url = "/companies/nvidia/"
    response = client.get(url, {"mentions": "all", **filters})
    assert response.status_code == 200
    every_story = titles(client.get(url, {"mentions": "all"}))
    assert len(every_story) == 2
    assert titles(response) == (every_story if everything else [])


def test_timeline_date_filters_are_whole_days_in_the_site_time_zone(client, newsroom, settings):
    # meta-lg was published on 29 February 2024 at 10:00 UTC: still the 29th in Paris, already
    # 1 March at Kiritimati (UTC+14).
    url = "/companies/meta-platforms/"
    meta_lg = newsroom.stories["meta-lg"].title
    settings.TIME_ZONE = "Pacific/Kiritimati"
    assert meta_lg in titles(client.get(url, {"mentions": "all", "published_after": "2024-03-01"}))
    settings.TIME_ZONE = "Europe/Paris"
    new_site_generation()  # the page cached a moment ago was for the other time zone
    assert meta_lg not in titles(
        client.get(url, {"mentions": "all", "published_after": "2024-03-01"})
    )
    assert meta_lg in titles(client.get(url, {"mentions": "all", "published_before": "2024-02-29"}))


def test_timeline_outlet_filter_narrows_the_stories(client, newsroom):
    outlet = newsroom.stories["nvidia-revenue"].outlet
    response = client.get("/companies/nvidia/", {"outlet": outlet.pk})
    assert titles(response) == story_titles(newsroom, "nvidia-revenue", "samsung-nvidia")
    tech_ledger = newsroom.stories["meta-lg"].outlet
    assert titles(client.get("/companies/nvidia/", {"outlet": tech_ledger.pk})) == []


def test_timeline_filters_keep_the_mentions_switch(client, newsroom):
    html = text(client.get("/companies/meta-platforms/", {"mentions": "all", "language": "fr"}))
    assert '<input type="hidden" name="mentions" value="all">' in html
    assert '<a href="/companies/meta-platforms/?mentions=all">Clear filters</a>' in html


def test_topic_filter_on_another_company(client, newsroom):
    response = client.get("/companies/samsung-electronics/", {"topic": "chips"})
    assert titles(response) == story_titles(newsroom, "samsung-nvidia")


# --- People and products ------------------------------------------------------------------


def test_person_page_shows_role_affiliation_and_stories(client, newsroom):
    response = client.get("/people/mark-zuckerberg/")
    html = text(response)
    assert response.status_code == 200
    assert 'Chief executive, <a href="/companies/meta-platforms/">Meta Platforms</a>' in html
    assert titles(response) == story_titles(newsroom, "meta-lg")
    assert {company.slug for company, _ in response.context["companies"]} == {
        "meta-platforms",
        "lg-electronics",
    }
    assert chart(response)["February 2024"] == 1


def test_person_timeline_filters_apply(client, newsroom):
    response = client.get("/people/william-cho/", {"language": "fr"})
    assert titles(response) == []
    assert titles(client.get("/people/william-cho/", {"language": "en"})) == story_titles(
        newsroom, "meta-lg"
    )


def test_product_page_shows_its_maker_and_stories(client, newsroom):
    response = client.get("/products/apple-vision-pro/")
    html = text(response)
    assert 'Made by <a href="/companies/apple/">Apple</a>' in html
    assert titles(response) == story_titles(newsroom, "apple-samsung")
    assert {company.slug for company, _ in response.context["companies"]} == {
        "apple",
        "samsung-electronics",
    }


def test_product_timeline_filters_apply(client, newsroom):
    response = client.get("/products/nvidia-h100/", {"published_after": "2024-02-01"})
    assert titles(response) == []
    assert titles(client.get("/products/nvidia-h100/")) == story_titles(newsroom, "samsung-nvidia")


# --- Partnerships -------------------------------------------------------------------------


def pairs(response) -> list[tuple[str, str, str]]:
    return [
        (pair.company_a.slug, pair.company_b.slug, ", ".join(r.kind for r in pair.relationships))
        for pair in response.context["pairs"]
    ]


def test_partnership_list_shows_public_relationships_newest_evidence_first(client, newsroom):
    response = client.get("/partnerships/")
    assert response.status_code == 200
    assert pairs(response) == [
        ("lg-electronics", "meta-platforms", "partnership"),
        ("nvidia", "samsung-electronics", "supplier_customer"),
        ("apple", "samsung-electronics", "competition"),
        ("meta-platforms", "samsung-electronics", "partnership"),
    ]
    html = text(response)
    assert '<a href="/partnerships/lg-electronics/meta-platforms/">' in html
    assert '<span class="topic">XR</span>' in html


def test_partnership_list_dates_each_relationship_by_its_latest_story(client, newsroom):
    html = text(client.get("/partnerships/"))
    assert "latest 15 January 2024" in html
    assert "latest 10 November 2023" in html


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            {"kind": "partnership"},
            [("lg-electronics", "meta-platforms"), ("meta-platforms", "samsung-electronics")],
        ),
        ({"kind": "investment"}, []),
        ({"topic": "chips"}, [("nvidia", "samsung-electronics")]),
        (
            {"company": "samsung-electronics"},
            [
                ("nvidia", "samsung-electronics"),
                ("apple", "samsung-electronics"),
                ("meta-platforms", "samsung-electronics"),
            ],
        ),
        (
            {"kind": "partnership", "company": "samsung-electronics"},
            [("meta-platforms", "samsung-electronics")],
        ),
        ({"topic": "xr", "company": "apple"}, [("apple", "samsung-electronics")]),
    ],
)
def test_partnership_filters_narrow_the_list(client, newsroom, filters, expected):
    response = client.get("/partnerships/", filters)
    assert not response.context["filterset"].errors
    assert [(a, b) for a, b, _ in pairs(response)] == expected


def test_partnership_list_invalid_filter_shows_an_error_and_the_whole_list(client, newsroom):
    response = client.get("/partnerships/", {"kind": "friendship", "topic": "gardening"})
    assert response.status_code == 200
    assert set(response.context["filterset"].errors) == {"kind", "topic"}
    assert "Some filters were not understood" in text(response)
    assert len(pairs(response)) == 4


# --- Pair pages ---------------------------------------------------------------------------


def test_pair_page_shows_relationship_evidence_and_stories_naming_both(client, newsroom):
    response = client.get("/partnerships/lg-electronics/meta-platforms/")
    html = text(response)
    assert response.status_code == 200
    assert "<h1>" in html
    assert '<span class="badge badge-partnership">Partnership</span>' in html
    assert (
        '<blockquote lang="en">Meta Platforms and LG Electronics signed a partnership to build '
        "mixed-reality headsets.</blockquote>" in html
    )
    assert '<blockquote lang="fr">Meta Platforms et LG Electronics ont signé' in html
    assert titles(response) == story_titles(newsroom, "meta-lg-fr", "meta-lg")


def test_pair_page_evidence_is_newest_first(client, newsroom):
    evidence = client.get("/partnerships/lg-electronics/meta-platforms/").context["evidence"]
    dates = [item.story.published_at for item in evidence]
    assert len(dates) == 2
    assert dates == sorted(dates, reverse=True)


def test_pair_page_filters_narrow_the_stories(client, newsroom):
    url = "/partnerships/lg-electronics/meta-platforms/"
    assert titles(client.get(url, {"language": "fr"})) == story_titles(newsroom, "meta-lg-fr")
    assert titles(client.get(url, {"also": "william-cho"})) == story_titles(newsroom, "meta-lg")
    assert titles(client.get(url, {"language": "fr", "also": "william-cho"})) == []


def test_reversed_pair_redirects_permanently_to_the_canonical_order(client, newsroom):
    response = client.get("/partnerships/meta-platforms/lg-electronics/")
    assert response.status_code == 301
    assert response["Location"] == "/partnerships/lg-electronics/meta-platforms/"


@pytest.mark.parametrize(
    "url",
    [
        "/partnerships/apple/apple/",
        "/partnerships/apple/no-such-company/",
        "/partnerships/aaa-unknown/zzz-unknown/",
        "/partnerships/apple/mark-zuckerberg/",
    ],
)
def test_pair_of_the_same_or_unknown_companies_is_not_found(client, newsroom, url):
    assert client.get(url).status_code == 404


def test_pair_without_relationship_says_so(client, newsroom):
    response = client.get("/partnerships/lg-corp/nvidia/")
    assert response.status_code == 200
    assert "no public relationship between these two companies" in text(response)


def test_a_relationship_confirmed_on_unpublished_stories_alone_stays_hidden(client, newsroom):
    investment = Relationship.objects.get(kind="investment")
    investment.status = Relationship.Status.CONFIRMED
    investment.save()
    response = client.get("/partnerships/apple/nvidia/")
    html = text(response)
    assert not list(response.context["relationships"])
    assert "<blockquote" not in html
    assert "two billion dollars" not in html
    assert titles(response) == []


def test_timeline_second_page_works_and_far_pages_are_not_found(client, newsroom):
    nvidia = Entity.objects.get(slug="nvidia")
    outlet = newsroom.stories["meta-lg"].outlet
    for n in range(21):
        story = Article.objects.create(
            title=f"Nvidia note {n:02d}",
            body="Nvidia said little.",
            source_url=f"https://news.example/nvidia-note-{n}",
            outlet=outlet,
            language="en",
            status=Article.Status.PUBLISHED,
            published_at=at(2024, 1, 1 + n, hour=8),
        )
        Mention.objects.create(
            article=story, entity=nvidia, salience=0.9, article_published_at=story.published_at
        )
    first = client.get("/companies/nvidia/")
    second = client.get("/companies/nvidia/", {"page": 2})
    assert len(first.context["stories"]) == 20
    assert titles(second) == ["Nvidia note 02", "Nvidia note 01", "Nvidia note 00"]
    assert 'rel="next" href="?page=2"' in text(first)
    assert client.get("/companies/nvidia/", {"page": 999}).status_code == 404
    assert client.get("/companies/nvidia/", {"page": "abc"}).status_code == 404
