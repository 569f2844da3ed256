"""Routes of the omgevingsscan (risico-analyse)."""

from django.urls import path

from . import views

app_name = "risk"

urlpatterns = [
    path("risico/", views.index, name="index"),
    path("risico/importeren/", views.import_view, name="import"),
    path("risico/adressen/", views.flags, name="flags"),
    path("risico/<uuid:municipality>/", views.scan, name="map"),
    path("risico/<uuid:municipality>/pdf/", views.scan_pdf, name="map_pdf"),
]
