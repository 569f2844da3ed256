"""Attack: a database or backup reader (THREATS.md) reads columns and files. Personal data is ciphertext at rest;
search, linking and the pattern alert still work through blind indexes; keys rotate; deploys without keys fail."""

import os
import stat
import subprocess
import sys
from datetime import date
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from meldroute.core.crypto import is_on_primary_key
from meldroute.intake.models import Attachment, Feedback, InformationRequest, Signal, SignalStatusChange
from meldroute.meetings.models import Meeting, MeetingSeries
from meldroute.referrals.models import Referral
from meldroute.routing.constants import MeetingKind
from meldroute.triage.models import EnrichmentNote, SignalLink
from meldroute.triage.selectors import pattern_alerts_for
from tests.factories import PNG_BYTES, make_signal, png_upload

pytestmark = pytest.mark.django_db

SECRET = "Havenkade 14"
LOCATION = {"address": "Havenkade 14, Veenhorst", "postcode": "9901 AB", "business_name": "Wasstraat De Glimmer",
            "kvk_number": "99123456", "location_description": "achter de wasstraat bij de containers",
            "observed_time": "rond middernacht", "persons_description": "Twee jonge vrouwen, Oekraïens sprekend",
            "description": "Vrouwen slapen in het bedrijfspand aan de Havenkade."}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def raw(model, field: str, pk) -> str:
    """What a database reader sees: the column as stored, without the model field's decryption."""
    column = model._meta.get_field(field).column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])  # noqa: S608
        return str(cursor.fetchone()[0])


def test_a_database_reader_finds_no_plaintext_in_any_encrypted_column(world, media):
    signal = make_signal(world.melder_a, uploads=[png_upload("paspoort Anna de Vries.png")], **LOCATION)
    for field, value in LOCATION.items():
        stored = raw(Signal, field, signal.pk)
        assert value not in stored and stored.startswith("gAAAAA"), field
        assert getattr(Signal.objects.get(pk=signal.pk), field) == value  # the application still reads it
    for index in ("postcode_index", "street_index", "address_index", "kvk_index", "business_index"):
        assert len(raw(Signal, index, signal.pk)) == 64  # keyed hashes, not the normalised values
    assert "Anna" not in raw(Attachment, "original_name", signal.attachments.get().pk)

    change = SignalStatusChange.objects.create(signal=signal, to_status="closed", text="Gesproken met Anna de Vries")
    question = InformationRequest.objects.create(signal=signal, question="Woont Anna de Vries daar?",
                                                 answer="Ja, Anna de Vries", asked_by=world.af_a,
                                                 expires_at=signal.received_at)
    feedback = Feedback.objects.create(signal=signal, text="Dank, Anna de Vries is gesproken.", author=world.af_a)
    note = EnrichmentNote.objects.create(signal=signal, source="brp", text="BRP: Anna de Vries, BSN 999990019",
                                         author=world.af_a)
    referral = Referral.objects.create(signal=signal, sender_organisation=world.a, sender_name="AF Aadorp",
                                       receiver_organisation=world.police, receiver_name="Politie",
                                       receiver_partner_type="police", purpose="Onderzoek", legal_ground="public_task",
                                       categories=["location"], shared_data={"location": {"address": SECRET}},
                                       created_by=world.af_a)
    series = MeetingSeries.objects.create(region=world.region, kind=MeetingKind.SCREENING, name="Screening",
                                          chair_organisation=world.zvh)
    meeting = Meeting.objects.create(series=series, date=date(2026, 6, 2), notes="Anna de Vries besproken")
    for model, field, pk in ((SignalStatusChange, "text", change.pk), (InformationRequest, "question", question.pk),
                             (InformationRequest, "answer", question.pk), (Feedback, "text", feedback.pk),
                             (EnrichmentNote, "text", note.pk), (Meeting, "notes", meeting.pk)):
        assert "Anna" not in raw(model, field, pk), (model, field)
    assert SECRET not in raw(Referral, "shared_data", referral.pk)
    assert Referral.objects.get(pk=referral.pk).shared_data == {"location": {"address": SECRET}}
    for link in SignalLink.objects.filter(signal=signal):
        for field in ("key", "value", "label"):
            assert "9901" not in raw(SignalLink, field, link.pk) and "99123456" not in raw(SignalLink, field, link.pk)


