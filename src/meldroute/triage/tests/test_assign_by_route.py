"""Zoeterwoude's route assigns: a perpetrator/location signal to the AF OOV, a victim signal to the AF Zorg, Werk en
Inkomen, each the other's achtervang while absent (seed 002 §5.2.1). Audited, in the route's transaction."""

from datetime import timedelta

import pytest
from django.utils import timezone
from tests.factories import make_signal

from meldroute.accounts import services as account_services
from meldroute.audit.models import AuditEvent
from meldroute.organisations.constants import AfDuty
from meldroute.routing import services as routing_services
from meldroute.routing.models import SignalRoute
from meldroute.triage import services

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture
def zoeterwoude(world):
    routing_services.install_preset(world.region, "zoeterwoude", actor=world.beheerder)
    account_services.set_af_duty(world.af_a, actor=world.beheerder, duty=AfDuty.OOV, reason="AOV'er")
    account_services.set_af_duty(world.af_a2, actor=world.beheerder, duty=AfDuty.ZORG, reason="ZWI")
    return world


def _classify(world, signal, side, actor=None):
    actor = actor or world.af_a
    services.assign_signal(signal, actor=actor, assignee=actor)
    services.classify_signal(signal, actor=actor, assessment="suspected", forms=["labour"],
                             route_facts={"side": side})
    signal.refresh_from_db()
    return signal


def test_victim_signal_goes_to_the_af_zorg(zoeterwoude):
    w = zoeterwoude
    signal = _classify(w, make_signal(w.melder_a), "victim", actor=w.af_a)
    assert signal.assigned_to == w.af_a2
    event = AuditEvent.objects.filter(action="signal.assigned", target_uuid=signal.uuid).last()
    assert event.details["duty"] == AfDuty.ZORG and event.details["step"] == "signalenroutekaart-zorg"
    assert event.details["achtervang"] is False


def test_perpetrator_signal_goes_to_the_af_oov(zoeterwoude):
    w = zoeterwoude
    signal = _classify(w, make_signal(w.melder_a), "perpetrator", actor=w.af_a2)
    assert signal.assigned_to == w.af_a


def test_both_sides_stay_with_whichever_of_the_two_holds_it(zoeterwoude):
    w = zoeterwoude
    signal = _classify(w, make_signal(w.melder_a), "both", actor=w.af_a2)
    assert signal.assigned_to in (w.af_a, w.af_a2)
    assert signal.assigned_to.af_duty in (AfDuty.OOV, AfDuty.ZORG)


def test_absent_af_zorg_hands_the_victim_signal_to_the_af_oov(zoeterwoude):
    w = zoeterwoude
    w.af_a2.absent_until = timezone.localdate() + timedelta(days=20)
    w.af_a2.save(update_fields=["absent_until"])
    signal = _classify(w, make_signal(w.melder_a), "victim", actor=w.af_a)
    assert signal.assigned_to == w.af_a
    # Already with the AF OOV (the achtervang): nothing to move, nothing written.
    assert not AuditEvent.objects.filter(action="signal.assigned", target_uuid=signal.uuid,
                                         details__duty=AfDuty.ZORG).exists()


def test_absent_af_oov_hands_the_perpetrator_signal_to_the_af_zorg(zoeterwoude):
    w = zoeterwoude
    w.af_a.absent_until = timezone.localdate() + timedelta(days=20)
    w.af_a.save(update_fields=["absent_until"])
    signal = _classify(w, make_signal(w.melder_a), "perpetrator", actor=w.af_a)
    assert signal.assigned_to == w.af_a2
    event = AuditEvent.objects.filter(action="signal.assigned", target_uuid=signal.uuid).last()
    assert event.details["achtervang"] is True


def test_later_af_oov_step_moves_a_victim_signal_back(zoeterwoude):
    """The route, not the classification, assigns: a step of the AF OOV later on takes the signal there."""
    w = zoeterwoude
    signal = _classify(w, make_signal(w.melder_a), "both", actor=w.af_a2)
    route = SignalRoute.objects.get(signal=signal)
    for key in ("stappenplan-oov", "signalenroutekaart-zorg"):
        routing_services.complete_step(route.steps.get(key=key), actor=w.af_a2, note="Gedaan.")
    signal.refresh_from_db()
    assert set(route.steps.filter(state="active").values_list("key", flat=True)) == {
        "signaleringsoverleg", "zorgcoordinatie"}
    assert signal.assigned_to == w.af_a2  # zorgcoordinatie is hers


def test_without_recorded_duties_nothing_moves(world):
    routing_services.install_preset(world.region, "zoeterwoude", actor=world.beheerder)
    signal = _classify(world, make_signal(world.melder_a), "victim", actor=world.af_a)
    assert signal.assigned_to == world.af_a


def test_other_region_routes_do_not_assign(world):
    account_services.set_af_duty(world.af_a, actor=world.beheerder, duty=AfDuty.OOV, reason="x")
    routing_services.install_preset(world.region, "west-friesland", actor=world.beheerder)
    signal = _classify(world, make_signal(world.melder_a), "victim", actor=world.af_a2)
    assert signal.assigned_to == world.af_a2
