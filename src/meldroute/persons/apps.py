"""Persons on a case: the only app holding direct identifiers (encrypted at rest), and their consent."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonsConfig(AppConfig):
    name = "meldroute.persons"
    label = "persons"
    verbose_name = _("Personen")
