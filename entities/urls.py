from django.urls import path

from articles.feeds import atom
from articles.public_cache import cached_public

from . import views
from .feeds import EntityFeed, PairFeed, RelationshipKindFeed, TopicFeed
from .models import Entity

app_name = "entities"
# The URL arguments naming what a page shows only the stories of: it stays cached while
# stories about others are published or re-tagged.
ENTITY = ("slug",)
PAIR = ("slug_a", "slug_b")


def feeds(route, feed_class, name, about=()):
    """Return the RSS and Atom routes of one feed, named `<name>-rss` and `<name>-atom`."""
    return [
        path(f"{route}rss/", cached_public(feed_class(), about), name=f"{name}-rss"),
        path(f"{route}atom/", cached_public(atom(feed_class)(), about), name=f"{name}-atom"),
    ]


def entity_feed(kind):
    return type(f"{kind.label}Feed", (EntityFeed,), {"kind": kind})


urlpatterns = [
    path("companies/", cached_public(views.CompanyListView.as_view()), name="companies"),
    path(
        "companies/<slug:slug>/",
        cached_public(views.EntityTimelineView.as_view(kind=Entity.Kind.COMPANY), ENTITY),
        name="company",
    ),
    *feeds("companies/<slug:slug>/", entity_feed(Entity.Kind.COMPANY), "company", ENTITY),
    path(
        "people/<slug:slug>/",
        cached_public(views.EntityTimelineView.as_view(kind=Entity.Kind.PERSON), ENTITY),
        name="person",
    ),
    *feeds("people/<slug:slug>/", entity_feed(Entity.Kind.PERSON), "person", ENTITY),
    path(
        "products/<slug:slug>/",
        cached_public(views.EntityTimelineView.as_view(kind=Entity.Kind.PRODUCT), ENTITY),
        name="product",
    ),
    *feeds("products/<slug:slug>/", entity_feed(Entity.Kind.PRODUCT), "product", ENTITY),
    path("partnerships/", cached_public(views.PartnershipListView.as_view()), name="partnerships"),
    *feeds("partnerships/kinds/<slug:kind>/", RelationshipKindFeed, "kind"),
    *feeds("partnerships/topics/<slug:slug>/", TopicFeed, "topic"),
    path(
        "partnerships/<slug:slug_a>/<slug:slug_b>/",
        cached_public(views.PairView.as_view(), PAIR),
        name="pair",
    ),
    *feeds("partnerships/<slug:slug_a>/<slug:slug_b>/", PairFeed, "pair", PAIR),
]
