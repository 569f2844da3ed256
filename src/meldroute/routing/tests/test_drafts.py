"""Drafting, comparing, dry-running, publishing and refusing a change to a region's meldroute (routing.drafts)."""

import copy

import pytest
from django.db import IntegrityError, transaction
from tests.factories import UserFactory, make_signal

from meldroute.accounts.constants import Role
from meldroute.audit.models import AuditEvent
from meldroute.core.exceptions import DomainError
from meldroute.routing import drafts, services
from meldroute.routing.constants import DraftStatus
from meldroute.routing.models import RouteDefinition, RouteDraft, SignalRoute

pytestmark = [pytest.mark.django_db]

ROUTE = {"name": "Testroute", "steps": [
    {"key": "oppakken", "position": 1, "title": "Signaal oppakken", "actor": "af", "action": "pick_up",
     "deadline": {"working_days": 1}},
    {"key": "acuut", "position": 2, "title": "Direct schakelen", "actor": "af", "action": "inform",
     "when": {"acute": True}, "deadline": {"hours": 4}},
    {"key": "pct", "position": 2, "title": "PCT informeren", "actor": "af", "action": "inform",
     "when": {"prostitution": True}},
    {"key": "zorg", "position": 3, "title": "Zorg inschakelen", "actor": "af_zorg", "action": "decide",
     "when": {"side": ["victim", "both"]}, "deadline": {"working_days": 5}},
    {"key": "terugkoppelen", "position": 4, "title": "Terugkoppelen", "actor": "af", "action": "feedback",
     "deadline": {"working_days": 10}},
]}


@pytest.fixture
def region_route(world):
    world.beheerder2 = UserFactory(username="beheerder2", organisation=world.b, roles=[Role.BEHEERDER])
    world.beheerder_c = UserFactory(username="beheerder_c", organisation=world.c, roles=[Role.BEHEERDER])
    active = services.install_route(world.region, ROUTE, actor=world.beheerder)
    return world, active


def changed_route(days: int = 3) -> dict:
    route = copy.deepcopy(ROUTE)
    route["steps"][0]["deadline"] = {"working_days": days}
    return route


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- Drafting -----------------------------------------------------------------------------------------

def test_saving_a_draft_changes_nothing_in_use_and_is_audited_once(region_route):
    world, active = region_route
    audit_before = AuditEvent.objects.count()

    draft = drafts.save_draft(world.region, changed_route(), actor=world.beheerder, base_version=1)

    assert draft.status == DraftStatus.DRAFT and draft.base_version == 1 and draft.drafted_by == world.beheerder
    assert draft.data["steps"][0]["deadline"] == {"working_days": 3}
    assert list(RouteDefinition.objects.filter(region=world.region).values_list("version", "is_active")) == [
        (1, True)]
    assert AuditEvent.objects.count() == audit_before + 1
    assert AuditEvent.objects.get(action="route.draft_saved").target_uuid == draft.uuid


def test_saving_again_updates_the_one_open_draft_and_its_maker(region_route):
    world, _active = region_route
    first = drafts.save_draft(world.region, changed_route(3), actor=world.beheerder)
    second = drafts.save_draft(world.region, changed_route(4), actor=world.beheerder2)

    assert first.pk == second.pk and RouteDraft.objects.count() == 1
    second.refresh_from_db()
    assert second.drafted_by == world.beheerder2 and second.data["steps"][0]["deadline"] == {"working_days": 4}
    assert events("route.draft_saved") == 2


def test_a_draft_equal_to_the_route_in_use_is_refused(region_route):
    world, _active = region_route
    with pytest.raises(DomainError, match="niets gewijzigd"):
        drafts.save_draft(world.region, ROUTE, actor=world.beheerder)
    assert not RouteDraft.objects.exists() and events("route.draft_saved") == 0


def test_a_draft_on_an_older_version_is_refused(region_route):
    world, _active = region_route
    with pytest.raises(DomainError, match="versie 1"):
        drafts.save_draft(world.region, changed_route(), actor=world.beheerder, base_version=0)
    assert not RouteDraft.objects.exists()


