from django.urls import path

from . import views
from .models import Entity

app_name = "entities"

urlpatterns = [
    path("companies/", views.CompanyListView.as_view(), name="companies"),
    path(
        "companies/<slug:slug>/",
        views.EntityTimelineView.as_view(kind=Entity.Kind.COMPANY),
        name="company",
    ),
    path(
        "people/<slug:slug>/",
        views.EntityTimelineView.as_view(kind=Entity.Kind.PERSON),
        name="person",
    ),
    path(
        "products/<slug:slug>/",
        views.EntityTimelineView.as_view(kind=Entity.Kind.PRODUCT),
        name="product",
    ),
    path("partnerships/", views.PartnershipListView.as_view(), name="partnerships"),
    path(
        "partnerships/<slug:slug_a>/<slug:slug_b>/",
        views.PairView.as_view(),
        name="pair",
    ),
]
