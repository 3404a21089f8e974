"""The public site: every page and feed, served through the page cache."""

from django.urls import path

from entities.models import Entity

from . import views
from .cache import public_page
from .feeds import (
    EntityFeed,
    PairFeed,
    RelationshipKindFeed,
    SearchFeed,
    StoryFeed,
    TopicFeed,
    atom,
)
from .filters import CompanyFilter, RelationshipFilter, StoryFilter

app_name = "public"

# The query parameters each page reads; the page cache redirects away from any other.
FILTERS = tuple(StoryFilter.base_filters)
LIST = ("page", *FILTERS)
TIMELINE = ("mentions", *FILTERS)


def page(route, view, name, parameters=()):
    return path(route, public_page(view, parameters=parameters), name=name)


def feeds(route, feed_class, name, parameters=FILTERS, wrap=lambda view: view):
    """Return the RSS and Atom routes of one feed, named `<name>-rss` and `<name>-atom`."""
    return [
        page(f"{route}rss/", wrap(feed_class()), f"{name}-rss", parameters),
        page(f"{route}atom/", wrap(atom(feed_class)()), f"{name}-atom", parameters),
    ]


def timeline(kind, route):
    feed = type(f"{kind.label}Feed", (EntityFeed,), {"kind": kind})
    return [
        page(
            f"{route}<slug:slug>/",
            views.EntityTimelineView.as_view(kind=kind),
            kind.value,
            ("page", *TIMELINE),
        ),
        *feeds(f"{route}<slug:slug>/", feed, kind.value, TIMELINE),
    ]


urlpatterns = [
    page("", views.HomeView.as_view(), "home", ("page",)),
    *feeds("feeds/", StoryFeed, "latest"),
    page("stories/<slug:slug>/", views.StoryView.as_view(), "story"),
    page("search/", views.SearchView.as_view(), "search", ("q", *LIST)),
    *feeds("search/", SearchFeed, "search", ("q", *FILTERS)),
    page(
        "companies/",
        views.CompanyListView.as_view(),
        "companies",
        ("page", *CompanyFilter.base_filters),
    ),
    *timeline(Entity.Kind.COMPANY, "companies/"),
    *timeline(Entity.Kind.PERSON, "people/"),
    *timeline(Entity.Kind.PRODUCT, "products/"),
    page(
        "partnerships/",
        views.PartnershipListView.as_view(),
        "partnerships",
        ("page", *RelationshipFilter.base_filters),
    ),
    *feeds("partnerships/kinds/<slug:kind>/", RelationshipKindFeed, "kind"),
    *feeds("partnerships/topics/<slug:slug>/", TopicFeed, "topic"),
    page(
        "partnerships/<slug:slug_a>/<slug:slug_b>/",
        views.pair_in_order(views.PairView.as_view()),
        "pair",
        LIST,
    ),
    *feeds("partnerships/<slug:slug_a>/<slug:slug_b>/", PairFeed, "pair", wrap=views.pair_in_order),
]
