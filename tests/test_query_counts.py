"""Every public page runs a bounded number of queries, whatever the number of stories.

Each page is read with a newsroom of 1 story and of 50 stories (tagged the way the task tags
them, over several outlets, months and relationships) under the same limit: a query per story,
per entity or per relationship would break it.
"""

import datetime

import pytest
from django.db import transaction

from entities.models import Entity
from tests.entities.kb import make_small_kb
from tests.public_site import PUBLIC, make_story

# Queries each page may run; the same for 1 story and for 50. Measured on this version:
# a page whose lists are empty skips some (nothing to prefetch). A story list reads a page
# of story ids (from the mention index for a timeline), then the stories, and for the items
# not drawn yet their outlets, mentions and mentioned entities; only search counts its
# results. A page that is not in the public cache yet (as here) also asks when the next
# embargoed story comes out. The company directory reads its sectors, when the newest
# stories began, the page's ranking, its companies with their partners, their latest stories;
# the partnership list its pairs, their relationships (which ones, then those), topics and
# newest evidence, and the topics to filter by.
LIMITS = {
    "home": 6,
    "story": 9,
    "companies": 6,
    "companies-by-name": 5,
    "company": 15,
    "person": 12,
    "product": 12,
    "partnerships": 7,
    "pair": 11,
    "search": 8,
    "sitemap": 4,
    "sitemap-stories": 2,
    "sitemap-entities": 2,
    "sitemap-pairs": 2,
}
# With every story filter: the chosen outlet is looked up, and so is the entity "also" names.
FILTERED_LIMITS = {"company": 17, "search": 9, "pair": 13}
SPECS = list(PUBLIC.values())


def build(size: int) -> dict:
    kb = make_small_kb()
    Entity.objects.filter(pk=kb["lg-electronics"].pk).update(sector="electronics")
    start = datetime.datetime(2022, 1, 3, 9, tzinfo=datetime.UTC)
    stories = []
    for n in range(size):
        spec = SPECS[(n + 2) % len(SPECS)]  # the first one is "meta-lg"
        stories.append(
            make_story(
                **{
                    **spec,
                    "title": f"{spec['title']} ({n})",
                    "outlet": f"Outlet {n % 7}",
                    "published_at": start + datetime.timedelta(days=17 * n),
                }
            )
        )
    return {"stories": stories}


@pytest.fixture(scope="module", params=[1, 50], ids=["1-story", "50-stories"])
def dataset(request, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build(request.param)
        transaction.set_rollback(True)


def urls(dataset) -> dict[str, str]:
    return {
        "home": "/",
        "story": dataset["stories"][0].get_absolute_url(),
        "companies": "/companies/",
        "companies-by-name": "/companies/?sort=name&show=all",
        "company": "/companies/meta-platforms/?mentions=all",
        "person": "/people/mark-zuckerberg/",
        "product": "/products/nvidia-h100/",
        "partnerships": "/partnerships/",
        "pair": "/partnerships/lg-electronics/meta-platforms/",
        "search": "/search/?q=Meta",
        "sitemap": "/sitemap.xml",
        "sitemap-stories": "/sitemap-stories.xml",
        "sitemap-entities": "/sitemap-entities.xml",
        "sitemap-pairs": "/sitemap-pairs.xml",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("page", LIMITS)
def test_page_runs_a_bounded_number_of_queries(
    client, dataset, django_assert_max_num_queries, page
):
    url = urls(dataset)[page]
    with django_assert_max_num_queries(LIMITS[page]):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.django_db
def test_filtered_timeline_and_search_stay_bounded(client, dataset, django_assert_max_num_queries):
    outlet = dataset["stories"][0].outlet_id
    filters = f"language=en&outlet={outlet}&also=lg-electronics&topic=xr&relationship=partnership"
    with django_assert_max_num_queries(FILTERED_LIMITS["company"]):
        assert client.get(f"/companies/meta-platforms/?{filters}").status_code == 200
    with django_assert_max_num_queries(FILTERED_LIMITS["search"]):
        assert client.get(f"/search/?q=Meta&{filters}").status_code == 200
    with django_assert_max_num_queries(FILTERED_LIMITS["pair"]):
        assert (
            client.get(f"/partnerships/lg-electronics/meta-platforms/?{filters}").status_code == 200
        )


@pytest.mark.django_db
def test_the_newsroom_fills_the_pages_it_is_measured_on(client, dataset):
    """The limits mean something only if the big data set really lists many rows."""
    page_size = min(20, len(dataset["stories"]))
    assert len(client.get("/").context["stories"]) == page_size
    assert len(client.get("/search/?q=Meta").context["stories"]) == page_size
    timeline = client.get("/companies/meta-platforms/?mentions=all").context["stories"]
    assert len(timeline) == page_size
    pairs = client.get("/partnerships/").context["pairs"]
    assert len(pairs) == (1 if page_size == 1 else 4)
    companies = client.get("/companies/").context["companies"]
    assert len(companies) == (2 if page_size == 1 else 5)
