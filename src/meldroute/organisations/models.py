"""Regions hold municipalities and regional bodies; users and signals belong to an organisation."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from meldroute.core.models import BaseModel

from .constants import OrganisationKind


class Region(BaseModel):
    audit_target = "organisations.region"  # stored in the audit and access logs: never rename (audit.targets)

    name = models.CharField(_("naam"), max_length=120, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def municipalities(self) -> "OrganisationQuerySet":
        return self.filter(kind=OrganisationKind.MUNICIPALITY)

    def partners(self) -> "OrganisationQuerySet":
        return self.exclude(kind=OrganisationKind.MUNICIPALITY)


class Organisation(BaseModel):
    audit_target = "organisations.organisation"  # stored in the audit and access logs: never rename (audit.targets)

    name = models.CharField(_("naam"), max_length=160)
    kind = models.CharField(_("soort"), max_length=32, choices=OrganisationKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisations",
                               verbose_name=_("regio"))
    # CBS municipality code (e.g. GM0398) for municipalities; a short code for other bodies.
    code = models.CharField(_("code"), max_length=16, unique=True)
    email = models.EmailField(_("algemeen e-mailadres"), blank=True)
    # Off: this organisation's people log in only through its identity provider (OpenID Connect), never with a local
    # password. Changed only through accounts.services.set_local_login (audited).
    local_login_allowed = models.BooleanField(_("lokaal inloggen toegestaan"), default=True)
    # The number a reporter calls about an acute signal (the AF on duty or the meldpunt); shown on the acute receipt.
    acute_phone = models.CharField(_("telefoonnummer bij acute signalen"), max_length=32, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_municipality(self) -> bool:
        return self.kind == OrganisationKind.MUNICIPALITY
