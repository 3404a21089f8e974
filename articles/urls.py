from django.urls import path

from . import views
from .feed_cache import cached_feed
from .feeds import SearchFeed, StoryFeed, atom

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("feeds/rss/", cached_feed(StoryFeed()), name="latest-rss"),
    path("feeds/atom/", cached_feed(atom(StoryFeed)()), name="latest-atom"),
    path("stories/<slug:slug>/", views.StoryView.as_view(), name="story"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("search/rss/", cached_feed(SearchFeed()), name="search-rss"),
    path("search/atom/", cached_feed(atom(SearchFeed)()), name="search-atom"),
]
