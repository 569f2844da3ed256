"""Builds the demo region through the real services, so its history, audit chain and deadlines are genuine."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from meldroute.accounts import services as account_services
from meldroute.accounts.constants import Role
from meldroute.accounts.models import RoleAssignment, User
from meldroute.intake import events
from meldroute.intake import services as intake_services
from meldroute.intake.constants import Channel, Outcome, Phenomenon, SignalStatus
from meldroute.intake.models import Indicator, Signal
from meldroute.meetings import services as meeting_services
from meldroute.organisations.constants import OrganisationKind as Kind
from meldroute.organisations.models import Organisation, Region
from meldroute.referrals import services as referral_services
from meldroute.routing import services as routing_services
from meldroute.routing.models import SignalRouteStep
from meldroute.triage import services as triage_services
from meldroute.triage.constants import Assessment, MeansOfControl, NoteSource

from . import texts
from .clock import frozen_now
from .idp import IDP_MUNICIPALITY, subject_for
from .seed_af_phenomenon import LOGINS as AF_PHENOMENON_LOGINS
from .seed_af_phenomenon import seed_af_phenomenon
from .seed_cases import seed_cases
from .seed_homes import seed_homes
from .seed_meetings import seed_meetings
from .seed_partners import seed_partners
from .seed_persons import seed_persons_and_care
from .seed_policy import seed_policy
from .seed_residents import seed_residents
from .seed_retention import seed_retention
from .seed_risk import demo_postcode, seed_risk
from .seed_signalpage import seed_signalpage

DEMO_PASSWORD = "Meldroute-demo-2026"  # noqa: S105 — fictional demo users only, printed at start
REGION_SLUG = "veenhorst"
DEMO_API_TOKEN = "demo-token-politie-veenhorst-00000000001"  # noqa: S105 — fictional, published in the README

MUNICIPALITIES = [("Veenhorst", "GM9901"), ("Dijkmeer", "GM9902"), ("Lindeveld", "GM9903"), ("Oosterbroek", "GM9904")]
BODIES = [
    ("Zorg- en Veiligheidshuis Veenhorst", Kind.ZVH, "ZVH-VH"),
    ("RIEC Veenhorst-Kust", Kind.RIEC, "RIEC-VK"),
    ("Veilig Thuis Veenhorst", Kind.VEILIG_THUIS, "VT-VH"),
    ("Politie eenheid Veenhorst (AVIM)", Kind.POLICE, "POL-VH"),
    ("Nederlandse Arbeidsinspectie (regio)", Kind.LABOUR_INSPECTORATE, "NLA-VH"),
    ("Zorgcoördinatie mensenhandel Veenhorst", Kind.CARE_COORDINATION, "ZC-VH"),
    ("Prostitutie Controle Team Veenhorst", Kind.OTHER, "PCT-VH"),
]
# username, first, last, organisation code, roles, team
USERS = [
    ("af.veenhorst", "Sanne", "Verbeek", "GM9901", [Role.AF], "oov"),
    ("af2.veenhorst", "Jeroen", "Hofstede", "GM9901", [Role.AF], "zwi"),
    ("melder.veenhorst", "Fatima", "El Idrissi", "GM9901", [Role.MELDER], "balie"),
    ("melder2.veenhorst", "Kees", "Brouwer", "GM9901", [Role.MELDER], "toezicht"),
    ("burgemeester.veenhorst", "Ingrid", "Zwart", "GM9901", [Role.BURGEMEESTER], ""),
    ("beheerder", "Ruud", "Post", "GM9901", [Role.BEHEERDER], ""),
    ("beheerder2", "Anouk", "de Wit", "GM9902", [Role.BEHEERDER], ""),  # the second pair of eyes on roles
    ("af.dijkmeer", "Lotte", "Kramer", "GM9902", [Role.AF], "oov"),
    ("af2.dijkmeer", "Ahmed", "Yilmaz", "GM9902", [Role.AF], "zwi"),
    ("melder.dijkmeer", "Eva", "Smit", "GM9902", [Role.MELDER], "kcc"),
    ("af.lindeveld", "Marloes", "Dekker", "GM9903", [Role.AF], "oov"),
    ("melder.lindeveld", "Bas", "Vermeulen", "GM9903", [Role.MELDER], "leerplicht"),
    ("af.oosterbroek", "Noor", "Bakker", "GM9904", [Role.AF], "zwi"),
    ("melder.oosterbroek", "Tim", "Jansen", "GM9904", [Role.MELDER], "wijkteam"),
    ("zorgcoordinator", "Yara", "Mulder", "ZC-VH", [Role.ZORGCOORDINATOR], ""),
    ("procesregisseur", "Pieter", "de Graaf", "ZVH-VH", [Role.PROCESREGISSEUR], ""),
    ("casusregisseur", "Hanneke", "Visser", "ZVH-VH", [Role.CASUSREGISSEUR], ""),
    ("ketenregisseur", "Daan", "Koster", "RIEC-VK", [Role.KETENREGISSEUR], ""),
    ("partner.politie", "Rik", "van Dam", "POL-VH", [Role.PARTNER], ""),
    ("fg.veenhorst", "Margriet", "Hoekstra", "GM9901", [Role.FG], ""),  # requests of data subjects, the register
]
SECOND_REGION = ("Regio Heuvelland-Noord", "heuvelland-noord", "Kalkberg", "GM9911")


def is_seeded() -> bool:
    return Region.objects.filter(slug=REGION_SLUG).exists()


def seed(signals_count: int = 240, rng_seed: int = 2026) -> dict:
    if is_seeded():
        return {"created": False}
    with transaction.atomic():  # all or nothing: a half-seeded demo would never be completed
        orgs = _organisations()
        region = orgs["GM9901"].region
        seed_partners(region, orgs)
        users = _users(orgs)
        _routes(orgs, users)
        signals = _signals(orgs, users, signals_count, random.Random(rng_seed))
        # After the signals: last week's screeningsoverleg decides what waited, the next agendas fill themselves.
        series = seed_meetings(region, orgs, users, random.Random(rng_seed + 3))
        cases = seed_cases(orgs, users, random.Random(rng_seed + 1))
        seed_persons_and_care(cases, users, random.Random(rng_seed + 2))
        _case_on_screening(cases, users, series)
        _screening_decides_a_case(orgs, users)  # issue 13: the ZVH starts the case its screeningsoverleg decided
        seed_retention(region, users)
        seed_policy(orgs, users)  # issue 15: basisniveau, actiepunten, trainings and activities (all fictional)
        seed_af_phenomenon(orgs, users, DEMO_PASSWORD)  # issue 13: which AF is which; another phenomenon handed on
        seed_residents(orgs, users)  # the public form: on for Veenhorst
        seed_risk(orgs, users)  # issue 15: the omgevingsscan's registers and wijk maps (all fictional)
        seed_homes(orgs, users)  # issue 14: a role waiting for approval on the beheerder's home
        seed_signalpage(orgs, users)  # issue 14: a signal whose timeline shows every kind of event
    return {"created": True, "signals": signals}


def _organisations() -> dict[str, Organisation]:
    region = Region.objects.create(name="Regio Veenhorst", slug=REGION_SLUG)
    orgs = {}
    for name, code in MUNICIPALITIES:
        orgs[code] = Organisation.objects.create(name=f"Gemeente {name}", kind=Kind.MUNICIPALITY, region=region,
                                                 code=code, email=f"mensenhandel@{name.lower()}.example",
                                                 acute_phone=f"0900-555 {code[-4:]}")  # fictional numbers
    for name, kind, code in BODIES:
        orgs[code] = Organisation.objects.create(name=name, kind=kind, region=region, code=code)
    name, slug, muni, code = SECOND_REGION
    other = Region.objects.create(name=name, slug=slug)
    orgs[code] = Organisation.objects.create(name=f"Gemeente {muni}", kind=Kind.MUNICIPALITY, region=other, code=code)
    return orgs


def _users(orgs) -> dict[str, User]:
    users = {}
    rows = [*USERS, ("af.kalkberg", "Femke", "Wouters", "GM9911", [Role.AF], "oov")]
    for username, first, last, org_code, roles, team in rows:
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD, first_name=first, last_name=last,
                                        email=f"{username}@demo.example", organisation=orgs[org_code], team=team,
                                        # Veenhorst's people also log in through the demo IdP (demo.idp).
                                        oidc_subject=subject_for(username) if org_code == IDP_MUNICIPALITY else None)
        for role in roles:
            RoleAssignment.objects.create(user=user, role=role)
        users[username] = user
    # The police system's API token: stored hashed like every token, with the README's published secret.
    account_services.create_api_token(orgs["POL-VH"], actor=None, name="Demo politiesysteem", valid_days=366,
                                      reason="demo", secret=DEMO_API_TOKEN)
    return users


def _routes(orgs, users) -> None:
    """Veenhorst works like Noord- en Midden-Limburg (ZVH and a weekly screeningsoverleg); the second region
    like West-Friesland. Installed before the history, so every demo signal walks its route."""
    start = timezone.now() - timedelta(days=600)
    with frozen_now(start):
        routing_services.install_preset(orgs["GM9901"].region, "noord-midden-limburg", actor=users["beheerder"])
        routing_services.install_preset(orgs[SECOND_REGION[3]].region, "west-friesland", actor=users["beheerder"])
    _route_draft(orgs["GM9901"].region, users)


def _route_draft(region: Region, users) -> None:
    """An open change to Veenhorst's route (issue 13): one step's deadline a working day longer, drafted by the
    beheerder, waiting for beheerder2 or the ketenregisseur to publish or refuse it."""
    from meldroute.routing import drafts

    active = drafts.active_route(region)
    if active is None:
        return
    data = routing_services.route_as_data(active)
    step = next((s for s in data["steps"] if (s.get("deadline") or {}).get("working_days")), data["steps"][0])
    step["deadline"] = {"working_days": (step.get("deadline") or {}).get("working_days", 4) + 1}
    drafts.save_draft(region, data, actor=users["beheerder"], base_version=active.version)


def _signals(orgs, users, count, rng: random.Random) -> int:
    now = timezone.now()
    indicators_by_form: dict[str, list[Indicator]] = {}
    for indicator in Indicator.objects.all():
        indicators_by_form.setdefault(indicator.form, []).append(indicator)
    municipal = [(code, [u for u in users.values() if u.organisation_id == orgs[code].pk])
                 for _name, code in MUNICIPALITIES]
    made = 0
    for i in range(count - len(PATTERN_TEXTS)):  # the last few make the inbox's pattern alert
        code, members = municipal[i % len(municipal)]
        reporters = [u for u in members if u.has_role(Role.MELDER)] or [u for u in members if u.has_role(Role.AF)]
        afs = [u for u in members if u.has_role(Role.AF)]
        form, team, description, persons = rng.choice(texts.SCENARIOS)
        # Most of the history lies in the past 18 months; the newest signals are still open.
        age = timedelta(days=int(540 * (1 - i / count) ** 1.4), hours=rng.randint(0, 20))
        received = now - age
        business, sector = rng.choice(texts.BUSINESSES) if rng.random() < 0.5 else ("", "")
        data = {
            "description": description, "persons_description": persons, "reporter_team": team,
            "address": f"{rng.choice(texts.STREETS)} {rng.randint(1, 180)}, {orgs[code].name.split()[-1]}",
            "business_name": business,
            "kvk_number": f"99{rng.randint(100000, 999999)}" if business else "",
            "observed_on": (received - timedelta(days=rng.randint(0, 5))).date(),
        }
        data["postcode"] = demo_postcode(code, str(data["address"]))  # fictional, in the risk map's wijken (seed_risk)
        picked = rng.sample(indicators_by_form.get(form or "general", []), k=rng.randint(0, 3))
        is_acute = rng.random() < 0.12
        partner_channel = rng.random() < 0.08
        with frozen_now(received):
            if partner_channel:
                signal = intake_services.register_signal(
                    actor=users["partner.politie"], municipality=orgs[code], is_acute=is_acute, data=data,
                    indicators=picked, channel=Channel.PARTNER)
            else:
                signal = intake_services.register_signal(actor=rng.choice(reporters), municipality=orgs[code],
                                                         is_acute=is_acute, data=data, indicators=picked)
            # Demo alerts belong to the past; mark them sent so the worker does not mail them now.
            if is_acute:
                intake_services.send_acute_alert(signal.pk)
        _advance(signal, rng, afs, orgs, users, received, now, form, sector, picked)
        made += 1
    return made + _pattern(orgs, users, now)


PATTERN_TEXTS = [
    "Op het adres boven de wasstraat lijken veel mannen te wonen; 's ochtends worden ze met een busje opgehaald.",
    "Bij de wasstraat werken mannen die geen Nederlands of Engels spreken; de baas neemt het woord voor ze.",
    "Buren melden dat er 's nachts matrassen naar binnen worden gedragen bij de wasstraat.",
]


def _pattern(orgs, users, now) -> int:
    """Three signals in four months on one address and business: the inbox's pattern alert (SPEC B4)."""
    for days, text in zip((120, 45, 6), PATTERN_TEXTS, strict=True):
        with frozen_now(now - timedelta(days=days)):
            intake_services.register_signal(
                actor=users["melder2.veenhorst"], municipality=orgs["GM9901"], is_acute=False,
                data={"description": text, "reporter_team": "toezicht", "address": "Havenkade 14, Veenhorst",
                      "postcode": "9901 AB", "business_name": "Wasstraat De Glimmer", "kvk_number": "99123456"})
    return len(PATTERN_TEXTS)


