"""Story lists page through ids without counting them."""

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger

from articles.pagination import StoryIdPaginator


def paginator(story_count):
    return StoryIdPaginator(
        list(range(story_count)), 20, load=lambda ids: [f"story {i}" for i in ids]
    )


def test_a_page_loads_only_its_own_stories_and_knows_whether_older_ones_exist():
    pages = paginator(45)
    first, third = pages.page(1), pages.page(3)
    assert first.object_list == [f"story {i}" for i in range(20)]
    assert first.has_next()
    assert not first.has_previous()
    assert third.object_list == [f"story {i}" for i in range(40, 45)]
    assert not third.has_next()
    assert third.previous_page_number() == 2


def test_a_list_that_fills_its_last_page_exactly_has_no_older_page():
    pages = paginator(40)
    assert not pages.page(2).has_next()
    with pytest.raises(EmptyPage):
        pages.page(3)


def test_an_empty_list_has_an_empty_first_page():
    page = paginator(0).page(1)
    assert page.object_list == []
    assert not page.has_other_pages()


@pytest.mark.parametrize("number", ["abc", 1.5, None])
def test_a_page_number_must_be_a_whole_number(number):
    with pytest.raises(PageNotAnInteger):
        paginator(45).page(number)


@pytest.mark.parametrize("number", [0, -1, 10**40, 501])
def test_pages_before_the_first_or_past_the_counting_cap_do_not_exist(number):
    with pytest.raises(EmptyPage):
        paginator(20_000).page(number)


def test_the_last_page_within_the_cap_exists():
    assert len(paginator(20_000).page(500).object_list) == 20
