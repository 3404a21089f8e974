import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.pagination import CappedPaginator
from tests.admin_forms import article_form
from tests.factories import ArticleFactory, OutletFactory
from tests.services import require_postgresql

CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_editor_creates_a_draft(editor_client, editor):
    outlet = OutletFactory()
    response = editor_client.post(ADD, article_form(outlet))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.created_by == editor
    assert article.slug == "arm-and-qualcomm-settle-their-licensing-dispute"


def test_status_in_a_crafted_add_form_is_ignored(editor_client):
    outlet = OutletFactory()
    editor_client.post(
        ADD,
        article_form(
            outlet, status="published", published_at_0="2024-01-01", published_at_1="10:00"
        ),
    )
    assert Article.objects.get().status == Article.Status.DRAFT


def test_editor_cannot_publish_with_a_crafted_action_post(editor_client):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    response = editor_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [article.pk]}, follow=True
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert "publish" not in response.context["action_form"].fields["action"].choices.__repr__()


def test_editor_cannot_change_an_article_under_review(editor_client):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    response = editor_client.post(
        change_url(article), article_form(article.outlet, title="Hijacked")
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title != "Hijacked"


def test_editor_submits_for_review(editor_client):
    article = ArticleFactory()
    editor_client.post(
        CHANGELIST, {"action": "submit_for_review", "_selected_action": [article.pk]}
    )
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW


def test_chief_editor_publishes_and_archives(chief_client):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    chief_client.post(CHANGELIST, {"action": "publish", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at is not None
    chief_client.post(CHANGELIST, {"action": "archive", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.ARCHIVED


def test_an_impossible_step_shows_a_message_not_an_error(chief_client):
    article = ArticleFactory(status=Article.Status.ARCHIVED)
    response = chief_client.post(
        CHANGELIST, {"action": "submit_for_review", "_selected_action": [article.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "cannot be moved to in review" in response.content.decode()


def test_rerun_tagging_marks_the_article_pending(chief_client):
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(
        tagging_status=Article.TaggingStatus.FAILED, tagged_fingerprint=article.fingerprint
    )
    chief_client.post(CHANGELIST, {"action": "rerun_tagging", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.tagging_status in {Article.TaggingStatus.PENDING, Article.TaggingStatus.DONE}
    assert article.tagging_error == ""


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "   "}, "This field is required."),
        ({"title": "\u200b \u200b"}, "The title is empty."),
        ({"body": "\u200b\n\t\ufeff"}, "The body is empty."),
        ({"source_url": "not a url"}, "Enter a valid URL."),
        ({"source_url": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"title": "Evil\u202etitle"}, "text-direction characters"),
        ({"title": "x" * 1_000_000}, "at most 300 characters"),
        ({"published_at_0": "2024-02-31", "published_at_1": "10:00"}, "Enter a valid date"),
    ],
)
def test_bad_input_gets_a_form_error(editor_client, overrides, message):
    outlet = OutletFactory()
    response = editor_client.post(ADD, article_form(outlet, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_body_over_the_limit_is_refused(editor_client, settings):
    settings.NEWSDESK_MAX_BODY_CHARS = 1000
    outlet = OutletFactory()
    response = editor_client.post(ADD, article_form(outlet, body="word " * 300))
    assert "the limit is 1,000" in response.content.decode()
    assert not Article.objects.exists()


def test_duplicate_source_url_links_the_existing_article(editor_client):
    existing = ArticleFactory(source_url="https://news.example/arm-qualcomm")
    response = editor_client.post(
        ADD,
        article_form(existing.outlet, source_url="https://NEWS.example/arm-qualcomm/?utm_source=x"),
    )
    assert response.status_code == 200
    assert f'href="{change_url(existing)}"' in response.content.decode()
    assert Article.objects.count() == 1


def test_failed_edit_loses_nothing_already_saved(editor_client):
    article = ArticleFactory(title="Kept title", body="Kept body")
    response = editor_client.post(
        change_url(article),
        article_form(article.outlet, body="", expected_version=article.version),
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert (article.title, article.body) == ("Kept title", "Kept body")


def test_hostile_title_is_escaped_in_the_changelist(chief_client):
    ArticleFactory(title='<script>alert("x")</script>')
    content = chief_client.get(CHANGELIST).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;" in content


def test_changelist_filters_search_and_dates_answer(chief_client):
    ArticleFactory.create_batch(3, published=True)
    for query in [
        "?status=published",
        "?q=quarter",
        "?tagging_status=done&language=en",
        "?published_at__year=2024",
        "?status=bogus",
        "?o=99",
    ]:
        assert chief_client.get(CHANGELIST + query).status_code in {200, 302}


def test_history_is_visible_and_reverting_keeps_the_workflow_status(chief_client):
    article = ArticleFactory(title="Original title")
    article.title = "Edited title"
    article.save()
    original = article.history.earliest("history_date")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.IN_REVIEW)
    history_url = reverse("admin:articles_article_history", args=[article.pk])
    assert "Edited title" in chief_client.get(history_url).content.decode()
    revert_url = reverse(
        "admin:articles_article_simple_history", args=[article.pk, original.history_id]
    )
    response = chief_client.post(
        revert_url,
        article_form(
            article.outlet,
            title="Original title",
            source_url=article.source_url,
            body=article.body,
            expected_version=article.version,
        ),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Original title"
    assert article.status == Article.Status.IN_REVIEW


def test_editor_cannot_revert_an_article_they_may_not_change(editor_client):
    article = ArticleFactory(title="Original title", status=Article.Status.PUBLISHED)
    article.title = "Published title"
    article.save()
    original = article.history.earliest("history_date")
    revert_url = reverse(
        "admin:articles_article_simple_history", args=[article.pk, original.history_id]
    )
    response = editor_client.post(
        revert_url,
        article_form(article.outlet, title="Original title", source_url=article.source_url),
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Published title"


def test_second_editor_cannot_silently_overwrite_the_first(client, editor, chief_editor):
    article = ArticleFactory(title="Original title", body="Original body.")
    opened_version = article.version
    client.force_login(editor)
    first = client.post(
        change_url(article),
        article_form(
            article.outlet,
            title="First editor's title",
            body="Original body.",
            source_url=article.source_url,
            expected_version=opened_version,
        ),
    )
    assert first.status_code == 302
    client.force_login(chief_editor)
    second = client.post(
        change_url(article),
        article_form(
            article.outlet,
            title="Second editor's title",
            body="Original body.",
            source_url=article.source_url,
            expected_version=opened_version,
        ),
    )
    assert second.status_code == 200
    assert "editor saved this article" in second.content.decode()
    article.refresh_from_db()
    assert article.title == "First editor's title"
    assert article.version == opened_version + 1


def test_change_form_carries_the_stored_version(editor_client):
    article = ArticleFactory()
    article.save()
    page = editor_client.get(change_url(article)).content.decode()
    assert f'name="expected_version" value="{article.version}"' in page


def test_admin_search_finds_words_in_the_body_and_a_pasted_source_url(chief_client):
    wanted = ArticleFactory(body="The foundry doubled its wafer output this spring.")
    ArticleFactory(body="Nothing to see here.")
    by_word = chief_client.get(CHANGELIST, {"q": "wafer"})
    assert list(by_word.context["cl"].result_list) == [wanted]
    by_url = chief_client.get(CHANGELIST, {"q": wanted.source_url})
    assert list(by_url.context["cl"].result_list) == [wanted]


def published_on(year, month=6, **fields):
    return ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=timezone.make_aware(datetime.datetime(year, month, 15, 12)),
        **fields,
    )


def hierarchy_titles(response):
    return [choice["title"] for choice in response.context["choices"]]


def test_date_hierarchy_lists_only_the_years_that_have_articles(chief_client):
    published_on(2021)
    published_on(2023, language="fr")
    published_on(2023, month=9, language="fr")
    published_on(2025)
    ArticleFactory()  # a draft has no date: it names no year
    assert hierarchy_titles(chief_client.get(CHANGELIST)) == ["2021", "2023", "2025"]
    french = chief_client.get(CHANGELIST, {"language": "fr"})
    # One year only: the hierarchy opens on that year's months, as Django's does.
    assert hierarchy_titles(french) == ["June 2023", "September 2023"]


def test_date_hierarchy_of_a_search_lists_the_years_of_the_matches(chief_client):
    published_on(2022, body="The foundry doubled its wafer output.")
    published_on(2024, body="The foundry cut its wafer prices.")
    published_on(2023, body="Nothing about silicon here.")
    response = chief_client.get(CHANGELIST, {"q": "wafer"})
    assert hierarchy_titles(response) == ["2022", "2024"]
    assert chief_client.get(CHANGELIST, {"published_at__year": "2024"}).status_code == 200


def test_admin_search_finds_a_source_url_however_it_is_written(chief_client):
    wanted = ArticleFactory(source_url="https://news.example/arm-qualcomm")
    ArticleFactory(source_url="https://news.example/arm-qualcomm-2")
    pasted = "HTTPS://News.Example/arm-qualcomm/?utm_source=newsletter"
    response = chief_client.get(CHANGELIST, {"q": pasted})
    assert list(response.context["cl"].result_list) == [wanted]


def test_the_list_counts_articles_of_a_status_and_language_from_an_index(db):
    require_postgresql()
    # As the list filtered by status and language counts them (CappedPaginator.count).
    capped = Article.objects.filter(status=Article.Status.PUBLISHED, language="fr").order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = capped.values("id")[: CappedPaginator.cap].explain()
        finally:
            cursor.execute("RESET enable_seqscan")
    assert "article_status_language_idx" in plan
