"""Model fields that keep personal data encrypted at rest (SPEC F3), and blind-index columns to find it again.

An encrypted column can not be filtered, ordered or searched: give the model a `BlindIndexField` computed from the
normalised plaintext on every save, and look rows up by `blind_index(purpose, normalise(query))` instead.
"""

import json
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .crypto import blind_index, decrypt, encrypt

if TYPE_CHECKING:  # django-stubs' fields are generic (set type, get type); Django's own are not subscriptable
    _TextField = models.TextField[Any, Any]
    _CharField = models.CharField[Any, Any]
else:
    _TextField, _CharField = models.TextField, models.CharField


class EncryptedTextField(_TextField):
    """Text stored as a Fernet token. Empty stays empty (nothing to hide); lookups other than isnull/empty make no
    sense on it."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt(value)


class EncryptedDateField(EncryptedTextField):
    """A date stored as encrypted ISO text (a birth date is identifying; statistics use the age band in clear)."""

    def to_python(self, value: Any) -> Any:
        if value is None or value == "" or isinstance(value, date):
            return value or None
        return date.fromisoformat(str(value))

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, date):
            value = value.isoformat()
        return super().get_prep_value(value or None)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        text = super().from_db_value(value, expression, connection)
        return date.fromisoformat(text) if text else None


class EncryptedJSONField(models.JSONField):
    """A JSON value (dict or list) stored as one Fernet token over its JSON text; the column holds that token as a
    JSON string, so the column type, serializers and forms stay those of a JSONField."""

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return encrypt(json.dumps(value, cls=self.encoder or DjangoJSONEncoder, ensure_ascii=False))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        token = super().from_db_value(value, expression, connection)
        if token is None or token == "":
            return token
        if not isinstance(token, str):
            # Plaintext JSON where a token belongs: stop loudly rather than serve unencrypted data as if all is well.
            raise ImproperlyConfigured("An encrypted JSON column holds plaintext; run the migrations.")
        return json.loads(decrypt(token))


class BlindIndexField(_CharField):
    """The keyed hash of another field's normalised value, recomputed on every save (also by bulk_create).

    `source` names the field, `normalise` maps its value to the canonical text ("" = nothing to index) and `purpose`
    separates the hashes of different kinds of value. The three are code, not schema, so migrations do not carry
    them; `meldroute rotate_keys` recomputes every blind index from the decrypted source.
    """

    def __init__(self, *args: Any, source: str = "", normalise: Callable[[Any], str] | None = None, purpose: str = "",
                 **kwargs: Any) -> None:
        self.source, self.normalise, self.purpose = source, normalise, purpose or source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_default", "")
        super().__init__(*args, **kwargs)

    def compute(self, instance: models.Model) -> str:
        if not self.source or self.normalise is None:
            return str(getattr(instance, self.attname) or "")
        return blind_index(self.purpose, self.normalise(getattr(instance, self.source)))

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        if self.source and self.normalise is not None:
            setattr(model_instance, self.attname, self.compute(model_instance))
        return super().pre_save(model_instance, add)