def test_an_attachment_file_on_disk_is_ciphertext_and_the_download_decrypts_it(client, world, media):
    signal = make_signal(world.melder_a, uploads=[png_upload("foto.png")])
    attachment = signal.attachments.get()
    on_disk = (media / attachment.file.name).read_bytes()
    assert PNG_BYTES not in on_disk and b"PNG" not in on_disk
    assert stat.S_IMODE(os.stat(media / attachment.file.name).st_mode) == 0o600
    client.force_login(world.af_a)
    response = client.get(reverse("intake:attachment", args=[attachment.uuid]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG_BYTES
    client.force_login(world.af_b)  # not visible: still 404, nothing decrypted for them
    assert client.get(reverse("intake:attachment", args=[attachment.uuid])).status_code == 404


@pytest.mark.clock
def test_search_linking_and_pattern_alert_work_through_blind_indexes(client, world):
    signals = [make_signal(world.melder_a, **LOCATION) for _ in range(3)]
    other = make_signal(world.melder_b, **LOCATION)  # another municipality: never found, never counted
    client.force_login(world.af_a)
    for query in ("9901ab", "9901 AB", "havenkade", "Havenkade 14", "99123456", "wasstraat de glimmer"):
        page = client.get(reverse("triage:inbox"), {"zoek": query}).content.decode()
        assert all(s.reference in page for s in signals) and other.reference not in page, query
    assert client.get(reverse("triage:inbox"), {"zoek": "Havenkade 15"}).context["page"].paginator.count == 0
    alerts = pattern_alerts_for(world.af_a).alerts
    assert {(a.kind, a.count) for a in alerts} == {("address", 3), ("business", 3)}
    assert {a.search for a in alerts} == {"9901 AB", "99123456"}
    found = client.get(reverse("triage:inbox"), {"zoek": alerts[0].search}).content.decode()
    assert all(s.reference in found for s in signals)
    keys = SignalLink.objects.filter(signal=signals[0]).values_list("key", flat=True)
    assert SignalLink.objects.filter(key__in=keys, signal=signals[1]).count() == 2  # linked on the hashes


def test_a_search_never_decrypts_the_signal_table(client, world):
    make_signal(world.melder_a, **LOCATION)
    client.force_login(world.af_a)
    with override_settings(MELDROUTE={**settings.MELDROUTE, "FIELD_ENCRYPTION_KEYS": [Fernet.generate_key().decode()]}):
        # Without the encryption key the inbox search still answers: it reads only hashes and the code.
        response = client.get(reverse("triage:inbox"), {"zoek": "9901 AB"})
    assert response.status_code == 200 and response.context["page"].paginator.count == 1


def test_rotate_keys_dry_run_changes_nothing_and_the_real_run_makes_the_old_key_unnecessary(world, media):
    old_key = settings.MELDROUTE["FIELD_ENCRYPTION_KEYS"][0]
    signal = make_signal(world.melder_a, uploads=[png_upload("foto.png")], **LOCATION)
    attachment = signal.attachments.get()
    new_key = Fernet.generate_key().decode()
    before = raw(Signal, "description", signal.pk), (media / attachment.file.name).read_bytes()
    with override_settings(MELDROUTE={**settings.MELDROUTE, "FIELD_ENCRYPTION_KEYS": [new_key, old_key]}):
        out = StringIO()
        call_command("rotate_keys", "--dry-run", stdout=out)
        assert "Dry run" in out.getvalue() and "intake.Signal: 8 values to the first key" in out.getvalue()
        assert (raw(Signal, "description", signal.pk), (media / attachment.file.name).read_bytes()) == before
        call_command("rotate_keys", "--batch-size", "1", stdout=StringIO())
        assert is_on_primary_key(raw(Signal, "description", signal.pk))
        again = StringIO()
        call_command("rotate_keys", stdout=again)  # resumable: what is done is skipped
        assert "Done: changed 0 values, 0 blind indexes and 0 files." in again.getvalue()
    with override_settings(MELDROUTE={**settings.MELDROUTE, "FIELD_ENCRYPTION_KEYS": [new_key]}):
        fresh = Signal.objects.get(pk=signal.pk)  # the old key is gone and everything still reads
        assert fresh.description == LOCATION["description"] and fresh.address == LOCATION["address"]
        assert Attachment.objects.get(pk=attachment.pk).file.open("rb").read() == PNG_BYTES


def test_rotate_keys_recomputes_blind_indexes_after_a_new_index_key(world, client):
    signal = make_signal(world.melder_a, **LOCATION)
    with override_settings(MELDROUTE={**settings.MELDROUTE, "BLIND_INDEX_KEY": "een-nieuwe-sleutel-" * 3}):
        out = StringIO()
        call_command("rotate_keys", stdout=out)
        assert "intake.Signal: 0 values to the first key, 5 blind indexes recomputed" in out.getvalue()
        client.force_login(world.af_a)
        assert signal.reference in client.get(reverse("triage:inbox"), {"zoek": "9901 AB"}).content.decode()


def _check_deploy(tmp_path, **env) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", ""),
            "PYTHONPATH": os.environ.get("PYTHONPATH", ""), "DJANGO_SETTINGS_MODULE":
            "meldroute.conf.settings", "MELDROUTE_ENVIRONMENT": "production", "MELDROUTE_DATA_DIR": str(tmp_path),
            "MELDROUTE_SECRET_KEY": "x" * 64 + "-not-a-real-secret-but-long-and-varied-0123456789",
            "MELDROUTE_FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "MELDROUTE_BLIND_INDEX_KEY": "blind-index-test-value-" * 3,
            "MELDROUTE_AUDIT_KEY": "audit-test-value-only-0123456789-abcdefgh"}
    return subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "ERROR"],
                          env={**base, **env}, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", ["MELDROUTE_FIELD_ENCRYPTION_KEY", "MELDROUTE_BLIND_INDEX_KEY",
                                  "MELDROUTE_SECRET_KEY"])
