"""Deployment checks (`manage.py check --deploy`): no missing, placeholder or unusable key reaches production."""

from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Tags, register

PLACEHOLDER = "change-me"


def _keys() -> dict[str, list[str]]:
    config = getattr(settings, "MELDROUTE", {})
    return {
        "MELDROUTE_SECRET_KEY": [str(getattr(settings, "SECRET_KEY", "") or "")],
        "MELDROUTE_FIELD_ENCRYPTION_KEY": [str(k) for k in config.get("FIELD_ENCRYPTION_KEYS") or []],
        "MELDROUTE_BLIND_INDEX_KEY": [str(config.get("BLIND_INDEX_KEY") or "")],
    }


@register(Tags.security, deploy=True)
def check_keys(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors: list[Error] = []
    keys = _keys()
    for name, values in keys.items():
        values = [v.strip() for v in values if v.strip()]
        if not values:
            errors.append(Error(f"{name} is not set.", hint="Generate a random key; see .env.example.",
                                id="meldroute.E001"))
        elif any(PLACEHOLDER in v.lower() for v in values):
            errors.append(Error(f"{name} is still the placeholder from .env.example ('{PLACEHOLDER}').",
                                hint="Generate a random key; see .env.example.", id="meldroute.E002"))
    for key in keys["MELDROUTE_FIELD_ENCRYPTION_KEY"]:
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            errors.append(Error("MELDROUTE_FIELD_ENCRYPTION_KEY holds a value that is not a Fernet key "
                                "(32 url-safe base64-encoded bytes).", id="meldroute.E003"))
            break
    blind = keys["MELDROUTE_BLIND_INDEX_KEY"][0]
    if blind and PLACEHOLDER not in blind.lower() and len(blind) < 32:
        errors.append(Error("MELDROUTE_BLIND_INDEX_KEY is too short: use at least 32 random characters.",
                            id="meldroute.E004"))
    if blind and blind in keys["MELDROUTE_FIELD_ENCRYPTION_KEY"]:
        errors.append(Error("MELDROUTE_BLIND_INDEX_KEY must differ from the encryption keys: it stays when they "
                            "rotate.", id="meldroute.E005"))
    return errors
