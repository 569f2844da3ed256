"""URLs of the policy app."""

from django.urls import path

from . import views

app_name = "policy"
urlpatterns = [
    path("beleid/", views.overview, name="overview"),
    path("beleid/gemeente/<uuid:municipality_uuid>/", views.municipality, name="municipality"),
    path("beleid/gemeente/<uuid:municipality_uuid>/vastleggen/", views.record_part, name="record_part"),
    path("beleid/gemeente/<uuid:municipality_uuid>/trainingen/", views.trainings, name="trainings"),
    path("beleid/gemeente/<uuid:municipality_uuid>/training/", views.add_training, name="add_training"),
    path("beleid/gemeente/<uuid:municipality_uuid>/activiteit/", views.add_activity, name="add_activity"),
    path("beleid/evaluatie/", views.cadence, name="cadence"),
    path("beleid/doelstelling/", views.add_goal, name="add_goal"),
    path("beleid/actiepunten/", views.actions, name="actions"),
    path("beleid/actiepunten/importeren/", views.import_actions, name="import"),
    path("beleid/actiepunten/<uuid:action_uuid>/", views.action, name="action"),
    path("beleid/actiepunten/<uuid:action_uuid>/eigenaar/", views.action_owner, name="action_owner"),
]
