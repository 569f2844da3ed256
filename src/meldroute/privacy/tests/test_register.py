"""The register of processing (AVG art. 30) is generated from the configuration: a sharing rule or a retention term
changed is in the register at once; on screen, as PDF and as CSV, for the FG only, the exports audited."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meldroute.audit.models import AuditEvent
from meldroute.partners.constants import DataCategory, LegalGround, PartnerType
from meldroute.partners.models import DirectoryEntry, SharingRule
from meldroute.partners.services import ensure_default_sharing_rules
from meldroute.privacy import services
from meldroute.privacy.register import build_register, register_csv

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture
def configured(world):
    ensure_default_sharing_rules()
    DirectoryEntry.objects.create(region=world.region, partner_type=PartnerType.SHOP, name="SHOP Testregio",
                                  email="contact@shop.example", forms=["sexual"])


def _rules(register, partner_type):
    receiver = next(r for r in register.receivers if r.partner_type == partner_type)
    return {rule.category: (rule.text, rule.regional) for rule in receiver.rules}, receiver


def test_register_lists_purposes_bases_subjects_data_receivers_retention_and_security(world, configured):
    register = build_register(world.region)
    assert register.controllers == ["Gemeente Aadorp", "Gemeente Beekstad"]
    names = [a.name for a in register.activities]
    assert "Signalen ontvangen en beoordelen" in names and "Zorg en opvang voor slachtoffers" in names
    signals = register.activities[0]
    assert "Publieke taak (AVG art. 6 lid 1 sub e)" in signals.legal_bases
    assert "wat heeft u gezien of gehoord" in signals.data  # the model's own field names
    cases = next(a for a in register.activities if a.name.startswith("Casusregie"))
    assert "BSN" in cases.data and any("Politie" in r for r in cases.receivers)
    _rules_shop, shop = _rules(register, PartnerType.SHOP)
    assert shop.organisations == ["SHOP Testregio"]
    assert register.retention and any(t.key == "case_closed" for t in register.retention)
    assert any("Tweestapsverificatie" in m for m in register.security)


def test_a_changed_sharing_rule_is_in_the_register_at_once(world, configured):
    before, _receiver = _rules(build_register(world.region), PartnerType.POLICE)
    label = str(DataCategory.PERSONS.label)
    assert before[label][1] is False
    SharingRule.objects.create(region=world.region, partner_type=PartnerType.POLICE, category=DataCategory.PERSONS,
                               grounds=[LegalGround.RIEC_COVENANT], source="Regionaal convenant (test)")
    after, _receiver = _rules(build_register(world.region), PartnerType.POLICE)
    assert after[label] == ("alleen op grond van: RIEC-convenant", True)
    # another region keeps the national rule
    other, _receiver = _rules(build_register(world.region2), PartnerType.POLICE)
    assert other[label] == before[label]


def test_a_changed_retention_term_is_in_the_register_at_once(world, configured, settings):
    term = next(t for t in build_register(world.region).retention if t.key == "case_closed")
    assert term.term.startswith("60 maanden")
    settings.MELDROUTE = {**settings.MELDROUTE, "RETENTION": {**settings.MELDROUTE["RETENTION"], "case_closed": 36}}
    register = build_register(world.region)
    term = next(t for t in register.retention if t.key == "case_closed")
    assert term.term.startswith("36 maanden")
    cases = next(a for a in register.activities if a.name.startswith("Casusregie"))
    assert any("36 maanden" in r for r in cases.retention)
    assert "36 maanden" in register_csv(register)


def test_register_page_and_exports_for_the_fg_audited(client, fg, configured):
    client.force_login(fg)
    page = client.get(reverse("privacy:register"))
    assert page.status_code == 200 and "SHOP Testregio" in page.content.decode()
    events = AuditEvent.objects.count()
    csv_response = client.get(reverse("privacy:register_export", args=["csv"]))
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    assert "SHOP Testregio" in csv_response.content.decode("utf-8-sig")
    pdf_response = client.get(reverse("privacy:register_export", args=["pdf"]))
    assert pdf_response.status_code == 200 and pdf_response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_response.content)).pages)
    assert "SHOP Testregio" in text and "Register van verwerkingen" in text
    assert list(AuditEvent.objects.filter(id__gt=events).values_list("action", "details__format")) == [
        ("privacy.register_exported", "csv"), ("privacy.register_exported", "pdf")]
    assert client.get(reverse("privacy:register_export", args=["xlsx"])).status_code == 404


def test_export_register_refuses_an_unknown_format_at_its_field(fg, configured):
    from meldroute.core.exceptions import DomainError

    with pytest.raises(DomainError) as refused:
        services.export_register(actor=fg, fmt="xml")
    assert refused.value.field == "format"


def test_the_command_prints_the_register_as_markdown_or_csv(world, configured):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("processing_register", "regio-een", stdout=out)
    assert out.getvalue().startswith("### Register van verwerkingen — Regio Een") and "SHOP Testregio" in out.getvalue()
    out = StringIO()
    call_command("processing_register", "regio-een", "--csv", stdout=out)
    assert out.getvalue().startswith("onderdeel;onderwerp;kenmerk;waarde")
    with pytest.raises(CommandError):
        call_command("processing_register", "nergens")


def test_a_partner_type_that_may_receive_no_personal_data_is_no_receiver_of_the_activities(world, configured):
    from meldroute.partners.constants import PERSONAL_CATEGORIES

    referrals = next(a for a in build_register(world.region).activities if a.name.startswith("Doorverwijzen"))
    assert "Politie (AVIM)" in referrals.receivers
    for category in PERSONAL_CATEGORIES:
        SharingRule.objects.create(region=world.region, partner_type=PartnerType.POLICE, category=category, grounds=[])
    register = build_register(world.region)
    referrals = next(a for a in register.activities if a.name.startswith("Doorverwijzen"))
    assert "Politie (AVIM)" not in referrals.receivers
    police, _receiver = _rules(register, PartnerType.POLICE)  # still in the table: the summary may go
    assert police[str(DataCategory.PERSONS.label)] == ("nooit", True)


def test_every_retention_rule_ends_some_processing_activity(world, configured):
    """A retention rule added for a new kind of record shows in the activity whose models hold it; one that matches
    no activity fails here, so the register cannot silently forget it."""
    register = build_register(world.region)
    named = {line for a in register.activities for line in a.retention}
    assert register.retention
    for term in register.retention:
        assert f"{term.record_type}: {term.term}" in named, term.key
