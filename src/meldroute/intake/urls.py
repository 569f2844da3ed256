"""URLs of the reporter's pages."""

from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("melden/", views.report_signal, name="report"),
    path("meldingen/", views.my_signals, name="mine"),
    path("meldingen/<uuid:signal_uuid>/", views.my_signal, name="my_signal"),
    path("meldingen/<uuid:signal_uuid>/ontvangen/", views.receipt, name="receipt"),
    path("meldingen/<uuid:signal_uuid>/bijlagen/", views.add_attachment, name="add_attachment"),
    path("bijlagen/<uuid:attachment_uuid>/", views.download_attachment, name="attachment"),
]
