"""Production settings pass Django's deployment checks and refuse to start without a secret."""

import os
import subprocess
import sys

FERNET_TEST_KEY = "bm90LWEtcmVhbC1rZXktanVzdC0zMi1ieXRlcy0xMjM="  # 32 bytes, urlsafe base64: a test value only
AUDIT_TEST_KEY = "not-a-real-audit-key-but-long-enough-0123456789"  # a test value only


def _check(env: dict) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", ""),
            "DJANGO_SETTINGS_MODULE": "meldroute.conf.settings"}
    return subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                          env={**base, **env}, capture_output=True, text=True, timeout=120)


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    result = _check({"MELDROUTE_ENVIRONMENT": "production", "MELDROUTE_DATA_DIR": str(tmp_path),
                     "MELDROUTE_SECRET_KEY": "x" * 64 + "-not-a-real-secret-but-long-and-varied-0123456789",
                     "MELDROUTE_FIELD_ENCRYPTION_KEY": FERNET_TEST_KEY, "MELDROUTE_AUDIT_KEY": AUDIT_TEST_KEY,
                     "MELDROUTE_BLIND_INDEX_KEY": "blind-index-test-value-only-0123456789"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_field_encryption_key(tmp_path):
    result = _check({"MELDROUTE_ENVIRONMENT": "production", "MELDROUTE_DATA_DIR": str(tmp_path),
                     "MELDROUTE_SECRET_KEY": "x" * 64 + "-not-a-real-secret-but-long-and-varied-0123456789"})
    assert result.returncode != 0 and "MELDROUTE_FIELD_ENCRYPTION_KEY" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _check({"MELDROUTE_ENVIRONMENT": "production", "MELDROUTE_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0 and "MELDROUTE_SECRET_KEY" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_demo_makes_and_keeps_its_own_secret_in_the_data_folder(tmp_path):
    env = {"MELDROUTE_ENVIRONMENT": "demo", "MELDROUTE_DATA_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", "import django; django.setup()"], env={**os.environ, **env,
                   "DJANGO_SETTINGS_MODULE": "meldroute.conf.settings"}, check=True, timeout=120)
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50 and oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
