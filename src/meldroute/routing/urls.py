"""URLs of the beheerder's meldroute pages (not under /beheer/, which is Django's admin)."""

from django.urls import path

from . import draft_views, views

app_name = "routing"
urlpatterns = [
    path("beheer-meldroute/", views.manage, name="manage"),
    path("beheer-meldroute/standaardroute/", views.choose_preset, name="preset"),
    path("beheer-meldroute/bewerken/", views.edit, name="edit"),
    path("beheer-meldroute/importeren/", views.import_route, name="import"),
    path("beheer-meldroute/concept/", draft_views.draft_edit, name="draft_edit"),
    path("beheer-meldroute/concepten/", draft_views.draft_list, name="drafts"),
    path("beheer-meldroute/concepten/<uuid:draft_uuid>/", draft_views.draft, name="draft"),
    path("beheer-meldroute/concepten/<uuid:draft_uuid>/publiceren/", draft_views.draft_publish, name="draft_publish"),
    path("beheer-meldroute/concepten/<uuid:draft_uuid>/afwijzen/", draft_views.draft_refuse, name="draft_refuse"),
    path("beheer-meldroute/<uuid:route_uuid>/", views.version, name="version"),
    path("beheer-meldroute/<uuid:route_uuid>/yaml/", views.export, name="export"),
]
