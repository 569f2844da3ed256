"""URLs of the reporter's pages."""

from django.urls import path

from . import resident_views, views

app_name = "intake"
urlpatterns = [
    path("melden/", views.report_signal, name="report"),
    path("meldingen/", views.my_signals, name="mine"),
    path("meldingen/<uuid:signal_uuid>/", views.my_signal, name="my_signal"),
    path("meldingen/<uuid:signal_uuid>/ontvangen/", views.receipt, name="receipt"),
    path("meldingen/<uuid:signal_uuid>/bijlagen/", views.add_attachment, name="add_attachment"),
    path("bijlagen/<uuid:attachment_uuid>/", views.download_attachment, name="attachment"),
    path("bijlagen/<uuid:attachment_uuid>/miniatuur/", views.attachment_thumbnail, name="attachment_thumbnail"),
    # The public form for residents (no account) and the beheerder's switch per municipality.
    path("inwoners/<str:code>/melden/", resident_views.report, name="resident_report"),
    path("inwoners/<str:code>/ontvangen/", resident_views.receipt, name="resident_receipt"),
    path("instellingen/inwonerformulier/", resident_views.manage, name="resident_manage"),
    path("instellingen/inwonerformulier/<uuid:municipality_uuid>/", resident_views.update, name="resident_update"),
]
