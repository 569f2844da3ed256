"""URLs of the cases app."""

from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("casussen/", views.case_list, name="list"),
    path("casussen/nieuw/<uuid:signal_uuid>/", views.open_case, name="open"),
    path("casussen/interventies/", views.interventions, name="interventions"),
    path("casussen/interventies/<uuid:intervention_uuid>/resultaat/", views.intervention_result,
         name="intervention_result"),
    path("casussen/<uuid:case_uuid>/", views.case_detail, name="detail"),
    path("casussen/<uuid:case_uuid>/team/<uuid:member_uuid>/beeindigen/", views.end_member, name="end_member"),
    path("casussen/<uuid:case_uuid>/acties/<uuid:action_uuid>/<slug:op>/", views.case_action_row, name="action_row"),
    path("casussen/<uuid:case_uuid>/<slug:action>/", views.case_action, name="action"),
]
