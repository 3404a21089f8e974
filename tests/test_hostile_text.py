"""Hostile text in stories and in the knowledge base is shown as text, never as markup."""

import json
import re

import pytest
from django.utils import timezone

from articles.models import Article, Mention, Outlet, RelationshipEvidence
from entities.models import Entity, Relationship, Topic
from tests.public_site import meta_content, tags, text

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
CLOSE = "</script><script>alert(2)</script>"
PAYLOADS = [SCRIPT, IMAGE, CLOSE]
# What must never reach a page: any of these would be markup.
RAW = ["<script>alert", "<img src=x", "</script><script>", "onerror=alert(1)>"]

EVIL_NAME = f"Evil {IMAGE} Corp {CLOSE}"
TITLE = f"Evil Corp {CLOSE} signs a deal {IMAGE}"
BODY = f"{EVIL_NAME} signed a partnership with Good Corp.\n\n{SCRIPT} and {IMAGE} are in the body."
EVIDENCE = f"{EVIL_NAME} signed a partnership with Good Corp."


@pytest.fixture
def hostile(db):
    evil = Entity.objects.create(
        kind="company",
        slug="evil-corp",
        name=EVIL_NAME,
        description=f"{SCRIPT} makes {IMAGE}",
        sector="<b>chips</b>",
    )
    good = Entity.objects.create(kind="company", slug="good-corp", name="Good Corp")
    eve = Entity.objects.create(
        kind="person", slug="eve", name=f"Eve {SCRIPT}", role=IMAGE, affiliation=evil
    )
    gadget = Entity.objects.create(
        kind="product", slug="gadget", name=f"Gadget {CLOSE}", maker=evil
    )
    outlet = Outlet.objects.create(name=f"{SCRIPT} Wire", default_language="en")
    published_at = timezone.now() - timezone.timedelta(days=1)
    story = Article.objects.create(
        title=TITLE,
        standfirst=f"{SCRIPT} {IMAGE}",
        body=BODY,
        byline=IMAGE,
        source_url="https://news.example/evil-corp-deal",
        outlet=outlet,
        language="en",
        status=Article.Status.PUBLISHED,
        published_at=published_at,
    )
    other = Article.objects.create(
        title="Good Corp and Evil Corp again",
        body=f"{EVIL_NAME} and Good Corp met again.",
        source_url="https://news.example/evil-corp-again",
        outlet=outlet,
        language="en",
        status=Article.Status.PUBLISHED,
        published_at=published_at - timezone.timedelta(days=1),
    )
    for article in [story, other]:
        for entity, start in [(evil, 0), (good, article.body.index("Good Corp"))]:
            end = start + len(entity.name)
            Mention.objects.create(
                article=article,
                entity=entity,
                count=1,
                offsets=[[start, end]],
                salience=0.9,
                article_published_at=published_at,
            )
        for entity in [eve, gadget]:
            Mention.objects.create(
                article=article, entity=entity, salience=0.2, article_published_at=published_at
            )
    relationship = Relationship.objects.create(
        company_a=evil, company_b=good, kind="partnership", last_seen=published_at
    )
    relationship.topics.add(Topic.objects.create(slug="evil", name=SCRIPT))
    RelationshipEvidence.objects.create(
        relationship=relationship, article=story, sentence=EVIDENCE, start=0, end=len(EVIDENCE)
    )
    return story


def assert_no_markup_from_text(html: str, scripts: int = 0):
    for raw in RAW:
        assert raw not in html
    assert html.count("<script") == scripts
    assert html.count("</script>") == scripts


PAGES = [
    "/",
    "/companies/",
    "/companies/?q=evil",
    "/companies/evil-corp/",
    "/companies/evil-corp/?mentions=all",
    "/companies/good-corp/",
    "/people/eve/",
    "/products/gadget/",
    "/partnerships/",
    "/partnerships/evil-corp/good-corp/",
    "/search/?q=Evil",
    "/sitemap-entities.xml",
]


