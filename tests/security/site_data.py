"""A small public site for the security tests: a tagged, published story with a relationship."""

from django.utils import timezone

from articles import tagging
from articles.models import Article
from entities.models import Relationship, Topic
from tests.entities.kb import make_small_kb
from tests.factories import ArticleFactory


def build_public_site() -> dict:
    kb = make_small_kb()
    story = ArticleFactory(
        title="Nvidia supplies Meta",
        standfirst="A supply deal for accelerators.",
        body="Meta Platforms will buy H100 chips from Nvidia in a new supply deal.\n\n"
        "Mark Zuckerberg said the chips would train new models.",
        byline="A. Reporter",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timezone.timedelta(hours=2),
    )
    tagging.article_tag(article_id=story.pk)
    story.refresh_from_db()
    topic, _ = Topic.objects.get_or_create(slug="chips", defaults={"name": "Chips"})
    relationship = Relationship.objects.filter(kind="supplier_customer").first()
    if relationship is not None:
        relationship.topics.add(topic)
    return {"kb": kb, "story": story, "topic": topic, "relationship": relationship}
