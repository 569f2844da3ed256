"""What an omgevingsscan remembers: each register import (audited, by content hash), and the current rows of each
register per municipality — a re-import replaces the register's rows, a register is a snapshot."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meldroute.core.fields import EncryptedTextField
from meldroute.core.models import BaseModel
from meldroute.organisations.models import Organisation

from .constants import RegisterKind


def _municipality(related_name: str) -> models.ForeignKey[Organisation, Organisation]:
    return models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name=related_name,
                             verbose_name=_("gemeente"), limit_choices_to={"kind": "municipality"})


class RegisterImport(BaseModel):
    """One import of one register file: who, when, which file (name and SHA-256), how many rows, and why."""

    audit_target = "risk.register_import"  # stored in the audit and access logs: never rename (audit.targets)

    municipality = _municipality("risk_imports")
    kind = models.CharField(_("register"), max_length=16, choices=RegisterKind.choices)
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField(_("aantal regels"))
    reason = models.CharField(_("reden"), max_length=500)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    related_name="+", verbose_name=_("geïmporteerd door"))

    class Meta:
        verbose_name = _("registerimport")
        verbose_name_plural = _("registerimports")
        indexes = [models.Index(fields=["municipality", "kind", "-created_at"], name="risk_import_latest_idx")]


class Area(BaseModel):
    """A wijk or buurt of the municipality, from the CBS wijk- en buurtkaart (a list of polygons of rings)."""

    audit_target = "risk.area"

    municipality = _municipality("risk_areas")
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("naam"), max_length=120)
    kind = models.CharField(_("soort"), max_length=8)
    geometry = models.JSONField(_("geometrie"))

    class Meta:
        verbose_name = _("wijk of buurt")
        verbose_name_plural = _("wijken en buurten")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="risk_area_code_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PostcodeArea(models.Model):
    """A postcode (six positions, or a four-digit area) and the wijk or buurt it lies in."""

    municipality = _municipality("risk_postcodes")
    postcode = models.CharField(_("postcode"), max_length=6)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="postcodes")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "postcode"], name="risk_postcode_once")]


class Business(models.Model):
    """An establishment from the KvK extract (public register data)."""

    municipality = _municipality("risk_businesses")
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8)
    establishment_number = models.CharField(_("vestigingsnummer"), max_length=12, blank=True)
    name = models.CharField(_("handelsnaam"), max_length=200)
    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=16)
    postcode = models.CharField(_("postcode"), max_length=6)
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    sbi_codes = models.JSONField(_("SBI-codes"), default=list)
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)


class Vacancy(models.Model):
    municipality = _municipality("risk_vacancies")
    employer = models.CharField(_("werkgever"), max_length=200)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True)
    title = models.CharField(_("functie"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6)
    house_number = models.CharField(_("huisnummer"), max_length=16, blank=True)
    count = models.PositiveIntegerField(_("aantal"), default=1)
    sbi_codes = models.JSONField(_("SBI-codes"), default=list)


class RniAddress(BaseModel):
    """The number of RNI registrations at one address: personal data (who lives where), encrypted at rest, read by
    the municipality's AF only through selectors.risk_flags_for (access-logged)."""

    audit_target = "risk.rni_address"

    municipality = _municipality("risk_rni_addresses")
    postcode = EncryptedTextField(_("postcode"))
    house_number = EncryptedTextField(_("huisnummer"))
    registrations = models.PositiveIntegerField(_("aantal inschrijvingen"))

    class Meta:
        verbose_name = _("RNI-adres")
        verbose_name_plural = _("RNI-adressen")


class SexBusiness(models.Model):
    municipality = _municipality("risk_sex_businesses")
    name = models.CharField(_("naam"), max_length=200)
    licence_number = models.CharField(_("vergunningnummer"), max_length=64)
    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=16)
    postcode = models.CharField(_("postcode"), max_length=6)
    valid_until = models.DateField(_("geldig tot"), null=True, blank=True)
