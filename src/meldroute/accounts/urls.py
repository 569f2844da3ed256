"""URLs of the beheerder's user pages."""

from django.urls import path

from . import admin_views

app_name = "accounts"
urlpatterns = [
    path("gebruikers/", admin_views.users, name="users"),
    path("gebruikers/nieuw/", admin_views.user_create, name="user_create"),
    path("gebruikers/api-sleutels/", admin_views.tokens, name="tokens"),
    path("gebruikers/api-sleutels/<uuid:token_uuid>/intrekken/", admin_views.revoke_token, name="revoke_token"),
    path("gebruikers/voorstellen/<uuid:proposal_uuid>/<str:decision>/", admin_views.decide_proposal,
         name="decide_proposal"),
    path("gebruikers/<uuid:user_uuid>/", admin_views.user_detail, name="user"),
    path("gebruikers/<uuid:user_uuid>/rol-voorstellen/", admin_views.propose_role, name="propose_role"),
    path("gebruikers/<uuid:user_uuid>/rol-intrekken/", admin_views.revoke_role, name="revoke_role"),
    path("gebruikers/<uuid:user_uuid>/deactiveren/", admin_views.deactivate, name="deactivate"),
    path("gebruikers/<uuid:user_uuid>/tweestaps-wissen/", admin_views.reset_two_factor, name="reset_two_factor"),
]