def _advance(signal, rng, afs, orgs, users, received, now, form, sector, picked):
    """Walk a signal part of the way along its route; the older it is, the further it got."""
    age_days = (now - received).days
    if age_days < 3 and rng.random() < 0.6:
        return  # fresh: still received
    af = rng.choice(afs)
    at = received + timedelta(hours=rng.randint(1, 30))
    with frozen_now(min(at, now)):
        triage_services.assign_signal(signal, actor=af, assignee=rng.choice(afs))
    if age_days < 4 and rng.random() < 0.6:
        return
    at += timedelta(days=rng.randint(1, 4))
    with frozen_now(min(at, now)):
        source = rng.choice(list(texts.NOTES))
        triage_services.add_enrichment_note(signal, actor=af, source=NoteSource(source),
                                            text=texts.NOTES[source].format(n=rng.randint(6, 16)))
        assessment = rng.choice([Assessment.POTENTIAL, Assessment.SUSPECTED, Assessment.SUSPECTED,
                                 Assessment.ACTUAL, Assessment.NONE])
        forms = [form] if form and assessment != Assessment.NONE else (["labour"] if assessment != "none" else [])
        triage_services.classify_signal(signal, actor=af, assessment=assessment, forms=forms, sector=sector,
                                        indicators=picked,
                                        means_of_control=rng.sample(MeansOfControl.values, k=rng.randint(0, 3)))
    roll = rng.random()
    if age_days < 20 and roll < 0.25:
        with frozen_now(min(at + timedelta(hours=2), now)):
            triage_services.request_information(signal, actor=af, question=rng.choice(texts.QUESTIONS), days=14)
        return
    if roll < 0.05:
        with frozen_now(min(at + timedelta(hours=3), now)):
            triage_services.cancel_signal(signal, actor=af, text="Dubbel ingevoerd door de melder.")
        return
    at += timedelta(days=rng.randint(1, 10))
    partners = list(orgs[c] for c in ("POL-VH", "VT-VH", "NLA-VH", "RIEC-VK", "ZVH-VH"))
    closing = age_days > 60 or rng.random() < 0.2
    with frozen_now(min(at, now)):
        if assessment in (Assessment.SUSPECTED, Assessment.ACTUAL) and not closing:
            if rng.random() < 0.5:
                _refer_after_screening(signal, af, orgs, users, rng, at, now)
            else:
                triage_services.route_signal(signal, actor=af, partner=rng.choice(partners))
        elif closing:
            if assessment == Assessment.NONE:
                outcome, phenomenon = Outcome.OTHER_PHENOMENON, rng.choice(Phenomenon.values)
            elif assessment == Assessment.POTENTIAL:
                outcome, phenomenon = rng.choice([Outcome.INSUFFICIENT_INFORMATION, Outcome.NO_TRAFFICKING]), ""
            else:
                outcome, phenomenon = Outcome.TRAFFICKING_ROUTED, ""
            triage_services.close_signal(signal, actor=af, outcome=outcome, phenomenon=phenomenon,
                                         text="Besproken en afgerond.")
        else:
            return
    # Most reporters hear back in time; some are still waiting (and show up as overdue).
    if signal.reporter and rng.random() < 0.92:
        with frozen_now(min(at + timedelta(days=rng.randint(1, 16)), now)):
            triage_services.give_feedback(signal, actor=af, text=rng.choice(texts.FEEDBACK))
    if signal.status == SignalStatus.CLOSED and age_days > 60 and rng.random() < 0.03:
        with frozen_now(min(at + timedelta(days=20), now)):
            triage_services.reopen_signal(signal, actor=af, text="Nieuw signaal op hetzelfde adres.")


