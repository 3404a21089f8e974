"""Search: accents and case folded on SQLite as on PostgreSQL, and pages that read well.

Every test but the last two runs on either database; run the module with DATABASE_URL
pointing to PostgreSQL to check that both fold the same way.
"""

import pytest
from django.db import connection
from django.utils import timezone

from articles.cache import new_site_generation
from articles.models import Article
from articles.search import sqlite_fts_query
from tests.public_site import text
from tests.services import require_postgresql

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"


def titles(response) -> list[str]:
    return [story.title for story in response.context["stories"]]


def hours_ago(hours: int):
    return timezone.now() - timezone.timedelta(hours=hours)


@pytest.fixture
def folded(publish):
    """A French story with accents, and English ones naming Zürich with and without its
    umlaut and "realite" without its accents."""
    return {
        "réalité": publish(
            "La réalité mixte arrive dans les salons",
            "Les casques de réalité mixte se vendent mieux que prévu cette année.",
            language="fr",
            published_at=hours_ago(1),
        ),
        "Zürich": publish(
            "A bank opens a lab in Zürich",
            "The lab in Zürich will study payments.",
            published_at=hours_ago(2),
        ),
        "Zurich": publish(
            "Zurich start-up raises money",
            "The start-up, based in Zurich, sells headsets to schools.",
            published_at=hours_ago(3),
        ),
        "realite": publish(
            "Realite Labs ships a headset",
            "Realite Labs, a small maker, shipped its first headset to developers.",
            published_at=hours_ago(4),
        ),
    }


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # French accents folded both ways, and case.
        ("réalité", ["réalité", "realite"]),
        ("realite", ["réalité", "realite"]),
        ("REALITÉ", ["réalité", "realite"]),
        ("Réalite mixte", ["réalité"]),
        # German umlaut folded both ways.
        ("Zurich", ["Zürich", "Zurich"]),
        ("Zürich", ["Zürich", "Zurich"]),
        ("zürich", ["Zürich", "Zurich"]),
        ("ZURICH lab", ["Zürich"]),
    ],
)
def test_search_folds_accents_and_case_both_ways(client, folded, words, expected):
    response = client.get("/search/", {"q": words})
    assert titles(response) == [folded[key].title for key in expected]


def test_search_feed_folds_accents_too(client, folded):
    feed = client.get("/search/rss/", {"q": "realite"}).content.decode()
    assert folded["réalité"].title in feed
    assert folded["Zürich"].title not in feed


def test_search_finds_a_word_under_another_form(client, folded):
    # English stemming on both databases: "headsets" finds "headset" and "headsets".
    response = client.get("/search/", {"q": "headsets"})
    assert set(titles(response)) == {folded["Zurich"].title, folded["realite"].title}


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ('"lab in Zürich"', ["Zürich"]),
        ('"Zurich lab"', []),
        ("zurich -bank", ["Zurich"]),
        ("payments or schools", ["Zürich", "Zurich"]),
        ("zurich bank", ["Zürich"]),
    ],
)
def test_search_reads_phrases_alternatives_and_exclusions(client, folded, words, expected):
    response = client.get("/search/", {"q": words})
    assert titles(response) == [folded[key].title for key in expected]


def test_search_follows_edits_and_deletions(client, folded):
    story = folded["Zürich"]
    story.title = "A bank opens a lab in Genève"
    story.save()
    assert titles(client.get("/search/", {"q": "geneve"})) == [story.title]
    Article.objects.filter(pk=story.pk).update(body="The lab will study payments.")
    assert story.title not in titles(client.get("/search/", {"q": "zurich"}))
    story.delete()
    new_site_generation()  # the deletion went around the services that expire pages
    assert titles(client.get("/search/", {"q": "geneve"})) == []


@pytest.mark.parametrize(
    "words",
    [
        "title:zurich",
        "NEAR(zurich lab)",
        "zurich AND",
        "NOT zurich",
        "^zurich",
        "zur*",
        '"',
        '-"zurich',
        "( zurich",
        "-",
        "or",
    ],
)
def test_search_words_are_never_read_as_index_syntax(client, folded, words):
    response = client.get("/search/", {"q": words})
    assert response.status_code == 200


def test_admin_search_folds_accents(chief_client, folded):
    response = chief_client.get(CHANGELIST, {"q": "realite mixte"})
    assert list(response.context["cl"].result_list) == [folded["réalité"]]


@pytest.mark.parametrize(
    ("words", "sentence"),
    [
        ("xyzzy", "No story matches “xyzzy”."),
        ("payments", "1 story matches “payments”."),
        ("Zurich", "2 stories match “Zurich”."),
    ],
)
def test_search_counts_read_as_sentences(client, folded, words, sentence):
    html = text(client.get("/search/", {"q": words}))
    assert sentence in html


def test_empty_search_result_says_so_once(client, folded):
    html = text(client.get("/search/", {"q": "xyzzy"}))
    assert "No story matches “xyzzy”." in html
    assert "No stories match." not in html
    assert " for “xyzzy”" not in html


def test_search_with_filters_says_the_filters_narrowed_it(client, folded):
    html = text(client.get("/search/", {"q": "Zurich", "language": "fr"}))
    assert "No story matches “Zurich” with these filters." in html
    assert "Only stories with Language: French." in html


def test_the_search_page_has_one_search_box(client, folded):
    html = text(client.get("/search/", {"q": "Zurich"}))
    assert html.count('type="search"') == 1
    assert 'id="q"' in html
    assert 'value="Zurich"' in html
    home = text(client.get("/"))
    assert home.count('type="search"') == 1
    assert 'id="site-q"' in home


@pytest.mark.parametrize(
    ("words", "fts"),
    [
        ("Zürich", '("Zürich")'),
        ("realite mixte", '("realite" AND "mixte")'),
        ('"lab in Zürich" bank', '("lab in Zürich" AND "bank")'),
        ("payments OR schools", '("payments") OR ("schools")'),
        ("zurich -bank -lab", '(("zurich")) NOT ("bank" OR "lab")'),
        ("title:zurich NEAR(a)", '("title zurich" AND "NEAR a")'),
        ("l'an prochain", '("l an" AND "prochain")'),
        ("Samsung\u200b", '("Samsung")'),
        ('"unterminated quote', '("unterminated quote")'),
        ("-zurich", ""),
        ("& | ! : * ( )", ""),
        ("or OR", ""),
    ],
)
def test_sqlite_query_holds_only_quoted_words(words, fts):
    assert sqlite_fts_query(words) == fts


def test_sqlite_index_is_kept_by_triggers():
    if connection.vendor != "sqlite":
        pytest.skip("The FTS5 index exists on SQLite only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE tbl_name = 'articles_article' "
            "AND type = 'trigger' ORDER BY name"
        )
        triggers = [row[0] for row in cursor.fetchall()]
    assert triggers == [
        "articles_article_search_delete",
        "articles_article_search_insert",
        "articles_article_search_update",
    ]


def test_postgresql_still_ranks_title_matches_first(client, publish):
    require_postgresql()
    in_body = publish("A quiet week", "Analysts say Zürich is busy.", published_at=hours_ago(1))
    in_title = publish("Zürich is busy", "Analysts say so.", published_at=hours_ago(5))
    assert titles(client.get("/search/", {"q": "zurich"})) == [in_title.title, in_body.title]
