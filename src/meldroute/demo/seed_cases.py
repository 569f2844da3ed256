"""The demo region's casussen: a dozen fictional cases in every status, opened from demo signals classified as
suspected or actual trafficking, with their team, plan van aanpak (done, open and overdue actions) and bestuurlijke
interventies — plus two interventions on an address without a case. Built through the services, back-dated."""

import random
from datetime import timedelta

from django.utils import timezone

from meldroute.accounts.models import User
from meldroute.cases import services as case_services
from meldroute.cases.constants import CaseResult, CaseRole, CaseStatus, ComplexityCriterion, InterventionKind
from meldroute.cases.models import Case
from meldroute.intake.constants import SignalStatus
from meldroute.intake.models import Signal
from meldroute.organisations.models import Organisation
from meldroute.triage.constants import Assessment

from .clock import frozen_now

MUNICIPALITY_AFS = {"GM9901": "af.veenhorst", "GM9902": "af.dijkmeer", "GM9903": "af.lindeveld",
                    "GM9904": "af.oosterbroek"}

# (working title without names, final status, complex?, days ago opened)
CASES = [
    ("Nagelsalon Marktstraat", CaseStatus.OPENED, False, 3),
    ("Uitzendbureau Havenweg", CaseStatus.OPENED, True, 6),
    ("Massagesalon Stationsplein", CaseStatus.PLAN, False, 20),
    ("Loods achter de kwekerij", CaseStatus.PLAN, True, 35),
    ("Autowasstraat Industrieweg", CaseStatus.IN_PROGRESS, False, 60),
    ("Logeerwoning Dorpsstraat (overbewoning)", CaseStatus.IN_PROGRESS, True, 90),
    ("Escortadvertenties via telefoonnummer", CaseStatus.IN_PROGRESS, False, 45),
    ("Aspergeteler Polderweg", CaseStatus.SUSPENDED, False, 120),
    ("Jongere en loverboy-signalen", CaseStatus.SUSPENDED, True, 150),
    ("Shishalounge Kerkplein", CaseStatus.CLOSED, False, 300),
    ("Kamerverhuur Molenlaan", CaseStatus.CLOSED, True, 400),
    ("Bezorgdienst Westwijk", CaseStatus.REOPENED, False, 250),
]

ACTIONS = [
    "Bibob-toets starten op de exploitatievergunning",
    "Gesprek met de melder en de wijkagent",
    "Gezamenlijke controle met politie en Arbeidsinspectie plannen",
    "Zorgcoördinator vraagt opvangplek aan via CoMensha",
    "Huisvesting controleren op overbewoning",
    "Informatie opvragen bij het RIEC",
    "Terugkoppeling in het screeningsoverleg",
]

INTERVENTIONS = [
    (InterventionKind.BIBOB, "Ernstig gevaar vastgesteld; aanvraag geweigerd."),
    (InterventionKind.CONTROL_DAY, "Twaalf personen aangetroffen; drie doorverwezen naar zorgcoördinatie."),
    (InterventionKind.OVERBEWONING, "Last onder bestuursdwang opgelegd; bewoning teruggebracht tot vier personen."),
    (InterventionKind.CLOSURE, "Pand voor drie maanden gesloten."),
    (InterventionKind.DWANGSOM, "Dwangsom van € 5.000 per overtreding opgelegd."),
    (InterventionKind.PERMIT_WITHDRAWAL, ""),
]


def _concrete_signals(code: str) -> list[Signal]:
    return list(Signal.objects.filter(municipality__code=code, classification__assessment__in=[
        Assessment.SUSPECTED, Assessment.ACTUAL]).exclude(status=SignalStatus.CANCELLED).order_by("received_at"))