def _refer_after_screening(signal, af, orgs, users, rng, at, now):
    """An earlier screeningsoverleg chose a partner; the AF referred the signal with what the sharing rule allows;
    the police answered some of them already."""
    partner = rng.choice([("POL-VH", "police"), ("NLA-VH", "labour_inspectorate"), ("VT-VH", "veilig_thuis")])
    events.signal_decided.send(sender=Signal, instance=signal, actor=af, meeting_kind="screening", decision="refer",
                               refer_to=partner[1], note="Besloten in het screeningsoverleg.")
    referral = referral_services.create_referral(
        signal, actor=af, receiver_organisation=orgs[partner[0]], purpose=rng.choice(texts.REFERRAL_PURPOSES),
        legal_ground="zvh_covenant", categories=["classification", "description", "location"])
    if partner[0] == "POL-VH" and rng.random() < 0.7:
        with frozen_now(min(at + timedelta(days=rng.randint(1, 5)), now)):
            referral_services.accept_referral(referral, actor=users["partner.politie"])
        if rng.random() < 0.6:
            with frozen_now(min(at + timedelta(days=rng.randint(6, 20)), now)):
                referral_services.complete_referral(referral, actor=users["partner.politie"],
                                                    outcome=rng.choice(texts.REFERRAL_OUTCOMES))


