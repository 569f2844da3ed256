"""Issue 14: the signal's full timeline ("Verloop") on the AF's page — every kind of event, who assigned whom, the
sharing rules, and a constant number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.factories import make_signal

from meldroute.cases import services as case_services
from meldroute.intake import services as intake_services
from meldroute.intake.timeline import KINDS, timeline_for
from meldroute.meetings import services as meeting_services
from meldroute.meetings.tests.conftest import tables  # noqa: F401 — the fixture: a route with meeting steps
from meldroute.partners.constants import DataCategory, LegalGround
from meldroute.partners.services import ensure_default_sharing_rules
from meldroute.referrals import services as referral_services
from meldroute.routing.constants import Decision
from meldroute.triage import services

pytestmark = pytest.mark.django_db
PURPOSE = "Nagaan wie de betrokkene is"


def signal_page(client, signal):
    return client.get(reverse("triage:signal", args=[signal.uuid]))


def full_history(world, tables, registers, *, rounds=1):  # noqa: F811
    """A signal that went through every kind of event (`rounds` times where an event can repeat)."""
    ensure_default_sharing_rules()
    signal = make_signal(world.melder_a)
    services.assign_signal(signal, actor=world.af_a, assignee=world.af_a2)
    for _ in range(rounds):
        services.assign_signal(signal, actor=world.af_a, assignee=world.af_a)
        services.add_enrichment_note(signal, actor=world.af_a, source="politie", text="Bekend bij de wijkagent.")
        services.lookup_kvk(signal, actor=world.af_a, purpose=PURPOSE, kvk_number="99123456")
        services.classify_signal(signal, actor=world.af_a, assessment="suspected", forms=["labour"])
    request = services.request_information(signal, actor=world.af_a, question="Hoe laat was dit?")
    intake_services.answer_information_request(request, actor=world.melder_a, answer="Rond half acht.")
    meeting = meeting_services.next_meeting(tables.screening, actor=world.procesregisseur)
    meeting_services.compile_agenda(meeting, actor=world.procesregisseur)
    meeting_services.decide_item(meeting.items.get(signal=signal), actor=world.procesregisseur,
                                 decision=Decision.CONTINUE, owner_organisation=world.police,
                                 action="Controle plannen.")
    for _ in range(rounds):
        referral_services.create_referral(signal, actor=world.af_a, receiver_organisation=world.police,
                                          purpose="Onderzoek naar mogelijke uitbuiting",
                                          legal_ground=LegalGround.PUBLIC_TASK, categories=[DataCategory.DESCRIPTION],
                                          confirm_duplicate=True)
    case_services.open_case(actor=world.af_a, signals=[signal], title="Loods Kasweg")
    services.give_feedback(signal, actor=world.af_a, text="Dank voor uw melding; wij pakken het op.")
    signal.refresh_from_db()
    return signal


def test_the_timeline_shows_every_kind_of_event(client, world, tables, registers):  # noqa: F811
    signal = full_history(world, tables, registers)
    entries = timeline_for(world.af_a, signal)
    kinds = {entry.kind for entry in entries}
    assert kinds == set(KINDS)
    assert [e.when for e in entries] == sorted(e.when for e in entries)
    texts = [e.text for e in entries]
    assert any("KvK (Handelsregister) bevraagd, doel: " + PURPOSE == t for t in texts)
    assert "Antwoord van de melder: Rond half acht." in texts
    assert any(t.startswith("Besluit in Screeningsoverleg Regio Een") and "Verder in de meldroute" in t
               for t in texts)
    assert any(t.startswith("Beoordeeld: Vermoedelijk slachtoffer") and "Arbeidsuitbuiting" in t for t in texts)
    client.force_login(world.af_a)
    page = signal_page(client, signal).content.decode()
    assert 'data-testid="timeline"' in page and "Doorverwezen naar Politie Regio Een" in page
    assert "labour" not in page.split('data-testid="timeline"')[1]


def test_an_assignment_says_who_gave_it_to_whom(client, world):
    signal = make_signal(world.melder_a)
    services.assign_signal(signal, actor=world.af_a, assignee=world.af_a2)
    services.assign_signal(signal, actor=world.af_a2, assignee=world.af_a2)
    a, a2 = (u.get_full_name() or u.username for u in (world.af_a, world.af_a2))
    assignments = [e.text for e in timeline_for(world.af_a, signal) if e.kind == "assignment"]
    assert assignments == [f"{a} wees toe aan {a2}", f"{a2} pakte op"]
    # The status line no longer says the one who clicked picked it up.
    [picked_up] = signal.status_changes.filter(to_status="in_triage")
    assert picked_up.text == f"{a} wees toe aan {a2}" and "Opgepakt" not in picked_up.text


def test_entries_respect_the_viewers_scope(world, tables, registers):  # noqa: F811
    signal = full_history(world, tables, registers)
    # Another municipality's AF reaches no page at all; the sources themselves also give them nothing of their own.
    entries = timeline_for(world.af_b, signal)
    assert not [e for e in entries if e.kind == "referral"]
    [case] = [e for e in entries if e.kind == "case"]
    assert case.text == "Opgenomen in een casus" and not case.link
    [decision] = [e for e in entries if e.kind == "meeting"]
    assert decision.text == "Besluit in een overleg: Verder in de meldroute" and not decision.link


def test_the_page_costs_the_same_number_of_queries_however_long_the_timeline(client, world, tables, registers):  # noqa: F811
    short = full_history(world, tables, registers)
    long = full_history(world, tables, registers, rounds=4)
    assert len(timeline_for(world.af_a, long)) > len(timeline_for(world.af_a, short)) + 10
    client.force_login(world.af_a)
    counts = []
    for signal in (short, long):
        with CaptureQueriesContext(connection) as queries:
            assert signal_page(client, signal).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_signal_page_of_another_municipality_is_404_and_shows_no_timeline(client, world):
    signal = make_signal(world.melder_a)
    client.force_login(world.af_b)
    assert signal_page(client, signal).status_code == 404


def test_the_panels_and_the_timeline_share_their_reads(client, world, tables, registers):  # noqa: F811
    """The notes, questions, feedback and the route are shown twice on the page (a panel and the timeline; the route in
    its panel and two forms) but read once each; the timeline's route steps are a scoped read of their own."""
    signal = full_history(world, tables, registers)
    client.force_login(world.af_a)
    with CaptureQueriesContext(connection) as queries:
        page = signal_page(client, signal).content.decode()
    # The table each SELECT reads from first (its FROM; joins and subqueries come after it).
    tables = [match.group(1) for q in queries.captured_queries
              if q["sql"].startswith("SELECT") and (match := re.search(r' FROM "(\w+)"', q["sql"]))]

    def reads_of(table):
        return tables.count(table)

    assert {table: reads_of(table) for table in ("intake_feedback", "intake_informationrequest",
                                                 "triage_enrichmentnote", "routing_signalroute")} == {
        "intake_feedback": 1, "intake_informationrequest": 1, "triage_enrichmentnote": 1, "routing_signalroute": 1}
    assert reads_of("routing_signalroutestep") == 2
    # ... and what is shown is still all there, in both places.
    assert page.count("Dank voor uw melding; wij pakken het op.") == 2
    assert page.count("Hoe laat was dit?") == 2 and "Bekend bij de wijkagent." in page
    assert 'data-testid="route-steps"' in page
