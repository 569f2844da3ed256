"""Sending a referral (rule-checked, snapshotted, audited), the partner's answer, revoking, and the signal's status."""

import pytest
from tests.factories import OrganisationFactory, make_signal

from meldroute.audit.models import AuditEvent
from meldroute.core.exceptions import DomainError
from meldroute.intake.constants import SignalStatus
from meldroute.organisations.constants import OrganisationKind
from meldroute.partners.constants import DataCategory as D
from meldroute.partners.constants import LegalGround as G
from meldroute.partners.constants import PartnerType
from meldroute.referrals import services
from meldroute.referrals.constants import ReferralStatus
from meldroute.referrals.models import Referral

from .conftest import SECRET_ADDRESS, SECRET_PERSONS, refer


@pytest.mark.django_db
def test_referral_records_purpose_ground_snapshot_and_exactly_what_went_out(world, signal):
    referral = refer(signal, world.af_a, to=world.police, categories=[D.DESCRIPTION])
    assert referral.status == ReferralStatus.IN_PROGRESS
    assert referral.sender_name == world.a.name and referral.receiver_name == world.police.name
    assert referral.receiver_partner_type == PartnerType.POLICE
    assert referral.legal_ground == G.PUBLIC_TASK and referral.purpose
    assert referral.categories == [D.SUMMARY, D.DESCRIPTION]  # the summary always goes along
    assert set(referral.shared_data) == {D.SUMMARY, D.DESCRIPTION}
    assert referral.shared_data[D.DESCRIPTION]["description"] == signal.description
    assert SECRET_PERSONS not in str(referral.shared_data) and SECRET_ADDRESS not in str(referral.shared_data)
    signal.refresh_from_db()
    assert signal.status == SignalStatus.FORWARDED
    assert [c.to_status for c in signal.status_changes.all()] == ["received", "in_triage", "forwarded"]
    event = AuditEvent.objects.get(action="referral.created", target_uuid=referral.uuid)
    assert event.details["categories"] == [D.SUMMARY, D.DESCRIPTION]
    assert "description.description" in event.fields and SECRET_PERSONS not in str(event.details)


@pytest.mark.django_db
def test_shared_data_is_a_snapshot_later_edits_do_not_leak(world, signal):
    referral = refer(signal, world.af_a, to=world.police, categories=[D.DESCRIPTION])
    signal.description = "Nieuwe informatie die nooit is gedeeld"
    signal.save()
    referral.refresh_from_db()
    assert "Nieuwe informatie" not in str(referral.shared_data)


@pytest.mark.django_db
def test_shop_gets_no_personal_data_on_public_task_and_the_refusal_is_audited(world, signal, shop):
    with pytest.raises(DomainError) as refused:
        refer(signal, world.af_a, entry=shop, categories=[D.PERSONS, D.CLASSIFICATION], ground=G.PUBLIC_TASK)
    assert refused.value.field == "categories"
    assert str(D.PERSONS.label) in refused.value.message
    assert str(D.CLASSIFICATION.label) not in refused.value.message  # only the refused category is named
    assert not Referral.objects.exists()
    signal.refresh_from_db()
    assert signal.status == SignalStatus.RECEIVED
    event = AuditEvent.objects.get(action="referral.share_refused")
    assert event.actor == world.af_a and event.target_uuid == signal.uuid
    assert event.details == {"partner_type": "shop", "legal_ground": "public_task",
                             "categories": [D.SUMMARY, D.CLASSIFICATION, D.PERSONS]}


@pytest.mark.django_db
def test_shop_gets_personal_data_when_the_victims_vital_interest_is_the_ground(world, signal, shop):
    referral = refer(signal, world.af_a, entry=shop, categories=[D.PERSONS], ground=G.VITAL_INTEREST)
    assert referral.shared_data[D.PERSONS]["persons_description"] == SECRET_PERSONS
    assert referral.receiver_organisation is None and referral.directory_entry == shop
    assert not AuditEvent.objects.filter(action="referral.share_refused").exists()


@pytest.mark.django_db
def test_shop_may_always_receive_the_summary_and_the_classification(world, signal, shop):
    referral = refer(signal, world.af_a, entry=shop, categories=[D.CLASSIFICATION], ground=G.CONSENT)
    assert referral.categories == [D.SUMMARY, D.CLASSIFICATION]


