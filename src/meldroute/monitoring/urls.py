"""URLs of the monitoring app."""

from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:table>.csv", views.dashboard_csv, name="dashboard_csv"),
    path("regio/", views.regional, name="regional"),
    path("regio/export.csv", views.regional_csv, name="regional_csv"),
    path("comensha-export/", views.comensha_export, name="comensha"),
    path("rapportages/", views.report, name="report"),
]
