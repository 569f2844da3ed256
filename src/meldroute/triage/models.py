"""The AF's classification of a signal, the enrichment notes (each with its source), the signals' link keys, and the
hand-over of a signal that is no trafficking but another phenomenon."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meldroute.core.fields import BlindIndexField, EncryptedJSONField, EncryptedTextField
from meldroute.core.models import BaseModel
from meldroute.intake.constants import Phenomenon
from meldroute.intake.models import Indicator, Signal
from meldroute.organisations.models import Organisation
from meldroute.referrals.models import Referral

from .constants import Assessment, LinkKind, NoteSource, Sector


class Classification(BaseModel):
    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="classification")
    forms = models.JSONField(_("vormen van uitbuiting"), default=list, blank=True)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, blank=True)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="+",
                                        verbose_name=_("aanwezige indicatoren"))
    means_of_control = models.JSONField(_("middelen van controle"), default=list, blank=True)
    assessment = models.CharField(_("beoordeling"), max_length=16, choices=Assessment.choices)
    classified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("classificatie")
        verbose_name_plural = _("classificaties")
        indexes = [models.Index(fields=["assessment"], name="classification_assessment_idx")]


class EnrichmentNote(BaseModel):
    """Internal note added while enriching a signal ("oppluste signaal"); never shown to the reporter."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="enrichment_notes")
    source = models.CharField(_("bron"), max_length=16, choices=NoteSource.choices)
    text = EncryptedTextField(_("notitie"))  # register answers: names, addresses, BSNs (core.fields)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Set for a lookup in a register (BRP, KvK): why it was consulted (doelbinding) and when the answer came.
    purpose = models.CharField(_("doel van de bevraging"), max_length=200, blank=True)
    retrieved_at = models.DateTimeField(_("opgevraagd op"), null=True, blank=True)
    # A BRP answer's persons, as far as persons.Person may carry them (BSN, names, birth date, address — no more),
    # so the AF can take one into a case with one click (persons.services.add_person_from_brp). Encrypted.
    people = EncryptedJSONField(_("gevonden personen"), default=list, blank=True)

    class Meta:
        verbose_name = _("verrijking")
        verbose_name_plural = _("verrijkingen")
        ordering = ["created_at"]


class SignalLink(models.Model):
    """A normalised key (address, KvK number, keyed hash of a BSN) a signal carries, so signals sharing one meet.

    Derived data, rebuilt from the signal and its lookups (triage.linking). The municipality and the receipt time
    are copied in so the signal page and the inbox's pattern alert are each one indexed query.
    """

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="link_keys")
    municipality = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("soort"), max_length=16, choices=LinkKind.choices)
    # The normalised key ("pc:1234AB:12", a KvK number, a person's keyed hash), encrypted; signals meet on its blind
    # index `key`, so matching and the pattern alert never decrypt (and rotate_keys can recompute `key`).
    value = EncryptedTextField(_("waarde"), blank=True)
    key = BlindIndexField(_("sleutel"), source="value", normalise=str, purpose="link")
    # What the AF sees for an address or business ("Kerkweg 12", "KvK 99123456"); empty for a person. Encrypted.
    label = EncryptedTextField(_("omschrijving"), blank=True)
    origin = models.CharField(_("herkomst"), max_length=16)  # "signal", "brp" or "kvk"
    received_at = models.DateTimeField()

    class Meta:
        verbose_name = _("koppelsleutel")
        verbose_name_plural = _("koppelsleutels")
        constraints = [models.UniqueConstraint(fields=["signal", "kind", "key"], name="signal_link_unique")]
        indexes = [
            # A key's links newest first: also what the pattern alert shows of a key (its latest label).
            models.Index(fields=["kind", "key", "received_at"], name="signal_link_key_time_idx"),
            # The pattern alert groups the municipality's links of the last months by key: with the key and the signal
            # in the index it never reads the table (issue 17), wherever the links lie in it.
            models.Index(fields=["municipality", "kind", "received_at"], include=["key", "signal"],
                         name="signal_link_pattern_cover_idx"),
        ]


class Handover(BaseModel):
    """A signal of another unwanted phenomenon handed on (seed 000 §4.2, SPEC B3): as a referral through Meldroute,
    or passed on outside it, with who received it and when. Written by triage.services.hand_over_signal together
    with the closing of the signal, whose history line says the same."""

    audit_target = "triage.handover"  # stored in the audit log: never rename (audit.targets)

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="handovers")
    phenomenon = models.CharField(_("ander fenomeen"), max_length=32, choices=Phenomenon.choices)
    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="handover",
                                    verbose_name=_("doorverwijzing"))
    receiver_name = models.CharField(_("ontvanger"), max_length=160)
    # Outside Meldroute: the department or person the AF passed it to (an employee's name at most, no resident).
    contact = models.CharField(_("contactpersoon of afdeling"), max_length=160, blank=True)
    handed_over_on = models.DateField(_("doorgegeven op"))
    # What the configured map proposed (partners.selectors.phenomenon_receiver), kept to see where the AF deviated.
    proposed_receiver = models.CharField(_("voorgestelde ontvanger"), max_length=160, blank=True)
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("overdracht ander fenomeen")
        verbose_name_plural = _("overdrachten ander fenomeen")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(referral__isnull=False) | ~Q(contact=""),
                                   name="handover_outside_names_contact"),
        ]

    @property
    def via_referral(self) -> bool:
        return self.referral_id is not None