@pytest.mark.django_db
def test_region_rule_overrides_the_national_rule_in_that_region_only(world, rules):
    from meldroute.partners.models import SharingRule

    SharingRule.objects.create(region=world.region, partner_type=PartnerType.POLICE, category=D.PERSONS, grounds=[])
    signal_a = make_signal(world.melder_a)
    with pytest.raises(DomainError, match=str(D.PERSONS.label)):
        refer(signal_a, world.af_a, to=world.police, categories=[D.PERSONS])
    # Region 2 still follows the national rule.
    signal_c = make_signal(world.af_c)
    referral = refer(signal_c, world.af_c, to=world.police2, categories=[D.PERSONS])
    assert D.PERSONS in referral.categories


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["af_b", "af_c", "melder_a", "partner", "ketenregisseur", "beheerder"])
def test_only_an_af_of_the_signals_municipality_can_refer(world, signal, who):
    with pytest.raises(DomainError):
        refer(signal, getattr(world, who), to=world.police)
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_receiver_must_be_a_partner_of_the_own_region(world, signal):
    with pytest.raises(DomainError) as other_region:
        refer(signal, world.af_a, to=world.police2)
    with pytest.raises(DomainError) as municipality:
        refer(signal, world.af_a, to=world.b)
    assert other_region.value.field == municipality.value.field == "receiver"


@pytest.mark.django_db
def test_purpose_is_required(world, signal):
    with pytest.raises(DomainError) as error:
        services.create_referral(signal, actor=world.af_a, receiver_organisation=world.police, purpose="  ",
                                 legal_ground=G.PUBLIC_TASK, categories=[])
    assert error.value.field == "purpose"


@pytest.mark.django_db
def test_a_closed_signal_cannot_be_referred(world, signal):
    from meldroute.triage.services import close_signal

    close_signal(signal, actor=world.af_a, outcome="no_trafficking", text="Geen uitbuiting")
    with pytest.raises(DomainError):
        refer(signal, world.af_a, to=world.police)


@pytest.mark.django_db
def test_partner_of_the_receiving_organisation_accepts_and_completes(world, referral):
    services.accept_referral(referral, actor=world.partner)
    services.complete_referral(referral, actor=world.partner, outcome="Aangifte opgenomen")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DONE and referral.outcome == "Aangifte opgenomen"
    assert referral.closed_at is not None
    assert [c.to_status for c in referral.status_changes.all()] == ["in_progress", "accepted", "done"]
    referral.signal.refresh_from_db()
    assert referral.signal.status == SignalStatus.IN_ROUTE
    assert referral.signal.status_changes.last().text.startswith("Uitkomst ketenpartner ontvangen")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["partner2", "af_a", "zorgcoordinator", "ketenregisseur"])
def test_only_the_receiving_organisation_answers(world, referral, who):
    with pytest.raises(DomainError) as error:
        services.accept_referral(referral, actor=getattr(world, who))
    assert error.value.code == "forbidden"
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_PROGRESS


@pytest.mark.django_db
def test_rejection_needs_a_reason_and_returns_the_signal_to_the_route(world, referral):
    with pytest.raises(DomainError) as error:
        services.reject_referral(referral, actor=world.partner, reason=" ")
    assert error.value.field == "reason"
    services.reject_referral(referral, actor=world.partner, reason="Geen aanwijzingen voor onze taak")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REJECTED and referral.reason
    referral.signal.refresh_from_db()
    assert referral.signal.status == SignalStatus.IN_ROUTE


@pytest.mark.django_db
def test_signal_stays_forwarded_while_another_referral_is_open(world, signal):
    zvh_referral = refer(signal, world.af_a, to=world.zvh, ground=G.ZVH_COVENANT)
    police_referral = refer(signal, world.af_a, to=world.police)
    services.revoke_referral(zvh_referral, actor=world.af_a)
    signal.refresh_from_db()
    assert signal.status == SignalStatus.FORWARDED
    services.reject_referral(police_referral, actor=world.partner, reason="Geen capaciteit")
    signal.refresh_from_db()
    assert signal.status == SignalStatus.IN_ROUTE


