"""The route API: a region's beheerder reads, exports and proposes routes (drafts, put in use by a second person);
everyone else gets a structured 404."""

import json

import pytest
from tests.factories import UserFactory, make_api_token, make_signal

from meldroute.accounts.constants import Role
from meldroute.audit.models import AuditEvent
from meldroute.routing import services
from meldroute.routing.models import RouteDefinition, RouteDraft, SignalRoute
from meldroute.routing.presets import load_preset
from meldroute.routing.yaml_io import dump_route

pytestmark = pytest.mark.django_db

ROUTES = "/api/v1/routes/"


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {make_api_token(user)}"}


def post(client, url, payload, user, **extra):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(url, data=body, content_type="application/json", **auth(user), **extra)


def install(world, slug="west-friesland"):
    return services.install_preset(world.region, slug, actor=world.beheerder)


def versions(world) -> list[int]:
    return list(RouteDefinition.objects.filter(region=world.region).order_by("version")
                .values_list("version", flat=True))


def test_list_shows_the_regions_versions_with_signal_counts(client, world):
    v1 = install(world)
    make_signal(world.melder_a)
    install(world, "zoeterwoude")
    response = client.get(ROUTES, **auth(world.beheerder))
    assert response.status_code == 200
    rows = response.json()
    assert [(r["version"], r["is_active"], r["preset"]) for r in rows] == [(2, True, "zoeterwoude"),
                                                                           (1, False, "west-friesland")]
    assert rows[1]["id"] == str(v1.uuid) and rows[1]["signals"] == 1 and rows[1]["signals_open"] == 1
    assert rows[0]["signals"] == 0 and rows[0]["region"] == "regio-een" and rows[0]["steps"] > 0


def test_detail_is_the_route_as_data(client, world):
    definition = install(world)
    response = client.get(f"{ROUTES}{definition.uuid}/", **auth(world.beheerder))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(definition.uuid) and body["version"] == 1 and body["is_active"] is True
    assert {k: body[k] for k in ("name", "preset", "description", "source", "steps")} == (
        services.route_as_data(definition))


def test_yaml_export_is_an_audited_attachment(client, world):
    definition = install(world)
    response = client.get(f"{ROUTES}{definition.uuid}/yaml/", **auth(world.beheerder))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/yaml")
    assert response["Content-Disposition"] == 'attachment; filename="meldroute-regio-een-v1.yaml"'
    assert response.content.decode() == dump_route(definition)
    assert AuditEvent.objects.filter(action="route.exported", target_uuid=definition.uuid,
                                     actor=world.beheerder).count() == 1


def publish(client, draft_body, user):
    return client.post(draft_body["publish"], content_type="application/json", **auth(user))


@pytest.fixture
def beheerder2(world):
    return UserFactory(username="beheerder2", organisation=world.a, roles=[Role.BEHEERDER])


def test_posted_route_data_is_a_draft_until_a_second_person_publishes_it(client, world, beheerder2):
    v1 = install(world)
    signal = make_signal(world.melder_a)
    before = list(SignalRoute.objects.get(signal=signal).steps.values_list("key", "state", "title"))
    data = load_preset("noord-midden-limburg")

    drafted = post(client, ROUTES, data, world.beheerder)

    assert drafted.status_code == 202, drafted.content
    assert drafted.json()["status"] == "draft" and drafted.json()["base_version"] == 1
    assert versions(world) == [1]  # nothing in use yet
    own = publish(client, drafted.json(), world.beheerder)
    assert own.status_code == 403 and own.json()["code"] == "forbidden"  # never the one who made it
    assert versions(world) == [1]

    response = publish(client, drafted.json(), beheerder2)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == 2 and body["is_active"] is True and body["name"] == data["name"]
    assert versions(world) == [1, 2]
    route = SignalRoute.objects.get(signal=signal)
    assert route.definition_id == v1.id
    assert list(route.steps.values_list("key", "state", "title")) == before
    assert AuditEvent.objects.filter(action="route.installed", target_uuid=body["id"], actor=beheerder2).exists()
    assert AuditEvent.objects.filter(action="route.draft_saved", actor=world.beheerder).exists()


def test_the_ketenregisseur_may_publish_an_api_draft_and_other_regions_get_404(client, world):
    install(world)
    drafted = post(client, ROUTES, load_preset("zoeterwoude"), world.beheerder).json()
    other = UserFactory(username="beheerder_c", organisation=world.c, roles=[Role.BEHEERDER])
    for outsider in (other, world.af_a, world.melder_a):
        assert publish(client, drafted, outsider).status_code == 404
    assert RouteDraft.objects.get().status == "draft"

    assert publish(client, drafted, world.ketenregisseur).status_code == 201
    assert versions(world) == [1, 2]
    assert publish(client, drafted, world.ketenregisseur).status_code == 400  # decided already


def test_the_detail_of_an_older_version_can_be_posted_back_as_a_draft(client, world, beheerder2):
    definition = install(world, "zoeterwoude")
    install(world, "west-friesland")
    detail = client.get(f"{ROUTES}{definition.uuid}/", **auth(world.beheerder)).json()
    drafted = post(client, ROUTES, detail, world.beheerder)
    assert drafted.status_code == 202
    response = publish(client, drafted.json(), beheerder2)
    again = RouteDefinition.objects.get(uuid=response.json()["id"])
    assert services.route_as_data(again) == services.route_as_data(definition)


