"""Persons on a case (victims, suspects, others) with their encrypted identity, and their consent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meldroute.cases.models import Case
from meldroute.core.models import BaseModel
from meldroute.partners.constants import LegalGround, PartnerType
from meldroute.triage.constants import ExploitationForm, MeansOfControl, Sector

from .constants import (
    PSEUDONYM_WORD,
    AgeBand,
    Citizenship,
    ConsentGivenBy,
    ConsentKind,
    Gender,
    PersonRole,
    RecruiterRelation,
    SexSector,
    VictimStatus,
)
from .fields import EncryptedDateField, EncryptedTextField, keyed_hash


class Person(BaseModel):
    """One person on one case. Identity fields are encrypted at rest; everything in clear is non-identifying and
    maps to HTCDS / CoMensha for statistics. Lists show `pseudonym` only."""

    audit_target = "persons.person"  # stored in the audit and access logs: never rename (audit.targets)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="persons", verbose_name=_("casus"))
    role = models.CharField(_("rol"), max_length=16, choices=PersonRole.choices)
    # A, B, … in the order persons were added; with the case reference it makes the pseudonym.
    letter = models.CharField(max_length=4)
    pseudonym = models.CharField(_("pseudoniem"), max_length=80)
    victim_status = models.CharField(_("status slachtofferschap"), max_length=16, choices=VictimStatus.choices,
                                     blank=True)
    status_decided_by = models.CharField(_("vastgesteld door"), max_length=120, blank=True,
                                         help_text=_("De organisatie die de status heeft vastgesteld."))
    status_decided_on = models.DateField(_("vastgesteld op"), null=True, blank=True)

    # --- identity: encrypted at rest, shown only on the person page (access-logged)
    first_name = EncryptedTextField(_("voornaam"), blank=True)
    last_name = EncryptedTextField(_("achternaam"), blank=True)
    bsn = EncryptedTextField(_("BSN"), blank=True)
    birth_date = EncryptedDateField(_("geboortedatum"), null=True, blank=True)
    address = EncryptedTextField(_("adres of verblijfplaats"), blank=True)
    phone = EncryptedTextField(_("telefoonnummer"), blank=True)
    # Keyed hashes (persons.fields.keyed_hash) to find the same person twice without decrypting.
    bsn_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    name_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    # --- in clear, non-identifying (HTCDS / CoMensha)
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, default=Gender.UNKNOWN)
    exploitation_year = models.PositiveSmallIntegerField(_("jaar waarin de uitbuiting begon"), null=True, blank=True)
    age_band = models.CharField(_("leeftijd bij uitbuiting"), max_length=8, choices=AgeBand.choices,
                                default=AgeBand.UNKNOWN)
    minor_at_exploitation = models.BooleanField(_("minderjarig bij uitbuiting"), default=False)
    is_minor = models.BooleanField(_("minderjarig"), default=False)
    citizenship = models.CharField(_("nationaliteit"), max_length=2, choices=Citizenship.choices,
                                   default=Citizenship.ZZ)
    is_unaccompanied_minor_foreigner = models.BooleanField(_("alleenstaande minderjarige vreemdeling (AMV)"),
                                                           default=False)
    exploitation_forms = models.JSONField(_("vormen van uitbuiting"), default=list, blank=True)
    sex_sector = models.CharField(_("sector seksbranche"), max_length=16, choices=SexSector.choices, blank=True)
    labour_sector = models.CharField(_("sector arbeid"), max_length=32, choices=Sector.choices, blank=True)
    means_of_control = models.JSONField(_("middelen van controle"), default=list, blank=True)
    recruiter_relation = models.CharField(_("relatie met de ronselaar"), max_length=24,
                                          choices=RecruiterRelation.choices, blank=True)
    place_of_recruitment = models.CharField(_("plaats van werving"), max_length=120, blank=True,
                                            help_text=_("Gemeente of land, geen adres."))
    place_of_exploitation = models.CharField(_("plaats van uitbuiting"), max_length=120, blank=True,
                                             help_text=_("Gemeente of land, geen adres."))
    registered_with_comensha_at = models.DateTimeField(_("gemeld bij CoMensha"), null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # AVG art. 18: set and lifted by the FG (services.set_restriction, privacy app); while set, the data is only kept.
    restricted_at = models.DateTimeField(_("verwerking beperkt sinds"), null=True, blank=True, editable=False)

    # What the person page shows beyond the list (access-logged as "inzage identiteit").
    IDENTITY_FIELDS = ("first_name", "last_name", "bsn", "birth_date", "address", "phone")

    class Meta:
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")
        ordering = ["case_id", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["case", "letter"], name="person_letter_unique_per_case"),
            models.UniqueConstraint(fields=["case", "bsn_hash"], condition=~Q(bsn_hash=""),
                                    name="person_bsn_unique_per_case"),
            models.UniqueConstraint(fields=["case", "name_hash"], condition=~Q(name_hash=""),
                                    name="person_name_birth_unique_per_case"),
            models.CheckConstraint(condition=Q(role=PersonRole.VICTIM) | Q(victim_status=""),
                                   name="only_victims_have_victim_status"),
        ]

    def __str__(self) -> str:
        return self.pseudonym

    def compute_blind_indexes(self) -> dict[str, str]:
        """The keyed hashes as the services compute them, from the decrypted identity (`meldroute rotate_keys`)."""
        from .services import name_hash_for, normalise_bsn  # services import this module

        return {"bsn_hash": keyed_hash("bsn", normalise_bsn(self.bsn)),
                "name_hash": name_hash_for(self.first_name, self.last_name, self.birth_date)}

    @property
    def exploitation_form_labels(self) -> list[str]:
        """The forms of exploitation in Dutch, for display (the field holds their codes)."""
        labels = dict(ExploitationForm.choices)
        return [str(labels.get(code, code)) for code in self.exploitation_forms or ()]

    @property
    def means_of_control_labels(self) -> list[str]:
        labels = dict(MeansOfControl.choices)
        return [str(labels.get(code, code)) for code in self.means_of_control or ()]

    @property
    def is_victim(self) -> bool:
        return self.role == PersonRole.VICTIM

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)

    @staticmethod
    def pseudonym_for(role: str, reference: str, letter: str) -> str:
        return f"{PSEUDONYM_WORD[PersonRole(role)]} {reference}-{letter}"


class ConsentQuerySet(models.QuerySet["Consent"]):
    def active(self) -> "ConsentQuerySet":
        return self.filter(withdrawn_at__isnull=True)


class Consent(BaseModel):
    """One recorded decision of a person (or their parent/guardian): yes or no to care, to sharing with one partner
    type, or to anonymous statistics. A later decision on the same subject ends the earlier one; withdrawal too."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("waarvoor"), max_length=16, choices=ConsentKind.choices)
    partner_type = models.CharField(_("met welke ketenpartner"), max_length=32, choices=PartnerType.choices,
                                    blank=True)
    given = models.BooleanField(_("toestemming gegeven"))
    given_by = models.CharField(_("gegeven door"), max_length=16, choices=ConsentGivenBy.choices)
    given_on = models.DateField(_("datum"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    withdrawal_reason = models.TextField(_("reden van intrekking"), blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "partner_type"], condition=Q(withdrawn_at__isnull=True),
                                    name="one_active_consent_per_subject"),
            models.CheckConstraint(condition=Q(kind=ConsentKind.SHARING, partner_type__gt="")
                                   | (~Q(kind=ConsentKind.SHARING) & Q(partner_type="")),
                                   name="sharing_consent_names_partner_type"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.partner_type} {self.given}"


class ConsentOverride(BaseModel):
    """Sharing or registering without consent: on a legal ground, with a reason, approved by a second person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consent_overrides")
    kind = models.CharField(_("waarvoor"), max_length=16, choices=ConsentKind.choices)
    partner_type = models.CharField(_("met welke ketenpartner"), max_length=32, choices=PartnerType.choices,
                                    blank=True)
    legal_ground = models.CharField(_("grondslag"), max_length=32, choices=LegalGround.choices)
    reason = models.TextField(_("reden"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("akkoord van"))

    class Meta:
        verbose_name = _("afwijking van toestemming")
        verbose_name_plural = _("afwijkingen van toestemming")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(actor=models.F("approver")),
                                              name="override_approver_is_not_actor")]
