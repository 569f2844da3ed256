"""Importing registers: audited (who, file, rows, reason), idempotent, a bad file imports nothing; the figures per
wijk (area assignment, signals through the blind index, suppression) and the AF's address flags (scope, access log)."""

import pytest
from django.http import Http404
from django.utils import timezone
from tests.factories import make_signal

from meldroute.audit.models import AccessLogEntry, AuditEvent
from meldroute.core.exceptions import DomainError
from meldroute.risk import selectors, services
from meldroute.risk.constants import RegisterKind
from meldroute.risk.exceptions import RegisterRejected
from meldroute.risk.figures import scan_figures, scan_map
from meldroute.risk.models import Area, Business, PostcodeArea, RegisterImport, RniAddress
from meldroute.risk.tests import samples

pytestmark = [pytest.mark.django_db]


def load(world, *kinds):
    files = {RegisterKind.AREAS: samples.areas_geojson(), RegisterKind.POSTCODES: samples.POSTCODES,
             RegisterKind.KVK: samples.KVK, RegisterKind.RNI: samples.RNI, RegisterKind.VACANCIES: samples.VACANCIES,
             RegisterKind.SEX_BUSINESSES: samples.SEX_BUSINESSES}
    for kind in kinds or files:
        services.import_register(actor=world.af_a, municipality=world.a, kind=kind, file_name=f"{kind}.csv",
                                 content=files[kind], reason="Omgevingsscan 2026")


def test_an_import_is_audited_with_who_file_rows_and_reason(world):
    result = services.import_register(actor=world.af_a, municipality=world.a, kind=RegisterKind.KVK,
                                      file_name="kvk-aadorp.csv", content=samples.KVK, reason="Levering KvK juni")
    assert not result.unchanged and result.register_import.row_count == 6
    assert Business.objects.filter(municipality=world.a).count() == 6
    event = AuditEvent.objects.order_by("-id").first()
    assert event.action == "risk.register_imported" and event.actor_id == world.af_a.pk
    assert event.target_uuid == result.register_import.uuid
    assert event.details["file_name"] == "kvk-aadorp.csv" and event.details["rows"] == 6
    assert event.details["reason"] == "Levering KvK juni" and len(event.details["sha256"]) == 64


def test_the_same_file_twice_changes_nothing(world):
    load(world, RegisterKind.KVK)
    before = (AuditEvent.objects.count(), RegisterImport.objects.count(),
              list(Business.objects.values_list("id", flat=True)))
    result = services.import_register(actor=world.af_a2, municipality=world.a, kind=RegisterKind.KVK,
                                      file_name="andere-naam.csv", content=samples.KVK, reason="Nog eens")
    assert result.unchanged
    assert (AuditEvent.objects.count(), RegisterImport.objects.count(),
            list(Business.objects.values_list("id", flat=True))) == before


def test_a_new_delivery_replaces_the_register(world):
    load(world, RegisterKind.KVK)
    services.import_register(actor=world.af_a, municipality=world.a, kind=RegisterKind.KVK, file_name="k2.csv",
                             content=b"KvK-nummer;Handelsnaam;Huisnummer;Postcode;SBI-code\n"
                                     b"90000009;Nieuw;1;1011AA;4120\n", reason="Nieuwe levering")
    assert list(Business.objects.filter(municipality=world.a).values_list("name", flat=True)) == ["Nieuw"]


def test_a_bad_file_imports_nothing_not_even_its_good_lines(world):
    load(world, RegisterKind.KVK)
    before = (AuditEvent.objects.count(), list(Business.objects.values_list("id", flat=True)))
    bad = samples.KVK + b"1234;;Kapot;x;;;1011AA;Aadorp;4120;;\n"
    with pytest.raises(RegisterRejected) as caught:
        services.import_register(actor=world.af_a, municipality=world.a, kind=RegisterKind.KVK, file_name="b.csv",
                                 content=bad, reason="Levering")
    assert caught.value.errors[0].startswith("Regel 8: ")
    assert (AuditEvent.objects.count(), list(Business.objects.values_list("id", flat=True))) == before


