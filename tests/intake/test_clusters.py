"""Story clusters: other outlets' reports of one event grouped, other events kept apart.

The articles are ours, written for these tests: two reports of one event in English by
different outlets, a French translation of one of them, and a story about the same two
companies that reports another event.
"""

import pytest
from django.utils import timezone

from articles.clusters import article_cluster
from articles.models import Article, StoryCluster
from articles.services import article_save
from tests.factories import ArticleFactory, OutletFactory

HEADSET_DEAL_EN = (
    "Meta and LG Electronics team up on mixed reality headsets",
    "Meta Platforms has signed a partnership with LG Electronics to design mixed reality "
    "headsets together, the two companies announced on Tuesday. Under the agreement, LG "
    "Electronics will build the displays and the hardware while Meta supplies the software "
    "platform and its assistant. Mark Zuckerberg said the first headset would reach shops "
    "next year, and William Cho called the partnership a turning point for the television "
    "maker, which wants a foothold in wearable devices.",
)
HEADSET_DEAL_REWRITE = (
    "LG Electronics will build headsets with Meta in new partnership",
    "LG Electronics and Meta Platforms announced a partnership on Tuesday to develop mixed "
    "reality headsets. The television maker will design the displays and manufacture the "
    "hardware; Meta brings its software platform and its assistant. William Cho told "
    "reporters the deal gives LG Electronics a foothold in wearable devices, and Mark "
    "Zuckerberg expects the first headset in shops next year.",
)
HEADSET_DEAL_FR = (
    "Meta et LG Electronics s'associent pour des casques de réalité mixte",
    "Meta Platforms a signé un partenariat avec LG Electronics pour concevoir ensemble des "
    "casques de réalité mixte, ont annoncé mardi les deux entreprises. Selon l'accord, LG "
    "Electronics fabriquera les écrans et le matériel, tandis que Meta fournira la "
    "plateforme logicielle et son assistant. Mark Zuckerberg a indiqué que le premier casque "
    "arriverait en magasin l'an prochain, et William Cho a qualifié ce partenariat de "
    "tournant pour le fabricant de téléviseurs, qui veut prendre pied dans les objets "
    "connectés.",
)
# The same two companies, another event: a price cut, no deal between them.
PRICE_CUTS = (
    "Meta and LG Electronics cut prices ahead of the holiday season",
    "Meta Platforms lowered the price of its current headset by a fifth this week, while LG "
    "Electronics trimmed what it charges for its OLED televisions across Europe. Retail "
    "analysts expect a crowded holiday quarter in consumer electronics, with discounts "
    "spreading to laptops and phones. Mark Zuckerberg did not comment on sales figures; "
    "William Cho said demand for large screens remained steady in North America.",
)


@pytest.fixture
def report(kb, django_capture_on_commit_callbacks):
    """Save and tag an article from an outlet as intake does; clustering follows tagging."""

    def make(text, outlet, language="en", hours_ago=1, status=Article.Status.PUBLISHED):
        title, body = text
        article = ArticleFactory.build(
            title=title,
            body=body,
            language=language,
            outlet=OutletFactory(name=outlet),
            status=status,
            published_at=timezone.now() - timezone.timedelta(hours=hours_ago),
        )
        with django_capture_on_commit_callbacks(execute=True):
            article_save(article=article, by=None)
        article.refresh_from_db()
        return article

    return make


def test_two_outlets_reporting_one_event_make_one_story(report):
    first = report(HEADSET_DEAL_EN, "Silicon Ledger", hours_ago=3)
    second = report(HEADSET_DEAL_REWRITE, "Chip Courier")
    first.refresh_from_db()
    assert second.cluster_id is not None
    assert first.cluster_id == second.cluster_id
    # The earliest report leads by default.
    assert second.cluster.lead == first


def test_same_companies_in_another_event_are_not_grouped(report):
    deal = report(HEADSET_DEAL_EN, "Silicon Ledger", hours_ago=3)
    prices = report(PRICE_CUTS, "Chip Courier")
    deal.refresh_from_db()
    assert deal.cluster_id is None
    assert prices.cluster_id is None
    assert not StoryCluster.objects.exists()


def test_a_translation_joins_the_story_of_its_original(report):
    original = report(HEADSET_DEAL_EN, "Silicon Ledger", hours_ago=3)
    translation = report(HEADSET_DEAL_FR, "Le Courrier des Puces", language="fr")
    original.refresh_from_db()
    assert translation.cluster_id is not None
    assert translation.cluster_id == original.cluster_id


def test_a_translation_of_another_event_stays_apart(report):
    report(PRICE_CUTS, "Silicon Ledger", hours_ago=3)
    translation = report(HEADSET_DEAL_FR, "Le Courrier des Puces", language="fr")
    assert translation.cluster_id is None


def test_a_third_outlet_joins_the_existing_story(report):
    first = report(HEADSET_DEAL_EN, "Silicon Ledger", hours_ago=5)
    second = report(HEADSET_DEAL_REWRITE, "Chip Courier", hours_ago=3)
    third = report(HEADSET_DEAL_FR, "Le Courrier des Puces", language="fr")
    first.refresh_from_db()
    assert {a.cluster_id for a in Article.objects.all()} == {second.cluster_id}
    assert third.cluster_id == first.cluster_id
    assert StoryCluster.objects.count() == 1


def test_reports_days_apart_are_different_stories(report, settings):
    settings.NEWSDESK_CLUSTER_WINDOW_DAYS = 3
    report(HEADSET_DEAL_EN, "Silicon Ledger", hours_ago=24 * 10)
    later = report(HEADSET_DEAL_REWRITE, "Chip Courier")
    assert later.cluster_id is None


def test_the_same_outlet_twice_is_not_a_story_across_outlets(report):
    report(HEADSET_DEAL_EN, "Silicon Ledger", hours_ago=3)
    follow_up = report(HEADSET_DEAL_REWRITE, "Silicon Ledger")
    assert follow_up.cluster_id is None


def test_clustering_twice_changes_nothing(report):
    report(HEADSET_DEAL_EN, "Silicon Ledger", hours_ago=3)
    second = report(HEADSET_DEAL_REWRITE, "Chip Courier")
    assert article_cluster(article_id=second.pk) == second.cluster
    assert StoryCluster.objects.count() == 1


def test_an_article_with_no_subject_is_left_alone(report):
    untagged = report(("A quiet day", "Nothing of note happened in the industry."), "Chip Courier")
    assert article_cluster(article_id=untagged.pk) is None
    assert article_cluster(article_id=0) is None
