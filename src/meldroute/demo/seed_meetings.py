"""The demo region's overleggen: the weekly screeningsoverleg at the ZVH (with the OM for criminal exploitation), a
monthly signaleringsoverleg per municipality (the omgevingsdienst invited per item), the regional mensenhandeltafel
(RIEC), an ondermijningstafel, a themaoverleg four times a year and the bestuurlijke mensenhandeltafel twice a year —
each with its first meeting."""

import random
from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.utils import timezone

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.meetings import services as meeting_services
from meldroute.meetings.constants import Cadence, Ordinal, SeriesKind, Weekday
from meldroute.meetings.models import AgendaItem, MeetingSeries, SeriesGuest
from meldroute.organisations.constants import OrganisationKind
from meldroute.organisations.models import Organisation, Region
from meldroute.partners.constants import DataCategory as C
from meldroute.partners.constants import PartnerType
from meldroute.referrals import services as referral_services
from meldroute.routing.constants import Decision, MeetingKind

from . import texts
from .clock import frozen_now

MUNICIPALITY_CODES = ("GM9901", "GM9902", "GM9903", "GM9904")


def _series(region: Region, *, kind: str, name: str, chair: Organisation, participants: Iterable[Organisation],
            shared: Iterable[str], municipality: Organisation | None = None, cadence: str = Cadence.MONTHLY,
            weekday: int = Weekday.TUESDAY, ordinal: int = Ordinal.FIRST, start: time = time(10, 0)) -> MeetingSeries:
    series = MeetingSeries.objects.create(
        region=region, municipality=municipality, kind=kind, name=name, cadence=cadence, weekday=weekday,
        ordinal=ordinal, start_time=start, chair_organisation=chair, shared_categories=sorted(shared))
    series.participants.set({chair, *participants})
    return series


def seed_meetings(region: Region, orgs: dict[str, Organisation], users: dict[str, User],
                  rng: random.Random) -> dict[str, MeetingSeries]:
    """Create the series, hold last week's screeningsoverleg, and plan each one's next meeting (agendas fill
    themselves as signals reach them)."""
    municipalities = [orgs[code] for code in MUNICIPALITY_CODES]
    # The bodies that join a table for some items only (seed 003 §6.3, seed 002 §5.2.1); fictional names.
    for code, name in (("OM-VH", "Openbaar Ministerie Veenhorst"), ("OD-VH", "Omgevingsdienst Veenhorst"),
                       ("EIT-VH", "Economisch Interventieteam Veenhorst")):
        orgs.setdefault(code, Organisation.objects.get_or_create(
            code=code, defaults={"name": name, "kind": OrganisationKind.OTHER, "region": region})[0])
    series = {
        # Seed 003 §5.1: Veilig Thuis, AVIM/politie and the ZVH weigh, enrich and decide the route, every week.
        "screening": _series(
            region, kind=MeetingKind.SCREENING, name="Screeningsoverleg mensenhandel Veenhorst",
            chair=orgs["ZVH-VH"], participants=[orgs["VT-VH"], orgs["POL-VH"], *municipalities],
            cadence=Cadence.WEEKLY, weekday=Weekday.TUESDAY, start=time(9, 30),
            shared={C.SUMMARY, C.CLASSIFICATION, C.DESCRIPTION, C.LOCATION, C.PERSONS, C.ENRICHMENT}),
        # Seed 000 §4.2 steps 5–6: the RIEC informatieplein feeds the regional mensenhandeltafel.
        "trafficking_table": _series(
            region, kind=MeetingKind.TRAFFICKING_TABLE, name="Regionale mensenhandeltafel (RIEC Veenhorst-Kust)",
            chair=orgs["RIEC-VK"], participants=[orgs["POL-VH"], orgs["NLA-VH"], *municipalities],
            weekday=Weekday.WEDNESDAY, ordinal=Ordinal.SECOND,
            shared={C.SUMMARY, C.CLASSIFICATION, C.DESCRIPTION, C.LOCATION}),
        # Seed 000 §4.2 step 4: location and business signals at the ondermijningstafel; no persons at this table.
        "undermining": _series(
            region, kind=MeetingKind.UNDERMINING, name="Ondermijningstafel Veenhorst",
            chair=orgs["GM9901"], participants=[orgs["POL-VH"], orgs["RIEC-VK"], orgs["PCT-VH"], *municipalities],
            weekday=Weekday.MONDAY, ordinal=Ordinal.THIRD, start=time(13, 30),
            shared={C.SUMMARY, C.CLASSIFICATION, C.LOCATION}),
    }
    # Seed 002 §5.5: each municipality's monthly signaleringsoverleg (AOV'er, BOA, politie, RIEC).
    for municipality in municipalities:
        series[f"signaling-{municipality.code}"] = _series(
            region, kind=MeetingKind.SIGNALING, municipality=municipality,
            name=f"Signaleringsoverleg {municipality.name.removeprefix('Gemeente ')}",
            chair=municipality, participants=[orgs["POL-VH"], orgs["RIEC-VK"]],
            weekday=Weekday.THURSDAY, ordinal=Ordinal.FIRST,
            shared={C.SUMMARY, C.CLASSIFICATION, C.DESCRIPTION, C.LOCATION})
    # Seed 003 §6.3: for criminal exploitation the screeningsoverleg decides "in overleg met het openbaar ministerie".
    SeriesGuest.objects.create(series=series["screening"], organisation=orgs["OM-VH"], forms=["criminal"])
    # Seed 002 §5.5: the themaoverleg ondermijning (OOV, burgemeester, teamchef politie) four times a year, and the
    # bestuurlijke mensenhandeltafel of the police unit twice a year. They discuss the approach: no signals.
    series["theme"] = _series(
        region, kind=SeriesKind.THEME, municipality=municipalities[0],
        name=f"Themaoverleg ondermijning {municipalities[0].name.removeprefix('Gemeente ')}",
        chair=municipalities[0], participants=[orgs["POL-VH"]], cadence=Cadence.QUARTERLY,
        weekday=Weekday.MONDAY, ordinal=Ordinal.SECOND, start=time(15, 0), shared={C.SUMMARY})
    series["administrative_table"] = _series(
        region, kind=SeriesKind.ADMINISTRATIVE_TABLE, name="Bestuurlijke mensenhandeltafel Veenhorst-Kust",
        chair=orgs["RIEC-VK"], participants=[orgs["POL-VH"], *municipalities], cadence=Cadence.HALF_YEARLY,
        weekday=Weekday.THURSDAY, ordinal=Ordinal.SECOND, start=time(14, 0), shared={C.SUMMARY})
    hold_last_screening(series["screening"], orgs, users, rng)
    for item in series.values():
        meeting = meeting_services.next_meeting(item, actor=None)
        meeting_services.compile_agenda(meeting, actor=None)
    # Seed 002 §5.2.1: the omgevingsdienst joins a signaleringsoverleg "wanneer dit voor de casuïstiek nodig is".
    signaling = series[f"signaling-{municipalities[0].code}"]
    first = AgendaItem.objects.filter(meeting__series=signaling, decision="").order_by("meeting__date", "position")
    if first.exists():
        meeting_services.invite_to_item(first[0], actor=None, organisation=orgs["OD-VH"])
    return series


