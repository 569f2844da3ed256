"""The rules of policy follow-up: the basisniveau from Meldroute's data and from recordings, its history ("since
when"), training coverage of the front-line teams, dated action updates, overdue reminders to the owner, the
evaluation cadence — every write audited, nothing written outside the scope."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from tests.factories import UserFactory

from meldroute.accounts.constants import Role
from meldroute.audit.models import AuditEvent
from meldroute.core.exceptions import DomainError
from meldroute.notifications.constants import Kind
from meldroute.notifications.models import Notification
from meldroute.policy import selectors, services
from meldroute.policy.constants import FRONT_LINE_TEAMS, ActionStatus, ActivityKind, Level, Part, Requirement
from meldroute.policy.models import ActionPoint, LevelChange, PartRecording
from meldroute.routing import services as routing_services

pytestmark = [pytest.mark.django_db, pytest.mark.clock]  # dates relative to the set clock


def _today():
    return timezone.localdate()


def _train_all(actor, municipality, on=None):
    return services.register_training(actor=actor, municipality=municipality, title="E-learning",
                                      provider="riec_elearning", held_on=on or _today(),
                                      teams=list(FRONT_LINE_TEAMS), participants=40)


def _meet_everything(world, municipality, af):
    routing_services.install_preset(world.region, "noord-midden-limburg", actor=world.beheerder)
    services.record_part(actor=af, municipality=municipality, part=Part.POLICY_ADOPTED, met=True,
                         evidence="Vastgesteld door de raad", document="Beleidsplan 2026", evidence_on=_today())
    _train_all(af, municipality)


def test_what_meldroute_knows_is_filled_in_two_afs_are_appointed_and_achtervang(world):
    state = selectors.basisniveau_of(world.a)  # two AFs in A
    af = state.requirement(Requirement.AF)
    assert af.level == Level.MET
    assert all(p.derived for p in af.parts)
    one_af = selectors.basisniveau_of(world.b).requirement(Requirement.AF)
    assert one_af.level == Level.PARTLY  # B has one AF: no achtervang in Meldroute


def test_a_recording_can_say_met_where_the_data_does_not_but_never_the_reverse(world):
    services.record_part(actor=world.af_b, municipality=world.b, part=Part.ACHTERVANG, met=True,
                         evidence="Achtervang door de AF van Aadorp (convenant)", evidence_on=_today())
    assert selectors.basisniveau_of(world.b).requirement(Requirement.AF).level == Level.MET
    services.record_part(actor=world.af_a, municipality=world.a, part=Part.AF_APPOINTED, met=False,
                         evidence="onjuist", evidence_on=_today())
    assert selectors.basisniveau_of(world.a).requirement(Requirement.AF).level == Level.MET


def test_policy_adopted_needs_its_document_and_the_evidence_is_audited(world):
    with pytest.raises(DomainError) as error:
        services.record_part(actor=world.af_a, municipality=world.a, part=Part.POLICY_ADOPTED, met=True,
                             evidence="Vastgesteld", evidence_on=_today())
    assert error.value.field == "document"
    services.record_part(actor=world.af_a, municipality=world.a, part=Part.POLICY_ADOPTED, met=True,
                         evidence="Vastgesteld", document="Nota 2026-12", evidence_on=_today())
    assert selectors.basisniveau_of(world.a).requirement(Requirement.POLICY).level == Level.MET
    event = AuditEvent.objects.get(action="policy.part_recorded")
    assert event.actor_id == world.af_a.pk and event.details["part"] == Part.POLICY_ADOPTED


def test_a_future_evidence_date_is_refused_at_the_field(world):
    with pytest.raises(DomainError) as error:
        services.record_part(actor=world.af_a, municipality=world.a, part=Part.ACHTERVANG, met=True,
                             evidence="x", evidence_on=_today() + timedelta(days=1))
    assert error.value.field == "evidence_on"
    assert PartRecording.objects.count() == 0


@pytest.mark.parametrize("who", ["af_b", "af_c", "burgemeester", "melder_a", "zorgcoordinator", "partner"])
def test_no_one_outside_the_scope_records_and_nothing_is_written(world, who):
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError):
        services.record_part(actor=getattr(world, who), municipality=world.a, part=Part.ACHTERVANG, met=True,
                             evidence="x", evidence_on=_today())
    with pytest.raises(DomainError):
        _train_all(getattr(world, who), world.a)
    assert AuditEvent.objects.count() == before
    assert PartRecording.objects.count() == 0


def test_the_ketenregisseur_records_for_every_municipality_of_its_region_only(world):
    services.record_part(actor=world.ketenregisseur, municipality=world.b, part=Part.ACHTERVANG, met=True,
                         evidence="Afspraak", evidence_on=_today())
    with pytest.raises(DomainError):
        services.record_part(actor=world.ketenregisseur, municipality=world.c, part=Part.ACHTERVANG, met=True,
                             evidence="Afspraak", evidence_on=_today())


def test_the_overview_says_who_meets_it_since_when_and_keeps_the_history(world, clock):
    assert selectors.basisniveau_of(world.a).level == Level.PARTLY
    _meet_everything(world, world.a, world.af_a)
    state = selectors.basisniveau_of(world.a)
    assert state.level == Level.MET and state.since == _today()
    clock.shift(timedelta(days=400))  # the training is older than 12 months now
    services.refresh_levels()
    later = selectors.basisniveau_of(world.a)
    assert later.level == Level.PARTLY and later.missing == [Requirement.SIGNALLING]
    assert later.since == _today()
    assert [c.level for c in LevelChange.objects.filter(municipality=world.a).order_by("id")][-2:] == [
        Level.MET, Level.PARTLY]


def test_actieve_signalering_misses_without_trainings_and_names_the_overdue_teams(world):
    routing_services.install_preset(world.region, "noord-midden-limburg", actor=world.beheerder)
    services.register_training(actor=world.af_a, municipality=world.a, title="Balie", provider="comensha",
                               held_on=_today() - timedelta(days=30), teams=["balie", "kcc"], participants=12,
                               with_experts=True)
    coverage = selectors.training_coverage(world.a)
    assert {t.team for t in coverage.overdue} == set(FRONT_LINE_TEAMS) - {"balie", "kcc"}
    signalling = selectors.basisniveau_of(world.a).requirement(Requirement.SIGNALLING)
    assert signalling.level == Level.PARTLY  # the route is known, the teams are not all trained


def test_a_training_a_year_and_a_day_ago_no_longer_covers_the_team(world):
    today = _today()
    services.register_training(actor=world.af_a, municipality=world.a, title="Oud", provider="own",
                               held_on=today - timedelta(days=366), teams=["balie"], participants=5)
    services.register_training(actor=world.af_a, municipality=world.a, title="Net", provider="own",
                               held_on=today - timedelta(days=365), teams=["kcc"], participants=5)
    covered = {t.team: t.covered for t in selectors.training_coverage(world.a, today).teams}
    assert covered["balie"] is False and covered["kcc"] is True


def test_team_visits_count_against_twice_a_year_and_activities_are_counted(world):
    for days in (10, 100):
        services.register_activity(actor=world.af_a, municipality=world.a, kind=ActivityKind.TEAM_VISIT,
                                   held_on=_today() - timedelta(days=days), team="balie")
    services.register_activity(actor=world.af_a, municipality=world.a, kind=ActivityKind.FLYER,
                               held_on=_today(), count=200, languages="Nederlands, Pools, Roemeens")
    teams = {t.team: t for t in selectors.training_coverage(world.a).teams}
    assert teams["balie"].visits == 2 and not teams["balie"].visits_short and teams["kcc"].visits_short
    counts = {k: (n, c) for k, n, c in selectors.activity_counts(world.a, _today() - timedelta(days=365), _today())}
    assert counts[ActivityKind.FLYER] == (1, 200) and counts[ActivityKind.TEAM_VISIT] == (2, 2)
    with pytest.raises(DomainError) as error:
        services.register_activity(actor=world.af_a, municipality=world.a, kind=ActivityKind.TEAM_VISIT,
                                   held_on=_today())
    assert error.value.field == "team"


def _action(world, **kwargs):
    values = {"region": world.region, "plan": "Plan", "theme": "Bewustwording", "number": "1", "action": "Trainen",
              "who": "AF", "when_text": "x"}
    values.update(kwargs)
    return ActionPoint.objects.create(**values)


def test_dated_updates_form_the_history_and_the_newest_date_sets_the_status(world):
    action = _action(world, municipality=world.a, deadline=_today() + timedelta(days=10))
    services.update_action(actor=world.af_a, action=action, status=ActionStatus.IN_PROGRESS,
                           happened_on=_today(), note="Gestart")
    services.update_action(actor=world.af_a, action=action, status=ActionStatus.OPEN,
                           happened_on=_today() - timedelta(days=20), note="Nagekomen")
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS  # a late entry about an earlier date does not overrule
    assert action.updates.count() == 2
    assert AuditEvent.objects.filter(action="policy.action_updated").count() == 2


def test_only_the_scope_updates_an_action(world):
    regional = _action(world, owner=world.af_a)
    services.update_action(actor=world.af_a, action=regional, status=ActionStatus.DONE, happened_on=_today())
    with pytest.raises(DomainError):
        services.update_action(actor=world.af_b, action=regional, status=ActionStatus.OPEN, happened_on=_today())
    with pytest.raises(DomainError):
        services.update_action(actor=world.burgemeester, action=regional, status=ActionStatus.OPEN,
                               happened_on=_today())
    services.update_action(actor=world.ketenregisseur, action=regional, status=ActionStatus.IN_PROGRESS,
                           happened_on=_today())


def test_an_overdue_action_is_reminded_to_its_owner_once(world):
    action = _action(world, owner=world.af_a, deadline=_today() - timedelta(days=1))
    assert services.send_action_reminders() == 1
    assert services.send_action_reminders() == 0
    note = Notification.objects.get(kind=Kind.POLICY_ACTION_OVERDUE)
    assert note.user == world.af_a and "Actiepunt 1" in note.text
    action.refresh_from_db()
    assert action.reminded_due == _today() - timedelta(days=1)
    assert AuditEvent.objects.filter(action="policy.action_reminder_sent").count() == 1


def test_without_an_owner_the_reminder_goes_to_the_ketenregisseur_or_the_municipalitys_afs(world):
    _action(world, number="1", deadline=_today() - timedelta(days=1))
    _action(world, number="2", municipality=world.b, deadline=_today() - timedelta(days=1))
    services.send_action_reminders()
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"ketenregisseur", "af_b"}


def test_a_recurrence_is_due_again_one_interval_after_its_last_dated_update(world, clock):
    action = _action(world, owner=world.af_a, per_year=2, continuous=True)
    services.update_action(actor=world.af_a, action=action, status=ActionStatus.IN_PROGRESS, happened_on=_today())
    action.refresh_from_db()
    assert action.next_due() == _today() + timedelta(days=182)
    assert not action.is_overdue(_today())
    clock.shift(timedelta(days=183))
    assert services.send_action_reminders() == 1


def test_finished_actions_are_never_overdue(world):
    action = _action(world, deadline=date(2020, 1, 1), status=ActionStatus.DONE)
    assert not action.is_overdue(_today())
    assert services.send_action_reminders() == 0


def test_the_cadence_is_configuration_per_region_by_its_ketenregisseur(world):
    cadence = services.set_cadence(actor=world.ketenregisseur, region=world.region, every_months=24,
                                   last_evaluated_on=date(2026, 1, 15), source="Seed 000 §5.2")
    assert cadence.next_evaluation_on() == date(2028, 1, 15)
    with pytest.raises(DomainError):
        services.set_cadence(actor=world.af_a, region=world.region, every_months=12, last_evaluated_on=None)
    with pytest.raises(DomainError) as error:
        services.set_cadence(actor=world.ketenregisseur, region=world.region, every_months=0, last_evaluated_on=None)
    assert error.value.field == "every_months"
    other = UserFactory(username="keten2", organisation=world.police2, roles=[Role.KETENREGISSEUR])
    with pytest.raises(DomainError):
        services.set_cadence(actor=other, region=world.region, every_months=12, last_evaluated_on=None)


def test_region_goals_are_recorded_per_municipality(world):
    goal = services.add_region_goal(actor=world.ketenregisseur, region=world.region,
                                    title="De gemeenten hebben een intern meldpunt", source="Seed 000 §2.2")
    services.record_part(actor=world.af_a, municipality=world.a, part=Part.GOAL, goal=goal, met=True,
                         evidence="Meldpunt op intranet", evidence_on=_today())
    state = selectors.basisniveau_of(world.a)
    assert [g.met for g in state.goals] == [True]
    assert [g.met for g in selectors.basisniveau_of(world.b).goals] == [False]


def test_the_daily_level_job_runs_once_a_day_through_the_worker(world, clock):
    from meldroute.core.jobs import run_due_jobs

    results = run_due_jobs()
    assert results.get(services.LEVELS_JOB, 0) >= 1  # a first LevelChange for the municipalities
    assert run_due_jobs().get(services.LEVELS_JOB, 0) == 0  # the same day: nothing to do
    assert LevelChange.objects.filter(municipality=world.a).count() == 1


def test_the_ketenregisseurs_home_shows_who_meets_the_basisniveau(world, client, django_assert_max_num_queries):
    from meldroute.policy.home import basisniveau_panel

    _meet_everything(world, world.a, world.af_a)
    services.refresh_level(world.b)
    with django_assert_max_num_queries(2):
        panel = basisniveau_panel(world.ketenregisseur, _today())
    assert panel.figures[0].value == "1/2"
    assert [row.text for row in panel.rows] == ["Gemeente Beekstad"]
    assert basisniveau_panel(world.af_a, _today()) is None
    from meldroute.core.home_panels import register

    # as policy's ready() does (a homes test puts its placeholder back after replacing it)
    register(Role.KETENREGISSEUR, "basisniveau", basisniveau_panel, order=20)
    client.force_login(world.ketenregisseur)
    page = client.get("/").content.decode()
    assert "Gemeente Beekstad" in page and "Overzicht basisniveau" in page
