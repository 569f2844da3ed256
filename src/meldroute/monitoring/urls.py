"""URLs of the monitoring app."""

from django.urls import path

from meldroute.core.replicas import reads_from_replica

from . import views

app_name = "monitoring"
urlpatterns = [
    path("dashboard/", reads_from_replica(views.dashboard), name="dashboard"),
    path("dashboard/<slug:table>.csv", reads_from_replica(views.dashboard_csv), name="dashboard_csv"),
    path("regio/", reads_from_replica(views.regional), name="regional"),
    path("regio/export.csv", reads_from_replica(views.regional_csv), name="regional_csv"),
    path("comensha-export/", reads_from_replica(views.comensha_export), name="comensha"),
    path("rapportages/", reads_from_replica(views.report), name="report"),
]
