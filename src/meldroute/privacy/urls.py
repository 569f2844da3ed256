"""The FG's pages: data subject requests and the register of processing."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.index, name="index"),
    path("privacy/personen/<uuid:person_uuid>/", views.subject, name="subject"),
    path("privacy/personen/<uuid:person_uuid>/inzage/", views.access_export, name="export"),
    path("privacy/personen/<uuid:person_uuid>/rectificatie/", views.correct, name="correct"),
    path("privacy/personen/<uuid:person_uuid>/beperking/", views.restrict, name="restrict"),
    path("privacy/register/", views.register, name="register"),
    path("privacy/register.<str:fmt>", views.register_export, name="register_export"),
]
