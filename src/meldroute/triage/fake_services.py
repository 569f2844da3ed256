"""Local stand-ins for the BRP (Haal Centraal Personen bevragen v2) and the KvK APIs, for the demo and the tests.

Plain `http.server` on 127.0.0.1 (port 0 picks a free port), each in a daemon thread. All data is FICTIONAL and
deterministic: the same question always gets the same answer. The fake BRP knows only test BSNs (9999xxxxx, elfproef-
valid) and invents residents for any address; the fake KvK knows only KvK numbers starting with 99.
"""

import hashlib
import json
import threading
import urllib.parse
from dataclasses import dataclass
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAKE_BRP_KEY = "fake-brp-sleutel"  # noqa: S105 — the fake servers' own keys, nothing real
FAKE_KVK_KEY = "fake-kvk-sleutel"  # noqa: S105
BRP_PATH = "/haalcentraal/api/brp"
KVK_PATH = "/api"

FIRST_NAMES = ["Anna", "Piotr", "Elena", "Mihai", "Sofia", "Tomasz", "Ioana", "Daria", "Lukas", "Marta", "Andrei",
               "Nadia", "Bogdan", "Irina", "Pavel", "Lena"]
SURNAMES = ["Kowalczyk-Fictief", "Popescu-Fictief", "Veldhoen", "Zwanenburg", "Mirelaan", "Oostvaart", "Brandsma",
            "Heidekamp", "Novakova-Test", "Duinhoven", "Lindeboom", "Ruisdaal-Test"]
STREETS = ["Molenstraat", "Kerkweg", "Havenkade", "Industrieweg", "Dorpsstraat", "Lindelaan", "Polderweg", "Veenkade"]
# Four-digit gemeente codes of the demo region and the test world, so fake addresses carry a plausible place name.
PLACES = {"9901": "Veenhorst", "9902": "Dijkmeer", "9903": "Lindeveld", "9904": "Oosterbroek", "9911": "Kalkberg",
          "8901": "Aadorp", "8902": "Beekstad", "8903": "Cederveen"}
BUSINESS_KINDS = [("Schoonmaakbedrijf", "8121", "Algemene reiniging van gebouwen"),
                  ("Uitzendbureau", "7820", "Uitzendbureaus"),
                  ("Nagelstudio", "9602", "Schoonheidsverzorging"),
                  ("Autowasstraat", "4520", "Onderhoud en reparatie van auto's"),
                  ("Kwekerij", "0113", "Teelt van groenten"),
                  ("Bouwbedrijf", "4120", "Algemene burgerlijke en utiliteitsbouw"),
                  ("Massagesalon", "9604", "Sauna's, solaria, baden e.d."),
                  ("Grillroom", "5610", "Restaurants")]
BUSINESS_WORDS = ["Glansrijk", "Parelmoer", "FlexVeen", "Blinkend", "De Groene Kas", "Stevig Fundament", "Lotusbloem",
                  "De Smulpaap", "Noordkant", "Zonnewijzer"]


def _number(*parts: object) -> int:
    return int(hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest(), 16)


def fake_bsn(seed: int) -> str:
    """An elfproef-valid test BSN in the 9999xxxxx range, derived from `seed`."""
    for step in range(11):
        body = f"9999{(seed + step) % 10_000:04d}"
        total = sum(int(d) * w for d, w in zip(body, range(9, 1, -1), strict=True))
        check = total % 11
        if check < 10:
            return f"{body}{check}"
    raise AssertionError("unreachable: one of eleven consecutive bodies has a check digit")


