from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .models import Article


class PublishedArticleMixin:
    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().select_related("outlet")


class HomeView(PublishedArticleMixin, ListView):
    template_name = "articles/home.html"
    context_object_name = "stories"


class StoryView(PublishedArticleMixin, DetailView):
    template_name = "articles/story.html"
    context_object_name = "story"

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), slug=self.kwargs["slug"])