@pytest.mark.parametrize("who", ["af_b", "af_c", "burgemeester", "ketenregisseur", "melder_a", "beheerder"])
def test_only_the_af_of_the_municipality_imports(world, who):
    with pytest.raises(DomainError):
        services.import_register(actor=getattr(world, who), municipality=world.a, kind=RegisterKind.KVK,
                                 file_name="k.csv", content=samples.KVK, reason="x")
    assert not Business.objects.exists() and not RegisterImport.objects.exists()


def test_a_reason_is_required_and_the_postcode_table_needs_the_map(world):
    with pytest.raises(DomainError) as caught:
        services.import_register(actor=world.af_a, municipality=world.a, kind=RegisterKind.KVK, file_name="k.csv",
                                 content=samples.KVK, reason="  ")
    assert caught.value.field == "reason"
    with pytest.raises(RegisterRejected) as rejected:
        load(world, RegisterKind.POSTCODES)
    assert "Importeer eerst de wijk- en buurtkaart" in rejected.value.errors[0]


def test_a_new_map_keeps_the_postcodes_of_the_areas_still_on_it(world):
    load(world, RegisterKind.AREAS, RegisterKind.POSTCODES)
    assert PostcodeArea.objects.count() == 4
    smaller = samples.areas_geojson().replace(b"WK890102", b"WK890199")
    services.import_register(actor=world.af_a, municipality=world.a, kind=RegisterKind.AREAS, file_name="m2.json",
                             content=smaller, reason="Nieuwe kaart")
    assert sorted(PostcodeArea.objects.values_list("postcode", flat=True)) == ["1011AA", "1011AB", "1012AA"]
    assert Area.objects.filter(municipality=world.a).count() == 3


def test_the_rni_register_is_encrypted_at_rest(world):
    load(world, RegisterKind.RNI)
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT postcode FROM risk_rniaddress")
        stored = [row[0] for row in cursor.fetchall()]
    assert stored and not any("1011" in value for value in stored)
    assert RniAddress.objects.filter(registrations=9).get().postcode == "1011AA"


# --------------------------------------------------------------------------- figures


def test_businesses_are_counted_per_wijk_by_postcode_and_unknown_postcodes_apart(world):
    load(world)
    figures = scan_figures(world.a, timezone.localdate().year)
    rows = {row.code: row for row in figures.rows}
    assert rows["WK890100"].risk_businesses == 2  # construction and hospitality at 1011AA
    assert rows["WK890101"].risk_businesses == 1  # temp work (also cleaning: counted once); the bookshop is no risk
    assert rows["WK890101"].sectors == {"temp_work": 1, "cleaning": 1}
    assert rows["WK890102"].risk_businesses == 1  # nail studio at 1013BC through the four-digit area 1013
    assert rows[""].risk_businesses == 1  # the nursery at 9999ZZ lies in no wijk
    assert figures.total.risk_businesses == 5
    assert rows["WK890101"].vacancies == 5 and rows["WK890100"].sex_businesses == 1


def test_businesses_with_coordinates_are_placed_by_point_in_polygon(world):
    load(world, RegisterKind.AREAS)
    services.import_register(actor=world.af_a, municipality=world.a, kind=RegisterKind.KVK, file_name="xy.csv",
                             content=b"KvK-nummer;Handelsnaam;Huisnummer;Postcode;SBI-code;X;Y\n"
                                     b"90000001;Kas;1;9999ZZ;0113;101600,5;401600\n", reason="Met coordinaten")
    rows = {row.code: row for row in scan_figures(world.a, timezone.localdate().year).rows}
    assert rows["WK890102"].risk_businesses == 1  # the small square of the Polder's MultiPolygon


