from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Newsdesk"
admin.site.site_title = "Newsdesk admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]
