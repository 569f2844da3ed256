"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path

from meldroute.accounts import views as account_views
from meldroute.homes import views as home_views

urlpatterns = [
    path("", home_views.home, name="home"),  # each role's start page (meldroute.homes)
    path("afwezigheid/", account_views.absence, name="absence"),
    path("tweestaps/instellen/", account_views.two_factor_setup, name="two_factor_setup"),
    path("tweestaps/", account_views.two_factor_verify, name="two_factor_verify"),
    path("inloggen/", account_views.LoginView.as_view(), name="login"),
    path("uitloggen/", account_views.LogoutView.as_view(), name="logout"),  # and at the IdP (accounts.oidc_logout)
    path("beheer/", admin.site.urls),  # the stock admin: active superusers only (accounts.admin_site)
    path("", include("meldroute.accounts.urls")),  # the beheerder's user, role and API-token pages
    path("api/", include("meldroute.api.urls")),
    path("", include("meldroute.core.health")),  # /gezondheid/live/ and /gezondheid/klaar/ for the load balancer
    path("taal/", include("django.conf.urls.i18n")),
    path("", include("meldroute.notifications.urls")),
    path("", include("meldroute.intake.urls")),
    path("", include("meldroute.triage.urls")),
    path("", include("meldroute.partners.urls")),
    path("", include("meldroute.routing.urls")),
    path("", include("meldroute.referrals.urls")),
    path("", include("meldroute.meetings.urls")),
    path("", include("meldroute.cases.urls")),
    path("", include("meldroute.persons.urls")),
    path("", include("meldroute.care.urls")),
    path("", include("meldroute.monitoring.urls")),
    path("", include("meldroute.risk.urls")),
    path("", include("meldroute.privacy.urls")),
    path("", include("meldroute.retention.urls")),
    path("", include("meldroute.policy.urls")),
]