# The partner a screening decision refers to, and the demo organisation that receives the referral.
REFER_TO = [(PartnerType.POLICE, "POL-VH"), (PartnerType.LABOUR_INSPECTORATE, "NLA-VH"),
            (PartnerType.VEILIG_THUIS, "VT-VH")]


def hold_last_screening(series: MeetingSeries, orgs: dict[str, Organisation], users: dict[str, User],
                        rng: random.Random) -> None:
    """Last week's screeningsoverleg, chaired by the ZVH's procesregisseur: every signal that waited got a decision,
    the minutes are final, and the AFs referred what the table sent on. Only what arrived since, or what the table
    keeps monitoring, waits for the next one — as in a region where the weekly table works."""
    today = timezone.localdate()
    held_on = today - timedelta(days=(today.weekday() - series.weekday) % 7 or 7)
    at = timezone.make_aware(datetime.combine(held_on, series.start_time or time(9, 30)))
    chair = users["procesregisseur"]
    with frozen_now(at):
        meeting = meeting_services.next_meeting(series, actor=None, today=held_on)
        meeting_services.compile_agenda(meeting, actor=None)
        referrals = []
        shelter_decided = False
        for item in AgendaItem.objects.filter(meeting=meeting).select_related("signal__municipality"):
            signal = item.signal
            assert signal is not None  # a new series' agenda holds only signals
            decision = rng.choices([Decision.REFER, Decision.NO_TRAFFICKING, Decision.MONITOR], weights=[5, 3, 2])[0]
            if decision == Decision.REFER and signal.status not in referral_services.REFERABLE:
                decision = Decision.MONITOR  # e.g. the AF still waits for the reporter's answer
            if decision == Decision.REFER:
                refer_to, receiver = rng.choice(REFER_TO)
                meeting_services.decide_item(
                    item, actor=chair, decision=decision, refer_to=refer_to, owner_organisation=signal.municipality,
                    action=f"Doorverwijzen naar {PartnerType(refer_to).label} met beschrijving en locatie.",
                    deadline=held_on + timedelta(days=7))
                referrals.append((signal, orgs[receiver]))
            elif signal.is_acute and not shelter_decided:
                # Seed 003 §6 footnote 12: in an acute situation the table decides on shelter (and keeps watching).
                meeting_services.decide_item(item, actor=chair, decision=Decision.MONITOR, shelter=True)
                shelter_decided = True
            else:
                meeting_services.decide_item(item, actor=chair, decision=decision)
        meeting_services.record_attendance(meeting, actor=chair, organisations=[
            orgs["ZVH-VH"], orgs["VT-VH"], orgs["POL-VH"], orgs["GM9901"], orgs["GM9902"]])
        meeting_services.close_meeting(meeting, actor=chair, notes="Alle aangemelde signalen besproken.")
    with frozen_now(at + timedelta(days=1)):
        for signal, organisation in referrals:
            af = (User.objects.filter(organisation=signal.municipality_id, role_assignments__role=Role.AF)
                  .order_by("pk").first())
            referral_services.create_referral(
                signal, actor=af, receiver_organisation=organisation, purpose=rng.choice(texts.REFERRAL_PURPOSES),
                legal_ground="zvh_covenant", categories=["classification", "description", "location"])
