"""Status histories are written once: changing or deleting a row is refused by the model and the queryset."""

import pytest
from tests.factories import make_signal

from meldroute.intake.models import SignalStatusChange
from meldroute.triage import services as triage_services

pytestmark = pytest.mark.django_db


def test_signal_history_rows_cannot_be_changed_or_deleted(world):
    signal = make_signal(world.melder_a)
    triage_services.assign_signal(signal, actor=world.af_a, assignee=world.af_a)
    row = SignalStatusChange.objects.filter(signal=signal).last()
    row.text = "Achteraf aangepast"
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        SignalStatusChange.objects.filter(signal=signal).update(text="weg")
    with pytest.raises(TypeError):
        SignalStatusChange.objects.filter(signal=signal).delete()
    assert SignalStatusChange.objects.filter(signal=signal, text="Achteraf aangepast").count() == 0


@pytest.mark.parametrize("model_path", ["meldroute.referrals.models.ReferralStatusChange",
                                        "meldroute.cases.models.CaseStatusChange"])
def test_every_status_history_is_append_only(model_path):
    from django.utils.module_loading import import_string

    from meldroute.core.models import AppendOnlyModel

    model = import_string(model_path)
    assert issubclass(model, AppendOnlyModel)
    with pytest.raises(TypeError):
        model.objects.all().update(text="x")
