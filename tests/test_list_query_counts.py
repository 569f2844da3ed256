"""The list pages cost a fixed number of queries, whatever the data (issue 17: an inbox at the speed of its open work).

Each page is requested at one data size and again after more of everything it lists or counts was added (open and
closed signals, overdue route steps, a repeated address, cases, referrals, agenda items): the query count must be
the same. The timings are measured by benchmarks/ (never judged in a test); the query count is what can be judged.
"""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meldroute.audit.models import AccessLogEntry
from meldroute.audit.services import verify_chain
from meldroute.cases import services as case_services
from meldroute.meetings import services as meeting_services
from meldroute.meetings.tests.conftest import tables  # noqa: F401  (fixture: the meeting tables of region 1)
from meldroute.partners.constants import DataCategory, LegalGround
from meldroute.partners.services import ensure_default_sharing_rules
from meldroute.referrals import services as referral_services
from meldroute.routing.models import SignalRouteStep
from meldroute.triage import services as triage_services
from meldroute.triage.constants import Assessment
from tests.factories import make_signal, to_closed

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def query_count(client, user, url: str) -> int:
    client.force_login(user)
    client.get(url)  # warm the caches (content types, translations, session) so both counts measure the same work
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def same_count_after(client, user, url: str, grow: Callable[[], None]) -> tuple[int, int]:
    before = query_count(client, user, url)
    grow()
    return before, query_count(client, user, url)


def signals_of_a(world, n: int, *, acute_every: int = 3) -> list:
    return [make_signal(world.melder_a, is_acute=i % acute_every == 0, address="Kerkweg 12",
                        postcode="1234 AB") for i in range(n)]


def test_the_inbox_costs_the_same_queries_with_more_open_work_history_patterns_and_overdue_steps(
        client, world, clock):
    signals_of_a(world, 2)

    def grow():
        for signal in signals_of_a(world, 4):  # open work, a repeated address (the pattern alert)
            triage_services.assign_signal(signal, actor=world.af_a, assignee=world.af_a)
        for signal in signals_of_a(world, 3):  # history
            to_closed(signal, world.af_a)
        clock.shift(timedelta(days=30))  # feedback and deadlines fall overdue

    for tab in ("", "?weergave=mine", "?weergave=feedback_overdue", "?weergave=route_overdue", "?weergave=closed"):
        before, after = same_count_after(client, world.af_a, reverse("triage:inbox") + tab, grow)
        assert before == after, tab


def test_the_inbox_query_count_does_not_grow_with_route_steps(client, world, tables):  # noqa: F811
    signals_of_a(world, 1)

    def grow():
        for signal in signals_of_a(world, 3):
            triage_services.classify_signal(signal, actor=world.af_a, assessment=Assessment.POTENTIAL,
                                            forms=["labour"])

    before, after = same_count_after(client, world.af_a, reverse("triage:inbox"), grow)
    assert SignalRouteStep.objects.filter(state="active").exists()
    assert before == after


def test_the_reporters_list_costs_the_same_queries_with_more_signals(client, world):
    signals_of_a(world, 2)
    before, after = same_count_after(client, world.melder_a, reverse("intake:mine"),
                                     lambda: [to_closed(s, world.af_a) for s in signals_of_a(world, 5)])
    assert before == after


def test_the_case_list_costs_the_same_queries_with_more_cases(client, world):
    def open_cases(n: int) -> None:
        for i in range(n):
            signal = make_signal(world.melder_a)
            triage_services.classify_signal(signal, actor=world.af_a, assessment=Assessment.SUSPECTED,
                                            forms=["sexual"])
            case = case_services.open_case(actor=world.af_a, signals=[signal], title=f"Casus {i}")
            case_services.add_action(case, actor=world.af_a, description="Huisbezoek",
                                     deadline=timezone.localdate(), owner_user=world.af_a)

    open_cases(1)
    for tab in ("", "?weergave=all"):
        before, after = same_count_after(client, world.af_a, reverse("cases:list") + tab, lambda: open_cases(3))
        assert before == after, tab


def test_the_partners_referral_list_costs_the_same_queries_with_more_referrals(client, world):
    ensure_default_sharing_rules()

    def refer(n: int) -> None:
        for _ in range(n):
            referral_services.create_referral(
                make_signal(world.melder_a), actor=world.af_a, receiver_organisation=world.police,
                directory_entry=None, purpose="Onderzoek naar mogelijke uitbuiting",
                legal_ground=LegalGround.PUBLIC_TASK, categories=(DataCategory.DESCRIPTION,))

    refer(1)
    for user in (world.partner, world.af_a):
        before, after = same_count_after(client, user, reverse("referrals:list"), lambda: refer(3))
        assert before == after, user.username
def test_the_meeting_agenda_costs_the_same_queries_with_more_items(client, world, tables):  # noqa: F811
    def signals_for_the_table(n: int) -> None:
        for _ in range(n):
            signal = make_signal(world.melder_a)
            triage_services.classify_signal(signal, actor=world.af_a, assessment=Assessment.POTENTIAL,
                                            forms=["labour"])

    signals_for_the_table(1)
    meeting = meeting_services.next_meeting(tables.screening, actor=world.procesregisseur)
    url = reverse("meetings:meeting", args=[meeting.uuid])

    def grow() -> None:
        signals_for_the_table(3)
        meeting_services.compile_agenda(meeting, actor=world.procesregisseur)

    for user in (world.procesregisseur, world.partner):
        items = meeting.items.count()
        before, after = same_count_after(client, user, url, grow)
        assert meeting.items.count() > items
        assert before == after, user.username
    # Each signal read on the agenda is still its own access-log entry, appended in one go to an intact chain.
    assert AccessLogEntry.objects.filter(actor=world.partner, purpose="bespreking in overleg").count() >= 4
    assert verify_chain(AccessLogEntry)[1] == []