def test_posting_the_route_in_use_again_is_a_400_nothing_changed(client, world):
    definition = install(world, "zoeterwoude")
    detail = client.get(f"{ROUTES}{definition.uuid}/", **auth(world.beheerder)).json()
    response = post(client, ROUTES, detail, world.beheerder)
    assert response.status_code == 400 and "niets gewijzigd" in response.json()["errors"]["steps"][0]


@pytest.mark.parametrize("change, field, message", [
    (lambda d: d["steps"][0].update(actor="buurman"), "steps", "Stap 1: onbekende actor 'buurman'"),
    (lambda d: d["steps"][1].update(key=d["steps"][0]["key"]), "steps", "komt twee keer voor"),
    (lambda d: d["steps"][0].update(when={"regen": True}), "steps", "Stap 1: onbekend routekenmerk 'regen'"),
    (lambda d: d.update(name=""), "name", "Geef de meldroute een naam."),
    (lambda d: d.update(steps="geen lijst"), "steps", "minstens één stap"),
])
def test_invalid_route_data_is_a_structured_400_at_the_field(client, world, change, field, message):
    install(world)
    data = load_preset("west-friesland")
    change(data)
    response = post(client, ROUTES, data, world.beheerder)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and body["code"] == "invalid"
    assert message in body["errors"][field][0]
    assert versions(world) == [1]


@pytest.mark.parametrize("payload", ["[1, 2]", "{kapot", "[" * 5000 + "]" * 5000, json.dumps({"name": "x" * 210_000})])
def test_malformed_bodies_are_structured_400s(client, world, payload):
    response = post(client, ROUTES, payload, world.beheerder)
    assert response.status_code == 400
    assert response.json()["status"] == 400
    assert versions(world) == []


def test_choosing_a_preset_drafts_it(client, world, beheerder2):
    response = post(client, f"{ROUTES}preset/", {"preset": "noord-midden-limburg"}, world.beheerder)
    assert response.status_code == 202
    assert versions(world) == []
    published = publish(client, response.json(), beheerder2)
    active = RouteDefinition.objects.get(region=world.region, is_active=True)
    assert published.json()["id"] == str(active.uuid) and active.preset == "noord-midden-limburg"


@pytest.mark.parametrize("payload", [{"preset": "amsterdam"}, {}, {"preset": ["zoeterwoude"]}])
def test_an_unknown_preset_is_a_400(client, world, payload):
    response = post(client, f"{ROUTES}preset/", payload, world.beheerder)
    assert response.status_code == 400
    assert "standaardroutes" in response.json()["errors"]["preset"][0]
    assert versions(world) == []


def test_a_session_works_too(client, world):
    install(world)
    client.force_login(world.beheerder)
    assert client.get(ROUTES).status_code == 200


OUTSIDERS = ["af_a", "melder_a", "partner", "ketenregisseur", "burgemeester", "casusregisseur"]


@pytest.mark.parametrize("username", [*OUTSIDERS, "beheerder_c"])
def test_others_get_a_structured_404_everywhere(client, world, username):
    definition = install(world)
    user = (UserFactory(username="beheerder_c", organisation=world.c, roles=[Role.BEHEERDER])
            if username == "beheerder_c" else getattr(world, username))
    calls = [client.get(f"{ROUTES}{definition.uuid}/", **auth(user)),
             client.get(f"{ROUTES}{definition.uuid}/yaml/", **auth(user))]
    if username != "beheerder_c":  # the other region's beheerder manages their own region through these
        calls += [client.get(ROUTES, **auth(user)),
                  post(client, ROUTES, load_preset("zoeterwoude"), user),
                  post(client, f"{ROUTES}preset/", {"preset": "zoeterwoude"}, user)]
    for response in calls:
        assert response.status_code == 404, response.request["PATH_INFO"]
        assert response.json() == {"status": 404, "code": "not_found", "detail": response.json()["detail"],
                                   "errors": {}}
        assert "West-Friesland" not in response.content.decode()
    assert versions(world) == [1]
    assert not AuditEvent.objects.filter(action="route.exported").exists()


def test_the_other_regions_beheerder_lists_and_installs_only_in_their_region(client, world):
    install(world)
    other = UserFactory(username="beheerder_c", organisation=world.c, roles=[Role.BEHEERDER])
    assert client.get(ROUTES, **auth(other)).json() == []
    assert post(client, f"{ROUTES}preset/", {"preset": "zoeterwoude"}, other).status_code == 202
    assert RouteDraft.objects.get().region == world.region2
    assert versions(world) == [1]


def test_a_bad_id_is_a_404(client, world):
    install(world)
    assert client.get(f"{ROUTES}niet-een-uuid/", **auth(world.beheerder)).status_code == 404


def test_anonymous_is_refused(client, world):
    assert client.get(ROUTES).status_code in (401, 403)
