"""URLs of the referrals app."""

from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    # Three segments: triage's "inbox/<uuid>/<action>/" would otherwise catch a two-segment path.
    path("inbox/<uuid:signal_uuid>/doorverwijzen/nieuw/", views.new_referral, name="new"),
    path("doorverwijzingen/", views.referral_list, name="list"),
    path("doorverwijzingen/<uuid:referral_uuid>/", views.referral_detail, name="detail"),
    path("doorverwijzingen/<uuid:referral_uuid>/links/<uuid:link_uuid>/intrekken/", views.revoke_link,
         name="revoke_link"),
    path("doorverwijzingen/<uuid:referral_uuid>/<slug:action>/", views.referral_action, name="action"),
    path("verwijzing/<str:token>/", views.public_link, name="public"),
    path("verwijzing/<str:token>/<slug:action>/", views.public_link_action, name="public_action"),
]
