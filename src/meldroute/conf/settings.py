"""Django settings, read from the environment (see .env.example)."""

import base64
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"MELDROUTE_{name}", default)


def env_int(name: str, default: int) -> int:
    value = env(name)
    return default if value is None else int(value)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(env("DATA_DIR") or Path.cwd() / "data").resolve()
DEBUG = env_bool("DEBUG")
# "demo" and "test" may run without configured secrets; "production" refuses to.
ENVIRONMENT = env("ENVIRONMENT", "production")


def private_dir(path: Path) -> Path:
    """A folder readable by the service user only (0700): the database, keys and attachments live in it. An existing
    folder of ours is tightened too (older versions made it world-readable)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        if path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o077:
            path.chmod(0o700)
    except OSError:  # not ours to change (a mount managed by the host): its owner decides
        pass
    return path


private_dir(DATA_DIR)


def _key(name: str, *, how: str, make: Callable[[], str]) -> str:
    """A secret from MELDROUTE_<name>. Production refuses to start without it (`how` says how to make one); demo and
    test keep one in the data folder, created readable by its owner only (never briefly by others) and with O_EXCL, so
    a second process starting at the same moment keeps the first key."""
    key = (env(name) or "").strip()
    if key:
        return key
    if ENVIRONMENT == "production":
        raise ImproperlyConfigured(
            f"Set MELDROUTE_{name} in production ({how}), or MELDROUTE_ENVIRONMENT=demo to use the demo data folder "
            "(e.g. MELDROUTE_ENVIRONMENT=demo meldroute verify_audit_chain)."
        )
    key_file = private_dir(DATA_DIR) / name.lower()
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(make())
    return key_file.read_text().strip()


RANDOM_KEY_HOW = "at least 32 random characters: python -c 'import secrets; print(secrets.token_urlsafe(48))'"

SECRET_KEY = _key("SECRET_KEY", how=RANDOM_KEY_HOW, make=lambda: secrets.token_urlsafe(50))


def _blind_index_key() -> str:
    """The HMAC key of the blind indexes (meldroute.core.crypto.blind_index): search, linking and duplicate
    detection on encrypted data. Separate from the encryption keys and stable, so rotating those keeps every index
    valid; never changed lightly."""
    return _key("BLIND_INDEX_KEY", how=RANDOM_KEY_HOW, make=lambda: secrets.token_urlsafe(48))


def _field_encryption_keys() -> list[str]:
    """Fernet keys for the encrypted fields (persons' identities, signal texts, notes, attachments; SPEC F3). Several,
    comma-separated: the first encrypts, all decrypt (key rotation, `meldroute rotate_keys`)."""
    keys = _key("FIELD_ENCRYPTION_KEY",
                how="a Fernet key: python -c 'import base64, os; "
                    "print(base64.urlsafe_b64encode(os.urandom(32)).decode())'",
                make=lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    return [k.strip() for k in keys.split(",") if k.strip()]


def _audit_key() -> str:
    """The HMAC key of the audit chains (docs/privacy/audit-chain.md). It must not live in the database: whoever can
    rewrite the audit tables must not also be able to recompute their hashes."""
    key = _key("AUDIT_KEY", how=RANDOM_KEY_HOW + ", kept outside the database", make=lambda: secrets.token_urlsafe(48))
    if ENVIRONMENT == "production" and len(key) < 32:
        raise ImproperlyConfigured("MELDROUTE_AUDIT_KEY is too short: use at least 32 random characters.")
    return key


ALLOWED_HOSTS = (env("ALLOWED_HOSTS") or "127.0.0.1,localhost").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in (env("CSRF_TRUSTED_ORIGINS") or "").split(",") if o]

INSTALLED_APPS = [
    "meldroute.accounts.apps.SuperuserAdminConfig",  # the stock admin, for active superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "meldroute.core",
    "meldroute.organisations",
    "meldroute.accounts",
    "meldroute.audit",
    "meldroute.notifications",
    "meldroute.intake",
    "meldroute.rollups",
    "meldroute.partners",
    "meldroute.routing",
    "meldroute.referrals",
    "meldroute.triage",
    "meldroute.cases",
    "meldroute.meetings",
    "meldroute.persons",
    "meldroute.care",
    "meldroute.monitoring",
    "meldroute.risk",
    "meldroute.policy",
    "meldroute.retention",
    "meldroute.privacy",
    "meldroute.api",
    "meldroute.homes",
    "meldroute.demo",
]

MIDDLEWARE = [
    "meldroute.core.logs.RequestIdMiddleware",
    "meldroute.core.replicas.ReplicaPinMiddleware",  # read your own writes when pages read from a replica
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "meldroute.core.middleware.SessionRenewalMiddleware",  # the idle timeout slides, written at most once a minute
    "meldroute.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "meldroute.core.middleware.PrivatePagesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "meldroute.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "meldroute.urls"
WSGI_APPLICATION = "meldroute.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "meldroute.accounts.oidc.OIDCBackend",  # only answers the OpenID Connect callback
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "meldroute.accounts.context_processors.navigation",
                "meldroute.notifications.context_processors.unread_notifications",
            ],
        },
    },
]
FORM_RENDERER = "meldroute.core.forms.NLDesignFormRenderer"

# --- Database: PostgreSQL in production (DATABASE_URL), embedded SQLite (WAL) by default.
_database_url = os.environ.get("DATABASE_URL")
if _database_url:
    # Health checks: a kept connection that a database restart cut is replaced at the start of the next request,
    # instead of failing that request with a 500 (benchmarks/load.py's fault drill).
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "meldroute.sqlite3"),
            "OPTIONS": {
                # synchronous=FULL: in WAL mode NORMAL may lose the last commits on power loss, and a signal
                # whose receipt was shown must never be lost.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
# Session options for PostgreSQL. JIT off by default: Meldroute's queries are short and index-driven, and JIT
# compilation alone cost 30-40 ms of a 90 ms case-list query at 1 000 000 signals (benchmarks/lists.py). Set
# DATABASE_PG_OPTIONS="" behind a pooler that refuses startup options (and set jit=off on the database instead).
_pg_options = os.environ.get("DATABASE_PG_OPTIONS", "-c jit=off")
if _database_url and _pg_options and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = _pg_options
# A streaming read replica (docs/operations.md): the dashboard, regional view, reports and exports read from it
# (meldroute.core.replicas); without DATABASE_REPLICA_URL everything reads and writes "default".
_replica_url = os.environ.get("DATABASE_REPLICA_URL")
if _replica_url:
    DATABASES["replica"] = {**dj_database_url.parse(_replica_url, conn_max_age=60),
                            **({"OPTIONS": {"options": _pg_options}} if _pg_options else {}),
                            # Tests: the test database of "default", read through the replica's own server
                            # (a streaming replica receives it from the primary; scripts/test.sh).
                            "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["meldroute.core.replicas.ReplicaRouter"]
DATABASE_REPLICA_PIN_SECONDS = int(os.environ.get("DATABASE_REPLICA_PIN_SECONDS", "15"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Dutch for everyone; English only when chosen with the switch in the footer (no Accept-Language negotiation).
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from the finders; the folder must exist
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Attachments are private: never under STATIC/MEDIA URLs, only served by the access-checked view.
MEDIA_ROOT = private_dir(Path(env("MEDIA_ROOT") or DATA_DIR / "attachments"))
# Attachments are stored encrypted (meldroute.core.storage) and readable by the service user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# A host that does not exist: nothing is ever served from MEDIA_URL (Django's live server needs a URL here).
MEDIA_URL = "https://media.invalid/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

# --- Sessions and security (BIO): short idle timeout, lock-out after repeated failures.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 1800)
SESSION_SAVE_EVERY_REQUEST = False  # core.middleware.SessionRenewalMiddleware renews it, once a minute at most
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", ENVIRONMENT == "production")
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating reverse proxy (the production set-up): trust its scheme header, pin HTTPS in browsers.
if env_bool("BEHIND_TLS_PROXY", ENVIRONMENT == "production"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000 if ENVIRONMENT == "production" else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", ENVIRONMENT == "production")
SECURE_REDIRECT_EXEMPT = [r"^gezondheid/"]  # the load balancer probes the app itself, over plain HTTP
# HSTS preload is the domain owner's decision (it binds every subdomain for years), not the application's.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# A strict Content-Security-Policy (django-csp): scripts and styles only from our own static files, no inline
# script or style (the templates have none; htmx's indicator style is in meldroute.css), nothing framed, no
# plug-ins, forms post only here. The API docs page too (api/swagger_ui.html loads its script by URL).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Permissions-Policy (django-permissions-policy): no page needs a device or sensor; all off.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: [] for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "fullscreen", "geolocation",
        "gyroscope", "magnetometer", "microphone", "midi", "payment", "picture-in-picture", "publickey-credentials-get",
        "screen-wake-lock", "usb", "xr-spatial-tracking")
}
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Password spraying: also count failures per source address across usernames, and overall (accounts.lockout).
AXES_HANDLER = "meldroute.accounts.lockout.SprayAwareHandler"
MELDROUTE_LOGIN_LIMITS = {
    "per_address": env_int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 20),
    "overall": env_int("LOGIN_FAILURE_LIMIT_OVERALL", 200),
}
# Two-factor authentication (TOTP, any authenticator app) for everyone who can see personal data (SPEC F3).
OTP_TOTP_ISSUER = "Meldroute"
OTP_TOTP_THROTTLE_FACTOR = 1

# --- Login through the organisation's identity provider: OpenID Connect, authorization code flow with PKCE
# (mozilla-django-oidc; accounts.oidc; docs/privacy/login.md). Off while MELDROUTE_OIDC_CLIENT_ID is empty. The IdP
# proves who someone is; what they may do stays Meldroute's own (role assignments, approved by two people).
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env("OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env("OIDC_SCOPES", "openid email profile")
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_CREATE_USER = False  # an account unknown to Meldroute is refused, never created
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10)
OIDC_TOKEN_USE_BASIC_AUTH = env_bool("OIDC_TOKEN_USE_BASIC_AUTH")
LOGIN_REDIRECT_URL_FAILURE = "login"
# RP-initiated logout (accounts.oidc_logout): logging out of a session that came through the IdP also sends the browser
# to the IdP's end-session endpoint, so a shared workstation's next user is asked for a password again. Empty = off.
# The id_token (the logout's hint) is kept by accounts.oidc after a successful login only, in the server-side session;
# the library's OIDC_STORE_ID_TOKEN would keep it before the account is matched, so it stays off.
OIDC_OP_LOGOUT_ENDPOINT = env("OIDC_END_SESSION_ENDPOINT", "") or ""
OIDC_STORE_ID_TOKEN = False
if OIDC_OP_LOGOUT_ENDPOINT:
    # Chrome enforces form-action on the redirect that follows the logout form's POST: the endpoint's origin, only it.
    _end_session = urlsplit(OIDC_OP_LOGOUT_ENDPOINT)
    if _end_session.scheme not in ({"https"} if ENVIRONMENT == "production" else {"https", "http"}) \
            or not _end_session.netloc:
        raise ImproperlyConfigured("MELDROUTE_OIDC_END_SESSION_ENDPOINT must be an absolute https:// URL.")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] = [
        "'self'", f"{_end_session.scheme}://{_end_session.netloc}"]
MELDROUTE_OIDC = {
    "ISSUER": env("OIDC_ISSUER", ""),  # the id_token's `iss` must be exactly this
    # The claim an account is matched on (stored in User.oidc_subject): `sub`, or e.g. `oid` for Entra ID.
    "SUBJECT_CLAIM": env("OIDC_SUBJECT_CLAIM", "sub"),
    # On: a first login with a *verified* e-mail address that belongs to exactly one account links that account.
    "MATCH_VERIFIED_EMAIL": env_bool("OIDC_MATCH_VERIFIED_EMAIL"),
    # The IdP did the second factor when `amr` holds one of these, or `acr` is one of these: no TOTP asked again.
    "MFA_AMR": [v for v in (env("OIDC_MFA_AMR", "mfa") or "").split(",") if v],
    "MFA_ACR": [v for v in (env("OIDC_MFA_ACR", "") or "").split(",") if v],
    # Optional: the claim naming the person's organisation, and "claim value=organisation code" pairs; the account's
    # own organisation must match it (the mapping never grants anything, it only refuses a mismatch).
    "ORGANISATION_CLAIM": env("OIDC_ORGANISATION_CLAIM", ""),
    "ORGANISATION_MAP": dict(pair.split("=", 1) for pair in (env("OIDC_ORGANISATION_MAP", "") or "").split(",")
                             if "=" in pair),
}

# --- Mail: alerts and reminders. Demo writes files into the data folder.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "outbox"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "meldroute@localhost")

# --- API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "meldroute.accounts.authentication.ApiTokenAuthentication",  # hashed organisation tokens with an expiry
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "meldroute.api.exceptions.structured_exception_handler",
    "DEFAULT_PARSER_CLASSES": ["meldroute.core.parsers.JSONParser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Meldroute API",
    "DESCRIPTION": "Signalen van mensenhandel aanleveren en terugvinden door ketenpartners.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per shared vocabulary, so the schema has no duplicate enums.
    "ENUM_NAME_OVERRIDES": {
        "PartnerTypeEnum": "meldroute.partners.constants.PartnerType",
        "DataCategoryEnum": "meldroute.partners.constants.DataCategory",
        "LegalGroundEnum": "meldroute.partners.constants.LegalGround",
        "SignalStatusEnum": "meldroute.intake.constants.SignalStatus",
        "ReferralStatusEnum": "meldroute.referrals.constants.ReferralStatus",
        "MeetingStatusEnum": "meldroute.meetings.constants.MeetingStatus",
        "CaseStatusEnum": "meldroute.cases.constants.CaseStatus",
    },
}

# --- Domain configuration (per deployment; each region's meldroute is data, see meldroute.routing).
MELDROUTE = {
    "TRIAGE_HOURS_ACUTE": env_int("TRIAGE_HOURS_ACUTE", 4),
    "TRIAGE_WORKING_DAYS": env_int("TRIAGE_WORKING_DAYS", 5),
    "FEEDBACK_WORKING_DAYS": env_int("FEEDBACK_WORKING_DAYS", 10),
    "INFORMATION_REQUEST_DAYS": env_int("INFORMATION_REQUEST_DAYS", 14),
    "ATTACHMENT_MAX_BYTES": env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024),
    "ATTACHMENT_MAX_COUNT": env_int("ATTACHMENT_MAX_COUNT", 10),
    "ATTACHMENT_TYPES": {
        "image/jpeg": "JPEG-foto",
        "image/png": "PNG-afbeelding",
        "image/heic": "HEIC-foto",
        "image/webp": "WebP-afbeelding",
        "application/pdf": "PDF-document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word-document",
        "application/vnd.oasis.opendocument.text": "OpenDocument-tekst",
    },
    "BASE_URL": env("BASE_URL", "http://127.0.0.1:8000"),
    # On in production; the demo and the test suite switch it on where they exercise it.
    "REQUIRE_2FA": env_bool("REQUIRE_2FA", ENVIRONMENT == "production"),
    # Basic registers for enrichment (SPEC B2); empty URL = not connected. `meldroute demo` uses local fakes.
    "BRP_API_URL": env("BRP_API_URL", ""),
    "BRP_API_KEY": env("BRP_API_KEY", ""),
    "KVK_API_URL": env("KVK_API_URL", ""),
    "KVK_API_KEY": env("KVK_API_KEY", ""),
    "LOOKUP_TIMEOUT_SECONDS": env_int("LOOKUP_TIMEOUT_SECONDS", 5),
    # Pattern alert (SPEC B4): this many signals on one address or business within this many months.
    "PATTERN_MIN_SIGNALS": env_int("PATTERN_MIN_SIGNALS", 3),
    "PATTERN_MONTHS": env_int("PATTERN_MONTHS", 12),
    # A personal link to a referral for a partner without an account (SPEC §4: valid 14 days).
    "REFERRAL_LINK_DAYS": env_int("REFERRAL_LINK_DAYS", 14),
    # The public form for residents (intake.resident_services): submissions per client address and overall within one
    # window; past that, a Dutch 429 that points to Meld Misdaad Anoniem. Counted under keyed hashes, never the address.
    "RESIDENT_FORM_LIMITS": {
        "per_address": env_int("RESIDENT_FORM_LIMIT_PER_ADDRESS", 5),
        "overall": env_int("RESIDENT_FORM_LIMIT_OVERALL", 200),
        "window_minutes": env_int("RESIDENT_FORM_WINDOW_MINUTES", 60),
    },
    # Disclosure control (SPEC §4, G2; meldroute.monitoring.suppression): figures shared between organisations hide
    # counts below SHARED_THRESHOLD, published or exported figures below PUBLICATION_THRESHOLD.
    "SHARED_THRESHOLD": env_int("SHARED_THRESHOLD", 5),
    "PUBLICATION_THRESHOLD": env_int("PUBLICATION_THRESHOLD", 10),
    # Rare but important categories, per dimension, shown together as "overig" with a footnote naming them.
    "RARE_CATEGORIES": {
        "form": ["organ_removal"],
        "sector": ["begging"],
        "comensha_sector": ["begging", "organ_removal"],
    },
    # Persons' identity fields (persons.fields): Fernet keys, the first encrypts; never in a file under version control.
    "FIELD_ENCRYPTION_KEYS": _field_encryption_keys(),
    # Blind indexes over encrypted data (search, linking, duplicates): its own stable HMAC key (core.crypto).
    "BLIND_INDEX_KEY": _blind_index_key(),
    # The audit chains (docs/privacy/audit-chain.md): HMAC key (never in the database), and the checkpoints of each
    # chain's head and count written outside the database every AUDIT_CHECKPOINT_MINUTES by the worker: an
    # append-only JSONL file, and optionally a syslog address ("/dev/log" or "host:514") for a copy elsewhere.
    "AUDIT_KEY": _audit_key(),
    "AUDIT_CHECKPOINT_FILE": env("AUDIT_CHECKPOINT_FILE") or str(DATA_DIR / "audit-checkpoints.jsonl"),
    "AUDIT_CHECKPOINT_MINUTES": env_int("AUDIT_CHECKPOINT_MINUTES", 15),
    "AUDIT_CHECKPOINT_SYSLOG": env("AUDIT_CHECKPOINT_SYSLOG", ""),
    # Readiness (/gezondheid/klaar/, core.health): a worker must have been seen within this many seconds, and no
    # more than this many mails may wait past their moment.
    "WORKER_MAX_SILENCE_SECONDS": env_int("WORKER_MAX_SILENCE_SECONDS", 300),
    "MAIL_BACKLOG_MAX": env_int("MAIL_BACKLOG_MAX", 20),
    # Bedenktijd (reflection period) for presumed victims without lawful residence: configuration with its source,
    # not a constant in code (SPEC §4). Dublin cases granted on or after "dublin_since" get "dublin_days".
    "BEDENKTIJD": {
        "regular_months": env_int("BEDENKTIJD_MONTHS", 3),
        "dublin_days": env_int("BEDENKTIJD_DUBLIN_DAYS", 30),
        "dublin_since": env("BEDENKTIJD_DUBLIN_SINCE", "2023-05-18"),
        "remind_days_before": [14, 3],
        "source": "Vreemdelingencirculaire B8/3 (Vw 2000 art. 8 onder k)",
    },
    # Retention terms in months per rule (meldroute.retention.rules: what each rule covers, what it clears, source).
    "RETENTION": {
        "attachments": env_int("RETENTION_ATTACHMENTS_MONTHS", 6),
        "signal_no_follow_up": env_int("RETENTION_SIGNAL_NO_FOLLOW_UP_MONTHS", 12),
        "signal_followed_up": env_int("RETENTION_SIGNAL_FOLLOWED_UP_MONTHS", 60),
        "referral": env_int("RETENTION_REFERRAL_MONTHS", 60),
        "case_closed": env_int("RETENTION_CASE_MONTHS", 60),
        "intervention": env_int("RETENTION_INTERVENTION_MONTHS", 60),
        "care_trajectory": env_int("RETENTION_CARE_MONTHS", 84),
    },
}

# One line per event on stderr, with the request id (core.logs); JSON in production for the log collector
# (MELDROUTE_LOG_FORMAT=json|text). No line carries personal data (core.logs; tests/test_logs_without_personal_data.py).
LOG_FORMAT = env("LOG_FORMAT", "json" if ENVIRONMENT == "production" else "text")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("MELDROUTE_LOG_FORMAT is json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "meldroute.core.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "pythonjsonlogger.json.JsonFormatter",
                 "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
                 "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"}},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