def _person(bsn: str, address: dict, *, recent: bool) -> dict:
    h = _number("persoon", bsn)
    born = date(1962, 1, 1) + timedelta(days=h % 15_000)
    since = date.today() - timedelta(days=(h // 7) % (120 if recent else 2_500) + 10)
    first, last = FIRST_NAMES[h % len(FIRST_NAMES)], SURNAMES[(h // 31) % len(SURNAMES)]
    return {
        "burgerservicenummer": bsn,
        "naam": {"voornamen": first, "geslachtsnaam": last, "volledigeNaam": f"{first} {last}"},
        "geboorte": {"datum": {"type": "Datum", "datum": born.isoformat()}},
        "verblijfplaats": {"type": "Adres", "verblijfadres": address,
                           "datumVan": {"type": "Datum", "datum": since.isoformat()}},
    }


def residents(street: str, house_number: int, postcode: str, place: str) -> list[dict]:
    """Who lives at an address, says the fake: mostly a household, sometimes (2 in 10) a crowd that moved in lately."""
    h = _number("adres", postcode or street.lower(), house_number, place.lower())
    bucket = h % 10
    count = 0 if bucket == 0 else (7 + h % 6 if bucket >= 8 else 1 + h % 4)
    street = street or STREETS[h % len(STREETS)]
    address = {"officieleStraatnaam": street, "korteStraatnaam": street, "huisnummer": house_number,
               "postcode": postcode, "woonplaats": place}
    return [_person(fake_bsn(h // 1000 + i * 13), address, recent=bucket >= 8) for i in range(count)]


def person_by_bsn(bsn: str) -> dict | None:
    if not bsn.startswith("9999"):
        return None  # the fake only knows test numbers
    h = _number("woonadres", bsn)
    place_code = sorted(PLACES)[h % len(PLACES)]
    address = {"officieleStraatnaam": STREETS[h % len(STREETS)], "korteStraatnaam": STREETS[h % len(STREETS)],
               "huisnummer": 1 + h % 150, "postcode": f"{9900 + h % 90} {'ABCDEFGH'[h % 8]}{'JKLMN'[h % 5]}",
               "woonplaats": PLACES[place_code]}
    return _person(bsn, address, recent=False)


def business(kvk_number: str, name: str = "") -> dict | None:
    if len(kvk_number) != 8 or not kvk_number.isdigit() or not kvk_number.startswith("99"):
        return None
    h = _number("bedrijf", kvk_number)
    kind, sbi, sbi_text = BUSINESS_KINDS[h % len(BUSINESS_KINDS)]
    name = name or f"{kind} {BUSINESS_WORDS[(h // 11) % len(BUSINESS_WORDS)]}"
    # One in three fake businesses started less than a year ago: a recent registration is an indicator.
    started = date.today() - timedelta(days=(h // 13) % (330 if h % 3 == 0 else 6_000) + 30)
    street, number, place = STREETS[(h // 17) % len(STREETS)], 1 + h % 120, sorted(PLACES.values())[h % len(PLACES)]
    return {
        "kvkNummer": kvk_number, "naam": name, "handelsnamen": [{"naam": name, "volgorde": 0}],
        "formeleRegistratiedatum": started.strftime("%Y%m%d"),
        "materieleRegistratie": {"datumAanvang": started.strftime("%Y%m%d")},
        "totaalWerkzamePersonen": h % 40,
        "sbiActiviteiten": [{"sbiCode": sbi, "sbiOmschrijving": sbi_text, "indHoofdactiviteit": "Ja"}],
        "_embedded": {"hoofdvestiging": {"vestigingsnummer": f"00{h % 10**10:010d}", "adressen": [
            {"type": "bezoekadres", "volledigAdres": f"{street} {number} {place}", "straatnaam": street,
             "huisnummer": number, "plaats": place}]}},
    }


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


class _Handler(BaseHTTPRequestHandler):
    server_version = "MeldrouteFake/1.0"
    api_key_header = ""

    def log_message(self, format, *args):  # noqa: A002 — quiet: the demo's console is for Meldroute
        pass

    def _send(self, status: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _authorised(self) -> bool:
        expected = getattr(self.server, "api_key", "")
        if expected and self.headers.get(self.api_key_header) != expected:
            self._send(401, {"title": "Niet geautoriseerd", "status": 401})
            return False
        return True


class BrpHandler(_Handler):
    api_key_header = "X-API-KEY"

    def do_POST(self):  # noqa: N802 — http.server's naming
        if not self._authorised():
            return
        if not self.path.rstrip("/").endswith("/personen"):
            return self._send(404, {"title": "Onbekende operatie", "status": 404})
        try:
            query = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        except ValueError:
            return self._send(400, {"title": "Ongeldige JSON", "status": 400})
        kind = query.get("type")
        if kind == "RaadpleegMetBurgerservicenummer":
            found = [person_by_bsn(str(b)) for b in query.get("burgerservicenummer") or []]
            people = [p for p in found if p]
        elif kind == "ZoekMetPostcodeEnHuisnummer":
            postcode = str(query.get("postcode") or "").replace(" ", "").upper()
            people = residents("", _int(query.get("huisnummer")), f"{postcode[:4]} {postcode[4:]}".strip(), "")
        elif kind == "ZoekMetStraatHuisnummerEnGemeenteVanInschrijving":
            code = str(query.get("gemeenteVanInschrijving") or "")
            people = residents(str(query.get("straat") or ""), _int(query.get("huisnummer")), "",
                               PLACES.get(code, ""))
        else:
            return self._send(400, {"title": "Onbekend zoektype", "status": 400})
        self._send(200, {"type": kind, "personen": people})


class KvkHandler(_Handler):
    api_key_header = "apikey"

    def do_GET(self):  # noqa: N802
        if not self._authorised():
            return
        url = urllib.parse.urlsplit(self.path)
        params = dict(urllib.parse.parse_qsl(url.query))
        names: dict[str, str] = self.server.names  # type: ignore[attr-defined]
        if url.path.endswith("/v2/zoeken"):
            hit = None
            if params.get("kvkNummer"):
                hit = business(params["kvkNummer"], names.get(params["kvkNummer"], ""))
            elif params.get("naam"):
                # Any name is "registered": the fake remembers the number it gave, so the profile matches.
                number = f"99{_number('naam', params['naam'].lower()) % 1_000_000:06d}"
                names.setdefault(number, params["naam"].strip())
                hit = business(number, names[number])
            hits = [hit] if hit else []
            if not hits:
                return self._send(404, {"fout": [{"code": "IPD5200", "omschrijving": "Geen resultaten gevonden."}]})
            self._send(200, {"pagina": 1, "resultatenPerPagina": 10, "totaal": len(hits), "resultaten": [
                {"kvkNummer": h["kvkNummer"], "naam": h["naam"], "type": "hoofdvestiging",
                 "adres": {"binnenlandsAdres": {"type": "bezoekadres",
                                                "plaats": h["_embedded"]["hoofdvestiging"]["adressen"][0]["plaats"]}}}
                for h in hits]})
        elif "/v1/basisprofielen/" in url.path:
            number = url.path.rstrip("/").rsplit("/", 1)[-1]
            profile = business(number, names.get(number, ""))
            if profile is None:
                return self._send(404, {"fout": [{"code": "IPD0004", "omschrijving": "Het KvK-nummer is onbekend."}]})
            self._send(200, profile)
        else:
            self._send(404, {"fout": [{"code": "IPD0001", "omschrijving": "Onbekende operatie."}]})


@dataclass
class FakeServer:
    httpd: ThreadingHTTPServer
    base_path: str

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}{self.base_path}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _start(handler: type[_Handler], base_path: str, api_key: str, port: int) -> FakeServer:
    httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
    httpd.daemon_threads = True
    httpd.api_key = api_key  # type: ignore[attr-defined]
    httpd.names = {}  # type: ignore[attr-defined]
    threading.Thread(target=httpd.serve_forever, name=f"fake-{handler.__name__}", daemon=True).start()
    return FakeServer(httpd, base_path)


def start_fake_brp(port: int = 0, api_key: str = FAKE_BRP_KEY) -> FakeServer:
    return _start(BrpHandler, BRP_PATH, api_key, port)


def start_fake_kvk(port: int = 0, api_key: str = FAKE_KVK_KEY) -> FakeServer:
    return _start(KvkHandler, KVK_PATH, api_key, port)


def start_fake_services(brp_port: int = 0, kvk_port: int = 0) -> tuple[FakeServer, FakeServer]:
    return start_fake_brp(brp_port), start_fake_kvk(kvk_port)


def settings_for(brp: FakeServer, kvk: FakeServer) -> dict[str, str]:
    """The MELDROUTE settings that point the adapters at these fakes."""
    return {"BRP_API_URL": brp.url, "BRP_API_KEY": FAKE_BRP_KEY, "KVK_API_URL": kvk.url, "KVK_API_KEY": FAKE_KVK_KEY}