def test_an_invalid_draft_is_refused_in_dutch(region_route):
    world, _active = region_route
    bad = changed_route()
    bad["steps"][1]["actor"] = "niemand"
    with pytest.raises(DomainError, match="onbekende actor"):
        drafts.save_draft(world.region, bad, actor=world.beheerder)
    assert not RouteDraft.objects.exists()


@pytest.mark.parametrize("who", ["af_a", "melder_a", "ketenregisseur", "beheerder_c"])
def test_only_a_beheerder_of_the_region_drafts(region_route, who):
    world, _active = region_route
    with pytest.raises(DomainError) as error:
        drafts.save_draft(world.region, changed_route(), actor=getattr(world, who))
    assert error.value.code == "forbidden" and not RouteDraft.objects.exists()


# --- Publishing and refusing --------------------------------------------------------------------------

@pytest.mark.parametrize("publisher", ["beheerder2", "ketenregisseur"])
def test_a_second_beheerder_or_the_ketenregisseur_publishes_a_new_version(region_route, publisher):
    world, active = region_route
    signal = make_signal(world.melder_a)
    services.start_route(signal, actor=world.af_a)
    draft = drafts.save_draft(world.region, changed_route(), actor=world.beheerder)
    audit_before = AuditEvent.objects.count()

    definition = drafts.publish_draft(draft, actor=getattr(world, publisher))

    assert definition.version == 2 and definition.is_active
    assert definition.steps.get(key="oppakken").deadline_working_days == 3
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PUBLISHED and draft.published_as == definition
    assert draft.decided_by == getattr(world, publisher)
    assert AuditEvent.objects.count() == audit_before + 2  # route.installed and route.draft_published
    assert events("route.draft_published") == 1
    # The signal already on its way keeps its copy of version 1.
    route = SignalRoute.objects.get(signal=signal)
    assert route.version == 1 and route.steps.get(key="oppakken").deadline_working_days == 1


def test_the_maker_of_a_draft_cannot_publish_it(region_route):
    world, _active = region_route
    draft = drafts.save_draft(world.region, changed_route(), actor=world.beheerder)
    with pytest.raises(DomainError, match="zelf gemaakt") as error:
        drafts.publish_draft(draft, actor=world.beheerder)
    assert error.value.code == "forbidden"
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DRAFT and RouteDefinition.objects.count() == 1


def test_the_last_editor_counts_as_the_maker(region_route):
    world, _active = region_route
    drafts.save_draft(world.region, changed_route(3), actor=world.beheerder)
    draft = drafts.save_draft(world.region, changed_route(4), actor=world.beheerder2)
    with pytest.raises(DomainError):
        drafts.publish_draft(draft, actor=world.beheerder2)
    assert drafts.publish_draft(draft, actor=world.beheerder).version == 2


def test_the_database_refuses_a_draft_decided_by_its_maker(region_route):
    world, _active = region_route
    draft = drafts.save_draft(world.region, changed_route(), actor=world.beheerder)
    with pytest.raises(IntegrityError), transaction.atomic():
        RouteDraft.objects.filter(pk=draft.pk).update(decided_by=world.beheerder)


@pytest.mark.parametrize("who", ["af_a", "melder_a", "beheerder_c", "zorgcoordinator"])
def test_nobody_outside_the_region_s_beheer_publishes_or_refuses(region_route, who):
    world, _active = region_route
    draft = drafts.save_draft(world.region, changed_route(), actor=world.beheerder)
    with pytest.raises(DomainError):
        drafts.publish_draft(draft, actor=getattr(world, who))
    with pytest.raises(DomainError):
        drafts.refuse_draft(draft, actor=getattr(world, who), reason="nee")
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DRAFT and RouteDefinition.objects.count() == 1


def test_a_draft_made_on_a_version_since_replaced_is_not_published(region_route):
    world, _active = region_route
    draft = drafts.save_draft(world.region, changed_route(), actor=world.beheerder)
    services.install_preset(world.region, "zoeterwoude", actor=world.beheerder2)
    with pytest.raises(DomainError, match="intussen is versie 2"):
        drafts.publish_draft(draft, actor=world.beheerder2)
    assert RouteDefinition.objects.count() == 2


