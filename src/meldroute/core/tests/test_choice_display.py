"""get_FOO_display() with each field's choices made into a dict once (core.models.BaseModel): the same answer as
Django's own, for every field with choices in the product, every value, an unknown value, and in both languages."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from meldroute.core.models import BaseModel


def _fields_with_choices():
    for model in apps.get_models():
        if issubclass(model, BaseModel):
            for field in model._meta.concrete_fields:
                if field.choices:
                    yield model, field


FIELDS = list(_fields_with_choices())


def test_the_product_has_fields_with_choices_to_check():
    assert len(FIELDS) > 20


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_choice_shows_the_label_django_would_show(language):
    checked = 0
    with translation.override(language):
        for model, field in FIELDS:
            instance = model()
            for value, _label in [*field.flatchoices, ("geen-bestaande-waarde", None), (None, None)]:
                setattr(instance, field.attname, value)
                ours = getattr(instance, f"get_{field.name}_display")()
                djangos = models.Model._get_FIELD_display(instance, field)
                assert ours == djangos, (model.__name__, field.name, value)
                assert type(ours) is type(djangos)
                checked += 1
    assert checked > 100


def test_a_label_follows_the_active_language():
    from meldroute.intake.models import Signal

    signal = Signal(status="received")
    with translation.override("nl"):
        assert signal.get_status_display() == "Ontvangen"
    with translation.override("en"):
        assert signal.get_status_display() == "Received"
