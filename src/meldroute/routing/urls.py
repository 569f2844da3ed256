"""URLs of the beheerder's meldroute pages (not under /beheer/, which is Django's admin)."""

from django.urls import path

from . import views

app_name = "routing"
urlpatterns = [
    path("beheer-meldroute/", views.manage, name="manage"),
    path("beheer-meldroute/standaardroute/", views.choose_preset, name="preset"),
    path("beheer-meldroute/bewerken/", views.edit, name="edit"),
    path("beheer-meldroute/importeren/", views.import_route, name="import"),
    path("beheer-meldroute/<uuid:route_uuid>/", views.version, name="version"),
    path("beheer-meldroute/<uuid:route_uuid>/yaml/", views.export, name="export"),
]