def _screening_decides_a_case(orgs, users) -> None:
    """One Veenhorst signal the screeningsoverleg found concrete enough: its route waits for the ZVH, whose
    procesregisseur finds "Casus starten" on the case list (seed 003 §5.1)."""
    veenhorst = orgs["GM9901"]
    waiting = (SignalRouteStep.objects.active()
               .filter(key="screeningsoverleg", signal_route__signal__municipality=veenhorst,
                       signal_route__signal__classification__assessment__in=["suspected", "actual"])
               .select_related("signal_route__signal").order_by("activated_at", "id").first())
    signal: Signal | None = waiting.signal_route.signal if waiting is not None else None
    if signal is None:  # none waits classified: the AF picks up the newest new signal and classifies it while it waits
        signal = Signal.objects.filter(municipality=veenhorst, status=SignalStatus.RECEIVED).order_by(
            "-received_at", "-id").first()
        af = next((u for u in users.values() if u.organisation_id == veenhorst.pk and u.has_role(Role.AF)), None)
        if signal is None or af is None:
            return
        triage_services.assign_signal(signal, actor=af, assignee=af)
        triage_services.classify_signal(signal, actor=af, assessment=Assessment.SUSPECTED, forms=["labour"],
                                        sector="")
    events.signal_decided.send(sender=Signal, instance=signal, actor=users["procesregisseur"],
                               meeting_kind="screening", decision="case", refer_to="",
                               note="Besloten in het screeningsoverleg: concreet genoeg, het ZVH start de casus.")


def _case_on_screening(cases, users, series) -> None:
    """The AF brings an open case of Veenhorst to the next screeningsoverleg (SPEC D2: signals and cases)."""
    screening = series["screening"]
    case = next((c for c in cases if c.is_open and c.municipality.code == "GM9901"), None)
    if case is None:
        return
    meeting_services.bring_case_to_meeting(case, actor=users["af.veenhorst"], series=screening,
                                           reason="Voortgang plan van aanpak en opvang bespreken.")
    meeting_services.compile_agenda(meeting_services.next_meeting(screening, actor=None), actor=None)


def logins() -> list[tuple[str, str, str]]:
    rows = [*USERS, ("af.kalkberg", "", "", "GM9911", [Role.AF], ""), *AF_PHENOMENON_LOGINS]
    org_names = dict(Organisation.objects.values_list("code", "name"))
    return [(username, ", ".join(str(Role(r).label) for r in roles), org_names.get(code, code))
            for username, _f, _l, code, roles, _t in rows]
