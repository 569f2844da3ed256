"""Retention's pages for the FG and the beheerder."""

from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("bewaartermijnen/", views.report, name="report"),
    path("bewaartermijnen/proefrapport.csv", views.report_csv, name="report_csv"),
    path("bewaartermijnen/blokkades/", views.hold_create, name="hold_create"),
    path("bewaartermijnen/blokkades/<uuid:hold_uuid>/opheffen/", views.hold_lift, name="hold_lift"),
]
