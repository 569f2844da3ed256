"""Attacks by a beheerder on its own power: it cannot grant itself a role, superuser, staff, a 2FA reset or a token;
a role that sees personal data takes a second beheerder; every change of power is an event in the audit chain; and
a change made outside the services (admin, shell) is in the chain too."""

import pytest
from django.contrib.auth.models import Permission
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldroute.accounts import services
from meldroute.accounts.constants import ProposalStatus, Role
from meldroute.accounts.models import ApiToken, RoleAssignment, RoleProposal, User
from meldroute.audit.models import AuditEvent
from meldroute.audit.services import verify_chain
from meldroute.core.exceptions import DomainError
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def beheerder2(world):
    return UserFactory(username="beheerder2", organisation=world.b, roles=[Role.BEHEERDER])


def _snapshot():
    return (RoleAssignment.objects.count(), RoleProposal.objects.count(), AuditEvent.objects.count(),
            ApiToken.objects.count(), TOTPDevice.objects.count(),
            list(User.objects.order_by("pk").values_list("is_superuser", "is_staff", "is_active")))


# --- a beheerder on itself ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.AF, Role.MELDER, Role.BEHEERDER, Role.PARTNER])
def test_beheerder_cannot_propose_a_role_for_itself(world, role):
    before = _snapshot()
    with pytest.raises(DomainError) as refusal:
        services.propose_role(world.beheerder, actor=world.beheerder, role=role, reason="ik wil meer zien")
    assert refusal.value.code == "forbidden"
    assert _snapshot() == before


@pytest.mark.parametrize("attack", ["revoke", "deactivate", "reset_2fa"])
def test_beheerder_cannot_act_on_its_own_account(world, attack):
    TOTPDevice.objects.create(user=world.beheerder, name="app", confirmed=True)
    before = _snapshot()
    call = {"revoke": lambda: services.revoke_role(world.beheerder, actor=world.beheerder, role=Role.BEHEERDER,
                                                   reason="r"),
            "deactivate": lambda: services.deactivate_user(world.beheerder, actor=world.beheerder, reason="r"),
            "reset_2fa": lambda: services.reset_two_factor(world.beheerder, actor=world.beheerder, reason="r")}
    with pytest.raises(DomainError):
        call[attack]()
    assert _snapshot() == before


def test_no_service_sets_superuser_or_staff():
    import inspect

    source = inspect.getsource(services)
    assert "is_superuser =" not in source and "is_staff =" not in source


# --- two people for a role that sees personal data -----------------------------------------------------------------

def test_proposer_cannot_approve_its_own_proposal(world):
    proposal = services.propose_role(world.melder_a, actor=world.beheerder, role=Role.AF, reason="achtervang nodig")
    before = _snapshot()
    with pytest.raises(DomainError) as refusal:
        services.approve_role(proposal, actor=world.beheerder)
    assert refusal.value.code == "forbidden"
    assert _snapshot() == before
    assert not world.melder_a.role_assignments.filter(role=Role.AF).exists()


def test_user_concerned_cannot_approve_its_own_role(world, beheerder2):
    """Two beheerders: the one proposed for AF cannot approve it for itself."""
    proposal = services.propose_role(beheerder2, actor=world.beheerder, role=Role.AF, reason="dubbele rol")
    before = _snapshot()
    with pytest.raises(DomainError):
        services.approve_role(proposal, actor=beheerder2)
    assert _snapshot() == before


