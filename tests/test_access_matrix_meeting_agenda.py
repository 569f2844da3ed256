"""The access matrix of the chair's forms on the agenda page (issue 17 renders them once per kind and fills each item
in): every role × the page and the chair's two commonest actions on an item (decide, move) → who gets the forms, who
is refused with a message, who gets 404. Only the chair gets forms and may act; a participant who posts is refused and
nothing is written; a user not at the table gets 404 for the page and every action, and nothing is written or
logged.

Region 1's screening table (meetings/tests/conftest.py): the ZVH chairs, the police and municipality A take part,
municipality B does not. On its agenda: two signals of A, both undecided.
"""

import pytest
from django.urls import reverse

from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.meetings import services as meeting_services
from meldroute.meetings.tests.conftest import tables  # noqa: F401  (fixture: the meeting tables of region 1)
from meldroute.routing.constants import Decision
from tests.factories import make_signal

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

CHAIR, STANDING, OUTSIDE = "chair", "standing", "outside"
MATRIX = {
    "procesregisseur": CHAIR,  # ZVH, the chairing organisation, with a chairing role
    "zorgcoordinator": STANDING,  # ZVH, but not a chairing role
    "casusregisseur": STANDING,
    "partner": STANDING,  # police: at the table, not its chair
    "af_a": STANDING,  # A takes part; a regional table has no municipal chair
    "af_a2": STANDING,
    "af_b": OUTSIDE,  # B does not sit at this table
    "melder_a": OUTSIDE,  # filed the signals, but a melder sits at no table
    "melder_b": OUTSIDE,
    "af_c": OUTSIDE,  # another region
    "partner2": OUTSIDE,
    "ketenregisseur": OUTSIDE,
    "beheerder": OUTSIDE,
    "burgemeester": OUTSIDE,
}


@pytest.fixture
def agenda(world, tables):  # noqa: F811
    make_signal(world.melder_a)
    make_signal(world.melder_a)
    meeting = meeting_services.next_meeting(tables.screening, actor=world.procesregisseur)
    meeting_services.compile_agenda(meeting, actor=world.procesregisseur)
    items = list(meeting.items.order_by("position"))
    assert len(items) == 2
    return meeting, items


@pytest.mark.parametrize("username", sorted(MATRIX))
def test_only_the_chair_gets_the_agenda_forms(client, world, agenda, username):
    meeting, items = agenda
    user = getattr(world, username)
    expected = MATRIX[username]
    client.force_login(user)
    response = client.get(reverse("meetings:meeting", args=[meeting.uuid]))
    if expected == OUTSIDE:
        assert response.status_code == 404
        assert not AccessLogEntry.objects.filter(actor=user).exists()
        return
    page = response.content.decode()
    assert response.status_code == 200
    forms = 2 if expected == CHAIR else 0
    assert page.count('class="mr-decision-form"') == forms
    for item in items:
        assert (f'action="{reverse("meetings:decide", args=[meeting.uuid, item.uuid])}"' in page) == bool(forms)
        assert (f'action="{reverse("meetings:move", args=[meeting.uuid, item.uuid])}"' in page) == bool(forms)


@pytest.mark.parametrize("action", ["decide", "move"])
@pytest.mark.parametrize("username", sorted(MATRIX))
def test_only_the_chair_may_decide_or_move_an_item(client, world, agenda, username, action):
    meeting, items = agenda
    item = items[1]
    user = getattr(world, username)
    expected = MATRIX[username]
    data = ({f"punt{item.position}-decision": Decision.NO_TRAFFICKING} if action == "decide"
            else {f"verplaatsen{item.position}-reason": "Wacht op informatie van de politie."})
    before = AuditEvent.objects.count()
    client.force_login(user)
    response = client.post(reverse(f"meetings:{action}", args=[meeting.uuid, item.uuid]), data)
    item.refresh_from_db()
    if expected == CHAIR:
        assert response.status_code == 302
        assert item.is_decided if action == "decide" else item.is_moved
        assert AuditEvent.objects.count() > before
        return
    assert response.status_code == (404 if expected == OUTSIDE else 302)
    if expected == STANDING:
        assert response.url == reverse("meetings:meeting", args=[meeting.uuid])
    assert not item.is_handled
    assert AuditEvent.objects.count() == before
    assert not AccessLogEntry.objects.filter(actor=user).exists()
