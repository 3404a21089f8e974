from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("stories/<slug:slug>/", views.StoryView.as_view(), name="story"),
    path("search/", views.SearchView.as_view(), name="search"),
]
