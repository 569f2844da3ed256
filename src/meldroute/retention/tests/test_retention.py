"""Every retention rule: nothing before its term, the right fields cleared after it, files really gone, holds
respected, one content-free trace per rule in a chain that still verifies, and the dry run equal to the real run."""

import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from meldroute.audit.models import AuditEvent
from meldroute.audit.services import verify_chain
from meldroute.cases.models import Case
from meldroute.core.exceptions import DomainError
from meldroute.intake.models import Attachment, Feedback, Signal, SignalStatusChange
from meldroute.persons.models import Person
from meldroute.retention import services
from meldroute.retention.models import HoldTarget, RetentionHold, RetentionMark, RetentionRun
from meldroute.retention.rules import AUTOMATED, add_months, rule
from meldroute.retention.selectors import retention_plan
from meldroute.triage.models import EnrichmentNote

from .conftest import SECRET, cancelled_signal, closed_case, closed_referral, closed_signal

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def _due(now, key):
    return {item.target_uuid for report in retention_plan(now) if report.rule.key == key for item in report.due}


def _later(months, days=1):
    return add_months(timezone.now(), months) + timedelta(days=days)


def _hold(world, reference, until_days=30):
    return services.place_hold(actor=world.beheerder, region_id=world.region.pk, reference=reference,
                               reason="Lopend onderzoek 2026-17",
                               until=timezone.localdate() + timedelta(days=until_days))


def test_add_months_keeps_the_day_or_takes_the_last_day_of_a_short_month():
    from datetime import date
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 6, 10), -12) == date(2025, 6, 10)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_a_signal_without_follow_up_is_anonymised_after_its_term_and_not_a_day_before(world):
    signal = closed_signal(world)
    kept = closed_signal(world)
    assert signal.uuid not in _due(_later(12, days=-1), "signal_no_follow_up")
    _hold(world, kept.reference, until_days=400)  # held: stays whole
    services.apply_retention(_later(12))
    signal.refresh_from_db()
    assert (signal.description, signal.address, signal.postcode, signal.business_name, signal.kvk_number) == (
        "", "", "", "", "")
    assert signal.postcode_index == signal.address_index == signal.kvk_index == signal.business_index == ""
    assert signal.status == "closed" and signal.reference  # the record stays, for the figures and its history
    assert not EnrichmentNote.objects.filter(signal=signal).exists()
    assert set(Feedback.objects.filter(signal=signal).values_list("text", flat=True)) == {""}
    assert set(SignalStatusChange.objects.filter(signal=signal).values_list("text", flat=True)) == {""}
    assert SignalStatusChange.objects.filter(signal=signal).count() == 3  # the rows themselves stay
    assert not Attachment.objects.filter(signal=signal).exists()
    kept.refresh_from_db()
    assert kept.description == SECRET and kept.attachments.count() == 1


def test_a_cancelled_signal_starts_its_term_at_the_cancellation(world, clock):
    signal = cancelled_signal(world)
    assert signal.closed_at is None
    assert signal.uuid in _due(_later(12), "signal_no_follow_up")
    assert signal.uuid not in _due(_later(12, days=-1), "signal_no_follow_up")


def test_attachments_go_after_six_months_with_their_encrypted_file_on_disk(world):
    signal = closed_signal(world)
    attachment = signal.attachments.get()
    path = attachment.file.path
    assert os.path.exists(path)
    assert _due(_later(6, days=-1), "attachments") == set()
    applied = services.apply_retention(_later(6))
    assert [len(a.items) for a in applied if a.rule.key == "attachments"] == [1]
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not os.path.exists(path)
    signal.refresh_from_db()
    assert signal.description == SECRET  # the signal itself waits for its own term


def test_a_signal_that_led_to_a_referral_waits_for_the_longer_term_and_its_referral_keeps_its_record(world):
    signal = closed_signal(world)
    referral = closed_referral(world, signal)
    assert signal.uuid not in _due(_later(12), "signal_no_follow_up")
    assert signal.uuid not in _due(_later(60, days=-1), "signal_followed_up")
    services.apply_plan([r for r in retention_plan(_later(60)) if r.rule.key == "signal_followed_up"],
                        now=_later(60))
    signal.refresh_from_db()
    referral.refresh_from_db()
    assert signal.description == ""
    assert referral.shared_data == {}  # what left of the signal is gone from the referral too
    assert (referral.receiver_name, referral.legal_ground, referral.categories) == (
        world.police.name, "task", ["description"])


def test_a_closed_referral_is_anonymised_after_its_term(world):
    referral = closed_referral(world, closed_signal(world))
    assert referral.uuid not in _due(_later(60, days=-1), "referral")
    services.apply_retention(_later(60))
    referral.refresh_from_db()
    assert (referral.purpose, referral.outcome, referral.shared_data) == ("", "[geanonimiseerd]", {})
    assert referral.status == "done"


