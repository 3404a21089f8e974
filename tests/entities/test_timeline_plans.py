"""The timeline queries are shaped so that PostgreSQL can answer them from the indexes alone.

Each query is explained with sequential and bitmap scans switched off, so the plan shows
whether an index *can* serve it: an index-only scan means the query reads only columns the
index holds and its conditions imply the partial index's own (visible, published mentions).
A filter or an order that strayed from the index would turn it into a heap scan or a sort.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.filters import TimelineFilter
from articles.pagination import StoryIdPaginator
from articles.selectors import pair_timeline, stories_per_month, story_ids, timeline
from tests.services import require_postgresql

# VACUUM (which marks the rows visible, as autovacuum does in production) needs to run
# outside a transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def newsroom(db):
    from tests.public_site import build_newsroom

    return build_newsroom()


@pytest.fixture
def planner(newsroom):
    require_postgresql()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE articles_mention")
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_bitmapscan = off")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_bitmapscan")


def plan(queryset) -> str:
    return queryset.explain()


def test_a_page_of_a_timeline_is_read_from_the_subject_index(planner, newsroom):
    meta = newsroom.kb["meta-platforms"]
    page_200 = story_ids(timeline(meta))[3980:4000]
    text = plan(page_200)
    assert "Index Only Scan using mention_subject_timeline_idx" in text
    assert "Sort" not in text


def test_every_story_naming_an_entity_is_read_from_the_timeline_index(planner, newsroom):
    text = plan(story_ids(timeline(newsroom.kb["nvidia"], subjects_only=False))[:20])
    assert "Index Only Scan using mention_timeline_idx" in text
    assert "Sort" not in text


def explained(run) -> list[str]:
    """Return the plans of the queries `run` makes."""
    with CaptureQueriesContext(connection) as queries:
        run()
    with connection.cursor() as cursor:
        plans = []
        for query in queries.captured_queries:
            cursor.execute(f"EXPLAIN {query['sql']}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def test_counting_and_charting_a_timeline_read_only_the_index(planner, newsroom):
    meta = newsroom.kb["meta-platforms"]
    count = StoryIdPaginator(story_ids(timeline(meta)), 20, load=list)
    chart = explained(lambda: stories_per_month(meta))
    for text in [*explained(lambda: count.count), *chart]:
        assert "Index Only Scan using mention_subject_timeline_idx" in text
    assert len(chart) == 1  # the months, reaching back from the latest story's date


def test_a_pair_walks_one_company_s_timeline_index(planner, newsroom):
    kb = newsroom.kb
    text = plan(story_ids(pair_timeline(kb["lg-electronics"], kb["meta-platforms"]))[:20])
    assert "Index Only Scan using mention_timeline_idx" in text
    assert "Sort" not in text


def test_a_date_filter_is_a_range_on_the_timeline_index(planner, newsroom):
    filtered = TimelineFilter(
        {"published_after": "2024-01-01", "published_before": "2024-12-31"},
        queryset=timeline(newsroom.kb["meta-platforms"]),
    ).qs
    text = plan(story_ids(filtered)[:20])
    assert "Index Only Scan using mention_subject_timeline_idx" in text
    index_condition = next(line for line in text.splitlines() if "Index Cond" in line)
    assert "article_published_at >=" in index_condition
    assert "article_published_at <" in index_condition


def test_the_app_s_queries_start_no_parallel_workers():
    require_postgresql()
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)


@pytest.mark.parametrize("query", ["pair", "also"])
def test_a_story_naming_both_is_matched_on_its_time_and_its_id(planner, newsroom, query):
    # A story's mentions share its publication time: matched on both, the other entity's
    # timeline index can be walked in step with this one (a merge join that stops with the
    # page) instead of read whole; on the benchmark's data, 8.7 ms instead of 14.8 ms.
    kb = newsroom.kb
    if query == "pair":
        mentions = pair_timeline(kb["lg-electronics"], kb["meta-platforms"])
    else:
        mentions = TimelineFilter(
            {"also": "lg-electronics"}, queryset=timeline(kb["meta-platforms"])
        ).qs
    text = plan(story_ids(mentions)[:20])
    # The other entity's mentions, whatever alias the query gives them.
    match = next(line for line in text.splitlines() if re.search(r"\b[uv]0\.article_id\b", line))
    assert re.search(r"\b[uv]0\.article_published_at\b", match)
    assert text.count("mention_timeline_idx") + text.count("mention_subject_timeline_idx") == 2
