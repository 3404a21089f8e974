"""A Chief editor works through the candidates in Debian's chromium: accepts one as a new
entity, links two to entities already known (one offered by the page, one found through the
autocomplete), and the desk's pages pass axe-core at a desktop and a phone width."""

import pytest

from articles import tagging
from articles.models import Article, CandidateSighting
from entities.models import Alias, Candidate, Entity
from tests.conftest import PASSWORD, SCREENSHOTS
from tests.entities.kb import make_small_kb
from tests.factories import ArticleFactory, EntityFactory, OutletFactory, UserFactory
from tests.test_public_pages_quality import WIDTHS, axe_problems


def sighted(text, body) -> tuple[Candidate, Article]:
    story = ArticleFactory(
        title=f"{text} in the news", body=body, outlet=OutletFactory(name="Wire")
    )
    candidate = Candidate.objects.create(text=text)
    CandidateSighting.objects.create(candidate=candidate, article=story, count=1, examples=[body])
    return candidate, story


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_chief_editor_accepts_and_links_candidates_without_duplicates(reader, live_server):
    kb = make_small_kb()
    amazon = EntityFactory(name="Amazon", slug="amazon", aliases=[])
    Alias.objects.create(entity=amazon, text="Amazon", case_sensitive=True, ambiguous=True)
    _, orbital_story = sighted("Orbital Labs", "Orbital Labs signed a deal with Nvidia.")
    amazon_candidate, amazon_story = sighted("Amazon", "Amazon opened an office in Lyon.")
    nvidia_corp, nvidia_story = sighted(
        "Nvidia Corporation", "Nvidia Corporation supplies Meta Platforms with chips."
    )
    tagging.article_tag(
        article_id=ArticleFactory(
            title="Meta buys chips",
            body="Meta Platforms will buy H100 chips from Nvidia.",
            published=True,
        ).pk
    )
    UserFactory(username="chief", groups=["Chief editor"])
    page = reader
    page.set_viewport_size({"width": 1280, "height": WIDTHS[1280]})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    # The desk sends the chief editor to the candidates waiting.
    page.click("text=candidates waiting")
    page.click("text=Orbital Labs")
    page.screenshot(path=SCREENSHOTS / "desk-candidate-1280.png", full_page=True)
    page.select_option("#id_kind", "company")
    page.click("button[value=accept]")
    assert "is now a name of Orbital Labs (company)" in page.inner_text(".messagelist")

    # Amazon: the page offers the known entity; accepting it as new is refused.
    page.goto(f"{live_server.url}/admin/entities/candidate/{amazon_candidate.pk}/change/")
    assert "Already in the knowledge base" in page.inner_text(".desk-known")
    page.select_option("#id_kind", "company")
    page.click("button[value=accept]")
    assert "already in the knowledge base as Amazon (company)" in page.inner_text(".errorlist")
    page.screenshot(path=SCREENSHOTS / "desk-candidate-refused-1280.png", full_page=True)
    page.click("button[value=link]")
    assert "is now a name of Amazon (company)" in page.inner_text(".messagelist")

    # Nvidia Corporation: found through the entity autocomplete.
    page.goto(f"{live_server.url}/admin/entities/candidate/{nvidia_corp.pk}/change/")
    page.click(".field-link_to .select2-selection")
    page.fill(".select2-search__field", "Nvid")
    page.click(".select2-results__option >> text=Nvidia")
    page.click("button[value=link]")
    assert "is now a name of Nvidia (company)" in page.inner_text(".messagelist")

    assert Entity.objects.filter(name="Amazon").count() == 1
    assert not Entity.objects.filter(slug="amazon-2").exists()
    orbital_labs = Entity.objects.get(name="Orbital Labs")
    assert kb["nvidia"].aliases.filter(text="Nvidia Corporation").exists()
    amazon_candidate.refresh_from_db()
    assert amazon_candidate.entity == amazon
    # The stories naming them were tagged again (in-process here: no broker).
    for story in (orbital_story, amazon_story, nvidia_story):
        story.refresh_from_db()
        assert story.tagging_status == Article.TaggingStatus.DONE
    assert orbital_story.mentions.filter(entity=orbital_labs).exists()
    assert nvidia_story.mentions.filter(entity=kb["nvidia"]).exists()

    # The desk and its queues, at both widths.
    pending, _ = sighted("Kestrel Robotics", "Kestrel Robotics works with Apple.")
    pages = {
        "desk-index": "/admin/",
        "desk-relationships": "/admin/entities/relationship/?status__exact=detected",
        "desk-candidate": f"/admin/entities/candidate/{pending.pk}/change/",
        "desk-articles": "/admin/articles/article/",
    }
    overflowing, inaccessible = [], []
    for width, height in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        for name, path in pages.items():
            assert page.goto(f"{live_server.url}{path}").status == 200
            page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
            problems = len(page.problems)
            inaccessible += axe_problems(page)
            # axe-core injects a <style> element of its own, which the admin's CSP refuses:
            # the page's problems are those seen before it ran.
            del page.problems[problems:]
            if name == "desk-articles" and width == 390:
                scroll_width = page.evaluate("document.body.scrollWidth")
                if scroll_width > width:
                    overflowing.append(f"{path}: {scroll_width}px wide in {width}px")
            if name == "desk-articles" and width == 1280:
                # Every column in view: the list does not scroll sideways in its box.
                results = page.locator("#changelist .results")
                hidden = results.evaluate("box => box.scrollWidth - box.clientWidth")
                if hidden > 0:
                    overflowing.append(f"{path}: {hidden}px of the list hidden at {width}px")
    assert overflowing == []
    assert inaccessible == [], "\n".join(inaccessible)
    assert page.problems == []