def test_a_signal_in_a_case_that_is_still_open_is_never_anonymised(world):
    signal = closed_signal(world)
    case, *_ = closed_case(world, [signal], care=False)
    Case.objects.filter(pk=case.pk).update(status="in_progress")
    assert signal.uuid not in _due(_later(120), "signal_followed_up")


def test_a_closed_case_is_anonymised_with_its_persons_except_those_in_care(world):
    case, victim, suspect, _trajectory = closed_case(world)
    assert case.uuid not in _due(_later(60, days=-1), "case_closed")
    services.apply_plan([r for r in retention_plan(_later(60)) if r.rule.key == "case_closed"], now=_later(60))
    case.refresh_from_db()
    suspect.refresh_from_db()
    victim.refresh_from_db()
    assert case.title == "Geanonimiseerde casus" and case.result_text == "" and case.result == "prosecution"
    assert (suspect.first_name, suspect.last_name, suspect.name_hash) == ("", "", "")
    assert victim.last_name == "Geheim"  # in care: the care rule decides, later


def test_an_intervention_without_a_case_is_anonymised_after_its_term_one_with_a_case_goes_with_the_case(world):
    from meldroute.accounts.safety_net import audited_by_service
    from meldroute.cases.models import Intervention

    case, *_ = closed_case(world, care=False)
    with audited_by_service():
        alone = Intervention.objects.create(municipality=world.a, address="Geheimpad 77", business_name="Geheim BV",
                                            kind="closure", decided_on=timezone.localdate(), legal_basis="Opiumwet 13b",
                                            result="Pand gesloten", recorded_by=world.af_a)
        on_case = Intervention.objects.create(case=case, municipality=world.a, address="Geheimpad 78",
                                              kind="closure", decided_on=timezone.localdate(),
                                              legal_basis="Opiumwet 13b", recorded_by=world.af_a)
    assert _due(_later(60, days=-1), "intervention") == set()
    assert _due(_later(60), "intervention") == {alone.uuid}
    services.apply_retention(_later(60))
    alone.refresh_from_db()
    on_case.refresh_from_db()
    assert (alone.address, alone.business_name, alone.result) == ("[geanonimiseerd]", "", "")
    assert (alone.kind, alone.legal_basis) == ("closure", "Opiumwet 13b")
    assert on_case.address == ""  # with its closed case


def test_a_care_trajectory_is_anonymised_after_its_own_term_with_the_victims_identity(world):
    case, victim, _suspect, trajectory = closed_case(world)
    assert trajectory.uuid not in _due(_later(84, days=-1), "care_trajectory")
    assert trajectory.uuid in _due(_later(84), "care_trajectory")
    services.apply_retention(_later(84))
    victim.refresh_from_db()
    trajectory.refresh_from_db()
    assert (victim.first_name, victim.last_name, victim.bsn, victim.birth_date, victim.bsn_hash) == (
        "", "", "", None, "")
    assert victim.role == "victim" and victim.pseudonym  # the countable facts stay
    assert trajectory.responsible_override_reason == ""


def test_a_hold_on_a_case_keeps_the_case_its_signals_and_its_care_until_its_end_date(world):
    signal = closed_signal(world)
    case, victim, _suspect, trajectory = closed_case(world, [signal])
    hold = _hold(world, case.reference, until_days=31 * 84)
    assert hold.target_type == HoldTarget.CASE
    later = _later(84)
    plan = {r.rule.key: r for r in retention_plan(later)}
    assert {i.target_uuid for i in plan["case_closed"].held} == {case.uuid}
    assert {i.target_uuid for i in plan["care_trajectory"].held} == {trajectory.uuid}
    assert {i.target_uuid for i in plan["signal_followed_up"].held} == {signal.uuid}
    services.apply_retention(later)
    case.refresh_from_db()
    assert case.title != "Geanonimiseerde casus"
    victim.refresh_from_db()
    assert victim.last_name == "Geheim"


def test_a_restriction_of_processing_on_a_person_holds_the_case_its_signals_and_care_while_it_lasts(world):
    signal = closed_signal(world)
    case, victim, _suspect, trajectory = closed_case(world, [signal])
    Person.objects.filter(pk=victim.pk).update(restricted_at=timezone.now())
    plan = {r.rule.key: r for r in retention_plan(_later(84))}
    assert {i.target_uuid for i in plan["case_closed"].held} == {case.uuid}
    assert {i.target_uuid for i in plan["care_trajectory"].held} == {trajectory.uuid}
    assert {i.target_uuid for i in plan["signal_followed_up"].held} == {signal.uuid}
    Person.objects.filter(pk=victim.pk).update(restricted_at=None)
    assert case.uuid in _due(_later(84), "case_closed")


