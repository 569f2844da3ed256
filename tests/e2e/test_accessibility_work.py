"""axe-core on the working pages of routes, meetings, referrals, cases and persons: no WCAG 2.1 A/AA violations.

One richly filled region (Noord- en Midden-Limburg route, a screeningsoverleg with a signal and a case on its
agenda, a referral with a personal link, a case with a plan, a victim with consent), then each page as the role that
works on it, with every <details> unfolded.
"""

from datetime import date, time, timedelta

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import assert_no_violations, login
from tests.e2e.test_accessibility import open_all_details
from tests.factories import make_signal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def filled(world):
    from meldroute.cases import services as case_services
    from meldroute.meetings import services as meeting_services
    from meldroute.meetings.constants import Cadence, Weekday
    from meldroute.meetings.models import MeetingSeries
    from meldroute.persons import services as person_services
    from meldroute.referrals import services as referral_services
    from meldroute.routing import services as routing_services
    from meldroute.routing.constants import MeetingKind
    from meldroute.triage import services as triage_services

    routing_services.install_preset(world.region, "noord-midden-limburg", actor=world.beheerder)
    series = MeetingSeries.objects.create(
        region=world.region, kind=MeetingKind.SCREENING, name="Screeningsoverleg Regio Een", cadence=Cadence.WEEKLY,
        weekday=Weekday.TUESDAY, start_time=time(9, 30), chair_organisation=world.zvh,
        shared_categories=["summary", "classification", "description"])
    series.participants.set([world.zvh, world.police, world.a])

    def classified(**data):
        signal = make_signal(world.melder_a, **data)
        triage_services.assign_signal(signal, actor=world.af_a, assignee=world.af_a)
        triage_services.classify_signal(signal, actor=world.af_a, assessment="suspected", forms=["labour"],
                                        route_facts={"side": "victim"})
        return signal

    waiting = classified(description="Arbeiders slapen in een schuur bij de kwekerij.", address="Kwekerijweg 7")
    referred = classified(description="Nagelsalon met personeel dat er ook lijkt te wonen.")
    referral = referral_services.create_referral(
        referred, actor=world.af_a, receiver_organisation=world.police, purpose="Controle door AVIM gevraagd.",
        legal_ground="public_task", categories=["description", "classification"])
    case = case_services.open_case(actor=world.af_a, signals=[classified()], title="Kwekerij Buitenweg", zvh=world.zvh)
    case_services.add_action(case, actor=world.af_a, description="Gesprek met de werkgever plannen.",
                             deadline=date.today() + timedelta(days=10), owner_organisation=world.police)
    person = person_services.add_person(case, actor=world.af_a, data={
        "role": "victim", "first_name": "Testa", "last_name": "Verzonnen", "citizenship": "RO", "gender": "female",
        "victim_status": "suspected", "status_decided_by": "ZVH", "status_decided_on": date.today()})
    meeting_services.bring_case_to_meeting(case, actor=world.af_a, series=series, reason="Voortgang bespreken.")
    meeting = meeting_services.next_meeting(series, actor=None)
    meeting_services.compile_agenda(meeting, actor=None)
    return {"signal": waiting, "referral": referral, "case": case, "person": person, "meeting": meeting}


PAGES = [
    ("af_a", lambda f: f"/inbox/{f['signal'].uuid}/"),
    ("af_a", lambda f: "/inbox/"),
    ("af_a", lambda f: f"/inbox/{f['signal'].uuid}/doorverwijzen/nieuw/"),
    ("af_a", lambda f: f"/doorverwijzingen/{f['referral'].uuid}/"),
    ("partner_politie", lambda f: "/doorverwijzingen/"),
    ("partner_politie", lambda f: f"/doorverwijzingen/{f['referral'].uuid}/"),
    ("procesregisseur", lambda f: "/overleggen/"),
    ("procesregisseur", lambda f: f"/overleggen/{f['meeting'].uuid}/"),
    ("af_a", lambda f: "/casussen/"),
    ("af_a", lambda f: f"/casussen/{f['case'].uuid}/"),
    ("af_a", lambda f: f"/personen/{f['person'].uuid}/"),
    ("af_a", lambda f: f"/casussen/{f['case'].uuid}/personen/nieuw/"),
    ("af_a", lambda f: "/wegwijzer/"),
    ("beheerder", lambda f: "/beheer-meldroute/"),
]


@pytest.mark.parametrize("username, url", PAGES, ids=[f"{u}:{i}" for i, (u, _) in enumerate(PAGES)])
def test_working_page_has_no_violations(live_server, page: Page, world, filled, username, url):
    login(page, live_server.url, username)
    response = page.goto(live_server.url + url(filled))
    assert response is not None and response.status == 200
    open_all_details(page)
    assert_no_violations(page)
