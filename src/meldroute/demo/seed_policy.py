"""The demo's policy follow-up (issue 15): the region's evaluation cadence and goals, basisniveau recordings, a plan's
actiepunten imported as a user pastes them, trainings and awareness activities — all fictional. Oosterbroek misses
"actieve signalering" (no trainings yet) and Lindeveld trains only part of its teams, so the overview has something
to show."""

from datetime import timedelta

from django.utils import timezone

from meldroute.accounts.models import User
from meldroute.organisations.models import Organisation
from meldroute.policy import importer
from meldroute.policy import services as policy
from meldroute.policy.constants import FRONT_LINE_TEAMS, ActionStatus, ActivityKind, Part
from meldroute.policy.models import ActionPoint, EvaluationCadence

PLAN = "Aanpak mensenhandel Regio Veenhorst 2026-2027 (fictief)"
THEMES = ("Bewustwording en signalering", "Samenwerking met ketenpartners", "Monitoren, evalueren en financiering")
# (theme, number, action, who, when, means) — pasted below as the plan's tables are: a heading line per theme
ROWS = [
    (0, "1", "Iedere gemeente heeft een aandachtsfunctionaris mensenhandel volgens de functieomschrijving",
     "Team veiligheid gemeente", "Uiterlijk 01-03-2026", "Capaciteit gemeenten"),
    (0, "2", "Trainingen aanbieden aan de frontlinieteams (balie, KCC, toezicht, leerplicht, wijkteam)",
     "Aandachtsfunctionaris mensenhandel", "Doorlopend, maar minimaal 2x per jaar", "Capaciteit gemeenten"),
    (0, "3", "Ervaringsdeskundigen inzetten bij trainingen", "Zorgcoördinator mensenhandel", "Doorlopend",
     "Financiering gemeenten"),
    (0, "4", "Omgevingsscan van kwetsbare sectoren opstellen", "Regionale werkgroep i.s.m. ketenregisseur RIEC",
     "2e helft 2026", "Capaciteit RIEC"),
    (1, "1", "Doorontwikkeling screeningsoverleg", "ZVH", "doorlopend", "Capaciteit ZVH"),
    (1, "2", "Afspraken informatie-uitwisseling rond de zorgcoördinator", "Ketenregisseur", "01-04-2026",
     "Capaciteit RIEC"),
    (2, "1", "Registratie op orde ten behoeve van het dashboard", "Aandachtsfunctionaris, zorgcoördinator, "
     "ketenregisseur", "Uiterlijk 01-05-2026", "Capaciteit iedere organisatie"),
    (2, "2", "Jaarlijkse evaluatie van de aanpak", "Gemeenten en ketenregisseur", "Jaarlijks",
     "Werkgroep mensenhandel"),
    (2, "3", "Intervisie aandachtsfunctionarissen", "Ketenregisseur", "3 x per jaar", "Capaciteit gemeenten"),
]


def _pasted() -> str:
    lines = []
    for index, theme in enumerate(THEMES):
        lines.append(f"Actiepunten {theme}\t\t\t\t")
        lines += ["\t".join(row[1:]) for row in ROWS if row[0] == index]
    return "\n".join(lines)


