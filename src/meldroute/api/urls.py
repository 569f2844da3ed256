"""API routes and the OpenAPI schema: every app's viewsets (its api.py) on one router."""

from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from meldroute.care.api import CareViewSet, PersonCareViewSet
from meldroute.cases.api import CaseViewSet
from meldroute.intake.api import SignalViewSet
from meldroute.meetings.api import MeetingViewSet
from meldroute.partners.api import DirectoryViewSet
from meldroute.persons.api import CasePersonsViewSet, PersonViewSet
from meldroute.referrals.api import ReferralViewSet
from meldroute.routing.api import RouteViewSet
from meldroute.triage.api import SignalTriageViewSet

from .views import ApiRootView, UnknownEndpointView


class Router(SimpleRouter):
    """One resource may be served by several apps, each from its own layer (a signal: the partner's view in intake,
    the AF's lookups on it in triage): they share its prefix and basename, so its URL names stay one family. What
    must not repeat is a URL name."""

    def is_already_registered(self, new_basename: str) -> bool:
        return False

    def get_urls(self) -> list[URLPattern | URLResolver]:
        urls = super().get_urls()
        names = [str(getattr(url, "name", "")) for url in urls]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ImproperlyConfigured(f"API URL names registered twice: {', '.join(duplicates)}")
        return urls


router = Router()
router.register("signals", SignalViewSet, basename="signal")
router.register("signals", SignalTriageViewSet, basename="signal")  # the AF's lookups, links and route
router.register("routes", RouteViewSet, basename="route")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("partners", DirectoryViewSet, basename="partner")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("cases", CaseViewSet, basename="case")
router.register("cases", CasePersonsViewSet, basename="case")  # a case's persons (pseudonyms)
router.register("persons", PersonViewSet, basename="person")  # one person (identity with a purpose, logged)
router.register("persons", PersonCareViewSet, basename="person")  # one victim's care trajectory
router.register("care", CareViewSet, basename="care")  # the zorgcoördinator's victims

app_name = "api"
# The root links to each collection a client starts from: the router's list endpoints, one per prefix.
ROOT_RESOURCES = {prefix: f"{basename}-list" for prefix, viewset, basename in router.registry
                  if hasattr(viewset, "list")}
urlpatterns = [
    path("v1/", ApiRootView.as_view(resources=ROOT_RESOURCES), name="root"),
    path("v1/", include(router.urls)),
    # The contract is for those who use it: a signed-in user or a token holder (401 for anyone else). The docs page
    # loads its script from a URL of its own (the split view), so the strict CSP holds there too.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html",
                                                      permission_classes=[IsAuthenticated]), name="docs"),
    # Last: what nothing above matched. Only paths ending in "/", so APPEND_SLASH still redirects the others.
    re_path(r"^v1/.*/$", UnknownEndpointView.as_view()),
]
