"""The beheerder's user pages in the access matrix: every non-beheerder role and a beheerder of another region gets
404 on every page and writes nothing; the beheerder's own account is refused; each 200 reads no personal data of
signals or persons (no access-log entry, because none is read); the stock admin is closed to the beheerder."""

import pytest
from django.urls import reverse

from meldroute.accounts import services
from meldroute.accounts.constants import Role
from meldroute.accounts.models import ApiToken, RoleAssignment, RoleProposal, User
from meldroute.audit.models import AccessLogEntry, AuditEvent
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db]

NON_BEHEERDERS = ["melder_a", "melder_a2", "af_a", "af_a2", "melder_b", "af_b", "af_c", "partner", "partner2",
                  "zorgcoordinator", "procesregisseur", "casusregisseur", "ketenregisseur", "burgemeester"]


@pytest.fixture
def setting(world):
    world.beheerder2 = UserFactory(username="beheerder2", organisation=world.b, roles=[Role.BEHEERDER])
    world.beheerder_c = UserFactory(username="beheerder_c", organisation=world.c, roles=[Role.BEHEERDER])
    proposal = services.propose_role(world.melder_a, actor=world.beheerder, role=Role.AF, reason="achtervang")
    token, _secret = services.create_api_token(world.police, actor=world.beheerder, name="BVH", valid_days=30,
                                               reason="koppeling")
    return world, proposal, token


def _pages(world, proposal, token):
    """(method, url, data) for every beheer page, aimed at melder_a, the AF proposal and the police token."""
    subject = world.melder_a.uuid
    reason = {"reason": "test"}
    return [
        ("get", reverse("accounts:users"), None),
        ("get", reverse("accounts:user_create"), None),
        ("post", reverse("accounts:user_create"), {"username": "x", "first_name": "X", "last_name": "Y",
                                                   "email": "x@test.example", "organisation": world.a.pk,
                                                   "reason": "r"}),
        ("get", reverse("accounts:user", args=[subject]), None),
        ("post", reverse("accounts:propose_role", args=[subject]), {"role": Role.ZORGCOORDINATOR, **reason}),
        ("post", reverse("accounts:revoke_role", args=[subject]), {"role": Role.MELDER, **reason}),
        ("post", reverse("accounts:deactivate", args=[subject]), reason),
        ("post", reverse("accounts:reset_two_factor", args=[subject]), reason),
        ("post", reverse("accounts:decide_proposal", args=[proposal.uuid, "goedkeuren"]), {}),
        ("post", reverse("accounts:decide_proposal", args=[proposal.uuid, "afwijzen"]), reason),
        ("get", reverse("accounts:tokens"), None),
        ("post", reverse("accounts:tokens"), {"organisation": world.police.pk, "name": "x", "valid_days": 30,
                                              **reason}),
        ("post", reverse("accounts:revoke_token", args=[token.uuid]), reason),
    ]


def _state():
    return (User.objects.count(), RoleAssignment.objects.count(), RoleProposal.objects.count(),
            list(RoleProposal.objects.values_list("status", flat=True)), ApiToken.objects.count(),
            list(ApiToken.objects.values_list("revoked_at", flat=True)),
            list(User.objects.values_list("is_active", flat=True)), AuditEvent.objects.count(),
            AccessLogEntry.objects.count())


def _request(client, method, url, data):
    return getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)


@pytest.mark.parametrize("who", NON_BEHEERDERS)
def test_every_beheer_page_is_404_for_every_other_role_and_writes_nothing(client, setting, who):
    world, proposal, token = setting
    client.force_login(getattr(world, who))
    before = _state()
    for method, url, data in _pages(world, proposal, token):
        assert _request(client, method, url, data).status_code == 404, (who, method, url)
    assert _state() == before


def test_beheerder_of_another_region_gets_404_on_every_user_proposal_and_token_and_writes_nothing(client, setting):
    world, proposal, token = setting
    client.force_login(world.beheerder_c)
    before = _state()
    for method, url, data in _pages(world, proposal, token):
        response = _request(client, method, url, data)
        if url in (reverse("accounts:users"), reverse("accounts:user_create"), reverse("accounts:tokens")):
            # Its own region's pages; region 1's organisation is no choice there (form error, nothing written).
            assert response.status_code == 200, (method, url)
        else:
            assert response.status_code == 404, (method, url)
    assert _state() == before


@pytest.mark.parametrize("who", ["beheerder", "beheerder2"])
def test_beheer_pages_open_for_the_regions_beheerders_without_reading_personal_data(client, setting, who):
    world, proposal, token = setting
    client.force_login(getattr(world, who))
    logged = AccessLogEntry.objects.count()
    for url in (reverse("accounts:users"), reverse("accounts:user_create"), reverse("accounts:tokens"),
                reverse("accounts:user", args=[world.melder_a.uuid])):
        assert client.get(url).status_code == 200, url
    assert AccessLogEntry.objects.count() == logged


