"""accounts.permissions: role checks answer 404, never 403, and the beheerder manages only their own region."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from tests.factories import UserFactory

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.accounts.permissions import in_role, managed_region, role_required

pytestmark = [pytest.mark.django_db]


@role_required(Role.AF, organisation=True)
def af_page(request):
    return HttpResponse("ok")


@role_required(Role.AF, municipality=True)
def municipal_af_page(request):
    return HttpResponse("ok")


def _get(view, user):
    request = RequestFactory().get("/")
    request.user = user
    return view(request)


def test_role_required_lets_the_role_through(world):
    assert _get(af_page, world.af_a).status_code == 200


@pytest.mark.parametrize("name", ["melder_a", "partner", "zorgcoordinator", "beheerder", "burgemeester"])
def test_role_required_answers_404_not_403_to_other_roles(world, name):
    with pytest.raises(Http404):
        _get(af_page, getattr(world, name))


def test_role_required_answers_404_to_a_visitor_who_is_not_signed_in():
    with pytest.raises(Http404):
        _get(af_page, AnonymousUser())


def test_the_organisation_and_municipality_conditions(world):
    af_without_organisation = UserFactory(username="af_zonder", organisation=None, roles=[Role.AF])
    af_of_a_zvh = UserFactory(username="af_zvh", organisation=world.zvh, roles=[Role.AF])
    assert in_role(af_without_organisation, Role.AF) and not in_role(af_without_organisation, Role.AF,
                                                                         organisation=True)
    assert in_role(af_of_a_zvh, Role.AF, organisation=True) and not in_role(af_of_a_zvh, Role.AF, municipality=True)
    with pytest.raises(Http404):
        _get(municipal_af_page, af_of_a_zvh)
    assert _get(municipal_af_page, world.af_a).status_code == 200


def test_inactive_users_hold_no_role(world):
    User.objects.filter(pk=world.af_a.pk).update(is_active=False)
    assert not in_role(User.objects.get(pk=world.af_a.pk), Role.AF)


def test_the_beheerder_manages_their_own_region_and_nobody_else_any(world):
    assert managed_region(world.beheerder) == world.region
    for user in (world.af_a, world.partner, AnonymousUser()):
        with pytest.raises(Http404):
            managed_region(user)
