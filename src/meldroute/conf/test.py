"""Settings for the test suite: fast hashing, in-memory mail, a temporary attachment folder."""

import os
import tempfile

os.environ.setdefault("MELDROUTE_ENVIRONMENT", "test")
os.environ.setdefault("MELDROUTE_DATA_DIR", tempfile.mkdtemp(prefix="meldroute-test-"))

from .settings import *  # noqa: E402,F403
from .settings import MELDROUTE  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
MELDROUTE = {**MELDROUTE, "ATTACHMENT_MAX_BYTES": 200_000,
             # No audit checkpoints by default: each test's rows are rolled back, so a checkpoint written by one test
             # would accuse the next of truncation. The audit tests switch them on with a file of their own.
             "AUDIT_CHECKPOINT_FILE": ""}
