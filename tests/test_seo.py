"""What search engines and link previews read: titles, descriptions, canonical links, Open
Graph tags, schema.org JSON-LD, the sitemaps and robots.txt."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from tests.public_site import meta_content, tags, text

# The newsroom is built once for the module; every test here sees it.
pytestmark = pytest.mark.django_db

SITE = "http://testserver"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}

PAGES = [
    ("/", "Newsdesk"),
    ("/stories/meta-platforms-and-lg-electronics-agree-to-build-headsets-together/", None),
    ("/companies/", "Companies"),
    ("/companies/meta-platforms/", "Meta Platforms"),
    ("/people/mark-zuckerberg/", "Mark Zuckerberg"),
    ("/products/apple-vision-pro/", "Apple Vision Pro"),
    ("/partnerships/", "Partnerships"),
    ("/partnerships/lg-electronics/meta-platforms/", "LG Electronics and Meta Platforms"),
    ("/search/?q=Samsung", "Search"),
]


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def canonical(html: str) -> list[str]:
    return [link["href"] for link in tags(html, "link") if link.get("rel") == "canonical"]


@pytest.mark.parametrize(("url", "og_title"), PAGES)
def test_every_page_has_title_description_canonical_and_open_graph(client, newsroom, url, og_title):
    response = client.get(url)
    html = text(response)
    path = url.split("?")[0]
    assert response.status_code == 200
    assert title(html)
    assert len(meta_content(html, name="description") or "") > 20
    assert canonical(html) == [f"{SITE}{path}"]
    assert meta_content(html, property="og:title")
    assert meta_content(html, property="og:url") == f"{SITE}{path}"
    assert meta_content(html, property="og:site_name") == "Newsdesk"
    if og_title:
        assert meta_content(html, property="og:title") == og_title


def test_not_found_page_has_a_title_and_is_a_404(client, newsroom):
    response = client.get("/stories/no-such-story/")
    html = text(response)
    assert response.status_code == 404
    assert title(html) == "Not found · Newsdesk"
    assert meta_content(html, name="description")


def test_story_page_metadata_describes_the_story(client, newsroom):
    story = newsroom.stories["meta-lg"]
    html = text(client.get(story.get_absolute_url()))
    assert title(html) == f"{story.title} · Newsdesk"
    assert meta_content(html, name="description") == story.standfirst
    assert meta_content(html, property="og:title") == story.title
    assert meta_content(html, property="og:description") == story.standfirst
    assert meta_content(html, property="og:type") == "article"


def test_entity_page_description_uses_the_entity_description(client, newsroom):
    html = text(client.get("/companies/meta-platforms/"))
    assert meta_content(html, name="description").startswith(
        "Owner of Facebook and of mixed-reality headsets."
    )
    assert title(html) == "Meta Platforms — stories · Newsdesk"


def test_canonical_link_drops_filters_and_page_numbers(client, newsroom):
    html = text(client.get("/companies/meta-platforms/", {"mentions": "all", "language": "en"}))
    assert canonical(html) == [f"{SITE}/companies/meta-platforms/"]


def json_ld(html: str) -> dict:
    (payload,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(payload)


def test_story_json_ld_is_a_news_article_naming_its_entities(client, newsroom):
    story = newsroom.stories["meta-lg"]
    data = json_ld(text(client.get(story.get_absolute_url())))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == story.title
    assert data["datePublished"] == "2024-02-29T10:00:00+00:00"
    assert data["inLanguage"] == "en"
    assert data["url"] == f"{SITE}{story.get_absolute_url()}"
    assert data["isBasedOn"] == story.source_url
    assert data["publisher"] == {"@type": "Organization", "name": "Tech Ledger"}
    assert data["author"] == {"@type": "Person", "name": "Ada Writer"}
    about = {thing["name"]: thing for thing in data["about"]}
    assert set(about) == {"Meta Platforms", "LG Electronics", "Mark Zuckerberg", "William Cho"}
    assert about["Meta Platforms"] == {
        "@type": "Organization",
        "name": "Meta Platforms",
        "url": f"{SITE}/companies/meta-platforms/",
    }
    assert about["Mark Zuckerberg"]["@type"] == "Person"


def test_story_json_ld_lists_entities_named_in_passing_as_mentions(client, newsroom):
    data = json_ld(text(client.get(newsroom.stories["nvidia-revenue"].get_absolute_url())))
    assert [thing["name"] for thing in data["about"]] == ["Nvidia"]
    assert [thing["name"] for thing in data["mentions"]] == ["Meta Platforms"]


def test_story_json_ld_types_products_and_gives_french_language(client, newsroom):
    samsung = json_ld(text(client.get(newsroom.stories["samsung-nvidia"].get_absolute_url())))
    types = {thing["name"]: thing["@type"] for thing in samsung["about"] + samsung["mentions"]}
    assert types["Nvidia H100"] == "Product"
    french = json_ld(text(client.get(newsroom.stories["meta-lg-fr"].get_absolute_url())))
    assert french["inLanguage"] == "fr"
    assert french["headline"] == "Meta Platforms mise sur la réalité mixte avec LG Electronics"


def locations(response) -> list[str]:
    root = ET.fromstring(response.content)  # noqa: S314  (our own sitemap, not untrusted)
    return [loc.text for loc in root.iterfind(".//sm:loc", SITEMAP_NS)]


def test_sitemap_index_lists_the_three_sections(client, newsroom):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert sorted(locations(response)) == [
        f"{SITE}/sitemap-entities.xml",
        f"{SITE}/sitemap-pairs.xml",
        f"{SITE}/sitemap-stories.xml",
    ]


def test_story_sitemap_lists_exactly_the_public_stories(client, newsroom):
    response = client.get("/sitemap-stories.xml")
    assert response.status_code == 200
    assert sorted(locations(response)) == sorted(
        f"{SITE}{story.get_absolute_url()}" for story in newsroom.stories.values()
    )
    assert b"<lastmod>" in response.content


def test_entity_sitemap_lists_entities_with_public_stories(client, newsroom):
    assert sorted(locations(client.get("/sitemap-entities.xml"))) == sorted(
        f"{SITE}{path}"
        for path in [
            "/companies/apple/",
            "/companies/lg-electronics/",
            "/companies/meta-platforms/",
            "/companies/nvidia/",
            "/companies/samsung-electronics/",
            "/people/mark-zuckerberg/",
            "/people/william-cho/",
            "/products/apple-vision-pro/",
            "/products/nvidia-h100/",
        ]
    )


def test_pair_sitemap_lists_public_pairs_in_canonical_order(client, newsroom):
    assert sorted(locations(client.get("/sitemap-pairs.xml"))) == [
        f"{SITE}/partnerships/apple/samsung-electronics/",
        f"{SITE}/partnerships/lg-electronics/meta-platforms/",
        f"{SITE}/partnerships/meta-platforms/samsung-electronics/",
        f"{SITE}/partnerships/nvidia/samsung-electronics/",
    ]


def test_every_sitemap_address_answers(client, newsroom):
    for section in ["stories", "entities", "pairs"]:
        for location in locations(client.get(f"/sitemap-{section}.xml")):
            assert client.get(location.removeprefix(SITE)).status_code == 200, location


def test_unknown_sitemap_section_is_not_found(client, newsroom):
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-stories.xml", {"p": 99}).status_code == 404


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, db):
    response = client.get("/robots.txt")
    lines = response.content.decode().splitlines()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "User-agent: *" in lines
