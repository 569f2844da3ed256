"""The signal workflow is the ALLOWED_TRANSITIONS table: every (from, to) pair, its history row and its audit event."""

import pytest
from django.utils import timezone
from tests.factories import make_signal

from meldroute.audit.models import AuditEvent
from meldroute.core.exceptions import DomainError
from meldroute.intake.constants import ALLOWED_TRANSITIONS, TEXT_REQUIRED, SignalStatus
from meldroute.intake.exceptions import TransitionNotAllowed
from meldroute.intake.models import Signal, SignalStatusChange
from meldroute.intake.services import transition_signal

pytestmark = pytest.mark.clock  # reads the clock: run again at awkward moments (scripts/test.sh)

PAIRS = [(from_status, to_status) for from_status in SignalStatus.values for to_status in SignalStatus.values]


def signal_in(status, reporter):
    """A registered signal put straight into `status`, bypassing the workflow (test set-up only)."""
    signal = make_signal(reporter)
    Signal.objects.filter(pk=signal.pk).update(
        status=status, closed_at=timezone.now() if status == SignalStatus.CLOSED else None)
    return Signal.objects.get(pk=signal.pk)


def last_id(model):
    return model.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), PAIRS, ids=[f"{f}->{t}" for f, t in PAIRS])
def test_every_status_pair_is_allowed_exactly_when_the_transition_table_says_so(world, from_status, to_status):
    signal = signal_in(from_status, world.melder_a)
    history_mark, audit_mark = last_id(SignalStatusChange), last_id(AuditEvent)
    # Always give a text, so a refusal can only come from the table.
    text = "Toelichting bij deze stap." if to_status in TEXT_REQUIRED else ""

    if to_status in ALLOWED_TRANSITIONS[from_status]:
        transition_signal(signal, actor=world.af_a, to_status=to_status, text=text)

        signal.refresh_from_db()
        assert signal.status == to_status
        change = SignalStatusChange.objects.get(id__gt=history_mark)
        assert (change.signal_id, change.from_status, change.to_status, change.actor, change.text) == (
            signal.pk, from_status, to_status, world.af_a, text)
        event = AuditEvent.objects.get(id__gt=audit_mark)
        assert event.action == "signal.status_changed"
        assert event.target_uuid == signal.uuid and event.actor == world.af_a
        assert event.details == {"from": from_status, "to": to_status}
    else:
        with pytest.raises(TransitionNotAllowed):
            transition_signal(signal, actor=world.af_a, to_status=to_status, text="Toelichting bij deze stap.")

        assert Signal.objects.get(pk=signal.pk).status == from_status
        assert not SignalStatusChange.objects.filter(id__gt=history_mark).exists()
        assert not AuditEvent.objects.filter(id__gt=audit_mark).exists()


def test_the_table_allows_the_path_of_spec_section_4_and_ends_at_closed_or_cancelled():
    s = SignalStatus
    spec_path = [(s.RECEIVED, s.IN_TRIAGE), (s.IN_TRIAGE, s.INFO_REQUESTED), (s.INFO_REQUESTED, s.IN_TRIAGE),
                 (s.IN_TRIAGE, s.IN_ROUTE), (s.IN_ROUTE, s.FORWARDED), (s.FORWARDED, s.CLOSED),
                 (s.CLOSED, s.REOPENED), (s.RECEIVED, s.CANCELLED)]
    assert set(ALLOWED_TRANSITIONS) == set(SignalStatus.values)
    assert all(to in ALLOWED_TRANSITIONS[frm] for frm, to in spec_path)
    assert ALLOWED_TRANSITIONS[s.CANCELLED] == frozenset()
    assert ALLOWED_TRANSITIONS[s.CLOSED] == frozenset({s.REOPENED})  # a closed signal only comes back by reopening
    assert TEXT_REQUIRED == {s.CLOSED, s.REOPENED, s.CANCELLED}


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), [
    (SignalStatus.IN_TRIAGE, SignalStatus.CLOSED),
    (SignalStatus.CLOSED, SignalStatus.REOPENED),
    (SignalStatus.RECEIVED, SignalStatus.CANCELLED),
])
@pytest.mark.parametrize("text", ["", "   \n "])
def test_closing_reopening_and_cancelling_require_a_text(world, from_status, to_status, text):
    signal = signal_in(from_status, world.melder_a)
    history_mark, audit_mark = last_id(SignalStatusChange), last_id(AuditEvent)

    with pytest.raises(DomainError) as refusal:
        transition_signal(signal, actor=world.af_a, to_status=to_status, text=text)

    assert not isinstance(refusal.value, TransitionNotAllowed)
    assert refusal.value.field == "text"
    assert refusal.value.message == "Geef een toelichting bij deze stap."
    assert Signal.objects.get(pk=signal.pk).status == from_status
    assert not SignalStatusChange.objects.filter(id__gt=history_mark).exists()
    assert not AuditEvent.objects.filter(id__gt=audit_mark).exists()


@pytest.mark.django_db
def test_a_refused_transition_explains_itself_in_dutch(world):
    signal = signal_in(SignalStatus.CANCELLED, world.melder_a)

    with pytest.raises(TransitionNotAllowed) as refusal:
        transition_signal(signal, actor=world.af_a, to_status=SignalStatus.IN_TRIAGE)

    assert refusal.value.message == "Een signaal met status 'Geannuleerd' kan niet naar 'In behandeling'."


@pytest.mark.django_db
def test_saving_an_existing_status_history_row_is_refused(world):
    signal = make_signal(world.melder_a)
    change = signal.status_changes.get()
    change.text = "achteraf aangepast"

    with pytest.raises(TypeError, match="append-only"):
        change.save()

    assert SignalStatusChange.objects.get(pk=change.pk).text == ""


@pytest.mark.django_db
def test_updating_status_history_through_a_queryset_is_refused(world):
    signal = make_signal(world.melder_a)

    with pytest.raises(TypeError, match="append-only"):
        SignalStatusChange.objects.filter(signal=signal).update(to_status=SignalStatus.CLOSED)

    assert signal.status_changes.get().to_status == SignalStatus.RECEIVED
