"""Small fictional registers for the tests (no real businesses, addresses or areas)."""

import json


def square(x: float, y: float, size: float = 1000.0) -> list[list[list[float]]]:
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def areas_geojson(municipality_code: str = "GM8901", *, other: bool = True) -> bytes:
    features = [
        {"type": "Feature", "properties": {"wijkcode": "WK890100", "wijknaam": "Centrum",
                                           "gemeentecode": municipality_code},
         "geometry": {"type": "Polygon", "coordinates": square(100000, 400000)}},
        {"type": "Feature", "properties": {"wijkcode": "WK890101", "wijknaam": "Haven",
                                           "gemeentecode": municipality_code},
         "geometry": {"type": "Polygon", "coordinates": square(101000, 400000)}},
        {"type": "Feature", "properties": {"wijkcode": "WK890102", "wijknaam": "Polder",
                                           "gemeentecode": municipality_code},
         "geometry": {"type": "MultiPolygon", "coordinates": [square(100000, 401000), square(101500, 401500, 500)]}},
    ]
    if other:  # a national file: another municipality's wijk is skipped
        features.append({"type": "Feature", "properties": {"wijkcode": "WK999900", "wijknaam": "Elders",
                                                           "gemeentecode": "GM9999"},
                         "geometry": {"type": "Polygon", "coordinates": square(0, 0)}})
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


POSTCODES = b"Postcode;Wijkcode\n1011AA;WK890100\n1011AB;WK890100\n1012AA;WK890101\n1013;WK890102\n"

KVK = (
    "KvK-nummer;Vestigingsnummer;Handelsnaam;Straat;Huisnummer;Huisnummertoevoeging;Postcode;Plaats;"
    "SBI-code hoofdactiviteit;SBI-omschrijving hoofdactiviteit;SBI-code nevenactiviteit 1\n"
    "90000001;000090000001;Bouwbedrijf De Steiger;Kadeweg;1;;1011 AA;Aadorp;4120;Algemene burgerlijke en "
    "utiliteitsbouw;\n"
    "90000002;000090000002;Eethuis De Pan;Kadeweg;3;a;1011AA;Aadorp;56.10;Restaurants;\n"
    "90000003;000090000003;Uitzendburo Snel;Havenstraat;10;;1012AA;Aadorp;7820;Uitzendbureaus;8121\n"
    "90000004;000090000004;Boekhandel Lees;Havenstraat;12;;1012AA;Aadorp;4761;Boeken;\n"
    "90000005;000090000005;Nagelstudio Glans;Dijkweg;5;;1013 BC;Aadorp;96022;Schoonheidsverzorging;\n"
    "90000006;000090000006;Kwekerij Groen;Buitenweg;1;;9999ZZ;Aadorp;0113;Teelt groenten;\n"
).encode("cp1252")

RNI = b"Postcode;Huisnummer;Toevoeging;Aantal\n1011AA;3;A;9\n1012AA;10;;4\n1013BC;5;;12\n1011AB;1;;2\n"

VACANCIES = b"Werkgever;Postcode;Huisnummer;Functie;Aantal\nUitzendburo Snel;1012AA;10;Orderpicker;5\n" \
            b"Eethuis De Pan;1011AA;3a;Afwasser;\n"

SEX_BUSINESSES = b"Naam;Vergunningnummer;Straat;Huisnummer;Postcode;Geldig tot\nClub Fictief;SB-2026-001;" \
                 b"Kadeweg;20;1011AB;31-12-2027\n"
