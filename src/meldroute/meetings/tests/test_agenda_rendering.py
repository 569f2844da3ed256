"""The agenda page renders the chair's forms once per kind of form and fills each item in (issue 17): the page must
be exactly what rendering every item's own forms gives, and a form that comes back with errors is its own."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from tests.factories import make_signal

from meldroute.meetings import services
from meldroute.meetings.forms import DecisionForm, InviteForm, MoveItemForm
from meldroute.meetings.selectors import invitable_organisations, participants_of
from meldroute.routing.constants import Decision

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def normal(html: str) -> str:
    return CSRF.sub('name="csrfmiddlewaretoken" value=""', html)


def own_forms(request, meeting, item, *, shelter: bool) -> str:
    """An item's forms as rendering them one by one gives them (each form reading its own choices)."""
    series = meeting.series
    return render_to_string("meetings/_item_actions.html", {
        "meeting": meeting, "item": item,
        "form": DecisionForm(prefix=f"punt{item.position}", participants=participants_of(series), shelter=shelter),
        "invite": InviteForm(prefix=f"uitnodigen{item.position}", organisations=invitable_organisations(series)),
        "move": MoveItemForm(prefix=f"verplaatsen{item.position}")}, request=request)


@pytest.fixture
def agenda(world, tables):
    signals = [make_signal(world.melder_a, is_acute=True), make_signal(world.melder_a), make_signal(world.melder_a)]
    meeting = services.next_meeting(tables.screening, actor=world.procesregisseur)
    services.compile_agenda(meeting, actor=world.procesregisseur)
    items = list(meeting.items.order_by("position"))
    assert {item.signal for item in items} == set(signals)
    decided = next(item for item in reversed(items) if not item.signal.is_acute)
    services.decide_item(decided, actor=world.procesregisseur, decision=Decision.MONITOR)
    return meeting, [item for item in items if item != decided] + [decided]  # the two open ones first


def test_the_chairs_forms_rendered_once_are_each_items_own_forms(client, world, agenda):
    meeting, items = agenda
    client.force_login(world.procesregisseur)
    response = client.get(reverse("meetings:meeting", args=[meeting.uuid]))
    page = normal(response.content.decode())
    for item in items[:2]:
        item.refresh_from_db()
        expected = normal(own_forms(response.wsgi_request, meeting, item, shelter=item.signal.is_acute))
        assert expected in page, item.position
        assert f'id="id_punt{item.position}-decision_0"' in page
    assert any(item.signal.is_acute for item in items[:2])
    for item in items[:2]:  # only the acute signal's form asks about shelter
        assert (f'name="punt{item.position}-shelter"' in page) == item.signal.is_acute
    assert f"punt{items[2].position}-decision" not in page  # decided: its decision is shown, not a form
    assert page.count('class="mr-decision-form"') == 2
    assert "8642097531" not in page and "MR-STANDIN-REF" not in page  # every stand-in was filled in


def test_a_refused_decision_keeps_its_errors_and_input_while_the_other_items_keep_their_forms(client, world, agenda):
    meeting, items = agenda
    second = items[1]
    client.force_login(world.procesregisseur)
    response = client.post(reverse("meetings:decide", args=[meeting.uuid, second.uuid]), {
        f"punt{second.position}-decision": Decision.CONTINUE, f"punt{second.position}-action": "Wijkagent gaat langs."})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Wijkagent gaat langs." in page  # the chair's input is kept
    assert page.count('class="mr-decision-form"') == 2 and f'id="punt-{second.position}"' in page
    assert page.count("<details open>") >= 2  # the item at hand and the refused one are open
    second.refresh_from_db()
    assert second.decision == ""