def test_beheerder_of_another_region_does_not_see_the_users(client, setting):
    world, _proposal, _token = setting
    client.force_login(world.beheerder_c)
    page = client.get(reverse("accounts:users")).content.decode()
    assert "melder_a" not in page and "af_a" not in page


def test_own_account_page_shows_a_refusal_and_no_forms(client, setting):
    world, _proposal, _token = setting
    client.force_login(world.beheerder)
    page = client.get(reverse("accounts:user", args=[world.beheerder.uuid])).content.decode()
    assert 'data-testid="self-refusal"' in page and "rol-voorstellen" not in page


@pytest.mark.parametrize("action, data", [
    ("propose_role", {"role": Role.AF, "reason": "ik"}),
    ("propose_role", {"role": Role.BEHEERDER, "reason": "ik"}),
    ("revoke_role", {"role": Role.BEHEERDER, "reason": "ik"}),
    ("deactivate", {"reason": "ik"}),
    ("reset_two_factor", {"reason": "ik"}),
])
def test_beheerder_posting_on_its_own_account_is_refused_and_writes_nothing(client, setting, action, data):
    world, _proposal, _token = setting
    client.force_login(world.beheerder)
    before = _state()
    response = client.post(reverse(f"accounts:{action}", args=[world.beheerder.uuid]), data, follow=True)
    assert response.status_code == 200
    assert "andere beheerder" in response.content.decode()
    assert _state() == before


def test_proposer_approving_through_the_page_is_refused(client, setting):
    world, proposal, _token = setting
    client.force_login(world.beheerder)
    before = _state()
    client.post(reverse("accounts:decide_proposal", args=[proposal.uuid, "goedkeuren"]), {})
    assert _state() == before and not User.objects.get(pk=world.melder_a.pk).has_role(Role.AF)


def test_second_beheerder_approves_through_the_page(client, setting):
    world, proposal, _token = setting
    client.force_login(world.beheerder2)
    response = client.post(reverse("accounts:decide_proposal", args=[proposal.uuid, "goedkeuren"]), {})
    assert response.status_code == 302
    assert User.objects.get(pk=world.melder_a.pk).has_role(Role.AF)
    assert AuditEvent.objects.filter(action="user.role_approved", actor=world.beheerder2).count() == 1


def test_token_page_shows_the_secret_once_and_stores_only_its_hash(client, setting):
    world, _proposal, _token = setting
    client.force_login(world.beheerder)
    response = client.post(reverse("accounts:tokens"), {"organisation": world.riec.pk, "name": "RIEC-systeem",
                                                        "valid_days": 30, "reason": "koppeling"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    secret = response.context["created"]["secret"]
    assert secret in response.content.decode()
    assert secret not in client.get(reverse("accounts:tokens")).content.decode()
    assert not ApiToken.objects.filter(key_hash=secret).exists()


@pytest.mark.parametrize("who", ["beheerder", "af_a", "melder_a"])
def test_stock_admin_is_closed_to_everyone_but_superusers(client, world, who):
    user = getattr(world, who)
    client.force_login(user)
    for url in ("/beheer/", "/beheer/accounts/user/", f"/beheer/accounts/user/{user.pk}/change/"):
        response = client.get(url)
        assert response.status_code in (302, 404), url
        if response.status_code == 302:
            assert "/beheer/login/" in response["Location"]
    before = _state()
    client.post(f"/beheer/accounts/user/{user.pk}/change/", {"username": user.username, "is_superuser": "on",
                                                             "is_staff": "on", "is_active": "on"})
    user.refresh_from_db()
    assert not user.is_superuser and _state() == before


def test_superuser_cannot_set_superuser_or_staff_in_the_admin(client, world):
    root = UserFactory(username="root", organisation=None, is_superuser=True, is_staff=True)
    client.force_login(root)
    url = f"/beheer/accounts/user/{world.beheerder.pk}/change/"
    assert client.get(url).status_code == 200
    form = client.get(url).context["adminform"].form
    assert "is_superuser" not in form.fields and "is_staff" not in form.fields
    assert "user_permissions" not in form.fields and "groups" not in form.fields


def test_beheer_pages_have_unique_element_ids_so_each_label_finds_its_field(client, setting):
    import re
    from collections import Counter

    world, _proposal, _token = setting
    services.propose_role(world.melder_a2, actor=world.beheerder2, role=Role.AF, reason="tweede voorstel")
    client.force_login(world.beheerder)
    for url in (reverse("accounts:users"), reverse("accounts:tokens"),
                reverse("accounts:user", args=[world.af_a.uuid])):
        ids = Counter(re.findall(r'\bid="([^"]+)"', client.get(url).content.decode()))
        assert not [name for name, count in ids.items() if count > 1], url


def test_revoke_offers_only_the_roles_held_and_propose_only_the_roles_lacking(client, setting):
    world, _proposal, _token = setting
    client.force_login(world.beheerder)
    context = client.get(reverse("accounts:user", args=[world.af_a.uuid])).context
    assert [value for value, _label in context["revoke_form"].fields["role"].choices] == [Role.AF]
    assert Role.AF not in [value for value, _label in context["propose_form"].fields["role"].choices]
