"""The route editor in the access matrix: the step table is the region's beheerders' alone; a draft is read and
decided by the region's beheerders and its ketenregisseur. Every other role, and the beheerder or ketenregisseur of
another region, gets 404 on every page and writes nothing. Routes are configuration: no page reads personal data, so
none writes an access-log entry."""

import pytest
from django.urls import reverse

from meldroute.accounts.constants import Role
from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.organisations.constants import OrganisationKind
from meldroute.routing import drafts, services
from meldroute.routing.models import RouteDefinition, RouteDraft, RouteStep
from meldroute.routing.tests.test_draft_views import form_data
from meldroute.routing.tests.test_drafts import ROUTE, changed_route
from tests.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.django_db]

OUTSIDERS = ["melder_a", "melder_b", "af_a", "af_b", "af_c", "partner", "partner2", "zorgcoordinator",
             "procesregisseur", "casusregisseur", "burgemeester"]


@pytest.fixture
def setting(world):
    world.beheerder2 = UserFactory(username="beheerder2", organisation=world.b, roles=[Role.BEHEERDER])
    world.beheerder_c = UserFactory(username="beheerder_c", organisation=world.c, roles=[Role.BEHEERDER])
    riec2 = OrganisationFactory(name="RIEC Regio Twee", code="RIEC-R2", kind=OrganisationKind.RIEC,
                                region=world.region2, email="")
    world.ketenregisseur_c = UserFactory(username="ketenregisseur_c", organisation=riec2,
                                         roles=[Role.KETENREGISSEUR])
    services.install_route(world.region, ROUTE, actor=world.beheerder)
    draft = drafts.save_draft(world.region, changed_route(3), actor=world.beheerder)
    return world, draft


def editor_pages(world):
    editor = reverse("routing:draft_edit")
    return [("get", editor, None), ("post", editor, form_data(ROUTE, **{"0-deadline": "wd5"})),
            ("post", editor, form_data(ROUTE, do="add"))]


def draft_pages(draft):
    return [
        ("get", reverse("routing:drafts"), None),
        ("get", reverse("routing:draft", args=[draft.uuid]), None),
        ("get", reverse("routing:draft", args=[draft.uuid]) + "?acute=ja&side=victim&minor=nee&prostitution=nee",
         None),
        ("post", reverse("routing:draft_refuse", args=[draft.uuid]), {"reason": "nee"}),
        ("post", reverse("routing:draft_publish", args=[draft.uuid]), {}),
    ]


def state():
    return (RouteDraft.objects.count(), list(RouteDraft.objects.values_list("status", "drafted_by", "data")),
            RouteDefinition.objects.count(), RouteStep.objects.count(), AuditEvent.objects.count(),
            AccessLogEntry.objects.count())


def request(client, method, url, data):
    return getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_every_route_editor_page_is_404_for_everyone_else_and_writes_nothing(client, setting, who):
    world, draft = setting
    client.force_login(getattr(world, who))
    before = state()
    for method, url, data in editor_pages(world) + draft_pages(draft):
        assert request(client, method, url, data).status_code == 404, (who, method, url)
    assert state() == before


def test_the_ketenregisseur_reads_and_decides_drafts_but_does_not_edit(client, setting):
    world, draft = setting
    client.force_login(world.ketenregisseur)
    before = state()
    for method, url, data in editor_pages(world):
        assert request(client, method, url, data).status_code == 404, (method, url)
    assert state() == before
    logged = AccessLogEntry.objects.count()
    for method, url, data in draft_pages(draft)[:3]:
        assert request(client, method, url, data).status_code == 200, (method, url)
    assert AccessLogEntry.objects.count() == logged
    assert client.post(reverse("routing:draft_publish", args=[draft.uuid])).status_code == 302


@pytest.mark.parametrize("who", ["beheerder", "beheerder2"])
def test_the_region_s_beheerders_open_every_page_without_reading_personal_data(client, setting, who):
    world, draft = setting
    client.force_login(getattr(world, who))
    logged = AccessLogEntry.objects.count()
    for method, url, data in editor_pages(world)[:1] + draft_pages(draft)[:3]:
        assert request(client, method, url, data).status_code == 200, (method, url)
    assert AccessLogEntry.objects.count() == logged


@pytest.mark.parametrize("who", ["beheerder_c", "ketenregisseur_c"])
def test_another_region_s_beheerder_or_ketenregisseur_gets_404_on_the_draft_and_writes_nothing(client, setting, who):
    world, draft = setting
    client.force_login(getattr(world, who))
    before = state()
    for method, url, data in draft_pages(draft)[1:]:
        assert request(client, method, url, data).status_code == 404, (who, method, url)
    assert state() == before
    # Their own region's list is theirs, and does not name region 1's draft.
    listing = client.get(reverse("routing:drafts"))
    assert listing.status_code == 200 and str(draft.uuid) not in listing.content.decode()
    assert "Concept van" not in listing.content.decode() and not listing.context["drafts"]


def test_anonymous_visitors_are_sent_to_the_login_and_nothing_is_written(client, setting):
    world, draft = setting
    before = state()
    for method, url, data in editor_pages(world) + draft_pages(draft):
        response = request(client, method, url, data)
        assert response.status_code in (302, 405), (method, url)
        assert response.status_code == 405 or "login" in response.url.lower() or "inloggen" in response.url.lower()
    assert state() == before


def test_the_ketenregisseur_finds_the_drafts_in_the_navigation_and_an_af_does_not(client, setting):
    world, _draft = setting
    link = f'href="{reverse("routing:drafts")}"'
    client.force_login(world.ketenregisseur)
    assert link in client.get(reverse("monitoring:regional")).content.decode()
    client.force_login(world.af_a)
    assert link not in client.get(reverse("triage:inbox")).content.decode()