def test_refusing_needs_a_reason_keeps_the_route_and_is_audited(region_route):
    world, _active = region_route
    draft = drafts.save_draft(world.region, changed_route(), actor=world.beheerder)
    with pytest.raises(DomainError, match="waarom"):
        drafts.refuse_draft(draft, actor=world.ketenregisseur, reason="  ")

    drafts.refuse_draft(draft, actor=world.ketenregisseur, reason="Termijn past niet bij het beleidsplan")

    assert draft.status == DraftStatus.REFUSED and draft.decided_by == world.ketenregisseur
    assert RouteDefinition.objects.count() == 1 and events("route.draft_refused") == 1
    with pytest.raises(DomainError, match="al besloten"):
        drafts.publish_draft(draft, actor=world.beheerder2)


def test_the_maker_may_withdraw_its_own_draft(region_route):
    world, _active = region_route
    draft = drafts.save_draft(world.region, changed_route(), actor=world.beheerder)
    drafts.refuse_draft(draft, actor=world.beheerder, reason="Toch niet")
    assert draft.status == DraftStatus.REFUSED and draft.decided_by is None
    assert AuditEvent.objects.get(action="route.draft_refused").details["withdrawn"] is True
    # A new draft can be started afterwards.
    assert drafts.save_draft(world.region, changed_route(5), actor=world.beheerder).pk != draft.pk


# --- Comparing and walking a sample signal through --------------------------------------------------

def test_the_changes_name_added_removed_and_changed_steps(region_route):
    world, active = region_route
    new = changed_route()
    new["steps"] = [s for s in new["steps"] if s["key"] != "pct"]
    new["steps"].append({"key": "riec", "position": 5, "title": "RIEC", "actor": "af", "action": "decide"})

    changes = drafts.route_changes(services.route_as_data(active), new)

    summary = {(c.kind, c.key): [f.name for f in c.fields] for c in changes}
    assert summary == {("changed", "oppakken"): ["deadline_working_days"], ("added", "riec"): [],
                       ("removed", "pct"): []}
    field = changes[0].fields[0]
    assert (field.old, field.new) == (1, 3)


def test_without_a_route_in_use_every_step_is_new():
    changes = drafts.route_changes(None, ROUTE)
    assert [c.kind for c in changes] == ["added"] * len(ROUTE["steps"])


@pytest.mark.parametrize("facts, expected", [
    ({"acute": True, "side": "victim", "minor": False, "prostitution": False},
     [["oppakken"], ["acuut"], ["zorg"], ["terugkoppelen"]]),
    ({"acute": False, "side": "perpetrator", "minor": False, "prostitution": True},
     [["oppakken"], ["pct"], ["terugkoppelen"]]),
    ({"acute": True, "side": "both", "minor": True, "prostitution": True},
     [["oppakken"], ["acuut", "pct"], ["zorg"], ["terugkoppelen"]]),
    ({"acute": False, "side": "perpetrator", "minor": True, "prostitution": False},
     [["oppakken"], ["terugkoppelen"]]),
])
def test_a_dry_run_lists_the_steps_a_sample_signal_would_get_in_order(facts, expected):
    groups = drafts.dry_run(ROUTE, drafts.sample_facts(**facts))
    got = [[w.step["key"] for w in g.steps if w.applies] for g in groups if g.order]
    assert got == expected
    assert [g.order for g in groups if g.order] == list(range(1, len(expected) + 1))


def test_a_dry_run_writes_nothing(region_route):
    world, _active = region_route
    signal = make_signal(world.melder_a)
    services.start_route(signal, actor=world.af_a)
    before = (AuditEvent.objects.count(), SignalRoute.objects.count(), RouteDefinition.objects.count())
    drafts.dry_run(changed_route(), drafts.sample_facts(acute=True, side="victim", minor=True, prostitution=True))
    assert (AuditEvent.objects.count(), SignalRoute.objects.count(), RouteDefinition.objects.count()) == before


def test_a_sample_with_an_unknown_side_is_refused():
    with pytest.raises(DomainError):
        drafts.sample_facts(acute=True, side="iets", minor=False, prostitution=False)
