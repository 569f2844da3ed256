"""The register parsers: KvK, RNI, vacancies, sex businesses, postcode table and the CBS map; Dutch errors per line."""

from meldroute.risk import parsers
from meldroute.risk.tests import samples


def test_a_kvk_extract_in_windows_1252_with_sbi_codes_in_two_columns_is_read():
    parsed = parsers.parse_kvk(samples.KVK)
    assert parsed.errors == []
    assert len(parsed.rows) == 6
    first, second, third = parsed.rows[:3]
    assert (first.kvk_number, first.postcode, first.house_number, first.sbi_codes) == ("90000001", "1011AA", "1",
                                                                                      ("4120",))
    assert second.house_number == "3-A" and second.sbi_codes == ("5610",)  # "56.10" without the dot
    assert third.sbi_codes == ("7820", "8121")  # main and secondary activity


def test_a_kvk_line_with_bad_values_is_named_by_line_and_the_file_yields_no_rows_to_import():
    content = (b"KvK-nummer;Handelsnaam;Huisnummer;Postcode;SBI-code\n"
               b"1234;Bedrijf;1;1011AA;4120\n"
               b"90000001;Ander;x;1011AA;41x0\n"
               b"90000002;;2;10AA;4120\n")
    parsed = parsers.parse_kvk(content)
    assert parsed.rows == []
    assert "Regel 2: het KvK-nummer ‘1234’ moet uit 8 cijfers bestaan." in parsed.errors
    assert "Regel 3: ‘x’ is geen geldig huisnummer." in parsed.errors
    assert any(e.startswith("Regel 3: ‘41x0’ is geen SBI-code") for e in parsed.errors)
    assert "Regel 4: de handelsnaam ontbreekt." in parsed.errors
    assert "Regel 4: ‘10AA’ is geen geldige postcode (zoals 1234 AB)." in parsed.errors


def test_a_coordinate_that_is_no_number_is_an_error_at_its_line():
    parsed = parsers.parse_kvk(b"KvK-nummer;Handelsnaam;Huisnummer;Postcode;SBI-code;X;Y\n"
                               b"90000001;A;1;1011AA;4120;abc;400000\n90000002;B;2;1011AA;4120;nan;400000\n")
    assert parsed.rows == []
    assert parsed.errors == ["Regel 2: ‘abc’ is geen coördinaat (een getal, zoals 155000 of 52,1).",
                             "Regel 3: ‘nan’ is geen coördinaat (een getal, zoals 155000 of 52,1)."]


def test_missing_columns_are_named_once():
    parsed = parsers.parse_kvk(b"Naam;Plaats\nBedrijf;Aadorp\n")
    assert "De kolom ‘KvK-nummer’ ontbreekt in de kopregel." in parsed.errors
    assert "De kolom ‘Postcode’ ontbreekt in de kopregel." in parsed.errors
    assert parsed.rows == []


def test_an_empty_file_and_a_duplicate_establishment_are_refused():
    assert parsers.parse_kvk(b"").errors == ["Het bestand is leeg."]
    twice = (b"KvK-nummer;Vestigingsnummer;Handelsnaam;Huisnummer;Postcode;SBI-code\n"
             b"90000001;000090000001;A;1;1011AA;4120\n90000001;000090000001;A;1;1011AA;4120\n")
    assert parsers.parse_kvk(twice).errors == ["Regel 3: deze vestiging staat ook al op regel 2."]


def test_rni_is_counted_per_address_with_or_without_a_count_column_and_other_columns_are_not_kept():
    per_address = parsers.parse_rni(samples.RNI)
    assert per_address.errors == []
    assert {(r.postcode, r.house_number, r.registrations) for r in per_address.rows} >= {("1011AA", "3-A", 9)}
    per_person = parsers.parse_rni(b"Naam;Geboortedatum;Postcode;Huisnummer\nA;1990-01-01;1011AA;3\n"
                                   b"B;1991-01-01;1011 aa;3\nC;1992-01-01;1012AA;10\n")
    assert per_person.errors == []
    assert sorted((r.postcode, r.house_number, r.registrations) for r in per_person.rows) == [
        ("1011AA", "3", 2), ("1012AA", "10", 1)]
    assert not any("A" == getattr(r, "name", None) for r in per_person.rows)