def test_check_deploy_fails_on_a_placeholder_key(tmp_path, name):
    result = _check_deploy(tmp_path, **{name: "change-me"})
    assert result.returncode != 0 and name in result.stdout + result.stderr


def test_check_deploy_passes_with_real_keys(tmp_path):
    result = _check_deploy(tmp_path)
    assert result.returncode == 0 and "meldroute.E" not in result.stdout + result.stderr, result.stderr


def test_check_deploy_fails_when_the_blind_index_key_is_an_encryption_key(tmp_path):
    key = Fernet.generate_key().decode()
    result = _check_deploy(tmp_path, MELDROUTE_FIELD_ENCRYPTION_KEY=key, MELDROUTE_BLIND_INDEX_KEY=key)
    assert result.returncode != 0 and "meldroute.E005" in result.stdout + result.stderr


def test_check_deploy_fails_without_a_blind_index_key(tmp_path):
    result = _check_deploy(tmp_path, MELDROUTE_BLIND_INDEX_KEY="")
    assert result.returncode != 0 and "MELDROUTE_BLIND_INDEX_KEY" in result.stderr


def test_data_and_media_folders_are_readable_by_the_service_user_only(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)  # an old, world-readable demo folder is tightened too
    subprocess.run([sys.executable, "-c", "import django; django.setup()"], check=True, timeout=120,
                   env={**os.environ, "DJANGO_SETTINGS_MODULE": "meldroute.conf.settings",
                        "MELDROUTE_ENVIRONMENT": "demo", "MELDROUTE_DATA_DIR": str(data)})
    for folder in (data, data / "attachments"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for key in ("blind_index_key", "field_encryption_key", "secret_key"):
        assert stat.S_IMODE((data / key).stat().st_mode) == 0o600, key


class _Editor:
    connection = connection


def test_the_upgrade_migration_encrypts_rows_written_in_plaintext_and_leaves_encrypted_ones(world):
    from django.apps import apps

    from meldroute.core.encryption_migrations import encrypt_columns

    signal = make_signal(world.melder_a, **LOCATION)
    with connection.cursor() as cursor:  # as a database from before this change holds it
        cursor.execute("UPDATE intake_signal SET description = %s WHERE id = %s", ["Oud: Anna de Vries", signal.pk])
    address_token = raw(Signal, "address", signal.pk)
    operation = encrypt_columns("intake", "Signal", ["description", "address"])
    operation.code(apps, _Editor())
    assert "Anna" not in raw(Signal, "description", signal.pk)
    assert raw(Signal, "address", signal.pk) == address_token  # already encrypted: untouched
    assert Signal.objects.get(pk=signal.pk).description == "Oud: Anna de Vries"


def test_the_upgrade_migration_encrypts_plaintext_shared_data(world):
    from django.apps import apps

    from meldroute.core.encryption_migrations import encrypt_columns

    signal = make_signal(world.melder_a, **LOCATION)
    referral = Referral.objects.create(signal=signal, sender_organisation=world.a, sender_name="AF Aadorp",
                                       receiver_organisation=world.police, receiver_name="Politie",
                                       receiver_partner_type="police", purpose="Onderzoek", legal_ground="public_task",
                                       categories=["location"], shared_data={}, created_by=world.af_a)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE referrals_referral SET shared_data = %s WHERE id = %s",
                       ['{"location": {"address": "Havenkade 14"}}', referral.pk])
    encrypt_columns("referrals", "Referral", ["shared_data"], json_columns=["shared_data"]).code(apps, _Editor())
    assert SECRET not in raw(Referral, "shared_data", referral.pk)
    assert Referral.objects.get(pk=referral.pk).shared_data == {"location": {"address": SECRET}}


@pytest.mark.clock
def test_persons_duplicate_hashes_use_the_stable_index_key_and_rotate_keys_rehashes_them(world):
    from meldroute.core.crypto import blind_index
    from meldroute.persons.models import Person
    from meldroute.persons.services import name_hash_for
    from meldroute.persons.tests.helpers import BSN_A, add_victim, make_case

    person = add_victim(make_case(world), world.af_a, birth_date=date(1999, 4, 1))
    assert person.bsn_hash == blind_index("bsn", BSN_A)  # not derived from the encryption key any more
    Person.objects.filter(pk=person.pk).update(bsn_hash="oud", name_hash="oud")  # as made under an older key
    call_command("rotate_keys", stdout=StringIO())
    fresh = Person.objects.get(pk=person.pk)
    assert fresh.bsn_hash == blind_index("bsn", BSN_A)
    assert fresh.name_hash == name_hash_for(fresh.first_name, fresh.last_name, fresh.birth_date)