@pytest.mark.parametrize("url", PAGES)
def test_hostile_text_is_escaped_on_every_page(client, hostile, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_no_markup_from_text(text(response))


def test_hostile_text_shows_as_readable_text(client, hostile):
    html = text(client.get("/"))
    assert "Evil Corp &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt; signs a deal" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Wire" in html
    company = text(client.get("/companies/evil-corp/"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; makes &quot;&gt;&lt;img" in company
    assert "Company · &lt;b&gt;chips&lt;/b&gt;" in company


def test_story_page_escapes_title_standfirst_byline_body_and_entities(client, hostile):
    html = text(client.get(hostile.get_absolute_url()))
    assert_no_markup_from_text(html, scripts=1)
    assert "<h1>Evil Corp &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert '<p class="standfirst">&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img' in html
    assert " · &quot;&gt;&lt;img src=x onerror=alert(1)&gt; · <time" in html
    assert (
        '<a href="/companies/evil-corp/" class="entity">Evil &quot;&gt;&lt;img src=x '
        "onerror=alert(1)&gt; Corp &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;</a>"
    ) in html


def test_page_metadata_keeps_hostile_text_inside_its_attributes(client, hostile):
    html = text(client.get(hostile.get_absolute_url()))
    assert meta_content(html, property="og:title") == TITLE
    assert meta_content(html, name="description") == f"{SCRIPT} {IMAGE}"
    assert re.search(r"<title>Evil Corp &lt;/script&gt;.*· Newsdesk</title>", html)


def json_ld(html: str) -> str:
    (payload,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return payload


def test_json_ld_cannot_be_closed_by_hostile_text(client, hostile):
    html = text(client.get(hostile.get_absolute_url()))
    payload = json_ld(html)
    assert "<" not in payload
    assert ">" not in payload
    data = json.loads(payload)
    assert data["headline"] == TITLE
    assert data["description"] == f"{SCRIPT} {IMAGE}"
    assert data["author"]["name"] == IMAGE
    assert data["publisher"]["name"] == f"{SCRIPT} Wire"
    assert EVIL_NAME in [thing["name"] for thing in data["about"]]
    assert f"Eve {SCRIPT}" in [thing["name"] for thing in data["mentions"]]


def test_hostile_evidence_and_topic_are_escaped_on_the_pair_page(client, hostile):
    html = text(client.get("/partnerships/evil-corp/good-corp/"))
    assert '<blockquote lang="en">Evil &quot;&gt;&lt;img src=x onerror=alert(1)&gt;' in html
    assert '<span class="topic">&lt;script&gt;alert(1)&lt;/script&gt;</span>' in html


def test_a_hostile_topic_is_escaped_on_the_company_s_relationship_cards(client, hostile):
    html = text(client.get("/companies/good-corp/"))
    assert '<span class="topic">&lt;script&gt;alert(1)&lt;/script&gt;</span>' in html


def test_hostile_search_words_are_escaped(client, hostile):
    response = client.get("/search/", {"q": f"{CLOSE}{IMAGE}"})
    html = text(response)
    assert response.status_code == 200
    assert_no_markup_from_text(html)
    (field,) = [found for found in tags(html, "input") if found.get("id") == "q"]
    assert field["value"] == f"{CLOSE}{IMAGE}"


@pytest.mark.parametrize(
    "url",
    [
        f"/companies/evil-corp/?also={IMAGE}&language={SCRIPT}",
        f"/companies/evil-corp/?mentions={CLOSE}&topic={SCRIPT}",
        f"/companies/?sector={SCRIPT}&letter={IMAGE}&q={CLOSE}",
        f"/partnerships/?kind={SCRIPT}&company={IMAGE}",
        f"/partnerships/evil-corp/good-corp/?outlet={IMAGE}&relationship={SCRIPT}",
        f"/search/?q=Evil&published_after={SCRIPT}&page=1&{IMAGE}=1",
    ],
)
def test_hostile_filter_values_are_escaped_in_form_errors_and_links(client, hostile, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert_no_markup_from_text(text(response))


def test_story_page_links_only_http_sources(client, hostile):
    html = text(client.get(hostile.get_absolute_url()))
    for link in tags(html, "a"):
        assert not link["href"].lower().lstrip().startswith(("javascript:", "data:", "vbscript:"))
    (source,) = [a["href"] for a in tags(html, "a") if a.get("rel") == "noopener nofollow"]
    assert source == "https://news.example/evil-corp-deal"
