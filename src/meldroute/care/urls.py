"""URLs of the care app."""

from django.urls import path

from . import views

app_name = "care"
urlpatterns = [
    path("slachtoffers/", views.victims, name="list"),
    path("slachtoffers/opvang-aanvragen/<uuid:request_uuid>/oppakken/", views.take_placement_request,
         name="take_placement_request"),
    path("slachtoffers/<uuid:person_uuid>/", views.trajectory, name="trajectory"),
    path("slachtoffers/<uuid:person_uuid>/opvang/<uuid:placement_uuid>/beeindigen/", views.end_placement,
         name="end_placement"),
    path("slachtoffers/<uuid:person_uuid>/<slug:action>/", views.trajectory_action, name="action"),
]
