"""cases.permissions.CaseAccess: what each role may do on one case, from the scoping rule and the team."""

import pytest
from django.contrib.auth.models import AnonymousUser

from meldroute.cases.constants import CaseRole
from meldroute.cases.permissions import case_access
from meldroute.core.exceptions import DomainError

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def test_the_af_of_the_municipality_sees_the_case_whole_and_manages_it(world, case):
    access = case_access(world.af_a, case)
    assert access.sees_whole and access.manages and access.is_af
    assert not access.care_member and not access.sees_care_only
    access.ensure_manages()


def test_the_casusregisseur_on_the_team_manages_without_being_the_af(world, team_case):
    access = case_access(world.casusregisseur, team_case)
    assert access.team_roles == {CaseRole.CASUSREGISSEUR}
    assert access.sees_whole and access.manages and not access.is_af and not access.care_member


def test_the_zorgcoordinator_on_the_team_sees_only_the_care_part_and_works_on_victims_only(world, team_case):
    access = case_access(world.zorgcoordinator, team_case)
    assert access.care_member and access.sees_care_only and not access.manages
    with pytest.raises(DomainError):
        access.ensure_manages()

    class Victim:
        is_victim = True

    class Suspect:
        is_victim = False

    assert access.may_work_on_care(Victim()) and not access.may_work_on_care(Suspect())


def test_the_procesregisseur_of_the_zvh_sees_the_case_brought_in_and_does_not_manage_it_from_there(world, signal):
    from meldroute.cases import services

    brought_in = services.open_case(actor=world.af_a, signals=[signal], title="Ingebracht", zvh=world.zvh)
    access = case_access(world.procesregisseur, brought_in)
    assert access.sees_whole and not access.manages and not access.team_roles


@pytest.mark.parametrize("name", ["af_b", "partner", "zorgcoordinator", "melder_a", "burgemeester"])
def test_outsiders_may_do_nothing_on_the_case(world, case, name):
    access = case_access(getattr(world, name), case)
    assert not (access.sees_whole or access.manages or access.is_af or access.care_member)


def test_a_visitor_who_is_not_signed_in_may_do_nothing(case):
    access = case_access(AnonymousUser(), case)
    assert not (access.sees_whole or access.manages or access.is_af or access.care_member)


def test_the_owner_of_an_action_may_finish_it_without_managing_the_case(world, team_case):
    from django.utils import timezone

    from meldroute.cases import services

    action = services.add_action(team_case, actor=world.af_a, description="Bellen", deadline=timezone.localdate(),
                                 owner_user=world.zorgcoordinator)
    assert case_access(world.zorgcoordinator, team_case).may_finish(action)
    assert case_access(world.af_a, team_case).may_finish(action)
    assert not case_access(world.af_b, team_case).may_finish(action)
