"""Two status changes of one signal at once: the row is locked and the second is judged on the first's outcome."""

import threading
import time

import pytest
from django.db import connection, transaction
from tests.factories import make_signal

from meldroute.core.exceptions import DomainError
from meldroute.intake.constants import SignalStatus
from meldroute.intake.exceptions import TransitionNotAllowed
from meldroute.intake.models import Signal, SignalStatusChange
from meldroute.intake.services import transition_signal


def signal_in_triage(world) -> Signal:
    signal = make_signal(world.melder_a)
    return transition_signal(signal, actor=world.af_a, to_status=SignalStatus.IN_TRIAGE)


@pytest.mark.django_db
def test_a_change_from_a_stale_copy_is_judged_on_the_status_in_the_database(world):
    signal = signal_in_triage(world)
    stale = Signal.objects.get(pk=signal.pk)  # a second AF opened the page before the first one closed it
    transition_signal(signal, actor=world.af_a, to_status=SignalStatus.CLOSED, text="Geen aanwijzingen.")

    with pytest.raises(TransitionNotAllowed):
        transition_signal(stale, actor=world.af_b, to_status=SignalStatus.CANCELLED, text="Dubbel.")

    signal.refresh_from_db()
    assert signal.status == SignalStatus.CLOSED
    assert list(SignalStatusChange.objects.filter(signal=signal).values_list("to_status", flat=True)
                .order_by("id"))[-1] == SignalStatus.CLOSED
    assert not SignalStatusChange.objects.filter(signal=signal, to_status=SignalStatus.CANCELLED).exists()


@pytest.mark.django_db
def test_the_fields_a_caller_sets_survive_the_re_read_under_the_lock(world):
    signal = signal_in_triage(world)
    signal.outcome = "no_trafficking"

    transition_signal(signal, actor=world.af_a, to_status=SignalStatus.CLOSED, text="Klaar.",
                      extra_fields=["outcome"])

    signal.refresh_from_db()
    assert (signal.status, signal.outcome) == (SignalStatus.CLOSED, "no_trafficking")


def race(*changes) -> list:
    """Run the changes in threads at the same moment, each in its own transaction held open a little after its
    change, so the other one runs while it is uncommitted. Returns "won" or the refusal per change."""
    barrier = threading.Barrier(len(changes))
    outcomes: list = [None] * len(changes)

    def run(index, change):
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                change()
                time.sleep(0.5)
            outcomes[index] = "won"
        except DomainError as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, change)) for i, change in enumerate(changes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)")
def test_of_two_conflicting_status_changes_at_once_only_one_wins(world):
    signal = signal_in_triage(world)
    first, second = Signal.objects.get(pk=signal.pk), Signal.objects.get(pk=signal.pk)

    outcomes = race(
        lambda: transition_signal(first, actor=world.af_a, to_status=SignalStatus.CLOSED, text="Afgerond."),
        lambda: transition_signal(second, actor=world.af_a, to_status=SignalStatus.CANCELLED, text="Dubbel."),
    )

    assert outcomes.count("won") == 1, outcomes
    assert sum(isinstance(outcome, TransitionNotAllowed) for outcome in outcomes) == 1, outcomes
    assert SignalStatusChange.objects.filter(
        signal=signal, to_status__in=[SignalStatus.CLOSED, SignalStatus.CANCELLED]).count() == 1
