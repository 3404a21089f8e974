from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import TemplateView

from articles.sitemaps import EntitySitemap, PairSitemap, StorySitemap

admin.site.site_header = "Newsdesk"
admin.site.site_title = "Newsdesk admin"
# The desk (the admin index) and the breadcrumbs lead everywhere; without the model sidebar the
# article list keeps every column in view at 1280 px.
admin.site.enable_nav_sidebar = False

sitemaps = {"stories": StorySitemap, "entities": EntitySitemap, "pairs": PairSitemap}

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("", include("articles.urls")),
]