def test_second_beheerder_approves_and_both_steps_are_in_the_chain(world, beheerder2):
    proposal = services.propose_role(world.melder_a, actor=world.beheerder, role=Role.AF, reason="achtervang nodig")
    assert not User.objects.get(pk=world.melder_a.pk).has_role(Role.AF)
    services.approve_role(proposal, actor=beheerder2, reason="akkoord")
    assert User.objects.get(pk=world.melder_a.pk).has_role(Role.AF)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED and proposal.decided_by == beheerder2
    proposed = AuditEvent.objects.get(action="user.role_proposed", target_uuid=world.melder_a.uuid)
    approved = AuditEvent.objects.get(action="user.role_approved", target_uuid=world.melder_a.uuid)
    assert proposed.actor == world.beheerder and approved.actor == beheerder2
    assert proposed.details["role"] == approved.details["role"] == Role.AF
    assert approved.details["proposed_by"] == "beheerder" and proposed.details["reason"] == "achtervang nodig"
    assert proposed.pk < approved.pk
    assert verify_chain(AuditEvent)[1] == []


def test_beheerder_role_also_takes_two_people(world):
    """Otherwise one beheerder makes a second account beheerder and approves its own proposals through it."""
    puppet = services.create_user(actor=world.beheerder, username="nieuw", first_name="N", last_name="W",
                                  email="nieuw@test.example", organisation=world.a, reason="nieuwe collega")
    proposal = services.propose_role(puppet, actor=world.beheerder, role=Role.BEHEERDER, reason="tweede beheerder")
    assert proposal is not None and not User.objects.get(pk=puppet.pk).has_role(Role.BEHEERDER)


def test_melder_role_is_granted_by_one_beheerder(world):
    user = services.create_user(actor=world.beheerder, username="nieuw", first_name="N", last_name="W",
                                email="nieuw@test.example", organisation=world.a, reason="nieuwe collega")
    assert services.propose_role(user, actor=world.beheerder, role=Role.MELDER, reason="balie") is None
    assert User.objects.get(pk=user.pk).has_role(Role.MELDER)
    assert not user.has_usable_password()
    assert AuditEvent.objects.filter(target_uuid=user.uuid, action__in=["user.created", "user.role_granted"]
                                     ).count() == 2


def test_beheerder_of_another_region_cannot_touch_users(world):
    other = UserFactory(username="beheerder_c", organisation=world.c, roles=[Role.BEHEERDER])
    before = _snapshot()
    with pytest.raises(DomainError) as refusal:
        services.propose_role(world.melder_a, actor=other, role=Role.MELDER, reason="r")
    assert refusal.value.code == "not_found"
    with pytest.raises(DomainError):
        services.deactivate_user(world.melder_a, actor=other, reason="r")
    assert _snapshot() == before


@pytest.mark.parametrize("who", ["af_a", "melder_a", "partner", "ketenregisseur", "burgemeester"])
def test_non_beheerders_cannot_propose_or_approve(world, who, beheerder2):
    proposal = services.propose_role(world.melder_a2, actor=world.beheerder, role=Role.AF, reason="r")
    before = _snapshot()
    actor = getattr(world, who)
    with pytest.raises(DomainError):
        services.propose_role(world.melder_a, actor=actor, role=Role.MELDER, reason="r")
    with pytest.raises(DomainError):
        services.approve_role(proposal, actor=actor)
    assert _snapshot() == before


def test_revoke_deactivate_and_reset_are_audited_with_reason(world, beheerder2):
    TOTPDevice.objects.create(user=world.af_a, name="app", confirmed=True)
    services.revoke_role(world.af_a, actor=world.beheerder, role=Role.AF, reason="andere functie")
    services.reset_two_factor(world.af_a, actor=world.beheerder, reason="telefoon kwijt")
    services.deactivate_user(world.af_a, actor=beheerder2, reason="uit dienst")
    user = User.objects.get(pk=world.af_a.pk)
    assert not user.is_active and not user.has_role(Role.AF)
    assert not TOTPDevice.objects.filter(user=user).exists()
    actions = dict(AuditEvent.objects.filter(target_uuid=user.uuid, action__startswith="user.")
                   .values_list("action", "details__reason"))
    assert actions["user.role_revoked"] == "andere functie"
    assert actions["user.two_factor_reset"] == "telefoon kwijt"
    assert actions["user.deactivated"] == "uit dienst"


