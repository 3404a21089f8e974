"""Companies, stories, mentions and relationships made directly, for the directory tests.

No tagging: each story names the companies it is given, the first the most saliently.
"""

import itertools

from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Mention, RelationshipEvidence
from entities.models import Entity, Relationship
from tests.factories import OutletFactory

_numbers = itertools.count()


def company(name: str, **fields) -> Entity:
    return Entity.objects.create(
        kind=Entity.Kind.COMPANY, name=name, slug=fields.pop("slug", slugify(name)), **fields
    )


def story(*named: Entity, days_ago: float = 1, status=Article.Status.PUBLISHED, **fields):
    """Return a story naming these entities, published `days_ago` (negative: embargoed)."""
    number = next(_numbers)
    article = Article.objects.create(
        title=fields.pop("title", f"Story {number}"),
        body=fields.pop("body", "A story."),
        source_url=f"https://news.example/directory-{number}",
        outlet=OutletFactory(name="Directory Wire"),
        language="en",
        status=status,
        published_at=timezone.now() - timezone.timedelta(days=days_ago),
        **fields,
    )
    for rank, entity in enumerate(named):
        Mention.objects.create(article=article, entity=entity, salience=0.9 - rank / 100)
    return article


def relationship(company_a, company_b, kind="partnership", *, evidence=(), **fields):
    """Return the relationship of two companies, with evidence: (story, sentence, start)."""
    first, second = sorted([company_a, company_b], key=lambda company: company.slug)
    public = [
        found.published_at for found, _, _ in evidence if found.is_public
    ]  # what the newsroom keeps in last_seen
    created = Relationship.objects.create(
        company_a=first,
        company_b=second,
        kind=kind,
        last_seen=fields.pop("last_seen", max(public, default=None)),
        **fields,
    )
    for found, sentence, start in evidence:
        RelationshipEvidence.objects.create(
            relationship=created,
            article=found,
            sentence=sentence,
            start=start,
            end=start + len(sentence),
        )
    return created
