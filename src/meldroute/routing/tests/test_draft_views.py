"""The route editor's pages: the step table, the draft with its changes and dry run, publishing and refusing."""

import pytest
from django.urls import reverse
from tests.factories import UserFactory

from meldroute.accounts.constants import Role
from meldroute.audit.models import AuditEvent
from meldroute.routing import drafts, services
from meldroute.routing.constants import DraftStatus
from meldroute.routing.draft_views import _row, rearranged
from meldroute.routing.models import RouteDefinition, RouteDraft
from meldroute.routing.tests.test_drafts import ROUTE, changed_route

pytestmark = [pytest.mark.django_db]

EDITOR = reverse("routing:draft_edit")
DRAFTS = reverse("routing:drafts")


@pytest.fixture
def world2(world):
    world.beheerder2 = UserFactory(username="beheerder2", organisation=world.b, roles=[Role.BEHEERDER])
    services.install_route(world.region, ROUTE, actor=world.beheerder)
    return world


def form_data(route: dict, *, base_version=1, **overrides) -> dict:
    """The editor's POST for `route`; overrides as {"<row>-<field>": value} or meta fields."""
    rows = [_row(step) for step in route["steps"]]
    data = {"name": route["name"], "description": route.get("description", ""), "source": route.get("source", ""),
            "base_version": base_version, "steps-TOTAL_FORMS": len(rows), "steps-INITIAL_FORMS": len(rows),
            "steps-MIN_NUM_FORMS": 0, "steps-MAX_NUM_FORMS": 1000, "do": "save"}
    for index, row in enumerate(rows):
        data.update({f"steps-{index}-{name}": value for name, value in row.items()})
    data.update({(f"steps-{k}" if k[:1].isdigit() else k): v for k, v in overrides.items()})
    return data


def counts():
    return RouteDraft.objects.count(), RouteDefinition.objects.count(), AuditEvent.objects.count()


# --- The step table ---------------------------------------------------------------------------------------

def test_the_editor_shows_the_route_in_use_as_a_table_with_dropdowns(client, world2):
    client.force_login(world2.beheerder)
    response = client.get(EDITOR)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert [form.initial["key"] for form in formset.forms] == [s["key"] for s in ROUTE["steps"]]
    body = response.content.decode()
    assert 'name="steps-0-deadline"' in body and '<option value="wd1" selected>Binnen 1 werkdag</option>' in body
    assert "Alleen als: acuut" in body  # the condition dropdown reads in Dutch
    assert "Stappen met hetzelfde volgnummer lopen tegelijk" in body  # help per column


def test_adding_and_moving_rows_redraws_the_table_and_stores_nothing(client, world2):
    client.force_login(world2.beheerder)
    before = counts()

    added = client.post(EDITOR, form_data(ROUTE, do="add", **{"0-title": "Gewijzigd, nog niet bewaard"}))
    moved = client.post(EDITOR, form_data(ROUTE, do="up-1"))

    assert added.status_code == moved.status_code == 200
    rows = [form.initial for form in added.context["formset"].forms]
    assert len(rows) == len(ROUTE["steps"]) + 1 and rows[-1]["position"] == 5 and rows[-1]["title"] == ""
    assert rows[0]["title"] == "Gewijzigd, nog niet bewaard"  # the input is kept
    order = [(form.initial["key"], form.initial["position"]) for form in moved.context["formset"].forms][:2]
    assert order == [("acuut", "1"), ("oppakken", "2")]
    assert counts() == before


def test_rearranging_keeps_parallel_rows_together():
    rows = [{"key": k, "position": p} for k, p in (("a", 1), ("b", 2), ("c", 2))]
    assert [(r["key"], r["position"]) for r in rearranged(rows, "down-1")] == [("a", 1), ("c", 2), ("b", 2)]
    assert rearranged(rows, "up-0") == rows and rearranged(rows, "down-9") == rows and rearranged(rows, "x") == rows


def test_saving_a_changed_deadline_makes_a_draft_not_a_version(client, world2):
    client.force_login(world2.beheerder)
    before = counts()

    response = client.post(EDITOR, form_data(ROUTE, **{"0-deadline": "wd3"}))

    draft = RouteDraft.objects.get()
    assert response.status_code == 302 and response.url == reverse("routing:draft", args=[draft.uuid])
    assert draft.data["steps"][0]["deadline"] == {"working_days": 3} and draft.drafted_by == world2.beheerder
    assert counts() == (before[0] + 1, before[1], before[2] + 1)
    assert RouteDefinition.objects.get(is_active=True).steps.get(key="oppakken").deadline_working_days == 1


