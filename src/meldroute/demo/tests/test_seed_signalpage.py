"""The demo's signal with a full timeline (issue 14): every kind of event is on it, and its BRP answer offers a
person to take into its case."""

import pytest

from meldroute.accounts.models import User
from meldroute.demo.seed import seed
from meldroute.demo.seed_signalpage import PURPOSE
from meldroute.intake.models import Signal
from meldroute.intake.timeline import KINDS, timeline_for
from meldroute.triage.models import EnrichmentNote


@pytest.mark.django_db
@pytest.mark.clock
def test_the_demo_has_a_signal_whose_timeline_shows_every_kind_of_event():
    seed(signals_count=60)
    assert EnrichmentNote.objects.filter(source="brp", purpose=PURPOSE).exists(), _diagnose()
    note = EnrichmentNote.objects.get(source="brp", purpose=PURPOSE)
    signal = Signal.objects.get(pk=note.signal_id)
    af = User.objects.get(username="af.veenhorst")
    kinds = {entry.kind for entry in timeline_for(af, signal)}
    assert kinds == set(KINDS), set(KINDS) - kinds
    assert len(note.people) == 1 and signal.cases.exists()


def _diagnose() -> str:
    from meldroute.meetings.models import AgendaItem

    return str(list(AgendaItem.objects.filter(decided_at__isnull=False).values_list(
        "signal__municipality__code", "decision", "signal__status", "signal__reporter_id")))
