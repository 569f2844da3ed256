"""Who sees which meeting, and what of a signal the sharing rule lets through."""

import pytest
from django.http import Http404

from meldroute.meetings import selectors, services
from meldroute.partners.constants import DataCategory

from .conftest import SECRET_ADDRESS

pytestmark = pytest.mark.django_db


def test_agenda_carries_only_the_shared_categories(world, tables, secret_signal):
    meeting = services.next_meeting(tables.screening, actor=world.procesregisseur)
    services.compile_agenda(meeting, actor=world.procesregisseur)
    shared = selectors.agenda_for(world.partner, meeting)[0].signal
    assert shared.description == secret_signal.description
    assert shared.location is None and shared.persons is None and shared.enrichment is None
    assert shared.classification is None
    assert SECRET_ADDRESS not in repr(shared)


def test_a_table_sharing_location_and_classification_gives_those_and_not_the_description(world, tables,
                                                                                        secret_signal):
    meeting = services.next_meeting(tables.signaling, actor=world.af_a)
    services.compile_agenda(meeting, actor=world.af_a)
    entry = selectors.agenda_for(world.partner, meeting)[0]
    assert entry.signal.location["address"] == SECRET_ADDRESS
    assert entry.signal.description is None and entry.signal.persons is None
    assert entry.signal.categories == {DataCategory.SUMMARY, DataCategory.LOCATION, DataCategory.CLASSIFICATION}
    assert "address" in entry.fields_read and "description" not in entry.fields_read


def test_meetings_are_visible_to_the_participating_organisations_working_roles_only(world, tables):
    meeting = services.next_meeting(tables.screening, actor=world.procesregisseur)
    for user in (world.procesregisseur, world.zorgcoordinator, world.casusregisseur, world.partner, world.af_a):
        assert list(selectors.meetings_visible_to(user)) == [meeting]
    for user in (world.af_b, world.af_c, world.partner2, world.ketenregisseur, world.burgemeester, world.beheerder,
                 world.melder_a):
        assert not selectors.meetings_visible_to(user).exists()
        with pytest.raises(Http404):
            selectors.get_meeting_for(user, meeting.uuid)
