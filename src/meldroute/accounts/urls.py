"""URLs of the beheerder's user pages."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import admin_views, oidc

app_name = "accounts"
urlpatterns = [
    # Login through the organisation's identity provider (404 while none is configured).
    path("inloggen/organisatie/", oidc.OIDCStartView.as_view(), name="oidc_start"),
    path("inloggen/organisatie/terug/", oidc.OIDCCallbackView.as_view(), name="oidc_callback"),
    path("gebruikers/organisaties/<uuid:organisation_uuid>/lokaal-inloggen/", admin_views.local_login,
         name="local_login"),
    path("gebruikers/organisaties/<uuid:organisation_uuid>/acuut-telefoon/", admin_views.acute_phone,
         name="acute_phone"),
    path("gebruikers/", admin_views.users, name="users"),
    path("gebruikers/nieuw/", admin_views.user_create, name="user_create"),
    path("gebruikers/api-sleutels/", admin_views.tokens, name="tokens"),
    path("gebruikers/api-sleutels/<uuid:token_uuid>/intrekken/", admin_views.revoke_token, name="revoke_token"),
    path("gebruikers/voorstellen/<uuid:proposal_uuid>/<str:decision>/", admin_views.decide_proposal,
         name="decide_proposal"),
    path("gebruikers/<uuid:user_uuid>/", admin_views.user_detail, name="user"),
    path("gebruikers/<uuid:user_uuid>/rol-voorstellen/", admin_views.propose_role, name="propose_role"),
    path("gebruikers/<uuid:user_uuid>/rol-intrekken/", admin_views.revoke_role, name="revoke_role"),
    path("gebruikers/<uuid:user_uuid>/taak-af/", admin_views.set_af_duty, name="set_af_duty"),
    path("gebruikers/<uuid:user_uuid>/deactiveren/", admin_views.deactivate, name="deactivate"),
    path("gebruikers/<uuid:user_uuid>/tweestaps-wissen/", admin_views.reset_two_factor, name="reset_two_factor"),
    # A new user sets its own password through the one-time link in its mail (services.create_user).
    path("wachtwoord-instellen/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/set_password.html", success_url=reverse_lazy("accounts:password_set")),
        name="set_password"),
    path("wachtwoord-ingesteld/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_set.html"), name="password_set"),
]
