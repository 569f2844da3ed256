"""Issue 13 in the demo: which AF is which, and 'geen mensenhandel, ander fenomeen' handed on.

- Veenhorst: the beheerder records Sanne Verbeek as AF OOV and Jeroen Hofstede as AF Zorg, Werk en Inkomen (the
  user pages show it; Veenhorst's route has no split, so nothing moves there).
- Regio Weidewaard (fictional) follows the Zoeterwoude route: its AF OOV gets the perpetrator signal, its AF Zorg the
  victim signal, whoever picked them up.
- Dijkmeer hands two signals on: domestic violence as a referral to Veilig Thuis, poor housing passed on to bouw- en
  woningtoezicht outside Meldroute. Veenhorst's region has its own receiver for a care signal (the beheerder's page).
"""

from datetime import timedelta

from django.utils import timezone

from meldroute.accounts import services as account_services
from meldroute.accounts.constants import Role
from meldroute.accounts.models import RoleAssignment, User
from meldroute.intake import services as intake_services
from meldroute.organisations.constants import AfDuty, OrganisationKind
from meldroute.organisations.models import Organisation, Region
from meldroute.partners import services as partner_services
from meldroute.routing import services as routing_services
from meldroute.triage import services as triage_services

from .clock import frozen_now

REGION = ("Regio Weidewaard", "weidewaard", "Gemeente Weidewaard", "GM9931")
# username, first, last, roles, team, duty
USERS = [
    ("af.weidewaard", "Iris", "Vonk", [Role.AF], "oov", AfDuty.OOV),
    ("af2.weidewaard", "Ruben", "Lammers", [Role.AF], "zwi", AfDuty.ZORG),
    ("melder.weidewaard", "Sofie", "Bosman", [Role.MELDER], "toezicht", ""),
    ("beheerder.weidewaard", "Gert", "Willems", [Role.BEHEERDER], "", ""),
]
SIGNALS_MADE = 4  # two in Weidewaard, two handed on in Dijkmeer (the demo's tests count the registered signals)
# For the demo's login list (seed.logins): username, first, last, organisation code, roles, team.
LOGINS = [(username, first, last, REGION[3], roles, team) for username, first, last, roles, team, _duty in USERS]


def seed_af_phenomenon(orgs: dict[str, Organisation], users: dict[str, User], password: str) -> dict[str, User]:
    """Returns the Weidewaard users (for the login list)."""
    _veenhorst_duties(users)
    made = _weidewaard(password)
    _handovers(orgs, users)
    return made


def _veenhorst_duties(users: dict[str, User]) -> None:
    for username, duty in (("af.veenhorst", AfDuty.OOV), ("af2.veenhorst", AfDuty.ZORG)):
        account_services.set_af_duty(users[username], actor=users["beheerder"], duty=duty,
                                     reason="Beleidsplan: twee aandachtsfunctionarissen met elk een eigen taak")


def _weidewaard(password: str) -> dict[str, User]:
    name, slug, muni_name, code = REGION
    region = Region.objects.create(name=name, slug=slug)
    muni = Organisation.objects.create(name=muni_name, kind=OrganisationKind.MUNICIPALITY, region=region, code=code,
                                       email="mensenhandel@weidewaard.example")
    made = {}
    for username, first, last, roles, team, duty in USERS:
        user = User.objects.create_user(username=username, password=password, first_name=first, last_name=last,
                                        email=f"{username}@demo.example", organisation=muni, team=team, af_duty=duty)
        for role in roles:
            RoleAssignment.objects.create(user=user, role=role)
        made[username] = user
    with frozen_now(timezone.now() - timedelta(days=30)):
        routing_services.install_preset(region, "zoeterwoude", actor=made["beheerder.weidewaard"])
    af_oov, af_zorg, melder = made["af.weidewaard"], made["af2.weidewaard"], made["melder.weidewaard"]
    for days, side, picked_up_by, text in (
        (9, "perpetrator", af_zorg, "In de loods aan de Polderweg slapen arbeiders tussen de pallets; een man haalt "
                                    "elke ochtend hun paspoorten op."),
        (4, "victim", af_oov, "Een jonge vrouw aan de balie wist niet waar ze woonde en keek steeds naar de man die "
                              "buiten wachtte."),
    ):
        with frozen_now(timezone.now() - timedelta(days=days)):
            signal = intake_services.register_signal(
                actor=melder, municipality=muni, is_acute=False, indicators=(),
                data={"description": text, "reporter_team": "toezicht", "address": "Polderweg 4, Weidewaard"})
            # Whoever picks it up: the route gives it to the AF whose task it is (triage.services.assign_by_route).
            triage_services.assign_signal(signal, actor=picked_up_by, assignee=picked_up_by)
            triage_services.classify_signal(signal, actor=picked_up_by, assessment="suspected", forms=["labour"],
                                            route_facts={"side": side})
    return made


def _handovers(orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    af, melder, region = users["af.dijkmeer"], users["melder.dijkmeer"], orgs["GM9902"].region
    partner_services.set_phenomenon_receiver(
        region, actor=users["beheerder"], phenomenon="care_need", partner_type="",
        receiver_name="Sociaal wijkteam Veenhorst-Dijkmeer",
        source="Regionale werkafspraak zorgsignalen (fictief voorbeeld): zorgsignalen gaan naar het sociaal wijkteam.")
    with frozen_now(timezone.now() - timedelta(days=6)):
        violence = intake_services.register_signal(
            actor=melder, municipality=orgs["GM9902"], is_acute=False, indicators=(),
            data={"description": "Aan de balie vertelde een moeder dat haar partner haar en de kinderen slaat; geen "
                                 "aanwijzing voor uitbuiting.", "reporter_team": "kcc"})
        housing = intake_services.register_signal(
            actor=melder, municipality=orgs["GM9902"], is_acute=False, indicators=(),
            data={"description": "Twaalf matrassen in een woning van vijftig vierkante meter; de bewoners werken "
                                 "elk bij een andere werkgever en betalen zelf huur.", "reporter_team": "kcc",
                  "address": "Kanaalstraat 31, Dijkmeer"})
    with frozen_now(timezone.now() - timedelta(days=3)):
        for signal in (violence, housing):
            triage_services.classify_signal(signal, actor=af, assessment="none")
        triage_services.hand_over_signal(
            violence, actor=af, phenomenon="domestic_violence", text="Meldcode gevolgd; overgedragen aan Veilig Thuis.",
            receiver_organisation=orgs["VT-VH"], purpose="Overdracht: huiselijk geweld, geen mensenhandel.",
            legal_ground="meldcode", categories=["classification", "description"])
        triage_services.hand_over_signal(
            housing, actor=af, phenomenon="poor_housing", text="Telefonisch besproken; BWT plant een controle.",
            receiver_name="Bouw- en woningtoezicht Dijkmeer", contact="Inspecteur van dienst, team BWT",
            handed_over_on=timezone.localdate())
