"""Issue 14: a field that is required only with some choice says when ("verplicht bij afsluiten") instead of the
untrue "(niet verplicht)": the case's close result, the meeting decision's owner, the referral's outcome fields."""

import pytest

from meldroute.cases.forms import StatusForm
from meldroute.meetings.forms import DecisionForm
from meldroute.organisations.models import Organisation
from meldroute.referrals.forms import CompleteForm, RevokeForm


def _label_of(form, name: str) -> str:
    html = str(form[name].as_field_group())
    return html[html.index("<label") if "<label" in html else html.index("<legend"):].split("</l")[0]


@pytest.mark.django_db
def test_conditionally_required_fields_say_when_they_are_required():
    status = StatusForm(allowed=("closed",))
    assert "(verplicht bij afsluiten)" in _label_of(status, "result")
    assert "(verplicht bij opschorten en heropenen)" in _label_of(status, "text")
    decision = DecisionForm(participants=Organisation.objects.none())
    assert "verplicht, behalve bij" in _label_of(decision, "owner_organisation")
    assert "(verplicht bij het besluit" in _label_of(decision, "refer_to")
    complete = CompleteForm()
    assert "(verplicht bij overdracht" in _label_of(complete, "handed_to")
    assert "(verplicht bij &#x27;Anders&#x27;)" in _label_of(complete, "outcome")
    for form, name in ((status, "result"), (decision, "owner_organisation"), (complete, "outcome")):
        assert "niet verplicht" not in _label_of(form, name)


def test_a_truly_optional_field_still_says_so():
    assert "(niet verplicht)" in _label_of(RevokeForm(), "reason")
