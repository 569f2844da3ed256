"""Which AF is which (seed 002 §5.2.1): the beheerder records the AF OOV and the AF Zorg, Werk en Inkomen, audited;
one active holder per duty per municipality; the achtervang while the holder is absent."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.factories import UserFactory, actions_since, audit_mark

from meldroute.accounts import services
from meldroute.accounts.constants import Role
from meldroute.accounts.selectors import af_for_duty
from meldroute.audit.models import AuditEvent
from meldroute.core.exceptions import DomainError
from meldroute.organisations.constants import AfDuty

pytestmark = [pytest.mark.django_db]


def test_beheerder_records_the_af_oov_with_one_audit_event(world):
    mark = audit_mark()
    services.set_af_duty(world.af_a, actor=world.beheerder, duty=AfDuty.OOV, reason="Beleidsplan §5.2.1")
    world.af_a.refresh_from_db()
    assert world.af_a.af_duty == AfDuty.OOV
    assert actions_since(mark) == ["user.af_duty_set"]
    event = AuditEvent.objects.get(action="user.af_duty_set")
    assert event.fields == ["af_duty"] and event.details["to"] == AfDuty.OOV


def test_giving_a_duty_to_another_af_takes_it_from_the_holder(world):
    services.set_af_duty(world.af_a, actor=world.beheerder, duty=AfDuty.OOV, reason="start")
    mark = audit_mark()
    services.set_af_duty(world.af_a2, actor=world.beheerder, duty=AfDuty.OOV, reason="wissel")
    world.af_a.refresh_from_db()
    world.af_a2.refresh_from_db()
    assert (world.af_a.af_duty, world.af_a2.af_duty) == ("", AfDuty.OOV)
    assert actions_since(mark) == ["user.af_duty_set", "user.af_duty_set"]


@pytest.mark.parametrize("who", ["melder_a", "af_b_other_region"])
def test_a_duty_only_for_an_af_of_a_municipality_in_the_region(world, who):
    if who == "melder_a":
        with pytest.raises(DomainError) as error:
            services.set_af_duty(world.melder_a, actor=world.beheerder, duty=AfDuty.OOV, reason="x")
        assert error.value.field == "duty"
    else:
        with pytest.raises(DomainError) as error:
            services.set_af_duty(world.af_c, actor=world.beheerder, duty=AfDuty.OOV, reason="x")
        assert error.value.code == "not_found"
    assert not AuditEvent.objects.filter(action="user.af_duty_set").exists()


def test_duty_needs_a_reason_and_a_known_value(world):
    with pytest.raises(DomainError) as error:
        services.set_af_duty(world.af_a, actor=world.beheerder, duty=AfDuty.OOV, reason=" ")
    assert error.value.field == "reason"
    with pytest.raises(DomainError) as error:
        services.set_af_duty(world.af_a, actor=world.beheerder, duty="burgemeester", reason="x")
    assert error.value.field == "duty"


def test_revoking_the_af_role_clears_the_duty(world):
    services.set_af_duty(world.af_a, actor=world.beheerder, duty=AfDuty.ZORG, reason="start")
    services.revoke_role(world.af_a, actor=world.beheerder, role=Role.AF, reason="vertrokken")
    world.af_a.refresh_from_db()
    assert world.af_a.af_duty == ""
    assert sorted(AuditEvent.objects.filter(action="user.role_revoked").last().fields) == ["af_duty", "roles"]


@pytest.mark.clock
def test_each_is_the_others_achtervang(world):
    services.set_af_duty(world.af_a, actor=world.beheerder, duty=AfDuty.OOV, reason="x")
    services.set_af_duty(world.af_a2, actor=world.beheerder, duty=AfDuty.ZORG, reason="x")
    UserFactory(username="af_a3", organisation=world.a, roles=[Role.AF])  # a third AF without a duty
    assert af_for_duty(world.a.pk, AfDuty.OOV) == world.af_a
    assert af_for_duty(world.a.pk, AfDuty.ZORG) == world.af_a2
    world.af_a.absent_until = timezone.localdate() + timedelta(days=10)
    world.af_a.save(update_fields=["absent_until"])
    assert af_for_duty(world.a.pk, AfDuty.OOV) == world.af_a2  # the AF Zorg before the AF without a duty
    assert af_for_duty(world.a.pk, AfDuty.ZORG) == world.af_a2
    assert af_for_duty(world.b.pk, AfDuty.OOV) is None  # nobody recorded: no duty routing


def test_duty_form_on_the_user_page_keeps_input_and_says_why(client, world):
    client.force_login(world.beheerder)
    page = client.get(reverse("accounts:user", args=[world.af_a.uuid]))
    assert "Taak als aandachtsfunctionaris" in page.content.decode()
    response = client.post(reverse("accounts:set_af_duty", args=[world.af_a.uuid]), {"duty": AfDuty.ZORG,
                                                                                     "reason": ""}, follow=True)
    assert "Geef een reden op." in response.content.decode()
    response = client.post(reverse("accounts:set_af_duty", args=[world.af_a.uuid]),
                           {"duty": AfDuty.ZORG, "reason": "Slachtoffersignalen"}, follow=True)
    assert response.status_code == 200
    world.af_a.refresh_from_db()
    assert world.af_a.af_duty == AfDuty.ZORG
    assert "AF Zorg, Werk en Inkomen" in response.content.decode()