@pytest.mark.clock  # signals of the current calendar year
def test_signals_are_counted_per_wijk_through_the_postcode_index_and_small_numbers_are_hidden(world, clock):
    load(world, RegisterKind.AREAS, RegisterKind.POSTCODES)
    clock.move_to(timezone.now(), tick=False)  # all in one calendar year, also one minute before New Year
    for _ in range(6):
        make_signal(world.melder_a, postcode="1011 AA")
    for _ in range(2):
        make_signal(world.melder_a, postcode="1012AA")
    make_signal(world.melder_a, postcode="")
    make_signal(world.melder_b, postcode="1011AA")  # another municipality's signal
    figures = scan_figures(world.a, timezone.localdate().year)
    rows = {row.code: row for row in figures.rows}
    assert rows["WK890100"].signals == 6 and rows["WK890101"].signals == 2 and rows[""].signals == 1
    assert figures.total.signals == 9
    assert rows["WK890101"].signals_shown == "<5" and rows[""].signals_shown == "<5"
    assert rows["WK890102"].signals_shown == "0"
    # Two small cells in one column: the total and the 6 give away only their sum (3 = 1 + 2 or 2 + 1), so both
    # stay published (monitoring.suppression.protect audits exactly).
    assert rows["WK890100"].signals_shown == "6" and figures.total.signals_shown == "9"
    assert scan_figures(world.a, timezone.localdate().year - 1).total.signals == 0


@pytest.mark.clock
def test_the_map_colours_every_wijk_and_hatches_hidden_figures(world, clock):
    load(world, RegisterKind.AREAS, RegisterKind.POSTCODES)
    clock.move_to(timezone.now(), tick=False)
    for _ in range(2):
        make_signal(world.melder_a, postcode="1012AA")
    figures = scan_figures(world.a, timezone.localdate().year)
    svg = scan_map(figures, "signalen")
    assert svg.count("<path") == 3 and 'fill="url(#mr-hatch)"' in svg and "verborgen" in svg
    assert "Centrum" in svg and "Gemeente Aadorp" in svg
    assert scan_map(scan_figures(world.b, timezone.localdate().year), "sectoren") is None  # no map imported


# --------------------------------------------------------------------------- flags and scope


def test_the_af_sees_addresses_with_many_rni_registrations_and_a_risk_business_and_each_is_access_logged(world):
    load(world)
    before = AccessLogEntry.objects.count()
    flags = selectors.risk_flags_for(world.af_a, world.a)
    # 1011AA 3-A: 9 registrations and the restaurant; 1013BC 5: 12 and the nail studio; 1012AA 10 has only 4.
    assert [(f.postcode, f.house_number, f.registrations) for f in flags] == [("1013BC", "5", 12),
                                                                             ("1011AA", "3-A", 9)]
    assert flags[1].businesses == [("Eethuis De Pan", "90000002", ["Horeca"])]
    entries = AccessLogEntry.objects.filter(id__gt=0).order_by("-id")[:2]
    assert AccessLogEntry.objects.count() == before + 2
    assert {entry.target_type for entry in entries} == {"risk.rni_address"}
    assert all(entry.actor_id == world.af_a.pk for entry in entries)


@pytest.mark.parametrize("who", ["af_b", "af_c", "burgemeester", "ketenregisseur", "melder_a", "beheerder",
                                 "zorgcoordinator"])
def test_nobody_but_the_af_of_the_municipality_sees_the_flags(world, who):
    load(world, RegisterKind.KVK, RegisterKind.RNI)
    before = AccessLogEntry.objects.count()
    with pytest.raises(Http404):
        selectors.risk_flags_for(getattr(world, who), world.a)
    assert AccessLogEntry.objects.count() == before


def test_scope_af_and_burgemeester_their_own_ketenregisseur_the_region(world):
    assert selectors.scan_municipalities_for(world.af_a) == [world.a]
    assert selectors.scan_municipalities_for(world.burgemeester) == [world.a]
    assert selectors.scan_municipalities_for(world.ketenregisseur) == [world.a, world.b]
    with pytest.raises(Http404):
        selectors.scan_municipality_for(world.ketenregisseur, world.c.uuid)
    with pytest.raises(Http404):
        selectors.scan_municipality_for(world.af_a, world.b.uuid)
    for who in ("melder_a", "partner", "zorgcoordinator", "beheerder", "procesregisseur"):
        with pytest.raises(Http404):
            selectors.scan_municipalities_for(getattr(world, who))
