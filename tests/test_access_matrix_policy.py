"""Policy's pages in the access matrix (issue 15): the ketenregisseur sees every municipality of its region, the AF and
the burgemeester their own; everyone else — and every one of them outside that — gets 404 and writes nothing. Writes
are the ketenregisseur's (its region) and the AF's (its municipality); the burgemeester reads. Bad input keeps the
input with a Dutch message at the field."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meldroute.audit.models import AuditEvent
from meldroute.policy.constants import ActionStatus
from meldroute.policy.models import ActionPoint, ActionUpdate, Activity, PartRecording, Training

pytestmark = [pytest.mark.django_db, pytest.mark.clock]  # dates relative to the set clock

NO_POLICY_ROLE = ["melder_a", "melder_a2", "melder_b", "partner", "partner2", "zorgcoordinator", "procesregisseur",
                  "casusregisseur", "beheerder"]


@pytest.fixture
def setting(world):
    regional = ActionPoint.objects.create(region=world.region, plan="Plan", theme="Bewustwording", number="1",
                                          action="Trainen", who="AF", when_text="Doorlopend", continuous=True)
    own_b = ActionPoint.objects.create(region=world.region, municipality=world.b, plan="Plan B", theme="T",
                                       number="1", action="Flyers", who="AF", when_text="Doorlopend", continuous=True)
    other_region = ActionPoint.objects.create(region=world.region2, plan="Plan C", theme="T", number="1",
                                              action="X", who="AF", when_text="Doorlopend", continuous=True)
    return world, regional, own_b, other_region


def _state():
    return (AuditEvent.objects.count(), PartRecording.objects.count(), Training.objects.count(),
            Activity.objects.count(), ActionUpdate.objects.count(), ActionPoint.objects.count())


def _today():
    return timezone.localdate().isoformat()


def _pages(world, municipality, action):
    m = municipality.uuid
    return [
        ("get", reverse("policy:overview"), None),
        ("get", reverse("policy:actions"), None),
        ("get", reverse("policy:import"), None),
        ("post", reverse("policy:import"), {"plan": "P", "reason": "r", "text": "Actiepunten T\n1\tA\tB\tDoorlopend\tC",
                                             "step": "import"}),
        ("post", reverse("policy:cadence"), {"every_months": "12"}),
        ("post", reverse("policy:add_goal"), {"title": "Doel"}),
        ("get", reverse("policy:municipality", args=[m]), None),
        ("post", reverse("policy:record_part", args=[m]), {"part": "achtervang", "met": "1", "evidence": "x",
                                                           "evidence_on": _today()}),
        ("get", reverse("policy:trainings", args=[m]), None),
        ("post", reverse("policy:add_training", args=[m]), {"title": "T", "provider": "own", "held_on": _today(),
                                                             "teams": ["balie"], "participants": "3"}),
        ("post", reverse("policy:add_activity", args=[m]), {"kind": "flyer", "held_on": _today(), "count": "1"}),
        ("get", reverse("policy:action", args=[action.uuid]), None),
        ("post", reverse("policy:action", args=[action.uuid]), {"status": "done", "happened_on": _today()}),
        ("post", reverse("policy:action_owner", args=[action.uuid]), {"owner": "af_a"}),
    ]


def _call(client, method, url, data):
    return getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)


@pytest.mark.parametrize("who", NO_POLICY_ROLE)
def test_every_policy_page_is_404_for_roles_without_policy_and_writes_nothing(client, setting, who):
    world, regional, _own_b, _other = setting
    client.force_login(getattr(world, who))
    before = _state()
    for method, url, data in _pages(world, world.a, regional):
        assert _call(client, method, url, data).status_code == 404, (who, method, url)
    assert _state() == before


@pytest.mark.parametrize("who", ["af_a", "burgemeester", "af_c"])
def test_another_municipality_or_region_is_404_for_the_af_and_the_burgemeester(client, setting, who):
    world, regional, own_b, _other = setting
    client.force_login(getattr(world, who))
    before = _state()
    target = world.c if who != "af_c" else world.a
    for method, url, data in _pages(world, target, own_b if who != "af_c" else regional)[6:]:
        assert _call(client, method, url, data).status_code == 404, (who, method, url)
    assert _state() == before


def test_the_ketenregisseur_gets_404_for_a_municipality_of_another_region(client, setting):
    world, _regional, _own_b, other_region = setting
    client.force_login(world.ketenregisseur)
    before = _state()
    for method, url, data in _pages(world, world.c, other_region)[6:]:
        assert _call(client, method, url, data).status_code == 404, (method, url)
    assert _state() == before


def test_the_ketenregisseur_sees_every_municipality_of_its_region_and_records(client, setting):
    world, regional, own_b, _other = setting
    client.force_login(world.ketenregisseur)
    page = client.get(reverse("policy:overview")).content.decode()
    assert "Gemeente Aadorp" in page and "Gemeente Beekstad" in page and "Gemeente Cederveen" not in page
    actions = client.get(reverse("policy:actions")).content.decode()
    assert "Trainen" in actions and "Flyers" in actions and ">X<" not in actions
    response = client.post(reverse("policy:record_part", args=[world.b.uuid]),
                           {"part": "achtervang", "met": "1", "evidence": "Convenant", "evidence_on": _today()})
    assert response.status_code == 302
    assert PartRecording.objects.get().recorded_by == world.ketenregisseur
    response = client.post(reverse("policy:action", args=[own_b.uuid]), {"status": "in_progress",
                                                                        "happened_on": _today(), "note": "Gestart"})
    assert response.status_code == 302
    own_b.refresh_from_db()
    assert own_b.status == ActionStatus.IN_PROGRESS
    assert client.post(reverse("policy:cadence"), {"every_months": "24"}).status_code == 302


def test_the_af_sees_its_own_municipality_and_the_regions_plan_and_records_for_its_own(client, setting):
    world, regional, own_b, _other = setting
    client.force_login(world.af_a)
    page = client.get(reverse("policy:overview")).content.decode()
    assert "Gemeente Aadorp" in page and "Gemeente Beekstad" not in page
    actions = client.get(reverse("policy:actions")).content.decode()
    assert "Trainen" in actions and "Flyers" not in actions
    assert client.get(reverse("policy:action", args=[own_b.uuid])).status_code == 404
    response = client.post(reverse("policy:add_training", args=[world.a.uuid]),
                           {"title": "Basistraining", "provider": "comensha", "held_on": _today(),
                            "teams": ["balie", "kcc"], "participants": "14"})
    assert response.status_code == 302
    assert Training.objects.get().teams == ["balie", "kcc"]
    # the regional plan's action the AF does not own: it reads, it does not update
    before = _state()
    assert client.post(reverse("policy:action", args=[regional.uuid]),
                       {"status": "done", "happened_on": _today()}).status_code == 404
    assert client.post(reverse("policy:cadence"), {"every_months": "12"}).status_code == 404
    assert _state() == before


def test_the_burgemeester_reads_but_does_not_record(client, setting):
    world, regional, _own_b, _other = setting
    client.force_login(world.burgemeester)
    assert client.get(reverse("policy:municipality", args=[world.a.uuid])).status_code == 200
    assert client.get(reverse("policy:trainings", args=[world.a.uuid])).status_code == 200
    assert client.get(reverse("policy:action", args=[regional.uuid])).status_code == 200
    before = _state()
    for method, url, data in _pages(world, world.a, regional):
        if method == "post":
            assert _call(client, method, url, data).status_code == 404, url
    assert _state() == before


def test_anonymous_visitors_are_sent_to_the_login_page(client, setting):
    world, regional, _own_b, _other = setting
    for method, url, data in _pages(world, world.a, regional):
        response = _call(client, method, url, data)
        assert response.status_code == 302 and "/inloggen/" in response["Location"], url


def test_bad_input_keeps_the_input_with_a_dutch_message_at_the_field(client, setting):
    world, regional, _own_b, _other = setting
    client.force_login(world.af_a)
    before = _state()
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(reverse("policy:record_part", args=[world.a.uuid]),
                           {"part": "policy_adopted", "met": "1", "evidence": "Raadsbesluit", "evidence_on": future})
    page = response.content.decode()
    assert response.status_code == 200 and "Raadsbesluit" in page
    assert "Noem het vastgestelde beleidsdocument" in page or "toekomst" in page
    response = client.post(reverse("policy:add_training", args=[world.a.uuid]),
                           {"title": "Training X", "provider": "own", "held_on": "gisteren", "participants": "nul"})
    page = response.content.decode()
    assert response.status_code == 200 and "Training X" in page
    assert "Vul een geldige datum in" in page and "Kies ten minste één team" in page and "heel getal" in page
    response = client.post(reverse("policy:import"), {"plan": "P", "reason": "r", "step": "preview",
                                                      "text": "Actiepunten T\n1\tActie\tAF\tbinnenkort\t"})
    page = response.content.decode()
    assert response.status_code == 200 and "Regel 2" in page and "binnenkort" in page
    assert _state() == before


def test_the_import_previews_first_and_imports_on_confirmation(client, setting):
    world, _regional, _own_b, _other = setting
    client.force_login(world.ketenregisseur)
    text = "Actiepunten Opvang\t\t\t\t\n1\tRoute afspreken\tZorgcoördinator\t01-01-2027\tCapaciteit\n"
    response = client.post(reverse("policy:import"), {"plan": "Plan R", "reason": "Vastgesteld", "text": text,
                                                      "step": "preview"})
    assert response.status_code == 200 and "Route afspreken" in response.content.decode()
    assert not ActionPoint.objects.filter(plan="Plan R").exists()
    response = client.post(reverse("policy:import"), {"plan": "Plan R", "reason": "Vastgesteld", "text": text,
                                                      "step": "import"})
    assert response.status_code == 302
    assert ActionPoint.objects.get(plan="Plan R").municipality is None


def test_an_uploaded_csv_is_previewed_then_imported_with_its_file_name_in_the_audit(client, setting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    world, _regional, _own_b, _other = setting
    client.force_login(world.af_a)
    upload = SimpleUploadedFile("acties-aadorp.csv", b"nummer;thema;actie;wie;wanneer\n"
                                b"1;Bewustwording;Flyers in vier talen;AF;2e helft 2026\n")
    response = client.post(reverse("policy:import"), {"plan": "Plan A", "reason": "Eigen plan", "file": upload,
                                                      "step": "preview"})
    page = response.content.decode()
    assert response.status_code == 200 and "Flyers in vier talen" in page and "acties-aadorp.csv" in page
    assert not ActionPoint.objects.filter(plan="Plan A").exists()
    payload = response.context["form"].initial
    response = client.post(reverse("policy:import"), {**payload, "step": "import"})
    assert response.status_code == 302
    action = ActionPoint.objects.get(plan="Plan A")
    assert action.municipality == world.a and action.period_end.month == 12
    event = AuditEvent.objects.filter(action="policy.actions_imported").latest("id")
    assert event.details["file"] == "acties-aadorp.csv" and event.details["created"] == 1


@pytest.mark.parametrize(("who", "shown"), [("ketenregisseur", True), ("af_a", True), ("burgemeester", True),
                                            ("melder_a", False), ("zorgcoordinator", False)])
def test_the_menu_offers_beleid_to_the_roles_that_see_it(client, setting, who, shown):
    world = setting[0]
    client.force_login(getattr(world, who))
    page = client.get(reverse("partners:directory"))
    assert ((reverse("policy:overview"), "Beleid") in page.context["nav_items"]) is shown


def test_the_ketenregisseur_names_an_actions_owner_from_its_region_only(client, setting):
    world, regional, _own_b, _other = setting
    client.force_login(world.ketenregisseur)
    assert client.post(reverse("policy:action_owner", args=[regional.uuid]), {"owner": "af_b"}).status_code == 302
    regional.refresh_from_db()
    assert regional.owner == world.af_b
    response = client.post(reverse("policy:action_owner", args=[regional.uuid]), {"owner": "af_c"})
    assert response.status_code == 200 and "Kies iemand uit deze regio." in response.content.decode()
    regional.refresh_from_db()
    assert regional.owner == world.af_b
    assert AuditEvent.objects.filter(action="policy.action_owner_set").count() == 1


def test_effort_is_shown_per_period_and_a_bad_period_falls_back_to_the_last_12_months(client, setting):
    world = setting[0]
    client.force_login(world.af_a)
    url = reverse("policy:municipality", args=[world.a.uuid])
    year = timezone.localdate().year
    page = client.get(url, {"jaar": str(year - 1)}).content.decode()
    assert f"van 1 januari {year - 1} tot en met 31 december {year - 1}" in page
    response = client.get(url, {"jaar": "abc"})
    assert response.status_code == 200 and "Laatste 12 maanden" in response.content.decode()
