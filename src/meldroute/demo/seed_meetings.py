"""The demo region's overleggen: the weekly screeningsoverleg at the ZVH, a monthly signaleringsoverleg per
municipality, the regional mensenhandeltafel (RIEC) and an ondermijningstafel — each with its first meeting."""

from datetime import time

from meldroute.meetings import services as meeting_services
from meldroute.meetings.constants import Cadence, Ordinal, Weekday
from meldroute.meetings.models import MeetingSeries
from meldroute.organisations.models import Organisation, Region
from meldroute.partners.constants import DataCategory as C
from meldroute.routing.constants import MeetingKind

MUNICIPALITY_CODES = ("GM9901", "GM9902", "GM9903", "GM9904")


def _series(region, *, kind, name, chair, participants, shared, municipality=None, cadence=Cadence.MONTHLY,
            weekday=Weekday.TUESDAY, ordinal=Ordinal.FIRST, start=time(10, 0)) -> MeetingSeries:
    series = MeetingSeries.objects.create(
        region=region, municipality=municipality, kind=kind, name=name, cadence=cadence, weekday=weekday,
        ordinal=ordinal, start_time=start, chair_organisation=chair, shared_categories=sorted(shared))
    series.participants.set({chair, *participants})
    return series


def seed_meetings(region: Region, orgs: dict[str, Organisation]) -> dict[str, MeetingSeries]:
    """Create the series and plan each one's next meeting (agendas fill themselves as signals reach them)."""
    municipalities = [orgs[code] for code in MUNICIPALITY_CODES]
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
    for item in series.values():
        meeting = meeting_services.next_meeting(item, actor=None)
        meeting_services.compile_agenda(meeting, actor=None)
    return series