def test_rni_with_a_count_column_refuses_an_address_twice_and_a_bad_count():
    parsed = parsers.parse_rni(b"Postcode;Huisnummer;Aantal\n1011AA;3;4\n1011AA;3;2\n1012AA;1;veel\n")
    assert parsed.errors == ["Regel 3: dit adres staat ook al op regel 2.",
                             "Regel 4: het aantal ‘veel’ moet een heel getal zijn."]


def test_vacancies_and_sex_businesses():
    vacancies = parsers.parse_vacancies(samples.VACANCIES)
    assert vacancies.errors == [] and [v.count for v in vacancies.rows] == [5, 1]
    sex = parsers.parse_sex_businesses(samples.SEX_BUSINESSES)
    assert sex.errors == [] and sex.rows[0].valid_until.isoformat() == "2027-12-31"
    bad = parsers.parse_sex_businesses(b"Naam;Vergunningnummer;Huisnummer;Postcode;Geldig tot\nX;;1;1011AA;morgen\n")
    assert bad.errors == ["Regel 2: het vergunningnummer ontbreekt.",
                          "Regel 2: ‘morgen’ is geen datum (zoals 31-12-2027)."]


def test_the_postcode_table_takes_six_positions_and_four_digit_areas_on_the_map_only():
    parsed = parsers.parse_postcodes(samples.POSTCODES, {"WK890100", "WK890101", "WK890102"})
    assert parsed.errors == []
    assert [(r.postcode, r.area_code) for r in parsed.rows][-1] == ("1013", "WK890102")
    unknown = parsers.parse_postcodes(b"PC6;Buurtcode\n1011AA;BU00000001\n", {"WK890100"})
    assert unknown.errors == ["Regel 2: de wijk of buurt ‘BU00000001’ staat niet op de geïmporteerde kaart."]


def test_the_cbs_map_keeps_this_municipalitys_wijken_and_skips_the_others():
    parsed = parsers.parse_areas(samples.areas_geojson(), "GM8901")
    assert parsed.errors == []
    assert [(a.code, a.name, a.kind) for a in parsed.rows] == [
        ("WK890100", "Centrum", "wijk"), ("WK890101", "Haven", "wijk"), ("WK890102", "Polder", "wijk")]
    assert parsed.skipped == 1
    assert len(parsed.rows[2].geometry) == 2  # a MultiPolygon


def test_a_broken_map_is_refused_with_a_dutch_message():
    assert parsers.parse_areas(b"{not json", "GM8901").errors == [
        "Het bestand is geen geldige GeoJSON (JSON kon niet gelezen worden)."]
    assert parsers.parse_areas(b'{"type": "Feature"}', "GM8901").errors == [
        "Het bestand is geen GeoJSON FeatureCollection."]
    bad_geometry = (b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
                    b'{"wijkcode": "WK1", "wijknaam": "X"}, "geometry": {"type": "Point", "coordinates": [1, 2]}}]}')
    assert parsers.parse_areas(bad_geometry, "GM8901").errors == [
        "Gebied WK1: de geometrie is geen geldige (Multi)Polygon."]
    assert parsers.parse_areas(samples.areas_geojson("GM9998", other=False), "GM8901").errors == [
        "Het bestand bevat geen wijken of buurten van deze gemeente (gemeentecode GM8901)."]


def test_postcodes_and_house_numbers_are_normalised():
    assert parsers.normalise_postcode(" 1234 ab ") == "1234AB"
    assert parsers.normalise_postcode("1234") is None
    assert parsers.normalise_postcode("1234", allow_pc4=True) == "1234"
    assert parsers.normalise_postcode("0123AB") is None
    assert parsers.normalise_house_number("12", "a") == parsers.normalise_house_number("12a") == "12-A"
    assert parsers.normalise_house_number("12-2") == "12-2" != parsers.normalise_house_number("122")