def test_removing_reordering_and_a_parallel_group_are_saved(client, world2):
    client.force_login(world2.beheerder)
    data = form_data(ROUTE, **{"2-DELETE": "on", "3-position": "2", "4-position": "3"})
    data.update({"steps-TOTAL_FORMS": 6, "steps-5-position": "1", "steps-5-title": "Nieuwe eerste stap",
                 "steps-5-actor": "af", "steps-5-action": "decide", "steps-5-condition": "{}",
                 "steps-5-deadline": "h24"})

    assert client.post(EDITOR, data).status_code == 302

    steps = RouteDraft.objects.get().data["steps"]
    assert [(s["key"], s["position"]) for s in steps] == [("oppakken", 1), ("nieuwe-eerste-stap", 1), ("acuut", 2),
                                                          ("zorg", 2), ("terugkoppelen", 3)]
    assert steps[1]["deadline"] == {"hours": 24}


@pytest.mark.parametrize("overrides, field, message", [
    ({"1-title": ""}, "title", "Geef de stap een titel."),
    ({"1-position": "nul"}, "position", "Een volgnummer is een heel getal vanaf 1."),
    ({"1-actor": "koning"}, "actor", "Kies een van de rollen."),
    ({"1-action": "meeting", "1-target": ""}, "target", "Kies bij een overlegstap"),
    ({"1-action": "pick_up", "1-target": "police"}, "target", "hoort geen ketenpartner"),
    ({"1-condition": '{"acute": "misschien"}'}, "condition", "Kies een van de voorwaarden."),
    ({"1-deadline": "wd9999"}, "deadline", "Kies een van de termijnen."),
])
def test_bad_input_is_named_at_the_field_in_dutch_and_kept(client, world2, overrides, field, message):
    client.force_login(world2.beheerder)
    before = counts()

    response = client.post(EDITOR, form_data(ROUTE, **overrides))

    assert response.status_code == 200 and counts() == before
    errors = response.context["formset"].forms[1].errors
    assert message in " ".join(errors[field])
    assert 'value="Signaal oppakken"' in response.content.decode()


def test_an_unchanged_route_or_an_empty_name_is_refused_in_dutch(client, world2):
    client.force_login(world2.beheerder)
    before = counts()
    unchanged = client.post(EDITOR, form_data(ROUTE))
    nameless = client.post(EDITOR, form_data(ROUTE, name=""))
    assert "niets gewijzigd" in unchanged.content.decode()
    assert "Geef de meldroute een naam." in nameless.content.decode()
    assert counts() == before


def test_every_row_deleted_is_refused(client, world2):
    client.force_login(world2.beheerder)
    response = client.post(EDITOR, form_data(ROUTE, **{f"{i}-DELETE": "on" for i in range(len(ROUTE["steps"]))}))
    assert response.status_code == 200 and "minstens één stap" in response.content.decode()
    assert not RouteDraft.objects.exists()


def test_a_stale_editor_is_refused(client, world2):
    client.force_login(world2.beheerder)
    response = client.post(EDITOR, form_data(ROUTE, base_version=0, **{"0-deadline": "wd3"}))
    assert response.status_code == 200 and "Intussen is versie 1" in response.content.decode()
    assert not RouteDraft.objects.exists()


def test_the_editor_continues_the_open_draft(client, world2):
    drafts.save_draft(world2.region, changed_route(7), actor=world2.beheerder2)
    client.force_login(world2.beheerder)
    response = client.get(EDITOR)
    assert response.context["formset"].forms[0].initial["deadline"] == "wd7"
    assert "U bewerkt het open concept" in response.content.decode()


# --- The draft page -----------------------------------------------------------------------------------------

@pytest.fixture
def open_draft(world2):
    return drafts.save_draft(world2.region, changed_route(3), actor=world2.beheerder)


def test_the_draft_shows_its_difference_from_the_version_in_use(client, world2, open_draft):
    client.force_login(world2.beheerder2)
    response = client.get(reverse("routing:draft", args=[open_draft.uuid]))
    assert response.status_code == 200
    [change] = response.context["changes"]
    assert change["key"] == "oppakken"
    assert change["fields"] == [{"label": "termijn", "old": "binnen 1 werkdag", "new": "binnen 3 werkdagen"}]


