"""API routes and the OpenAPI schema."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from meldroute.cases.api import CaseViewSet
from meldroute.meetings.api import MeetingViewSet
from meldroute.partners.api import DirectoryViewSet
from meldroute.referrals.api import ReferralViewSet
from meldroute.routing.api import RouteViewSet

from .views import SignalViewSet, UnknownEndpointView

router = SimpleRouter()
router.register("signals", SignalViewSet, basename="signal")
router.register("routes", RouteViewSet, basename="route")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("partners", DirectoryViewSet, basename="partner")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("cases", CaseViewSet, basename="case")

app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/signals/<uuid:signal_uuid>/", include("meldroute.triage.api")),  # the AF's lookups and links
    path("v1/", include("meldroute.persons.api")),  # a case's persons (pseudonyms), one person (identity, logged)
    path("v1/", include("meldroute.care.api")),  # the zorgcoördinator's victims and trajectories
    # The contract is for those who use it: a signed-in user or a token holder (401 for anyone else). The docs page
    # loads its script from a URL of its own (the split view), so the strict CSP holds there too.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html",
                                                      permission_classes=[IsAuthenticated]), name="docs"),
    # Last: what nothing above matched. Only paths ending in "/", so APPEND_SLASH still redirects the others.
    re_path(r"^v1/.*/$", UnknownEndpointView.as_view()),
]
