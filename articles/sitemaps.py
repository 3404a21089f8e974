from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse

from entities.models import Entity, Relationship

from .models import Article, Mention


class StorySitemap(Sitemap):
    changefreq = "weekly"
    limit = 10_000

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("-published_at")

    def lastmod(self, story):
        return story.updated_at


class EntitySitemap(Sitemap):
    changefreq = "daily"
    limit = 10_000

    def items(self):
        has_stories = Mention.objects.published().filter(entity=OuterRef("pk"))
        return Entity.objects.filter(Exists(has_stories)).only("kind", "slug").order_by("pk")


class PairSitemap(Sitemap):
    changefreq = "weekly"
    limit = 10_000

    def items(self):
        return (
            Relationship.objects.public()
            .order_by("company_a__slug", "company_b__slug")
            .values_list("company_a__slug", "company_b__slug")
            .distinct()
        )

    def location(self, pair):
        return reverse("public:pair", kwargs={"slug_a": pair[0], "slug_b": pair[1]})
