"""The desk in Debian's chromium: an Editor writes a story and submits it; a Chief editor
reviews it on its page (highlighted entities, one rejected, a relationship confirmed, without
a reload) and publishes it; readers then find it on the site and in its feed.

Screenshots land in test-artifacts/screenshots/desk-*.png, kept by CI.
"""

import pytest
from django.utils import timezone

from articles.models import Article, Mention, short_time
from entities.models import Relationship
from tests.conftest import PASSWORD, SCREENSHOTS
from tests.entities.kb import make_small_kb
from tests.factories import OutletFactory, UserFactory
from tests.test_public_pages_quality import axe_problems

TITLE = "Meta Platforms turns to Nvidia for its next data centres"
BODY = (
    "Meta Platforms will buy H100 chips from Nvidia in a new supply deal, the two companies "
    "said on Tuesday.\n\nThe chips will go into data centres that Mark Zuckerberg said would "
    "train the next models."
)


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"desk-{name}.png", full_page=True)


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state()


def axe_problems_of(page) -> list[str]:
    """Run axe-core on the page's address in a second page of the same session.

    axe injects its script and measures with inline styles, which the admin's policy
    refuses: there the policy is bypassed, and this page's console stays the page's own.
    """
    context = page.context.browser.new_context(
        storage_state=page.context.storage_state(), bypass_csp=True
    )
    try:
        audited = context.new_page()
        audited.goto(page.url)
        return axe_problems(audited)
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_story_goes_from_an_editor_s_draft_to_the_public_site(reader, live_server):
    make_small_kb()
    UserFactory(username="editor", groups=["Editor"])
    UserFactory(username="chief", groups=["Chief editor"])
    outlet = OutletFactory(name="Newsdesk Wire")
    page = reader

    # The Editor writes the story and submits it from its page, in one step.
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_title", TITLE)
    page.fill("#id_body", BODY)
    page.fill("#id_source_url", "https://news.example/meta-nvidia-data-centres")
    page.select_option("#id_outlet", str(outlet.pk))
    submit = page.locator("button[name=_workflow][value=submit]").last
    assert page.locator("button[name=_workflow][value=publish]").count() == 0
    submit.click()
    page.wait_for_load_state()
    assert "saved and submitted for review" in page.locator(".messagelist").inner_text()
    story = Article.objects.get()
    assert story.status == Article.Status.IN_REVIEW
    assert story.tagging_status == Article.TaggingStatus.DONE  # tagged in-process
    screenshot(page, "editor-submitted")

    # The Chief editor opens it: the entities are highlighted in the text, and in the table.
    log_in(page, live_server, "chief")
    page.goto(f"{live_server.url}{story.get_admin_url()}")
    marks = page.locator(".desk-text mark.mention")
    assert marks.count() >= 4
    assert page.locator(".desk-text mark.kind-company.subject", has_text="Nvidia").count() == 1
    assert page.locator(".desk-entities tbody tr").count() == story.mentions.count()
    screenshot(page, "chief-review")
    assert axe_problems_of(page) == []

    # Rejecting an entity takes one click, the page is not reloaded, focus stays on the button.
    zuckerberg = story.mentions.get(entity__slug="mark-zuckerberg")
    page.evaluate("window.notReloaded = true")
    reject = page.get_by_role("button", name="Reject Mark Zuckerberg")
    reject.click()
    page.wait_for_selector(f"#mention-{zuckerberg.pk}.status-rejected")
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("document.activeElement.id") == f"reject-{zuckerberg.pk}"
    assert page.locator(f'.desk-text mark.status-rejected[data-mention="{zuckerberg.pk}"]').count()
    assert "Mark Zuckerberg rejected." in page.locator("#desk-messages").inner_text()
    assert Mention.objects.get(pk=zuckerberg.pk).status == Mention.Status.REJECTED
    # The keyboard goes from one decision to the next, in reading order.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == f"confirm-{zuckerberg.pk}"

    # The relationship the story shows is confirmed in place too.
    supply = Relationship.objects.get(kind=Relationship.Kind.SUPPLIER_CUSTOMER)
    page.get_by_role("button", name=f"Confirm {supply}").click()
    page.wait_for_selector(f"#relationship-{supply.pk}.status-confirmed")
    assert Relationship.objects.get(pk=supply.pk).status == Relationship.Status.CONFIRMED
    assert page.locator("label[for=id_desk-entity]").inner_text() == "Add a missed entity:"
    screenshot(page, "chief-reviewed")

    # Published from its page: the form still has the version the desk's changes made.
    page.locator("button[name=_workflow][value=publish]").first.click()
    page.wait_for_load_state()
    assert "published: readers can see it now" in page.locator(".messagelist").inner_text()
    assert "after you opened it" not in page.content()
    story.refresh_from_db()
    assert story.is_public
    screenshot(page, "chief-published")

    # Readers find it, without the rejected entity, and in the latest stories' feed.
    page.goto(f"{live_server.url}{story.get_absolute_url()}")
    assert page.locator("article.story h1").inner_text() == TITLE
    assert page.locator(".story-body a.entity", has_text="Nvidia").count() >= 1
    assert page.locator(".story-body a.entity", has_text="Mark Zuckerberg").count() == 0
    screenshot(page, "public-story")
    feed = page.request.get(f"{live_server.url}/feeds/rss/")
    assert feed.ok
    assert TITLE in feed.text()
    assert page.problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_publish_button_says_when_a_new_story_will_go_live(reader, live_server):
    make_small_kb()
    UserFactory(username="chief", groups=["Chief editor"])
    outlet = OutletFactory(name="Newsdesk Wire")
    page = reader
    log_in(page, live_server, "chief")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    publish = page.locator("button[name=_workflow][value=publish]")
    assert publish.first.inner_text() == "Publish now"
    page.fill("#id_title", TITLE)
    page.fill("#id_body", BODY)
    page.fill("#id_source_url", "https://news.example/meta-nvidia-embargo")
    page.select_option("#id_outlet", str(outlet.pk))
    later = timezone.localtime() + timezone.timedelta(days=3)
    # Typed as the admin shows dates (en-gb).
    page.get_by_label("Publication date").fill(f"{later:%d/%m/%Y}")
    page.get_by_label("Publication time").fill("08:00:00")
    page.get_by_label("Publication time").blur()
    at_eight = later.replace(hour=8, minute=0, second=0, microsecond=0)
    label = f"Schedule for {short_time(at_eight)}"
    assert publish.first.inner_text() == label
    assert publish.last.inner_text() == label
    publish.first.click()
    page.wait_for_load_state()
    assert (
        f"scheduled: it goes live {short_time(at_eight)}"
        in page.locator(".messagelist").inner_text()
    )
    story = Article.objects.get()
    assert story.is_scheduled
    assert page.locator(".desk-state").inner_text().count(story.goes_live_label()) == 1
    screenshot(page, "chief-scheduled")
    assert page.request.get(f"{live_server.url}{story.get_absolute_url()}").status == 404
    assert page.problems == []
