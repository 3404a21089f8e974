"""Control characters in an admin search term are dropped: the answer is the usual one, never a
500 (PostgreSQL refuses a query holding NUL). CI runs this on PostgreSQL."""

import pytest

from tests.factories import EntityFactory

PICKER = "/admin/autocomplete/?app_label={}&model_name={}&field_name={}&term={}"


@pytest.fixture
def companies(db):
    return [EntityFactory(name="Other Co", slug="other-co"), EntityFactory(name="Third Co")]


@pytest.mark.parametrize(
    ("source", "term", "found"),
    [
        (("entities", "entity", "parent"), "%00", ["Other Co", "Third Co"]),
        (("entities", "entity", "maker"), "Other%00Co", ["Other Co"]),
        (("entities", "entity", "affiliation"), "%1b%7f%c2%9f", ["Other Co", "Third Co"]),
        # The mention rows' entity picker, on the article page: a control character parts words.
        (("articles", "mention", "entity"), "%00Third", ["Third Co"]),
        (("articles", "mention", "entity"), "Co%00Oth", ["Other Co"]),
    ],
)
def test_an_entity_picker_ignores_control_characters(chief_client, companies, source, term, found):
    response = chief_client.get(PICKER.format(*source, term))
    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == found


@pytest.mark.parametrize("term", ["Other\x00", "Other\x1b"])
def test_the_entity_list_answers_a_search_with_control_characters(chief_client, companies, term):
    # Django's list refuses NUL itself, with a message, and shows every entity.
    response = chief_client.get("/admin/entities/entity/", {"q": term})
    assert response.status_code == 200
    assert "Other Co" in [entity.name for entity in response.context["cl"].result_list]
