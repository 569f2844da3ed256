"""URLs of the AF's inbox and signal page."""

from django.urls import path

from . import views

app_name = "triage"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/acuut/", views.acute_banner, name="acute_banner"),
    path("inbox/<uuid:signal_uuid>/", views.signal_detail, name="signal"),
    path("inbox/<uuid:signal_uuid>/overdragen/", views.handover, name="handover"),
    path("inbox/<uuid:signal_uuid>/<slug:action>/", views.signal_action, name="action"),
]
