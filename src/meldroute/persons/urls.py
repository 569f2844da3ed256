"""URLs of the persons app."""

from django.urls import path

from . import views

app_name = "persons"
urlpatterns = [
    path("casussen/<uuid:case_uuid>/personen/nieuw/", views.add_person, name="add"),
    path("verrijking/<uuid:note_uuid>/brp-persoon/<int:index>/", views.person_from_brp, name="from_brp"),
    path("personen/<uuid:person_uuid>/", views.person_detail, name="detail"),
    path("personen/<uuid:person_uuid>/identiteit/", views.show_identity, name="identity"),
    path("personen/<uuid:person_uuid>/wijzigen/", views.edit_person, name="edit"),
    path("personen/<uuid:person_uuid>/toestemming/", views.consent, name="consent"),
    path("personen/<uuid:person_uuid>/toestemming/<uuid:consent_uuid>/intrekken/", views.withdraw, name="withdraw"),
    path("personen/<uuid:person_uuid>/toestemming/<slug:op>/", views.consent_action, name="consent_action"),
]
