"""Hostile text typed into every editable admin field: refused with a form error, or saved and
shown as text on every public page, feed and admin list. Never a 500."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from articles.cache import new_site_generation
from articles.models import Article, Mention, Outlet, RelationshipEvidence
from entities.models import Alias, Entity, Relationship, Topic
from tests.admin_forms import article_form
from tests.factories import ArticleFactory, EntityFactory, OutletFactory

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "attribute": '"><img src=x onerror=alert(1)>',
    "javascript url": "javascript:alert(1)",
    "control characters": "Bad\x00text\x07with\x1b[31mcontrols\x7f",
    "right-to-left override": "Harmless\u202egpj.exe",
    "1 MB": "x" * 1_000_000,
}
# What must never reach a page as markup.
RAW = ["<script>alert", "<img src=x", "onerror=alert(1)>", 'href="javascript:']


def article_data(outlet, **fields):
    return article_form(
        outlet,
        **{
            "title": "A perfectly ordinary title",
            "body": "Hostile Co and Other Co signed a partnership.",
            "source_url": "https://news.example/hostile",
            **fields,
        },
    )


def entity_data(field, value):
    data = {
        "kind": "person" if field == "role" else "company",
        "name": "Hostile Co",
        "slug": "hostile-co",
        "description": "",
        "website_domain": "",
        "wikidata_id": "",
        "sector": "",
        "role": "",
        "aliases-TOTAL_FORMS": "1",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
        "aliases-0-text": "Hostile Co",
        "aliases-0-language": "",
    }
    data["aliases-0-text" if field == "alias" else field] = value
    return data


# (model, field): (admin add URL, form data with the value in the field)
FORMS = {
    ("article", "title"): ("articles/article", lambda s, v: article_data(s["outlet"], title=v)),
    ("article", "standfirst"): (
        "articles/article",
        lambda s, v: article_data(s["outlet"], standfirst=v),
    ),
    ("article", "body"): (
        "articles/article",
        lambda s, v: article_data(s["outlet"], body=f"Hostile Co met Other Co. {v}"),
    ),
    ("article", "byline"): ("articles/article", lambda s, v: article_data(s["outlet"], byline=v)),
    ("article", "source_url"): (
        "articles/article",
        lambda s, v: article_data(s["outlet"], source_url=v),
    ),
    ("outlet", "name"): ("articles/outlet", lambda s, v: {"name": v, "homepage": ""}),
    ("outlet", "homepage"): ("articles/outlet", lambda s, v: {"name": "Wire", "homepage": v}),
    ("entity", "name"): ("entities/entity", lambda s, v: entity_data("name", v)),
    ("entity", "description"): ("entities/entity", lambda s, v: entity_data("description", v)),
    ("entity", "website_domain"): (
        "entities/entity",
        lambda s, v: entity_data("website_domain", v),
    ),
    ("entity", "role"): ("entities/entity", lambda s, v: entity_data("role", v)),
    ("alias", "text"): ("entities/entity", lambda s, v: entity_data("alias", v)),
    ("topic", "name"): ("entities/topic", lambda s, v: {"slug": "hostile", "name": v}),
}
MODELS = {"article": Article, "outlet": Outlet, "entity": Entity, "alias": Alias, "topic": Topic}
# Fields whose value is a link: a javascript: URL must be refused there.
URL_FIELDS = {("article", "source_url"), ("outlet", "homepage")}


@pytest.fixture
def stage(db):
    """A published story naming two companies in a relationship on a topic."""
    new_site_generation()  # no feed cached by an earlier test may answer
    outlet = OutletFactory(name="Wire")
    other = EntityFactory(name="Other Co", slug="other-co")
    third = EntityFactory(name="Third Co", slug="third-co")
    story = ArticleFactory(
        title="Other Co and Third Co sign",
        body="Other Co and Third Co signed a partnership.",
        outlet=outlet,
        published=True,
    )
    Mention.objects.create(article=story, entity=other, count=1, salience=0.6)
    relationship = Relationship.objects.create(
        company_a=other, company_b=third, kind=Relationship.Kind.PARTNERSHIP
    )
    RelationshipEvidence.objects.create(
        relationship=relationship, article=story, sentence=story.body, start=0, end=10
    )
    return {"outlet": outlet, "other": other, "story": story, "relationship": relationship}


def show_publicly(model, obj, stage) -> list[str]:
    """Put the saved object where readers see it; return the pages that show it."""
    story, other, relationship = stage["story"], stage["other"], stage["relationship"]
    pages = ["/", "/companies/", "/partnerships/", "/feeds/rss/", "/feeds/atom/"]
    if model == "article":
        Article.objects.filter(pk=obj.pk).update(
            status=Article.Status.PUBLISHED, published_at=timezone.now()
        )
        Mention.objects.get_or_create(article=obj, entity=other, defaults={"salience": 0.6})
        obj.refresh_from_db()
        pages += [obj.get_absolute_url(), f"/search/?q={obj.title[:50]}", "/search/rss/?q=Hostile"]
        pages += [other.get_absolute_url(), "/companies/other-co/rss/", "/companies/other-co/atom/"]
    elif model == "outlet":
        Article.objects.filter(pk=story.pk).update(outlet=obj)
        pages += [story.get_absolute_url(), f"/search/?q=Hostile&outlet={obj.pk}"]
    elif model in {"entity", "alias"}:
        entity = obj if model == "entity" else obj.entity
        Mention.objects.create(article=story, entity=entity, count=1, salience=0.6)
        if entity.kind == "company":
            pair = Relationship.objects.create(
                company_a=entity, company_b=other, kind=Relationship.Kind.COMPETITION
            )
            pair.topics.add(Topic.objects.get_or_create(slug="ai", defaults={"name": "AI"})[0])
            RelationshipEvidence.objects.create(
                relationship=pair, article=story, sentence=story.body, start=0, end=5
            )
            pages += [pair.get_absolute_url(), f"{pair.get_absolute_url()}atom/"]
        else:
            Entity.objects.filter(pk=entity.pk).update(affiliation=other)
        url = entity.get_absolute_url()
        pages += [story.get_absolute_url(), url, f"{url}rss/", f"{url}atom/"]
    elif model == "topic":
        relationship.topics.add(obj)
        pages += [
            "/partnerships/?topic=hostile",
            "/partnerships/topics/hostile/rss/",
            "/partnerships/topics/hostile/atom/",
            relationship.get_absolute_url(),
        ]
    new_site_generation()  # the updates above went around the services that expire pages
    return pages


ADMIN_LISTS = [
    "/admin/articles/article/",
    "/admin/articles/outlet/",
    "/admin/entities/entity/",
    "/admin/entities/topic/",
    "/admin/entities/relationship/",
    "/admin/entities/entity/?q=Hostile",
]


def assert_shown_as_text(url, response):
    assert response.status_code == 200, url
    content = response.content.decode()
    for raw in RAW:
        assert raw not in content, (url, raw)
    if response["Content-Type"].startswith(("application/rss+xml", "application/atom+xml")):
        # A feed's descriptions and summaries are HTML to a feed reader: once the XML is
        # decoded they must still hold no markup.
        # (Titles and the channel's description are plain text, and Atom says so.)
        root = ET.fromstring(response.content)  # noqa: S314 - our own feed
        for item in [*root.iter("item"), *root.iter("{http://www.w3.org/2005/Atom}entry")]:
            for element in item:
                if element.tag.rsplit("}", 1)[-1] in {"description", "summary"}:
                    for raw in RAW:
                        assert raw not in (element.text or ""), (url, element.tag, raw)


def cases():
    for (model, field), _ in FORMS.items():
        for name, value in PAYLOADS.items():
            yield pytest.param(model, field, value, id=f"{model}.{field}: {name}")


@pytest.mark.parametrize(("model", "field", "value"), cases())
def test_hostile_value_is_refused_or_shown_as_text(chief_client, stage, model, field, value):
    path, data = FORMS[model, field]
    before = set(MODELS[model].objects.values_list("pk", flat=True))
    response = chief_client.post(f"/admin/{path}/add/", data(stage, value))
    assert response.status_code in {200, 302}
    created = MODELS[model].objects.exclude(pk__in=before)
    if response.status_code == 200:
        # Refused: the form says why, and nothing was saved.
        assert 'class="errorlist' in response.content.decode()
        assert not created.exists()
        assert_shown_as_text("the refused form", response)
        return
    assert (model, field) not in URL_FIELDS or not value.startswith("javascript:"), (
        "a javascript: URL was accepted"
    )
    obj = created.get()
    for url in show_publicly(model, obj, stage) + ADMIN_LISTS:
        assert_shown_as_text(url, chief_client.get(url))
    change = obj.entity if model == "alias" else obj
    change_url = f"/admin/{change._meta.app_label}/{change._meta.model_name}/{change.pk}/change/"
    assert_shown_as_text(change_url, chief_client.get(change_url))


@pytest.mark.parametrize(
    ("form", "value"),
    [
        (("article", "source_url"), "javascript:alert(1)"),
        (("article", "source_url"), "JaVaScRiPt:alert(1)//news.example"),
        (("article", "source_url"), "data:text/html,<script>alert(1)</script>"),
        (("outlet", "homepage"), "javascript:alert(1)"),
        (("outlet", "homepage"), " javascript://news.example/%0aalert(1)"),
        (("outlet", "homepage"), "vbscript:msgbox(1)"),
    ],
)
def test_a_script_url_is_refused(chief_client, stage, form, value):
    path, data = FORMS[form]
    response = chief_client.post(f"/admin/{path}/add/", data(stage, value))
    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()


@pytest.mark.parametrize("field", ["title", "standfirst", "byline"])
def test_control_and_direction_characters_never_reach_a_public_page(chief_client, stage, field):
    response = chief_client.post(
        "/admin/articles/article/add/",
        article_data(stage["outlet"], **{field: "Plain\x07 text\u202e here"}),
    )
    if response.status_code == 200:
        assert 'class="errorlist' in response.content.decode()
        return
    article = Article.objects.get(source_url="https://news.example/hostile")
    assert "\x07" not in getattr(article, field)


HIDDEN = {
    "control characters": "Shown\x07 and\x1b[31m red\x7f \x85C1\x9f",
    "direction characters": "Shown\u202a as\u202e gpj.exe \u2066too\u2069",
}
HIDDEN_CHARACTERS = "\x07\x1b\x7f\x85\x9f\u202a\u202e\u2066\u2069"
# Names are refused with a message; longer text keeps its words and loses the characters.
NAMES = [
    ("article", "title"),
    ("outlet", "name"),
    ("entity", "name"),
    ("alias", "text"),
    ("topic", "name"),
]
LONGER_TEXT = [
    ("article", "standfirst"),
    ("article", "byline"),
    ("article", "body"),
    ("entity", "description"),
    ("entity", "role"),
    ("entity", "website_domain"),
    ("entity", "sector"),
]
TEXT_FORMS = {
    **FORMS,
    ("entity", "sector"): ("entities/entity", lambda s, v: entity_data("sector", v)),
}


def assert_no_hidden_characters(where, text):
    for character in HIDDEN_CHARACTERS:
        # Nor its escape, in JSON-LD.
        assert character not in text, (where, character)
        assert json.dumps(character)[1:-1] not in text, (where, character)


@pytest.mark.parametrize(("model", "field"), NAMES)
@pytest.mark.parametrize("value", HIDDEN.values(), ids=HIDDEN.keys())
def test_a_name_with_hidden_characters_is_refused(chief_client, stage, model, field, value):
    path, data = FORMS[model, field]
    before = set(MODELS[model].objects.values_list("pk", flat=True))
    response = chief_client.post(f"/admin/{path}/add/", data(stage, value))
    assert response.status_code == 200
    assert "invisible control or text-direction characters" in response.content.decode()
    assert not MODELS[model].objects.exclude(pk__in=before).exists()


@pytest.mark.parametrize(("model", "field"), LONGER_TEXT)
@pytest.mark.parametrize("value", HIDDEN.values(), ids=HIDDEN.keys())
def test_hidden_characters_are_removed_from_longer_text_before_any_page_shows_it(
    chief_client, stage, model, field, value
):
    path, data = TEXT_FORMS[model, field]
    before = set(MODELS[model].objects.values_list("pk", flat=True))
    response = chief_client.post(f"/admin/{path}/add/", data(stage, value))
    assert response.status_code == 302
    obj = MODELS[model].objects.exclude(pk__in=before).get()
    stored = getattr(obj, field)
    assert_no_hidden_characters("the stored value", stored)
    assert "Shown" in stored
    for url in show_publicly(model, obj, stage):
        response = chief_client.get(url)
        assert response.status_code == 200, url
        assert_no_hidden_characters(url, response.content.decode())
