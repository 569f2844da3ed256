"""The demo's omgevingsscan (issue 15, I1): for each Veenhorst municipality a made-up wijk map (three simple
polygons, no real geometry), a postcode table, a KvK extract, vacancies, RNI counts per address and licensed sex
businesses — every name, address and number fictional — imported through the real service by the municipality's AF,
so the imports are audited as a user's would be. The demo signals' postcodes (demo_postcode) lie in these wijken.
"""

from __future__ import annotations

import json
from typing import Any

from meldroute.accounts.models import User
from meldroute.organisations.models import Organisation
from meldroute.risk import services
from meldroute.risk.constants import RegisterKind
from meldroute.risk.models import RegisterImport

from . import texts

# municipality code → (first four-digit postcode, AF who imports, names of its three wijken)
SCAN = {
    "GM9901": (9901, "af.veenhorst", ("Centrum", "Havenkwartier", "Veenpolder")),
    "GM9902": (9911, "af.dijkmeer", ("Dorpskern", "Meeroever", "Buitengebied")),
    "GM9903": (9921, "af.lindeveld", ("Oud-Lindeveld", "Lindenhof", "Akkerland")),
    "GM9904": (9931, "af.oosterbroek", ("Brink", "Broekzijde", "Oosterveld")),
}
# Three fictional shapes that fit together (metres, as RD New), moved per municipality.
SHAPES = (
    [(0, 0), (2000, 0), (2000, 1500), (800, 2000), (0, 1500)],
    [(2000, 0), (3500, 300), (3800, 2500), (2400, 3000), (2000, 1500)],
    [(0, 1500), (800, 2000), (2000, 1500), (2400, 3000), (1200, 3600), (0, 3200)],
)
PATTERN_POSTCODE = "9901AB"  # the wasstraat of the inbox's pattern alert (seed._pattern)
# Fictional businesses with their SBI codes: the risk sectors and a few that are none.
BUSINESS_SBI = {
    "cleaning": "8121", "beauty": "96022", "temporary_work": "7820", "automotive": "45204", "agriculture": "0113",
    "construction": "4120", "hospitality": "5610", "meat_processing": "1011", "logistics": "5320",
}
OTHER_BUSINESSES = [("Boekhandel Bladwijzer", "4761"), ("Bakkerij Krentenbol", "1071"),
                    ("Administratiekantoor Telwerk", "6920"), ("Fietsenmaker Trapvast", "9529")]


def demo_postcode(municipality_code: str, address: str) -> str:
    """A fictional six-position postcode for a demo street: one per street and municipality, in one of its three
    four-digit areas (so the same street and number still link as before)."""
    if municipality_code not in SCAN:
        return ""
    street = address.split(",")[0].rsplit(" ", 1)[0]
    if street not in texts.STREETS:
        return ""
    index = texts.STREETS.index(street)
    return f"{SCAN[municipality_code][0] + index % 3} A{chr(ord('C') + index)}"


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    return "\n".join(";".join(str(cell) for cell in line) for line in [header, *rows]).encode()


def _registers(code: str, municipality: Organisation) -> list[tuple[str, str, bytes]]:
    base, _af, names = SCAN[code]
    offset = (150000 + (base - 9901) * 600, 550000)
    features = [{"type": "Feature",
                 "properties": {"wijkcode": f"WK{code[2:]}0{i}", "wijknaam": name, "gemeentecode": code},
                 "geometry": {"type": "Polygon",
                              "coordinates": [[[offset[0] + x, offset[1] + y] for x, y in [*shape, shape[0]]]]}}
                for i, (name, shape) in enumerate(zip(names, SHAPES, strict=True))]
    geojson = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    postcodes = [[demo_postcode(code, f"{street} 1").replace(" ", ""), f"WK{code[2:]}0{i % 3}"]
                 for i, street in enumerate(texts.STREETS)]
    if code == "GM9901":
        postcodes.append([PATTERN_POSTCODE, "WK990101"])  # Havenkade, Havenkwartier
    town = municipality.name.split()[-1]
    businesses, number = [], 0
    for i, street in enumerate(texts.STREETS):
        pc = demo_postcode(code, f"{street} 1").replace(" ", "")
        picks = [*texts.BUSINESSES[i % len(texts.BUSINESSES):][:2 + i % 3], OTHER_BUSINESSES[i % 4]]
        for j, pick in enumerate(picks):
            number += 1
            name, sbi = pick[0], pick[1] if pick[1].isdigit() else BUSINESS_SBI.get(pick[1], "9609")
            businesses.append([f"99{base % 100:02d}{number:04d}", f"0000{base % 100:02d}{number:06d}",
                               f"{name} {town}" if j == 0 else f"{name} {street}", street, 10 + 7 * j, "", pc, town,
                               sbi])
    rni = [[pc, 10 + 7 * (k % 3), "", 1 + (k * 5) % 7] for k, (pc, _wk) in enumerate(postcodes)]
    vacancies = [[row[2], row[6], row[4], "Productiemedewerker", 1 + k % 4] for k, row in enumerate(businesses[::5])]
    sex = [[f"Club {names[1]}", f"SB-{code}-001", texts.STREETS[4], 3, postcodes[4][0], "31-12-2027"]]
    if code == "GM9901":
        businesses.append(["99123456", "000099123456", "Wasstraat De Glimmer", "Havenkade", 14, "",
                           PATTERN_POSTCODE, town, "45204"])
        rni.append([PATTERN_POSTCODE, 14, "", 9])  # nine people registered above the wasstraat: the AF's flag
    header = ["KvK-nummer", "Vestigingsnummer", "Handelsnaam", "Straat", "Huisnummer", "Huisnummertoevoeging",
              "Postcode", "Plaats", "SBI-code hoofdactiviteit"]
    return [
        (RegisterKind.AREAS, f"wijkenbuurten-{code}.geojson", geojson),
        (RegisterKind.POSTCODES, f"pc6-wijk-{code}.csv", _csv(["PC6", "Wijkcode"], postcodes)),
        (RegisterKind.KVK, f"kvk-selectie-{code}.csv", _csv(header, businesses)),
        (RegisterKind.RNI, f"rni-adressen-{code}.csv", _csv(["Postcode", "Huisnummer", "Toevoeging", "Aantal"], rni)),
        (RegisterKind.VACANCIES, f"vacatures-{code}.csv",
         _csv(["Werkgever", "Postcode", "Huisnummer", "Functie", "Aantal"], vacancies)),
        (RegisterKind.SEX_BUSINESSES, f"seksbedrijven-{code}.csv",
         _csv(["Naam", "Vergunningnummer", "Straat", "Huisnummer", "Postcode", "Geldig tot"], sex)),
    ]


def seed_risk(orgs: dict[str, Organisation], users: dict[str, User]) -> int:
    """Import every register for the four municipalities; returns the number of imports made."""
    made = 0
    for code, (_base, af, _names) in SCAN.items():
        municipality = orgs[code]
        if RegisterImport.objects.filter(municipality=municipality).exists():
            continue
        for kind, file_name, content in _registers(code, municipality):
            services.import_register(actor=users[af], municipality=municipality, kind=kind, file_name=file_name,
                                     content=content, reason="Demo: omgevingsscan met fictieve registers")
            made += 1
    return made
