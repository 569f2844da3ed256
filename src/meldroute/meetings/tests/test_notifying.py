"""The people at the table hear that the agenda is ready (issue 14): its name, date and number of items only."""

import pytest
from tests.factories import make_signal

from meldroute.meetings import services
from meldroute.notifications.constants import Kind
from meldroute.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def test_a_compiled_agenda_tells_the_tables_people_but_not_the_chair_or_outsiders(world, tables):
    signal = make_signal(world.melder_a, description="Meisje in de nagelstudio aan de Sluisweg.")
    meeting = services.next_meeting(tables.screening, actor=world.procesregisseur)

    services.compile_agenda(meeting, actor=world.procesregisseur)

    told = Notification.objects.filter(kind=Kind.AGENDA_PUBLISHED)
    people = {n.user for n in told}
    assert world.af_a in people and world.procesregisseur not in people
    assert world.melder_a not in people and world.af_c not in people
    participants = set(tables.screening.participants.all())
    assert all(user.organisation in participants for user in people)
    assert all("1 nieuwe punten" in n.text and signal.reference not in n.text and "nagelstudio" not in n.text
               for n in told)
    assert all(n.link == f"/overleggen/{meeting.uuid}/" for n in told)

    assert services.compile_agenda(meeting, actor=world.procesregisseur) == []
    assert Notification.objects.filter(kind=Kind.AGENDA_PUBLISHED).count() == told.count()  # nothing new: no news