def seed_policy(orgs: dict[str, Organisation], users: dict[str, User]) -> int:
    """Returns the number of actiepunten; nothing when the demo already has them."""
    veenhorst = orgs["GM9901"]
    region = veenhorst.region
    if EvaluationCadence.objects.filter(region=region).exists():
        return 0
    keten = users["ketenregisseur"]
    today = timezone.localdate()
    policy.set_cadence(actor=keten, region=region, every_months=12, last_evaluated_on=today - timedelta(days=240),
                       source="Beleidsplan Regio Veenhorst (fictief), §7.2: jaarlijkse evaluatie")
    goals = [policy.add_region_goal(actor=keten, region=region, title=title, source="Beleidsplan (fictief), §2.2")
             for title in ("De gemeenten hebben een (intern) meldpunt voor signalen van mensenhandel",
                           "De gemeenten investeren organisatiebreed in kennis en signaleren",
                           "De gemeenten nemen verantwoordelijkheid voor zorg en opvang van slachtoffers")]
    afs = {"GM9901": users["af.veenhorst"], "GM9902": users["af.dijkmeer"], "GM9903": users["af.lindeveld"],
           "GM9904": users["af.oosterbroek"]}
    for code in ("GM9901", "GM9902", "GM9903"):
        policy.record_part(actor=afs[code], municipality=orgs[code], part=Part.POLICY_ADOPTED, met=True,
                           evidence="Vastgesteld door het college",
                           document=f"Beleidsnota mensenhandel {code} (fictief)",
                           evidence_on=today - timedelta(days=300))
        policy.record_part(actor=afs[code], municipality=orgs[code], part=Part.GOAL, goal=goals[0], met=True,
                           evidence="Meldformulier op intranet", evidence_on=today - timedelta(days=200))
    policy.record_part(actor=keten, municipality=orgs["GM9903"], part=Part.ACHTERVANG, met=True,
                       evidence="Achtervang door de AF van Dijkmeer (afspraak in de werkgroep)",
                       evidence_on=today - timedelta(days=120))
    policy.record_part(actor=afs["GM9904"], municipality=orgs["GM9904"], part=Part.POLICY_ADOPTED, met=False,
                       evidence="Concept ligt bij het college", evidence_on=today - timedelta(days=30))
    trainings = [
        ("GM9901", "RIEC e-learning mensenhandel", "riec_elearning", 150, list(FRONT_LINE_TEAMS[:4]), 38, False),
        ("GM9901", "Training met ervaringsdeskundige", "comensha", 60, list(FRONT_LINE_TEAMS[4:]), 26, True),
        ("GM9902", "SHOP roadshow", "shop", 90, list(FRONT_LINE_TEAMS), 52, True),
        ("GM9903", "Eigen sessie signaleren", "own", 45, ["balie", "kcc", "leerplicht"], 17, False),
        ("GM9903", "FairWork: arbeidsuitbuiting herkennen", "fairwork", 500, ["wijkteam", "zwi"], 11, False),
    ]
    for code, title, provider, days, teams, people, experts in trainings:
        policy.register_training(actor=afs[code], municipality=orgs[code], title=title, provider=provider,
                                 held_on=today - timedelta(days=days), teams=teams, participants=people,
                                 with_experts=experts)
    activities = [
        ("GM9901", ActivityKind.INTRANET, 20, 1, "", "", "Bericht bij de Dag tegen mensenhandel"),
        ("GM9901", ActivityKind.TEAM_VISIT, 35, 1, "balie", "", "Teamoverleg burgerzaken"),
        ("GM9901", ActivityKind.TEAM_VISIT, 200, 1, "balie", "", "Teamoverleg burgerzaken"),
        ("GM9901", ActivityKind.FLYER, 70, 400, "", "Nederlands, Engels, Pools, Roemeens, Bulgaars", ""),
        ("GM9901", ActivityKind.BUSINESS_MEETING, 110, 1, "", "", "Ondernemersbijeenkomst bedrijventerrein"),
        ("GM9902", ActivityKind.SCHOOL_LESSON, 25, 3, "", "", "Lessen over loverboys, mbo"),
        ("GM9902", ActivityKind.CAMPAIGN, 160, 1, "", "", "Campagne 'Zie jij het ook?' (fictief)"),
    ]
    for code, kind, days, count, team, languages, description in activities:
        policy.register_activity(actor=afs[code], municipality=orgs[code], kind=kind,
                                 held_on=today - timedelta(days=days), count=count, team=team, languages=languages,
                                 description=description)
    rows = importer.parse_rows(importer.split_text(_pasted())).rows
    record = policy.import_actions(actor=keten, rows=rows, plan=PLAN, file_name="actiepunten-plan.txt",
                                   reason="Plan vastgesteld in de regionale werkgroep")
    actions = {(a.theme, a.number): a for a in ActionPoint.objects.filter(plan=PLAN)}
    policy.set_action_owner(actor=keten, action=actions[("Bewustwording en signalering", "2")],
                            owner=users["af.veenhorst"])
    policy.update_action(actor=keten, action=actions[("Bewustwording en signalering", "1")],
                         status=ActionStatus.DONE, happened_on=today - timedelta(days=110),
                         note="Alle vier gemeenten hebben een AF")
    policy.update_action(actor=users["af.veenhorst"], action=actions[("Bewustwording en signalering", "2")],
                         status=ActionStatus.IN_PROGRESS, happened_on=today - timedelta(days=60),
                         note="Voorjaarsronde trainingen gegeven")
    policy.update_action(actor=keten, action=actions[("Samenwerking met ketenpartners", "1")],
                         status=ActionStatus.IN_PROGRESS, happened_on=today - timedelta(days=14))
    for municipality in orgs.values():
        if municipality.is_municipality:
            policy.refresh_level(municipality)
    return record.created
