"""The FG role sees personal data, so granting it takes two beheerders (docs/privacy/power.md)."""

import pytest
from tests.factories import UserFactory

from meldroute.accounts import services as account_services
from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.core.exceptions import DomainError

pytestmark = [pytest.mark.django_db]


def test_granting_the_fg_role_needs_a_second_beheerder(world):
    second = UserFactory(username="beheerder2", organisation=world.b, roles=[Role.BEHEERDER], is_staff=True)
    employee = UserFactory(username="privacy_officer", organisation=world.a, roles=[])
    proposal = account_services.propose_role(employee, actor=world.beheerder, role=Role.FG,
                                             reason="Aangewezen als FG door het college")
    assert proposal is not None and not employee.has_role(Role.FG)
    with pytest.raises(DomainError):
        account_services.approve_role(proposal, actor=world.beheerder)
    account_services.approve_role(proposal, actor=second)
    assert User.objects.get(pk=employee.pk).has_role(Role.FG)  # a fresh copy: roles are cached per instance