@pytest.mark.clock
def test_a_sample_signal_walks_through_the_draft_and_nothing_is_written(client, world2, open_draft):
    client.force_login(world2.beheerder2)
    before = counts()
    response = client.get(reverse("routing:draft", args=[open_draft.uuid]),
                          {"acute": "ja", "side": "victim", "minor": "nee", "prostitution": "nee", "decision": ""})
    assert response.status_code == 200 and counts() == before
    walk = response.context["walk"]
    applied = [(g["order"], [(v.key, v.who, v.deadline) for v, applies, _a in g["steps"] if applies])
               for g in walk if g["order"]]
    assert applied == [(1, [("oppakken", "Aandachtsfunctionaris", "binnen 3 werkdagen")]),
                       (2, [("acuut", "Aandachtsfunctionaris", "binnen 4 uur")]),
                       (3, [("zorg", "Aandachtsfunctionaris Zorg, Werk en Inkomen (slachtoffersignalen)",
                             "binnen 5 werkdagen")]),
                       (4, [("terugkoppelen", "Aandachtsfunctionaris", "binnen 10 werkdagen")])]
    assert response.context["walk_active"][0]["steps"][0][0].deadline == "binnen 1 werkdag"


def test_a_bad_sample_is_named_at_the_field(client, world2, open_draft):
    client.force_login(world2.beheerder2)
    response = client.get(reverse("routing:draft", args=[open_draft.uuid]),
                          {"acute": "wellicht", "side": "iets", "minor": "nee", "prostitution": "nee"})
    assert response.status_code == 200 and response.context["walk"] is None
    assert "Kies een soort signaal uit de lijst." in response.content.decode()


def test_the_maker_sees_no_publish_button_and_a_post_is_refused(client, world2, open_draft):
    client.force_login(world2.beheerder)
    page = client.get(reverse("routing:draft", args=[open_draft.uuid]))
    assert 'data-testid="publish"' not in page.content.decode()
    before = counts()
    response = client.post(reverse("routing:draft_publish", args=[open_draft.uuid]))
    assert response.status_code == 409 and "een andere beheerder of de ketenregisseur" in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize("publisher", ["beheerder2", "ketenregisseur"])
def test_a_second_person_publishes_the_draft(client, world2, open_draft, publisher):
    client.force_login(getattr(world2, publisher))
    response = client.post(reverse("routing:draft_publish", args=[open_draft.uuid]))
    assert response.status_code == 302
    open_draft.refresh_from_db()
    assert open_draft.status == DraftStatus.PUBLISHED and open_draft.published_as.version == 2
    page = client.get(response.url)
    assert "versie 2 van de meldroute is nu in gebruik" in page.content.decode()


def test_refusing_needs_a_reason_at_the_field(client, world2, open_draft):
    client.force_login(world2.ketenregisseur)
    url = reverse("routing:draft_refuse", args=[open_draft.uuid])
    empty = client.post(url, {"reason": "  "})
    assert empty.status_code == 200 and "Schrijf kort waarom" in empty.content.decode()
    assert client.post(url, {"reason": "Termijn te kort"}).status_code == 302
    open_draft.refresh_from_db()
    assert open_draft.status == DraftStatus.REFUSED and open_draft.decision_reason == "Termijn te kort"


def test_the_list_and_the_manage_page_point_to_the_open_draft(client, world2, open_draft):
    client.force_login(world2.ketenregisseur)
    assert str(open_draft.uuid) in client.get(DRAFTS).content.decode()
    client.force_login(world2.beheerder2)
    assert reverse("routing:draft", args=[open_draft.uuid]) in client.get(reverse("routing:manage")).content.decode()


@pytest.mark.parametrize("data", [
    {"name": "X", "do": "save"},  # no management form
    {"name": "X", "do": "save", "steps-TOTAL_FORMS": "abc", "steps-INITIAL_FORMS": "0"},
    {"name": "X", "do": "add", "steps-TOTAL_FORMS": "99999", "steps-INITIAL_FORMS": "0"},
    {"name": "X", "do": "up-abc", "steps-TOTAL_FORMS": "1", "steps-INITIAL_FORMS": "1", "steps-0-position": "x"},
    {"name": "X" * 500, "do": "save", "steps-TOTAL_FORMS": "1", "steps-INITIAL_FORMS": "1", "steps-0-position": "1",
     "steps-0-title": "\x00", "steps-0-actor": "af", "steps-0-action": "pick_up", "steps-0-condition": "{}"},
    {"do": "save", "steps-TOTAL_FORMS": "201", "steps-INITIAL_FORMS": "0"},
])
def test_a_mangled_table_is_answered_with_a_page_never_a_500_and_stores_nothing(client, world2, data):
    client.force_login(world2.beheerder)
    before = counts()
    response = client.post(EDITOR, data)
    assert response.status_code == 200 and counts() == before
