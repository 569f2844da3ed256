"""Fictional victims and suspects on the demo cases, with consent, shelter placements and a bedenktijd.

Every name, BSN and address is invented (BSNs are elfproef-valid fakes); everything goes through the services, so the
audit chain and the encryption are genuine. Called by the demo seed after the cases exist.
"""

import random
from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.care import services as care_services
from meldroute.cases import services as case_services
from meldroute.cases.constants import CaseRole
from meldroute.cases.models import Case
from meldroute.persons import services as person_services

FIRST_NAMES = ["Ilona", "Mirela", "Daria", "Amara", "Katya", "Lenuta", "Oksana", "Precious", "Tomasz", "Marius"]
LAST_NAMES = ["Vermaak-Test", "Fictescu", "Demova", "Voorbeeld", "Nepowska", "Verzinsel", "Proefstra", "Bedachtova"]
SUSPECT_NAMES = [("Gerrit", "Schijnman"), ("Rocco", "Nepperman"), ("Dennis", "Verzonnen")]
# (citizenship, forms, sex sector, labour sector, placement kind, provider)
VICTIMS = [
    ("RO", ["sexual"], "window", "", "vrouwenopvang", "Vrouwenopvang De Veste (fictief)"),
    ("PL", ["labour"], "", "agriculture", "crisis_labour", "Crisisopvang arbeidsuitbuiting Noord (fictief)"),
    ("NG", ["sexual"], "online", "", "cosm", "COSM Veenhorst (fictief)"),
    ("NL", ["criminal"], "", "drugs", "omm", "OMM-locatie Zuid (fictief)"),
]


def fake_bsn(rng: random.Random) -> str:
    """A random elfproef-valid nine-digit number (fictional; real BSNs are never used in the demo)."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        check = total % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)


def _af_of(case: Case, users: dict[str, User]) -> User | None:
    return next((u for u in users.values() if u.has_role(Role.AF) and u.organisation_id == case.municipality_id),
                None)


def seed_persons_and_care(cases: Iterable[Case], users: dict[str, User], rng: random.Random) -> dict[str, int]:
    """Put one or two fictional victims (and sometimes a suspect) on each open demo case; give the first victims a
    care trajectory with consent, a placement and a bedenktijd that ends soon, so the reminders and the
    "Slachtoffers" list have something to show."""
    zorgco = users.get("zorgcoordinator")
    today = timezone.localdate()
    counts = {"persons": 0, "trajectories": 0}
    for index, case in enumerate(c for c in cases if c.is_open):
        af = _af_of(case, users)
        if af is None:
            continue
        if zorgco and not case.members.filter(user=zorgco, role=CaseRole.ZORGCOORDINATOR,
                                              ended_at__isnull=True).exists():
            case_services.assign_member(case, actor=af, user=zorgco, role=CaseRole.ZORGCOORDINATOR)
        citizenship, forms, sex_sector, labour_sector, placement, provider = VICTIMS[index % len(VICTIMS)]
        birth = today.replace(year=today.year - rng.randint(19, 38)) - timedelta(days=rng.randint(0, 300))
        victim = person_services.add_person(case, actor=af, data={
            "role": "victim", "victim_status": "suspected", "status_decided_by": "Politie (AVIM)",
            "status_decided_on": today - timedelta(days=rng.randint(20, 60)),
            "first_name": rng.choice(FIRST_NAMES), "last_name": rng.choice(LAST_NAMES), "bsn": fake_bsn(rng),
            "birth_date": birth, "address": f"Voorbeeldstraat {rng.randint(1, 120)}, Veenhorst",
            "phone": f"06-000{rng.randint(10000, 99999)}", "gender": rng.choice(["female", "female", "male"]),
            "citizenship": citizenship, "exploitation_forms": forms, "sex_sector": sex_sector,
            "labour_sector": labour_sector, "exploitation_year": today.year - rng.randint(0, 2),
            "means_of_control": rng.sample(["debt_bondage", "withholds_documents", "threats", "takes_earnings"], 2),
            "recruiter_relation": rng.choice(["intimate_partner", "employer", "recruitment_agency", "acquaintance"]),
            "place_of_recruitment": {"RO": "Roemenië", "PL": "Polen", "NG": "Nigeria"}.get(citizenship, "Veenhorst"),
            "place_of_exploitation": "Veenhorst",
        })
        counts["persons"] += 1
        if index % 3 == 1:
            suspect_first, suspect_last = SUSPECT_NAMES[index % len(SUSPECT_NAMES)]
            person_services.add_person(case, actor=af, data={"role": "suspect", "first_name": suspect_first,
                                                             "last_name": suspect_last, "citizenship": "NL",
                                                             "gender": "male"},
                                       confirm_duplicate=True)  # the same suspect turns up on several cases
            counts["persons"] += 1
        if index % 4 == 2:  # an unaccompanied minor: the case shows the Jeugdwet route and Nidos
            person_services.add_person(case, actor=af, data={
                "role": "victim", "first_name": "Amani", "last_name": "Proefstra", "citizenship": "ER",
                "birth_date": today.replace(year=today.year - 15) - timedelta(days=40), "gender": "female",
                "is_unaccompanied_minor_foreigner": True, "exploitation_forms": ["criminal"]},
                confirm_duplicate=True)
            counts["persons"] += 1
        if zorgco is None or index >= 4:
            continue
        actor = zorgco
        started = today - timedelta(days=70 + 10 * index)
        person_services.record_consent(victim, actor=actor, kind="care", given=True, given_by="self",
                                       given_on=started)
        person_services.record_consent(victim, actor=actor, kind="statistics", given=index != 2, given_by="self",
                                       given_on=started)
        trajectory = care_services.start_trajectory(
            victim, actor=actor, started_on=started,
            residence_status="lawful" if citizenship in {"NL", "PL", "RO"} else "without",
            found_municipality=case.municipality)
        care_services.add_placement(trajectory, actor=actor, kind=placement, provider=provider, started_on=started)
        counts["trajectories"] += 1
        if trajectory.residence_status == "without" and victim.citizenship != "NL":
            # Started ~80 days ago: the three months end within two weeks, so the list flags it.
            care_services.grant_reflection_period(trajectory, actor=actor, kind="regular", starts_on=started)
            care_services.record_permit_event(trajectory, actor=actor, kind="b8_applied",
                                              occurred_on=started + timedelta(days=20))
    return counts
