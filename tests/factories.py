import importlib

import factory
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Outlet
from entities.models import Alias, Entity


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Outlet {n}")
    homepage = "https://outlet.example"
    default_language = "en"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Chipmakers report strong quarter number {n}")
    standfirst = "Demand for accelerators keeps growing."
    body = "Demand for data-centre accelerators kept growing this quarter, analysts said."
    source_url = factory.Sequence(lambda n: f"https://news.example/story-{n}")
    outlet = factory.SubFactory(OutletFactory)
    language = "en"
    status = Article.Status.DRAFT
    published_at = None

    class Params:
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(hours=1)),
        )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            ensure_editorial_groups()
            self.groups.add(*Group.objects.filter(name__in=names))
        self.save()


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity
        skip_postgeneration_save = True

    kind = Entity.Kind.COMPANY
    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.LazyAttribute(lambda entity: entity.name.lower().replace(" ", "-"))

    @factory.post_generation
    def aliases(self, create, texts, **kwargs):
        if create:
            for text in texts if texts is not None else [self.name]:
                Alias.objects.create(entity=self, text=text)


def ensure_editorial_groups():
    """Recreate the groups the data migrations made, after a transactional test flushed them."""
    if Group.objects.filter(name__in=["Editor", "Chief editor"]).count() == 2:
        return
    migration = importlib.import_module("articles.migrations.0003_editorial_groups")
    migration.grant(apps, schema_editor=None)


def bulk_published(outlet, numbers, *, title, body, published_at) -> list[Article]:
    """Bulk-create a published English story per number, titled title.format(n=number).

    No save(): no language detection, tagging or history, so hundreds cost little.
    """
    stories = []
    for n in numbers:
        story_title = title.format(n=n)
        stories.append(
            Article(
                title=story_title,
                slug=slugify(story_title),
                body=body,
                source_url=f"https://news.example/{slugify(story_title)}",
                outlet=outlet,
                language="en",
                status=Article.Status.PUBLISHED,
                published_at=published_at(n),
            )
        )
    return Article.objects.bulk_create(stories)
