"""Drive the admin in Debian's chromium, as an Editor would."""

import pytest

from articles.models import Article
from tests.conftest import PASSWORD, SCREENSHOTS
from tests.factories import OutletFactory, UserFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_editor_creates_a_draft_and_cannot_publish_it(chromium_page, live_server):
    UserFactory(username="editor", groups=["Editor"])
    outlet = OutletFactory(name="Newsdesk Wire")
    page = chromium_page
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_title", "Samsung and Google show a mixed-reality headset")
    page.fill("#id_body", "Samsung Electronics and Google showed a headset built together.")
    page.fill("#id_source_url", "https://news.example/samsung-google-headset")
    page.select_option("#id_outlet", str(outlet.pk))
    page.click("input[name=_save]")

    row = page.locator("#result_list tbody tr", has_text="Samsung and Google")
    assert row.locator("td.field-publication").inner_text() == "Draft"
    actions = page.locator("select[name=action] option").all_inner_texts()
    assert "Submit for review" in actions
    assert "Publish" not in actions
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "admin-editor-changelist.png", full_page=True)

    # A hand-made request for the publish action is refused too.
    article = Article.objects.get()
    page.evaluate(
        """([id]) => {
            const form = document.getElementById('changelist-form');
            form.querySelector('select[name=action]').insertAdjacentHTML(
                'beforeend', '<option value="publish">Publish</option>');
            form.querySelector('select[name=action]').value = 'publish';
            form.querySelector(`input[name=_selected_action][value="${id}"]`).checked = true;
            form.submit();
        }""",
        [article.pk],
    )
    page.wait_for_load_state()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