def seed_cases(orgs: dict[str, Organisation], users: dict[str, User], rng: random.Random) -> list[Case]:
    if Case.objects.exists():
        return []
    now = timezone.now()
    pools = {code: _concrete_signals(code) for code in MUNICIPALITY_AFS}
    casus, proces, zorg = users["casusregisseur"], users["procesregisseur"], users["zorgcoordinator"]
    made: list[Case] = []
    for index, (title, status, complex_, days_ago) in enumerate(CASES):
        code = list(MUNICIPALITY_AFS)[index % len(MUNICIPALITY_AFS)]
        af = users[MUNICIPALITY_AFS[code]]
        opened_at = now - timedelta(days=days_ago, hours=rng.randint(1, 8))
        # Signals that were already there when the case opened; one or two of them.
        pool = [s for s in pools[code] if s.received_at < opened_at - timedelta(days=1)]
        if not pool:
            continue
        picked = pool[-rng.randint(1, min(2, len(pool))):]
        for s in picked:
            pools[code].remove(s)
        step = max((now - opened_at) / 8, timedelta(hours=2))

        def at(n, opened_at=opened_at, step=step):
            return opened_at + step * n

        with frozen_now(at(0)):
            case = case_services.open_case(actor=af, signals=picked, title=title,
                                           zvh=orgs["ZVH-VH"] if complex_ else None)
        with frozen_now(at(0.5)):
            case_services.assign_member(case, actor=af, user=casus, role=CaseRole.CASUSREGISSEUR)
            if complex_:
                case_services.mark_complex(case, actor=af, criteria=rng.sample(
                    [ComplexityCriterion.MULTIPLE_DOMAINS, ComplexityCriterion.HIGH_SAFETY_RISK,
                     ComplexityCriterion.MULTIPLE_PARTNERS], k=2))
                case_services.assign_member(case, actor=af, user=proces, role=CaseRole.PROCESREGISSEUR)
            if index % 3 != 2:
                case_services.assign_member(case, actor=casus, user=zorg, role=CaseRole.ZORGCOORDINATOR)
        if status == CaseStatus.OPENED:
            made.append(case)
            continue
        with frozen_now(at(1)):
            case_services.change_case_status(case, actor=casus, to_status=CaseStatus.PLAN)
            actions = []
            texts = rng.sample(ACTIONS, k=4)
            for n, text in enumerate(texts):
                # Deadlines from a few days to a few weeks after the plan was made: older cases' ones have passed.
                deadline = timezone.localdate() + timedelta(days=3 + 6 * n + rng.randint(0, 4))
                police = orgs["POL-VH"] if "politie" in text else None
                person = None if police else (zorg if "Zorgcoördinator" in text and index % 3 != 2 else casus)
                actions.append(case_services.add_action(case, actor=casus, description=text, deadline=deadline,
                                                        owner_user=person, owner_organisation=police))
        if status == CaseStatus.PLAN:
            made.append(case)
            continue
        with frozen_now(at(2)):
            case_services.change_case_status(case, actor=casus, to_status=CaseStatus.IN_PROGRESS)
            case_services.complete_action(actions[0], actor=casus, note="Gedaan.")
            kind, result = INTERVENTIONS[index % len(INTERVENTIONS)]
            case_services.record_intervention(actor=af, case=case, kind=kind,
                                              decided_on=timezone.localdate(), result=result)
        if status in (CaseStatus.CLOSED, CaseStatus.REOPENED):
            with frozen_now(at(4)):
                for action in actions[1:]:
                    if rng.random() < 0.7:
                        case_services.complete_action(action, actor=casus)
                    else:
                        case_services.cancel_action(action, actor=casus, reason="Niet meer nodig na de controle.")
                case_services.change_case_status(
                    case, actor=af, to_status=CaseStatus.CLOSED,
                    result=rng.choice([CaseResult.ADMINISTRATIVE, CaseResult.VICTIM_SAFE, CaseResult.PROSECUTION]),
                    text="Afgesloten in het casusoverleg.")
            if status == CaseStatus.REOPENED:
                with frozen_now(at(6)):
                    case_services.change_case_status(case, actor=af, to_status=CaseStatus.REOPENED,
                                                     text="Nieuw signaal op hetzelfde adres.")
                    case_services.add_action(case, actor=af, description="Nieuw signaal bespreken met de politie",
                                             deadline=timezone.localdate() + timedelta(days=5),
                                             owner_organisation=orgs["POL-VH"])
        elif status == CaseStatus.SUSPENDED:
            with frozen_now(at(3)):
                case_services.change_case_status(case, actor=casus, to_status=CaseStatus.SUSPENDED,
                                                 text="Wacht op de uitkomst van het opsporingsonderzoek.")
        made.append(case)
    _address_interventions(orgs, users, now)
    return made


def _address_interventions(orgs, users, now) -> None:
    """Barriers raised on an address or business that never became a case (seed 002 §5.5)."""
    with frozen_now(now - timedelta(days=40)):
        case_services.record_intervention(
            actor=users["af.veenhorst"], municipality=orgs["GM9901"], kind=InterventionKind.CONTROL_DAY,
            decided_on=timezone.localdate(), address="Kanaalweg 14, Veenhorst",
            result="Integrale controle met BOA, politie, brandweer en omgevingsdienst; geen misstanden.")
    with frozen_now(now - timedelta(days=12)):
        case_services.record_intervention(
            actor=users["af.dijkmeer"], municipality=orgs["GM9902"], kind=InterventionKind.BIBOB,
            decided_on=timezone.localdate(), business_name="Kapsalon De Schaar", kvk_number="99123456")
