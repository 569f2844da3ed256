"""The demo's fictional persons go through the services: encrypted, pseudonymised, with care and a bedenktijd."""

import random

import pytest

from meldroute.care.models import CareTrajectory, ReflectionPeriod
from meldroute.demo.seed_persons import fake_bsn, seed_persons_and_care
from meldroute.persons.models import Person
from meldroute.triage.adapters.brp import is_valid_bsn

from .helpers import make_case

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def test_fake_bsns_pass_the_elfproef():
    rng = random.Random(1)
    assert all(is_valid_bsn(fake_bsn(rng)) for _ in range(200))


def test_seed_adds_persons_care_and_a_bedenktijd(world):
    cases = [make_case(world, reference=f"CS-GM8901-2026-{n:03d}", zorgcoordinator=n % 2 == 0) for n in range(1, 5)]
    users = {"af_a": world.af_a, "zorgcoordinator": world.zorgcoordinator}
    counts = seed_persons_and_care(cases, users, random.Random(2026))
    assert counts["persons"] == Person.objects.count() >= 4
    assert counts["trajectories"] == CareTrajectory.objects.count() == 4
    assert ReflectionPeriod.objects.exists()
    assert all(p.pseudonym.split()[0] in {"Slachtoffer", "Verdachte"} for p in Person.objects.all())
