"""What the start pages need that the rest of the demo does not make (meldroute.homes, issue 14): a new colleague
whose role waits for the beheerder's approval — proposed by the second beheerder, as the two-person rule asks — and
an acute signal of this morning the AF referred to the police at once, so the partner's home shows acute first."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from meldroute.accounts import services as account_services
from meldroute.accounts.constants import Role
from meldroute.intake import services as intake_services
from meldroute.referrals import services as referral_services

from . import texts
from .clock import frozen_now

SIGNALS_MADE = 1  # the acute one of this morning (the demo's tests count the registered signals)


def seed_homes(orgs: dict[str, Any], users: dict[str, Any]) -> None:
    proposer = users["beheerder2"]
    newcomer = account_services.create_user(
        actor=proposer, username="af3.dijkmeer", first_name="Mirjam", last_name="Oudshoorn",
        email="af3.dijkmeer@demo.example", organisation=orgs["GM9902"], team="oov",
        reason="Nieuwe aandachtsfunctionaris per 1 juli (demo)")
    account_services.propose_role(newcomer, actor=proposer, role=Role.AF,
                                  reason="Vervangt de AF met verlof (demo)")
    _acute_referral(orgs, users)


def _acute_referral(orgs: dict[str, Any], users: dict[str, Any]) -> None:
    form, team, description, persons = texts.SCENARIOS[0]
    received = timezone.now() - timedelta(hours=3)
    with frozen_now(received):
        signal = intake_services.register_signal(
            actor=users["melder2.veenhorst"], municipality=orgs["GM9901"], is_acute=True,
            data={"description": description, "persons_description": persons, "reporter_team": team,
                  "address": f"{texts.STREETS[2]} 12, Veenhorst", "observed_on": received.date()})
        intake_services.send_acute_alert(signal.pk)  # demo alerts belong to the past: not mailed again
    with frozen_now(received + timedelta(minutes=40)):
        referral_services.create_referral(
            signal, actor=users["af.veenhorst"], receiver_organisation=orgs["POL-VH"],
            purpose=texts.REFERRAL_PURPOSES[0], legal_ground="zvh_covenant", categories=["description", "location"])
