from django.urls import path

from articles.feeds import atom
from articles.public_cache import cached_public

from . import views
from .feeds import EntityFeed, PairFeed, RelationshipKindFeed, TopicFeed
from .models import Entity

app_name = "entities"


def feeds(route, feed_class, name):
    """Return the RSS and Atom routes of one feed, named `<name>-rss` and `<name>-atom`."""
    return [
        path(f"{route}rss/", cached_public(feed_class()), name=f"{name}-rss"),
        path(f"{route}atom/", cached_public(atom(feed_class)()), name=f"{name}-atom"),
    ]


def entity_feed(kind):
    return type(f"{kind.label}Feed", (EntityFeed,), {"kind": kind})


urlpatterns = [
    path("companies/", cached_public(views.CompanyListView.as_view()), name="companies"),
    path(
        "companies/<slug:slug>/",
        cached_public(views.EntityTimelineView.as_view(kind=Entity.Kind.COMPANY)),
        name="company",
    ),
    *feeds("companies/<slug:slug>/", entity_feed(Entity.Kind.COMPANY), "company"),
    path(
        "people/<slug:slug>/",
        cached_public(views.EntityTimelineView.as_view(kind=Entity.Kind.PERSON)),
        name="person",
    ),
    *feeds("people/<slug:slug>/", entity_feed(Entity.Kind.PERSON), "person"),
    path(
        "products/<slug:slug>/",
        cached_public(views.EntityTimelineView.as_view(kind=Entity.Kind.PRODUCT)),
        name="product",
    ),
    *feeds("products/<slug:slug>/", entity_feed(Entity.Kind.PRODUCT), "product"),
    path("partnerships/", cached_public(views.PartnershipListView.as_view()), name="partnerships"),
    *feeds("partnerships/kinds/<slug:kind>/", RelationshipKindFeed, "kind"),
    *feeds("partnerships/topics/<slug:slug>/", TopicFeed, "topic"),
    path(
        "partnerships/<slug:slug_a>/<slug:slug_b>/",
        cached_public(views.PairView.as_view()),
        name="pair",
    ),
    *feeds("partnerships/<slug:slug_a>/<slug:slug_b>/", PairFeed, "pair"),
]
