"""Retention on the demo region: years later, the dry run lists exactly what the real run then removes — nothing
more (every other record untouched), nothing less (every listed record anonymised or deleted, files gone) — and the
audit chain still verifies with one trace per rule whose count equals the report's."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from meldroute.audit.models import AuditEvent
from meldroute.audit.services import verify_chain
from meldroute.care.models import CareTrajectory
from meldroute.cases.models import Case
from meldroute.intake.models import Attachment, Signal
from meldroute.persons.models import Person
from meldroute.referrals.models import Referral
from meldroute.retention import services
from meldroute.retention.models import RetentionHold
from meldroute.retention.selectors import retention_plan

pytestmark = pytest.mark.clock


def _signal_texts():
    return {s.uuid: s.description for s in Signal.objects.all()}


@pytest.mark.parametrize("years", [1, 8])
def test_the_dry_run_on_the_demo_matches_exactly_what_the_real_run_removes(seeded, clock, years):
    clock.move_to(timezone.now() + timedelta(days=365 * years + 2))
    now = timezone.now()
    texts_before = _signal_texts()
    referrals_before = {r.uuid: r.shared_data for r in Referral.objects.all()}
    titles_before = dict(Case.objects.values_list("uuid", "title"))
    names_before = {p.uuid: p.last_name for p in Person.objects.all()}
    files_before = {a.uuid: a.file.path for a in Attachment.objects.all()}
    signal_of = dict(Attachment.objects.values_list("uuid", "signal__uuid"))
    audit_before = AuditEvent.objects.count()

    plan = retention_plan(now)
    dry = {r.rule.key: {i.target_uuid for i in r.due} for r in plan}
    held = {i.target_uuid for r in plan for i in r.held}
    assert AuditEvent.objects.count() == audit_before  # the dry run writes nothing
    assert _signal_texts() == texts_before
    applied = {a.rule.key: {i.target_uuid for i in a.items} for a in services.apply_retention(now)}
    assert applied == dry
    assert dry["signal_no_follow_up"]  # the demo has finished signals that led nowhere, older than a year
    if years == 8:  # by then every kind the demo holds has aged out (the demo's care trajectories are still open)
        assert dry["signal_followed_up"] and dry["referral"] and dry["case_closed"]

    signals = dry["signal_no_follow_up"] | dry["signal_followed_up"]
    after = _signal_texts()
    assert {u for u, text in after.items() if text == "" and texts_before[u] != ""} == signals
    assert all(after[u] == texts_before[u] for u in after if u not in signals)
    gone = set(files_before) - set(Attachment.objects.values_list("uuid", flat=True))
    # Gone: the listed attachments, and those of the listed signals (anonymising a signal deletes its files).
    assert gone == dry["attachments"] | {u for u, signal in signal_of.items() if signal in signals}
    assert not any(os.path.exists(files_before[u]) for u in gone)
    assert set(Case.objects.filter(title="Geanonimiseerde casus").values_list("uuid", flat=True)) == dry[
        "case_closed"]
    assert all(Case.objects.get(uuid=u).title == t for u, t in titles_before.items() if u not in dry["case_closed"])
    cleared = {p.uuid for p in Person.objects.all() if p.last_name == "" and names_before[p.uuid] != ""}
    expected = set(Person.objects.filter(case__uuid__in=dry["case_closed"], care__isnull=True).values_list(
        "uuid", flat=True)) | set(CareTrajectory.objects.filter(uuid__in=dry["care_trajectory"]).values_list(
            "person__uuid", flat=True))
    assert cleared == {u for u in expected if names_before[u] != ""}
    for referral in Referral.objects.all():
        emptied = referral.shared_data == {} and referrals_before[referral.uuid] != {}
        assert emptied == (referral.uuid in dry["referral"] or referral.signal.uuid in signals)

    traces = AuditEvent.objects.filter(action__in=["retention.anonymise", "retention.delete"]).order_by("id")
    counts = {e.details["rule"]: e.details["count"] for e in traces}
    assert counts == {key: len(uuids) for key, uuids in dry.items() if uuids}
    count, problems = verify_chain(AuditEvent)
    assert problems == []
    assert all(not r.due for r in retention_plan(now))  # nothing left for a second run
    demo_hold = RetentionHold.objects.get()  # the demo's hold (demo/seed_retention.py), 18 months long
    assert (demo_hold.target_uuid in held) == (years == 1)
    assert (texts_before[demo_hold.target_uuid] == after[demo_hold.target_uuid]) == (years == 1)
