"""Register answers become notes others read: in Dutch, the language of record (core.language), also when the AF who
asked works in English."""

import pytest
from django.utils import translation
from tests.factories import make_signal

from meldroute.triage import fake_services, services

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

PURPOSE = "Controle identiteit voor triage"


def test_register_notes_asked_in_english_are_written_in_dutch(world, registers):
    signal = make_signal(world.melder_a)
    with translation.override("en"):
        person = services.lookup_brp(signal, actor=world.af_a, purpose=PURPOSE, bsn=fake_services.fake_bsn(11))
        business = services.lookup_kvk(signal, actor=world.af_a, purpose=PURPOSE, kvk_number="99123456")
    assert person.text.startswith("BRP, persoon met BSN eindigend op "), person.text
    assert ", geboren " in person.text and "born" not in person.text
    assert business.text.startswith("KvK: ") and "Ingeschreven sinds " in business.text, business.text
