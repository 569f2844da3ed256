"""The case pages: who sees what, the forms' Dutch messages with input kept, and a constant-cost list."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meldroute.audit.models import AccessLogEntry
from meldroute.cases import services
from meldroute.cases.constants import ActionStatus, CaseRole, CaseStatus, InterventionKind
from meldroute.cases.models import Case, CaseAction, Intervention

from .conftest import SECRET, concrete_signal

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

OUTSIDERS = ["af_b", "af_c", "partner", "melder_a", "ketenregisseur", "beheerder", "zorgcoordinator",
             "procesregisseur", "burgemeester"]


def login(client, user):
    client.force_login(user)
    return client


def test_the_af_opens_a_case_from_the_signal_page(client, world, signal):
    other = concrete_signal(world, reporter=world.melder_a2)
    login(client, world.af_a)
    page = client.get(reverse("triage:signal", args=[signal.uuid])).content.decode()
    assert "Dit signaal hoort nog bij geen casus." in page and reverse("cases:open", args=[signal.uuid]) in page
    form = client.get(reverse("cases:open", args=[signal.uuid])).content.decode()
    assert other.reference in form
    response = client.post(reverse("cases:open", args=[signal.uuid]),
                           {"title": "Loods Kasweg", "other_signals": [other.pk], "zvh": world.zvh.pk})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.uuid])
    assert set(case.signals.all()) == {signal, other} and case.zvh == world.zvh
    page = client.get(reverse("triage:signal", args=[signal.uuid])).content.decode()
    assert case.reference in page and "Loods Kasweg" in page


def test_opening_refused_keeps_the_input(client, world, route):
    from tests.factories import make_signal

    unclassified = make_signal(world.melder_a)
    login(client, world.af_a)
    response = client.post(reverse("cases:open", args=[unclassified.uuid]), {"title": "Mijn werktitel"})
    page = response.content.decode()
    assert response.status_code == 200 and "classificeer eerst" in page and "Mijn werktitel" in page
    assert not Case.objects.exists()


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_cannot_open_a_case_from_a_signal(client, world, signal, username):
    login(client, getattr(world, username))
    assert client.get(reverse("cases:open", args=[signal.uuid])).status_code == 404
    assert client.post(reverse("cases:open", args=[signal.uuid]), {"title": "X"}).status_code == 404
    assert not Case.objects.exists()


def test_the_case_page_for_the_af_and_the_read_is_logged(client, world, team_case, signal):
    services.add_action(team_case, actor=world.af_a, description="Bibob-toets aanvragen",
                        deadline=timezone.localdate(), owner_user=world.casusregisseur)
    overdue = services.add_action(team_case, actor=world.af_a, description="Huisbezoek",
                                  deadline=timezone.localdate(), owner_organisation=world.police)
    CaseAction.objects.filter(pk=overdue.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    services.record_intervention(actor=world.af_a, case=team_case, kind=InterventionKind.CLOSURE,
                                 decided_on=timezone.localdate())
    login(client, world.af_a)
    response = client.get(reverse("cases:detail", args=[team_case.uuid]))
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("triage:signal", args=[signal.uuid]) in page and "Bibob-toets aanvragen" in page
    assert "1 actie te laat" in page and "Sluiting van een pand" in page and "art. 174a Gemeentewet" in page
    entry = AccessLogEntry.objects.get(actor=world.af_a, target_uuid=team_case.uuid)
    assert entry.purpose == "casus inzien" and "actions" in entry.fields


def test_the_casusregisseur_sees_the_plan_but_no_link_to_the_afs_signal_page(client, world, team_case, signal):
    login(client, world.casusregisseur)
    page = client.get(reverse("cases:detail", args=[team_case.uuid])).content.decode()
    assert signal.reference in page and "Actie toevoegen" in page
    assert reverse("triage:signal", args=[signal.uuid]) not in page


def test_a_care_only_zorgcoordinator_sees_header_and_team_only(client, world, team_case, signal):
    services.add_action(team_case, actor=world.af_a, description="Bibob-toets aanvragen",
                        deadline=timezone.localdate(), owner_user=world.casusregisseur)
    services.record_intervention(actor=world.af_a, case=team_case, kind=InterventionKind.DWANGSOM,
                                 decided_on=timezone.localdate())
    login(client, world.zorgcoordinator)
    response = client.get(reverse("cases:detail", args=[team_case.uuid]))
    page = response.content.decode()
    assert response.status_code == 200 and team_case.reference in page and world.casusregisseur.last_name in page
    for hidden in (signal.reference, SECRET, "Bibob-toets aanvragen", "Last onder dwangsom", "Status wijzigen"):
        assert hidden not in page
    assert AccessLogEntry.objects.get(actor=world.zorgcoordinator, target_uuid=team_case.uuid).fields == [
        "members", "title"]
    # …and cannot reach the plan by posting to it.
    action = team_case.actions.get()
    response = client.post(reverse("cases:action_row", args=[team_case.uuid, action.uuid, "complete"]))
    assert response.status_code == 404
    assert client.post(reverse("cases:action", args=[team_case.uuid, "status"]),
                       {"status-to_status": CaseStatus.PLAN}).status_code == 200
    team_case.refresh_from_db()
    assert team_case.status == CaseStatus.OPENED


@pytest.mark.parametrize("username", [u for u in OUTSIDERS if u != "zorgcoordinator"] + ["casusregisseur"])
def test_outsiders_get_404_everywhere_and_see_nothing(client, world, case, signal, username):
    """The case has no team yet: the casusregisseur, zorgcoördinator and procesregisseur are not on it either."""
    action = services.add_action(case, actor=world.af_a, description="Geheime actie",
                                 deadline=timezone.localdate(), owner_user=world.af_a)
    services.assign_member(case, actor=world.af_a, user=world.af_a2, role=CaseRole.MEMBER)
    member = case.members.get()
    user = getattr(world, username)
    login(client, user)
    listing = client.get(reverse("cases:list") + "?weergave=all").content.decode()
    assert case.reference not in listing
    urls = [("get", reverse("cases:detail", args=[case.uuid]), {}),
            ("post", reverse("cases:action", args=[case.uuid, "status"]), {"status-to_status": CaseStatus.PLAN}),
            ("post", reverse("cases:action_row", args=[case.uuid, action.uuid, "complete"]), {}),
            ("post", reverse("cases:end_member", args=[case.uuid, member.uuid]), {}),
            ("get", reverse("api:case-detail", args=[case.uuid]), {}),
            ("get", reverse("api:case-actions", args=[case.uuid]), {}),
            ("post", reverse("api:case-change-status", args=[case.uuid]), {"to_status": CaseStatus.PLAN})]
    for method, url, data in urls:
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, url
        assert case.title not in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.OPENED and CaseAction.objects.get().status == ActionStatus.OPEN
    assert case.members.get().ended_at is None
    assert not AccessLogEntry.objects.filter(actor=user, target_uuid=case.uuid).exists()


def test_the_status_form_refuses_closing_without_result_in_dutch_and_keeps_the_input(client, world, case):
    login(client, world.af_a)
    response = client.post(reverse("cases:action", args=[case.uuid, "status"]),
                           {"status-to_status": CaseStatus.CLOSED, "status-text": "Mijn toelichting"})
    page = response.content.decode()
    assert response.status_code == 200 and "Kies het resultaat van de casus." in page and "Mijn toelichting" in page
    response = client.post(reverse("cases:action", args=[case.uuid, "status"]),
                           {"status-to_status": CaseStatus.SUSPENDED, "status-text": "Wacht op het OM"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED


@pytest.mark.parametrize("bad_date", ["2026-02-30", "31-31-2026", "0000-01-01", "20260-01-01", "gisteren"])
def test_an_impossible_date_gets_a_dutch_message_not_a_500(client, world, case, bad_date):
    login(client, world.af_a)
    response = client.post(reverse("cases:action", args=[case.uuid, "add_action"]),
                           {"add_action-description": "Mijn actie", "add_action-deadline": bad_date,
                            "add_action-owner_user": world.af_a.pk})
    page = response.content.decode()
    assert response.status_code == 200 and "Vul een geldige datum in" in page and "Mijn actie" in page
    response = client.post(reverse("cases:action", args=[case.uuid, "intervention"]),
                           {"intervention-kind": InterventionKind.BIBOB, "intervention-decided_on": bad_date})
    assert response.status_code == 200 and "Vul een geldige datum in" in response.content.decode()
    assert not CaseAction.objects.exists() and not Intervention.objects.exists()


def test_plan_forms_on_the_case_page(client, world, team_case):
    login(client, world.casusregisseur)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(reverse("cases:action", args=[team_case.uuid, "add_action"]),
                           {"add_action-description": "Intake", "add_action-deadline": past,
                            "add_action-owner_user": world.zorgcoordinator.pk})
    assert "De uiterste datum ligt in het verleden" in response.content.decode()
    response = client.post(reverse("cases:action", args=[team_case.uuid, "add_action"]),
                           {"add_action-description": "Intake", "add_action-deadline": timezone.localdate(),
                            "add_action-owner_user": world.zorgcoordinator.pk,
                            "add_action-owner_organisation": world.police.pk})
    assert "Kies één eigenaar" in response.content.decode()
    response = client.post(reverse("cases:action", args=[team_case.uuid, "add_action"]),
                           {"add_action-description": "Intake", "add_action-deadline": timezone.localdate(),
                            "add_action-owner_user": world.zorgcoordinator.pk})
    assert response.status_code == 302
    action = CaseAction.objects.get()
    prefix = f"cancel-{action.uuid.hex[:12]}"
    response = client.post(reverse("cases:action_row", args=[team_case.uuid, action.uuid, "cancel"]),
                           {f"{prefix}-reason": ""})
    assert response.status_code == 200 and "Geef de reden op waarom de actie vervalt." in response.content.decode()
    # The owner — a care-only zorgcoördinator — sees their own action and completes it from the case page.
    login(client, world.zorgcoordinator)
    page = client.get(reverse("cases:detail", args=[team_case.uuid])).content.decode()
    assert "Intake" in page and "Actie afronden" in page and "Laten vervallen" not in page
    prefix = f"complete-{action.uuid.hex[:12]}"
    response = client.post(reverse("cases:action_row", args=[team_case.uuid, action.uuid, "complete"]),
                           {f"{prefix}-note": "Gedaan"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and "Gedaan" in action.note


def test_team_and_complexity_forms(client, world, case):
    login(client, world.af_a)
    response = client.post(reverse("cases:action", args=[case.uuid, "member"]),
                           {"member-role": CaseRole.PROCESREGISSEUR, "member-user": world.procesregisseur.pk})
    assert "leg eerst vast waarom deze casus complex is" in response.content.decode()
    response = client.post(reverse("cases:action", args=[case.uuid, "complex"]), {})
    assert "Kies minstens één criterium" in response.content.decode()
    assert client.post(reverse("cases:action", args=[case.uuid, "complex"]),
                       {"complex-criteria": ["high_safety_risk"]}).status_code == 302
    assert client.post(reverse("cases:action", args=[case.uuid, "member"]),
                       {"member-role": CaseRole.PROCESREGISSEUR,
                        "member-user": world.procesregisseur.pk}).status_code == 302
    member = case.members.get()
    assert client.post(reverse("cases:end_member", args=[case.uuid, member.uuid])).status_code == 302
    member.refresh_from_db()
    assert member.ended_at is not None


def test_my_cases_lists_overdue_actions_without_their_text(client, world, team_case):
    action = services.add_action(team_case, actor=world.af_a, description="Geheim bezoek",
                                 deadline=timezone.localdate(), owner_user=world.casusregisseur)
    CaseAction.objects.filter(pk=action.pk).update(deadline=timezone.localdate() - timedelta(days=2))
    login(client, world.casusregisseur)
    page = client.get(reverse("cases:list")).content.decode()
    assert "Uw acties die te laat zijn" in page and team_case.reference in page
    assert "Geheim bezoek" not in page and SECRET not in page
    assert 'class="mr-overdue">1<' in page


def test_the_case_list_costs_the_same_number_of_queries_for_many_cases(client, world, route):
    login(client, world.af_a)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("cases:list") + "?weergave=all").status_code == 200
        return len(captured)

    services.open_case(actor=world.af_a, signals=[concrete_signal(world)], title="Eerste")
    one = queries()
    for i in range(6):
        case = services.open_case(actor=world.af_a, signals=[concrete_signal(world)], title=f"Casus {i}")
        services.add_action(case, actor=world.af_a, description="X", deadline=timezone.localdate(),
                            owner_user=world.af_a)
    assert queries() == one


def test_interventions_page_for_the_af_only(client, world, case):
    services.record_intervention(actor=world.af_a, municipality=world.a, kind=InterventionKind.OVERBEWONING,
                                 decided_on=timezone.localdate(), address="Kasweg 3, Aadorp")
    services.record_intervention(actor=world.af_a, case=case, kind=InterventionKind.BIBOB,
                                 decided_on=timezone.localdate())
    login(client, world.af_a)
    page = client.get(reverse("cases:interventions")).content.decode()
    assert "Kasweg 3, Aadorp" in page and case.reference in page and "Handhaving overbewoning" in page
    response = client.post(reverse("cases:interventions"),
                           {"new-kind": InterventionKind.DWANGSOM, "new-decided_on": "2026-13-01",
                            "new-address": "Dorpsstraat 1"})
    page = response.content.decode()
    assert response.status_code == 200 and "Vul een geldige datum in" in page and "Dorpsstraat 1" in page
    response = client.post(reverse("cases:interventions"),
                           {"new-kind": InterventionKind.DWANGSOM, "new-decided_on": timezone.localdate().isoformat()})
    assert "Vul een adres, bedrijfsnaam of KvK-nummer in" in response.content.decode()
    address_only = Intervention.objects.get(case__isnull=True)
    response = client.post(reverse("cases:intervention_result", args=[address_only.uuid]),
                           {"result-result": "Bewoning teruggebracht"})
    assert response.status_code == 302
    address_only.refresh_from_db()
    assert address_only.result == "Bewoning teruggebracht"
    for username in ("af_b", "af_c"):  # AFs elsewhere have their own (here empty) overview
        login(client, getattr(world, username))
        page = client.get(reverse("cases:interventions")).content.decode()
        assert "Kasweg" not in page and case.reference not in page
    for username in ("af_b", "af_c", "partner", "casusregisseur", "beheerder", "ketenregisseur"):
        login(client, getattr(world, username))
        if username not in ("af_b", "af_c"):
            assert client.get(reverse("cases:interventions")).status_code == 404
        assert client.post(reverse("cases:intervention_result", args=[address_only.uuid]),
                           {"result-result": "x"}).status_code == 404
    address_only.refresh_from_db()
    assert address_only.result == "Bewoning teruggebracht"


def test_a_result_as_long_as_the_browser_allows_is_kept_though_its_line_breaks_travel_as_two(client, world):
    intervention = services.record_intervention(actor=world.af_a, municipality=world.a, kind=InterventionKind.BIBOB,
                                                decided_on=timezone.localdate(), address="Kasweg 3, Aadorp")
    # 4000 characters as the textarea counts them (a line break is one), 4099 as the browser sends them (CRLF).
    lines = ["x" * 39] * 100
    typed = "\n".join(lines)[:4_000]
    login(client, world.af_a)
    response = client.post(reverse("cases:intervention_result", args=[intervention.uuid]),
                           {"result-result": typed.replace("\n", "\r\n")})
    assert response.status_code == 302
    intervention.refresh_from_db()
    assert intervention.result == typed.strip()
