from django.urls import path

from . import views
from .feeds import SearchFeed, StoryFeed, atom
from .public_cache import cached_public

app_name = "articles"

urlpatterns = [
    path("", cached_public(views.HomeView.as_view()), name="home"),
    path("feeds/rss/", cached_public(StoryFeed()), name="latest-rss"),
    path("feeds/atom/", cached_public(atom(StoryFeed)()), name="latest-atom"),
    path("stories/<slug:slug>/", cached_public(views.StoryView.as_view()), name="story"),
    path("search/", cached_public(views.SearchView.as_view()), name="search"),
    path("search/rss/", cached_public(SearchFeed()), name="search-rss"),
    path("search/atom/", cached_public(atom(SearchFeed)()), name="search-atom"),
]
