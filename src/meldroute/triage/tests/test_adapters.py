"""The BRP and KvK adapters against the fake registers on loopback (real HTTP, no mocks), and their error paths."""

import socket
import threading

import pytest

from meldroute.triage import fake_services
from meldroute.triage.adapters import AdapterError, NotConfigured, NotFound
from meldroute.triage.adapters.brp import BrpClient, is_valid_bsn
from meldroute.triage.adapters.kvk import KvkClient

from .conftest import closed_port_url


def brp_client(registers, key=fake_services.FAKE_BRP_KEY, timeout=2.0):
    return BrpClient(registers.brp.url, key, timeout)


def kvk_client(registers, key=fake_services.FAKE_KVK_KEY, timeout=2.0):
    return KvkClient(registers.kvk.url, key, timeout)


@pytest.mark.parametrize(("bsn", "valid"), [("999990019", True), ("999990018", False), ("99999001", False),
                                            ("000000000", False), ("99999001a", False), ("111222333", True)])
def test_bsn_is_checked_with_the_elfproef(bsn, valid):
    assert is_valid_bsn(bsn) is valid


def test_the_fake_only_hands_out_elfproef_valid_test_bsns():
    numbers = {fake_services.fake_bsn(seed) for seed in range(300)}
    assert all(is_valid_bsn(n) and n.startswith("9999") for n in numbers) and len(numbers) > 200


def test_person_by_bsn_reads_name_birth_and_residence_deterministically(registers):
    bsn = fake_services.fake_bsn(42)
    person = brp_client(registers).person_by_bsn(bsn)
    assert person is not None and person.bsn == bsn and person.name and person.birth_date[:2] in ("19", "20")
    assert person.residence is not None and person.residence.street and person.residence.since
    assert brp_client(registers).person_by_bsn(bsn) == person


def test_a_bsn_the_register_does_not_know_gives_no_person(registers):
    assert brp_client(registers).person_by_bsn("111222333") is None


def test_an_invalid_bsn_is_refused_before_asking(registers):
    with pytest.raises(AdapterError, match="elfproef"):
        brp_client(registers).person_by_bsn("123456789")


def test_residents_by_postcode_and_by_street_match_the_fake_register(registers):
    by_postcode = brp_client(registers).residents_by_postcode("1234 ab", 12)
    expected = fake_services.residents("", 12, "1234 AB", "")
    assert [p.bsn for p in by_postcode] == [p["burgerservicenummer"] for p in expected]
    by_street = brp_client(registers).residents_by_street("Kerkweg", 12, "GM8901")
    expected = fake_services.residents("Kerkweg", 12, "", "Aadorp")
    assert [p.bsn for p in by_street] == [p["burgerservicenummer"] for p in expected]
    assert all(p.residence and p.residence.city == "Aadorp" for p in by_street)


def test_the_fake_sometimes_has_a_crowd_registered_at_one_address():
    sizes = [len(fake_services.residents("Havenkade", n, "", "Veenhorst")) for n in range(1, 60)]
    assert 0 in sizes and max(sizes) >= 7 and any(1 <= s <= 4 for s in sizes)


def test_a_wrong_key_is_a_dutch_refusal(registers):
    with pytest.raises(AdapterError, match="weigert de toegang"):
        brp_client(registers, key="verkeerd").person_by_bsn("999990019")
    with pytest.raises(AdapterError, match="weigert de toegang"):
        kvk_client(registers, key="").profile("99000001")


def test_a_register_that_is_down_is_a_dutch_message():
    with pytest.raises(AdapterError, match="De BRP is nu niet bereikbaar"):
        BrpClient(closed_port_url("/brp"), "x", 1).person_by_bsn("999990019")
    with pytest.raises(AdapterError, match="De KvK is nu niet bereikbaar"):
        KvkClient(closed_port_url("/api"), "x", 1).profile("99000001")


def test_a_register_that_does_not_answer_in_time_is_a_dutch_message():
    # Listens but never answers: the connection is accepted by the kernel and then nothing comes back.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/brp"
        with pytest.raises(AdapterError, match="niet bereikbaar"):
            BrpClient(url, "x", 0.3).person_by_bsn("999990019")


def test_an_unreadable_answer_is_a_dutch_message():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def answer_garbage():
        connection, _ = server.accept()
        connection.recv(65536)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n<html")
        connection.close()

    threading.Thread(target=answer_garbage, daemon=True).start()
    try:
        with pytest.raises(AdapterError, match="onleesbaar"):
            BrpClient(f"http://127.0.0.1:{server.getsockname()[1]}", "x", 2).person_by_bsn("999990019")
    finally:
        server.close()


def test_without_a_configured_url_the_adapters_say_so():
    with pytest.raises(NotConfigured, match="niet ingesteld"):
        BrpClient("")
    with pytest.raises(NotConfigured, match="niet ingesteld"):
        KvkClient("")


def test_kvk_search_by_number_and_profile(registers):
    hits = kvk_client(registers).search(kvk_number="99123456")
    assert [h.kvk_number for h in hits] == ["99123456"] and hits[0].name
    profile = kvk_client(registers).profile("99123456")
    assert profile.kvk_number == "99123456" and profile.name == hits[0].name
    assert profile.activities and profile.started_on[:2] in ("19", "20") and profile.address


def test_kvk_search_by_name_finds_a_business_whose_profile_carries_that_name(registers):
    hits = kvk_client(registers).search(name="Nagelstudio Parelmoer")
    assert len(hits) == 1 and hits[0].kvk_number.startswith("99")
    assert kvk_client(registers).profile(hits[0].kvk_number).name == "Nagelstudio Parelmoer"


def test_kvk_unknown_number_is_not_found_with_a_dutch_message(registers):
    assert kvk_client(registers).search(kvk_number="12345678") == []
    with pytest.raises(NotFound, match="kent geen bedrijf met KvK-nummer 12345678"):
        kvk_client(registers).profile("12345678")
