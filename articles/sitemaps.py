from django.contrib.sitemaps import Sitemap

from .models import Article


class StorySitemap(Sitemap):
    changefreq = "weekly"
    limit = 10_000

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("-published_at")

    def lastmod(self, story):
        return story.updated_at