# --- the safety net: paths outside the services -----------------------------------------------------------------

def test_superuser_flag_set_in_a_shell_is_in_the_chain(world):
    user = User.objects.get(pk=world.beheerder.pk)
    user.is_superuser = True
    user.save()
    event = AuditEvent.objects.get(action="user.changed_outside_service", target_uuid=user.uuid)
    assert event.fields == ["is_superuser"] and event.details["is_superuser"] is True


def test_role_given_in_a_shell_is_in_the_chain(world):
    RoleAssignment.objects.create(user=world.beheerder, role=Role.AF)
    RoleAssignment.objects.filter(user=world.beheerder, role=Role.AF).delete()
    actions = list(AuditEvent.objects.filter(target_uuid=world.beheerder.uuid).values_list("action", flat=True))
    assert actions == ["user.role_granted_outside_service", "user.role_revoked_outside_service"]


def test_permissions_and_devices_changed_in_a_shell_are_in_the_chain(world):
    world.beheerder.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts")[:2])
    TOTPDevice.objects.create(user=world.af_a, name="app", confirmed=True)
    assert AuditEvent.objects.filter(action="user.permissions_changed_outside_service").exists()
    assert AuditEvent.objects.filter(action="user.two_factor_changed_outside_service",
                                     target_uuid=world.af_a.uuid).exists()


def test_createsuperuser_is_in_the_chain(db):
    from django.core.management import call_command

    call_command("createsuperuser", username="root", email="root@test.example", interactive=False, verbosity=0)
    event = AuditEvent.objects.get(action="user.created_outside_service")
    assert event.details["is_superuser"] is True and event.actor is None


def test_new_user_sets_its_own_password_through_a_one_time_link(world, client, mailoutbox,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.create_user(actor=world.beheerder, username="nieuw", first_name="N", last_name="W",
                                    email="nieuw@test.example", organisation=world.a, reason="nieuwe collega")
    assert [m.to for m in mailoutbox] == [["nieuw@test.example"]]
    link = next(line for line in mailoutbox[0].body.splitlines() if "/wachtwoord-instellen/" in line)
    path = link.split("127.0.0.1:8000", 1)[-1] if "127.0.0.1:8000" in link else link[link.index("/wachtwoord"):]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": "Een-lang-wachtwoord-2026",
                                                         "new_password2": "Een-lang-wachtwoord-2026"})
    assert done.status_code == 302
    assert User.objects.get(pk=user.pk).check_password("Een-lang-wachtwoord-2026")
    assert not client.get(path, follow=True).context["validlink"]  # one time only


def test_password_set_for_someone_else_in_the_admin_is_in_the_chain_naming_the_superuser(world, client):
    root = UserFactory(username="root", organisation=None, is_superuser=True, is_staff=True)
    client.force_login(root)
    response = client.post(f"/beheer/accounts/user/{world.af_a.pk}/password/",
                           {"password1": "Overgenomen-account-2026", "password2": "Overgenomen-account-2026",
                            "usable_password": "true"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.changed_outside_service", target_uuid=world.af_a.uuid)
    assert event.actor == root and event.fields == ["password"]
    assert "Overgenomen" not in str(event.details) and "pbkdf2" not in str(event.details)


def test_a_2fa_device_deleted_in_the_admin_is_in_the_chain_naming_the_superuser(world, client):
    root = UserFactory(username="root", organisation=None, is_superuser=True, is_staff=True)
    device = TOTPDevice.objects.create(user=world.af_a, name="app", confirmed=True)
    client.force_login(root)
    response = client.post(f"/beheer/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not TOTPDevice.objects.filter(pk=device.pk).exists()
    event = AuditEvent.objects.filter(action="user.two_factor_changed_outside_service",
                                      target_uuid=world.af_a.uuid).latest("pk")
    assert event.actor == root and event.details["change"] == "deleted"
