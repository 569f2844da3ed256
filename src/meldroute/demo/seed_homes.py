"""What the start pages need that the rest of the demo does not make (meldroute.homes, issue 14): a new colleague
whose role waits for the beheerder's approval — proposed by the second beheerder, as the two-person rule asks."""

from typing import Any

from meldroute.accounts import services as account_services
from meldroute.accounts.constants import Role


def seed_homes(orgs: dict[str, Any], users: dict[str, Any]) -> None:
    proposer = users["beheerder2"]
    newcomer = account_services.create_user(
        actor=proposer, username="af3.dijkmeer", first_name="Mirjam", last_name="Oudshoorn",
        email="af3.dijkmeer@demo.example", organisation=orgs["GM9902"], team="oov",
        reason="Nieuwe aandachtsfunctionaris per 1 juli (demo)")
    account_services.propose_role(newcomer, actor=proposer, role=Role.AF,
                                  reason="Vervangt de AF met verlof (demo)")