@pytest.mark.django_db
def test_sender_revokes_and_the_links_stop_working(world, referral):
    link, _token = services.create_link(referral, actor=world.af_a)
    services.revoke_referral(referral, actor=world.af_a, reason="Verkeerde partner")
    referral.refresh_from_db()
    link.refresh_from_db()
    assert referral.status == ReferralStatus.REVOKED and referral.reason == "Verkeerde partner"
    assert link.revoked_at is not None
    assert AuditEvent.objects.filter(action="referral.status_changed", target_uuid=referral.uuid,
                                     details__to="revoked").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["af_b", "af_c", "partner", "melder_a"])
def test_only_the_senders_af_revokes(world, referral, who):
    with pytest.raises(DomainError):
        services.revoke_referral(referral, actor=getattr(world, who))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_PROGRESS


@pytest.mark.django_db
def test_referral_completes_the_active_refer_step_of_the_signals_route(world, rules):
    from meldroute.routing.constants import StepActor, StepState
    from meldroute.routing.models import RouteDefinition, RouteStep, SignalRoute, SignalRouteStep

    definition = RouteDefinition.objects.create(region=world.region, name="Testroute")
    RouteStep.objects.create(route=definition, key="politie", position=1, title="Doorverwijzen naar politie",
                             actor=StepActor.AF, action="refer", target=PartnerType.POLICE)
    signal = make_signal(world.melder_a)
    route, _created = SignalRoute.objects.get_or_create(signal=signal, defaults={"definition": definition,
                                                                                 "name": "Testroute", "version": 1})
    route.steps.all().delete()
    step = SignalRouteStep.objects.create(signal_route=route, key="politie", position=1, title="Politie",
                                          actor=StepActor.AF, action="refer", target=PartnerType.POLICE,
                                          state=StepState.ACTIVE)
    other = SignalRouteStep.objects.create(signal_route=route, key="zvh", position=1, title="ZVH",
                                           actor=StepActor.AF, action="refer", target=PartnerType.ZVH,
                                           state=StepState.ACTIVE)
    refer(signal, world.af_a, to=world.police)
    step.refresh_from_db()
    other.refresh_from_db()
    assert step.state == StepState.DONE and step.completed_by == world.af_a
    assert other.state == StepState.ACTIVE  # a referral to the police does not complete the step for the ZVH


@pytest.mark.django_db
def test_partner_type_of_an_organisation_comes_from_its_directory_entry(world, rules):
    from meldroute.partners.models import DirectoryEntry
    from meldroute.partners.selectors import partner_type_of

    pct = OrganisationFactory(name="PCT", code="PCT-R1", kind=OrganisationKind.OTHER, region=world.region)
    assert partner_type_of(pct) == PartnerType.OTHER
    DirectoryEntry.objects.create(region=world.region, partner_type=PartnerType.PCT, name="PCT", organisation=pct)
    assert partner_type_of(pct) == PartnerType.PCT
    assert partner_type_of(world.police) == PartnerType.POLICE


@pytest.mark.django_db
@pytest.mark.parametrize("acute", [False, True])
def test_a_referral_carries_its_signals_municipality_and_acute_flag_for_the_lists(client, world, acute):
    """The AF's list is scoped on the referral's copy of the municipality and the acute filter reads its copy of
    the flag (issue 17): both are the signal's, set when the referral is made."""
    signal = make_signal(world.melder_a, is_acute=acute)
    referral = refer(signal, world.af_a, to=world.police)
    assert (referral.municipality_id, referral.is_acute) == (signal.municipality_id, acute)
    assert referral.municipality_id == world.a.pk
    client.force_login(world.af_a)
    assert [r.pk for r in client.get("/doorverwijzingen/").context["page"].object_list] == [referral.pk]
    client.force_login(world.af_b)  # the neighbouring municipality's AF: not theirs
    assert list(client.get("/doorverwijzingen/").context["page"].object_list) == []
    client.force_login(world.partner)  # the police's contact
    acute_only = client.get("/doorverwijzingen/?acute=on").context["page"].object_list
    assert [r.pk for r in acute_only] == ([referral.pk] if acute else [])
