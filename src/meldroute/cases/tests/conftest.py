"""A region-1 route waiting for a case to be opened, concrete signals in municipality A, and an open case."""

import pytest

from meldroute.cases import services
from meldroute.routing import services as routing_services
from meldroute.triage import services as triage_services
from meldroute.triage.constants import Assessment

ROUTE = {
    "name": "Testroute met casus",
    "steps": [
        {"key": "casus", "position": 1, "title": "Casus openen", "actor": "af", "action": "open_case"},
        {"key": "terugkoppeling", "position": 2, "title": "Terugkoppeling aan de melder", "actor": "af",
         "action": "feedback"},
    ],
}
SECRET = "Vrouw met rood haar sliep in de loods achter Geheimpad 77."


def concrete_signal(world, reporter=None, af=None, assessment=Assessment.SUSPECTED, **data):
    from tests.factories import make_signal

    reporter = reporter or world.melder_a
    af = af or world.af_a
    signal = make_signal(reporter, **{"description": SECRET, **data})
    triage_services.classify_signal(signal, actor=af, assessment=assessment,
                                    forms=[] if assessment == Assessment.NONE else ["sexual"])
    return signal


@pytest.fixture
def route(world):
    return routing_services.install_route(world.region, ROUTE, actor=world.beheerder)


@pytest.fixture
def signal(world, route):
    return concrete_signal(world)


@pytest.fixture
def case(world, signal):
    return services.open_case(actor=world.af_a, signals=[signal], title="Nagelsalon Dorpsstraat")


@pytest.fixture
def team_case(world, case):
    """The case with a casusregisseur and a zorgcoördinator on its team."""
    from meldroute.cases.constants import CaseRole

    services.assign_member(case, actor=world.af_a, user=world.casusregisseur, role=CaseRole.CASUSREGISSEUR)
    services.assign_member(case, actor=world.af_a, user=world.zorgcoordinator, role=CaseRole.ZORGCOORDINATOR)
    return case
