"""The partner directory (wegwijzer) and the sharing rules: which data may go to which partner type, on which ground."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meldroute.core.models import BaseModel
from meldroute.intake.constants import Phenomenon
from meldroute.organisations.models import Organisation, Region

from .constants import DataCategory, ExploitationForm, LegalGround, PartnerType


class DirectoryEntryQuerySet(models.QuerySet["DirectoryEntry"]):
    def active(self) -> "DirectoryEntryQuerySet":
        return self.filter(is_active=True)

    def for_region(self, region_id: int | None) -> "DirectoryEntryQuerySet":
        """The region's own partners and the national ones."""
        return self.filter(Q(region__isnull=True) | Q(region_id=region_id))


class DirectoryEntry(BaseModel):
    """One chain partner in the wegwijzer: who they are, what they do, how to reach them. No personal data."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="partners",
                               verbose_name=_("regio"), help_text=_("Leeg voor een landelijke partner."))
    partner_type = models.CharField(_("soort ketenpartner"), max_length=32, choices=PartnerType.choices)
    name = models.CharField(_("naam"), max_length=160)
    description = models.TextField(_("rol in de aanpak"), blank=True)
    contact_route = models.TextField(_("contactroute"), blank=True,
                                     help_text=_("Hoe en wanneer u deze partner bereikt (meldpunt, overleg)."))
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=32, blank=True)
    website = models.URLField(_("website"), blank=True)
    forms = models.JSONField(_("vormen van uitbuiting"), default=list, blank=True,
                             help_text=_("Lijst met waarden uit: sexual, labour, criminal, organ_removal."))
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="directory_entries", verbose_name=_("organisatie in Meldroute"),
                                     help_text=_("Als deze partner zelf accounts in Meldroute heeft."))
    is_active = models.BooleanField(_("actief"), default=True)

    objects = DirectoryEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ketenpartner in de wegwijzer")
        verbose_name_plural = _("wegwijzer ketenpartners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def form_labels(self) -> list[str]:
        return [str(ExploitationForm(value).label) for value in self.forms if value in ExploitationForm.values]

    def clean(self) -> None:
        if not isinstance(self.forms, list) or any(value not in ExploitationForm.values for value in self.forms):
            raise ValidationError({"forms": _("Kies uit: %(values)s.")
                                   % {"values": ", ".join(ExploitationForm.values)}})


class SharingRule(BaseModel):
    """A category of data may go to a partner type only on one of `grounds`. A region's rule overrides the national."""

    audit_target = "partners.sharingrule"  # stored in the audit and access logs: never rename (audit.targets)

    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True, related_name="sharing_rules",
                               verbose_name=_("regio"), help_text=_("Leeg voor de landelijke standaard."))
    partner_type = models.CharField(_("soort ketenpartner"), max_length=32, choices=PartnerType.choices)
    category = models.CharField(_("soort gegevens"), max_length=32, choices=DataCategory.choices)
    grounds = models.JSONField(_("toegestane grondslagen"), default=list, blank=True,
                               help_text=_("Lijst met grondslagen, bijvoorbeeld public_task. Leeg: nooit."))
    source = models.TextField(_("bron en toelichting"), blank=True)

    class Meta:
        verbose_name = _("deelregel")
        verbose_name_plural = _("deelregels")
        ordering = ["partner_type", "category"]
        constraints = [
            models.UniqueConstraint(fields=["partner_type", "category"], condition=Q(region__isnull=True),
                                    name="one_national_sharing_rule"),
            models.UniqueConstraint(fields=["region", "partner_type", "category"], condition=Q(region__isnull=False),
                                    name="one_regional_sharing_rule"),
        ]

    def __str__(self) -> str:
        return f"{self.get_partner_type_display()} — {self.get_category_display()}"

    def clean(self) -> None:
        if not isinstance(self.grounds, list) or any(value not in LegalGround.values for value in self.grounds):
            raise ValidationError({"grounds": _("Kies uit: %(values)s.") % {"values": ", ".join(LegalGround.values)}})


class PhenomenonReceiver(BaseModel):
    """Who receives a signal that is no trafficking but another unwanted phenomenon (seed 000 §4.2): a partner type in
    Meldroute (the hand-over is a referral) or, with none, a receiver outside it. A region's row overrides the
    national default. Configuration, not personal data."""

    audit_target = "partners.phenomenonreceiver"  # stored in the audit log: never rename (audit.targets)

    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="phenomenon_receivers", verbose_name=_("regio"),
                               help_text=_("Leeg voor de landelijke standaard."))
    phenomenon = models.CharField(_("ander fenomeen"), max_length=32, choices=Phenomenon.choices)
    partner_type = models.CharField(_("soort ketenpartner"), max_length=32, choices=PartnerType.choices, blank=True,
                                    help_text=_("Leeg: de ontvanger werkt niet in Meldroute; de overdracht wordt "
                                                "vastgelegd als doorgegeven buiten Meldroute."))
    receiver_name = models.CharField(_("ontvanger"), max_length=160)
    source = models.TextField(_("bron en toelichting"), blank=True)

    class Meta:
        verbose_name = _("ontvanger ander fenomeen")
        verbose_name_plural = _("ontvangers ander fenomeen")
        ordering = ["phenomenon"]
        constraints = [
            models.UniqueConstraint(fields=["phenomenon"], condition=Q(region__isnull=True),
                                    name="one_national_phenomenon_receiver"),
            models.UniqueConstraint(fields=["region", "phenomenon"], condition=Q(region__isnull=False),
                                    name="one_regional_phenomenon_receiver"),
        ]

    def __str__(self) -> str:
        return f"{self.get_phenomenon_display()} → {self.receiver_name}"

    @property
    def via_referral(self) -> bool:
        return bool(self.partner_type)