def test_an_expired_or_lifted_hold_no_longer_keeps_anything(world):
    signal = closed_signal(world)
    hold = _hold(world, signal.reference, until_days=400)
    assert signal.uuid not in _due(_later(12), "signal_no_follow_up")
    services.lift_hold(hold, actor=world.beheerder)
    assert signal.uuid in _due(_later(12), "signal_no_follow_up")
    with pytest.raises(DomainError):
        services.lift_hold(hold, actor=world.beheerder)
    short = _hold(world, signal.reference, until_days=10)
    assert signal.uuid in _due(_later(12), "signal_no_follow_up")  # ended 11 months before the run
    assert short.until < timezone.localdate(_later(12))


def test_a_hold_is_refused_for_a_code_of_another_region_and_for_a_past_date_with_the_same_words(world):
    other = closed_signal(world)
    Signal.objects.filter(pk=other.pk).update(municipality=world.c)
    with pytest.raises(DomainError) as error:
        _hold(world, other.reference)
    assert error.value.field == "reference"
    with pytest.raises(DomainError) as unknown:
        _hold(world, "BESTAATNIET")
    assert unknown.value.message == error.value.message
    with pytest.raises(DomainError) as past:
        _hold(world, closed_signal(world).reference, until_days=-1)
    assert past.value.field == "until"
    assert not RetentionHold.objects.exists()


def test_each_rule_leaves_one_trace_in_the_audit_chain_without_ids_or_content_and_the_chain_verifies(world):
    for _ in range(2):
        closed_signal(world)
    mark = AuditEvent.objects.count()
    services.apply_retention(_later(12))
    events = list(AuditEvent.objects.order_by("id")[mark:])
    assert [(e.action, e.target_type, e.target_uuid, e.details["rule"], e.details["count"]) for e in events] == [
        ("retention.delete", "intake.attachment", None, "attachments", 2),
        ("retention.anonymise", "intake.signal", None, "signal_no_follow_up", 2)]
    text = repr([(e.details, e.fields) for e in events])
    assert "Geheim" not in text and SECRET not in text
    count, problems = verify_chain(AuditEvent)
    assert problems == [] and count >= len(events)


def test_a_second_run_finds_nothing_new_and_the_daily_job_runs_once_a_day(world):
    closed_signal(world)
    later = _later(12)
    assert services.run_daily_retention(later) == 2  # the attachment and the signal
    # Again the same day (the same moment: at 23:59 an hour later is the next day, whose run is due)
    assert services.run_daily_retention(later) == 0
    assert RetentionRun.objects.get().counts["signal_no_follow_up"] == 1
    assert all(not report.due for report in retention_plan(later + timedelta(days=1)))
    assert RetentionMark.objects.filter(rule="signal_no_follow_up").count() == 1


def test_a_failing_run_releases_the_day_so_the_next_round_tries_again(world, monkeypatch):
    signal = closed_signal(world)

    def broken(record):
        raise OSError("disk gone")

    monkeypatch.setitem(services.ACTIONS, "attachments", (Attachment, broken))
    with pytest.raises(OSError):
        services.run_daily_retention(_later(12))
    assert not RetentionRun.objects.exists()
    assert Attachment.objects.filter(signal=signal).exists()
    monkeypatch.undo()
    assert services.run_daily_retention(_later(12)) == 2


def test_the_dry_run_report_matches_what_the_real_run_removes(world):
    signals = [closed_signal(world) for _ in range(3)]
    closed_referral(world, signals[0])
    cancelled_signal(world)
    closed_case(world, [signals[1]])
    _hold(world, signals[2].reference, until_days=3000)
    later = _later(90)
    before = {r.rule.key: {i.target_uuid for i in r.due} for r in retention_plan(later)}
    applied = {a.rule.key: {i.target_uuid for i in a.items} for a in services.apply_retention(later)}
    assert applied == before
    assert any(before.values())
    anonymised = set(Signal.objects.filter(description="").values_list("uuid", flat=True))
    assert anonymised == before["signal_no_follow_up"] | before["signal_followed_up"]


def test_the_term_is_configuration(world, settings):
    signal = closed_signal(world)
    settings.MELDROUTE = {**settings.MELDROUTE, "RETENTION": {**settings.MELDROUTE["RETENTION"],
                                                             "signal_no_follow_up": 3}}
    assert rule("signal_no_follow_up").months == 3
    assert signal.uuid in _due(_later(3), "signal_no_follow_up")


def test_the_command_dry_run_changes_nothing_and_the_real_run_applies(world, capsys, clock):
    signal = closed_signal(world)
    clock.move_to(_later(12))
    mark = AuditEvent.objects.count()
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert signal.reference in out and "signal_no_follow_up: 1 anonimiseren" in out
    assert AuditEvent.objects.count() == mark
    signal.refresh_from_db()
    assert signal.description == SECRET
    call_command("retention")
    signal.refresh_from_db()
    assert signal.description == ""


def test_every_automated_rule_has_a_term_a_source_what_it_clears_and_an_action():
    for r in AUTOMATED:
        assert r.months and r.source and r.cleared, r.key
    assert set(services.ACTIONS) == {r.key for r in AUTOMATED}
