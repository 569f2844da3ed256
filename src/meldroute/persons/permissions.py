"""Who may do what with a person: which persons a user may register, which consent they may record, and who sees an
identity on which ground. Built on what the user may do on the person's case (cases.permissions.CaseAccess).

Which persons a user sees at all is the scoping QuerySet (selectors.persons_visible_to)."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.cases.permissions import CaseAccess, case_access
from meldroute.core.language import recorded
from meldroute.partners.constants import LegalGround, PartnerType
from meldroute.partners.selectors import partner_type_of

from .constants import ConsentKind, PersonRole
from .models import Consent, ConsentOverride, Person

# The zorgcoördinator's part of consent: to care, and to the anonymous registration with CoMensha they report.
CARE_CONSENT_KINDS = frozenset({ConsentKind.CARE, ConsentKind.STATISTICS})


# --- Registering persons and their consent -----------------------------------------------------------------------

def person_roles_for(access: CaseAccess) -> frozenset[str]:
    """The roles of the persons a user may add to or change on a case: any role for the case's regie and the AFs of
    its municipality (CaseAccess.manages); victims only for the zorgcoördinator on the case team, who registers the
    victims they care for — never suspects or others, whom they may not even see."""
    if access.manages:
        return frozenset(PersonRole.values)
    if access.care_member:
        return frozenset({PersonRole.VICTIM})
    return frozenset()


def can_edit_persons(access: CaseAccess, role: str | None = None) -> bool:
    """Adding and changing persons on the case; with `role`, persons with that role."""
    roles = person_roles_for(access)
    return bool(roles) if role is None else role in roles


def consent_kinds_for(access: CaseAccess, person: Person) -> frozenset[str]:
    """Which kinds of consent the user may record for this person (and so see on the consent page)."""
    if access.manages:
        return frozenset(ConsentKind.values)
    if person.is_victim and access.care_member:
        return CARE_CONSENT_KINDS
    return frozenset()


def can_record_consent(access: CaseAccess, person: Person, kind: str | None = None) -> bool:
    kinds = consent_kinds_for(access, person)
    return bool(kinds) if kind is None else kind in kinds


# --- Who sees a person's identity, and on what ground ------------------------------------------------------------

@dataclass(frozen=True)
class IdentityGround:
    """Why a user may see a person's identity: shown with the identity and written into the access log."""

    kind: str  # "controller", "consent" or "override"
    label: str  # for the page, in the user's language
    logged: str  # for the access log, in the language of record (core.language)


def _subjects_for(user: User) -> tuple[frozenset[str], frozenset[str]]:
    """(consent kinds without partner type, partner types of sharing consent) that cover this user: sharing with
    their organisation's partner type; for the zorgcoördinator also consent to care and sharing with zorgcoördinatie."""
    if not user.is_authenticated or user.organisation_id is None:
        return frozenset(), frozenset()
    partner_types = {partner_type_of(user.organisation)}
    kinds: set[str] = set()
    if user.has_role(Role.ZORGCOORDINATOR):
        kinds.add(ConsentKind.CARE)
        partner_types.add(PartnerType.CARE_COORDINATION)
    return frozenset(kinds), frozenset(partner_types)


def _subject_q(kinds: frozenset[str], partner_types: frozenset[str]) -> Q:
    return Q(kind__in=kinds) | Q(kind=ConsentKind.SHARING, partner_type__in=partner_types)


def shared_with_q(user: User) -> Q:
    """Persons whose recorded consent or recorded legal ground (override) covers this user, as a filter on Person."""
    kinds, partner_types = _subjects_for(user)
    if not partner_types:
        return Q(pk__in=[])
    subject = _subject_q(kinds, partner_types)
    consents = Consent.objects.active().filter(given=True).filter(subject).values("person_id")
    overrides = ConsentOverride.objects.filter(subject).values("person_id")
    return Q(pk__in=consents) | Q(pk__in=overrides)


def identity_ground(access: CaseAccess, person: Person) -> IdentityGround | None:
    """THE decision whether this user may see this person's identity (name, BSN, birth date, address, phone), and on
    what ground. Being able to open the case (a ZVH it was brought into, the case team) is not a ground:
    - the AF of the case's municipality: the municipality registered the person (controller, public task);
    - anyone else: the person's recorded consent covering the user's partner type (the zorgcoördinator: consent to
      care or to sharing with zorgcoördinatie), else a recorded legal ground for it (ConsentOverride, with approver).
    Without a ground: the pseudonym only. With one, the identity is still shown only after the user states a purpose
    (selectors.get_person_for with identity_purpose), which goes into the access log."""
    if access.is_af:
        return IdentityGround("controller", _("taak van de gemeente (verwerkingsverantwoordelijke)"),
                              recorded("taak van de gemeente (verwerkingsverantwoordelijke)"))
    kinds, partner_types = _subjects_for(access.user)
    if not partner_types:
        return None
    subject = _subject_q(kinds, partner_types)
    consent = person.consents.active().filter(given=True).filter(subject).first()
    if consent is not None:
        subject_label = (PartnerType(consent.partner_type).label if consent.partner_type
                         else ConsentKind(consent.kind).label)
        return IdentityGround("consent", _("toestemming (%(subject)s)") % {"subject": subject_label},
                              recorded("toestemming (%(subject)s)", {"subject": subject_label}))
    override = person.consent_overrides.filter(subject).first()
    if override is not None:
        ground = LegalGround(override.legal_ground).label
        return IdentityGround("override", _("grondslag: %(ground)s") % {"ground": ground},
                              recorded("grondslag: %(ground)s", {"ground": ground}))
    return None


# --- All of it for one person, once per request ------------------------------------------------------------------

@dataclass
class PersonAccess:
    """What one user may do with one person."""

    person: Person
    case_access: CaseAccess  # what the user may do on the person's case
    full: bool  # sees the whole person (all fields, consent, overrides)
    ground: IdentityGround | None  # why they may see the identity; None: pseudonym only
    attributes: bool  # sees status, gender, age band, nationality, minor
    can_edit: bool
    can_consent: bool
    identity: bool = False  # the identity is shown on this response (a purpose was stated and logged)

    @property
    def may_see_identity(self) -> bool:
        return self.ground is not None

    @property
    def consent_kinds(self) -> frozenset[str]:
        return consent_kinds_for(self.case_access, self.person)


def person_access(user: User, person: Person) -> PersonAccess:
    """What `user` may do with `person`, computed once (selectors.get_person_for) and passed down."""
    access = case_access(user, person.case)
    full = access.sees_whole
    ground = identity_ground(access, person)
    return PersonAccess(person=person, case_access=access, full=full, ground=ground,
                        attributes=full or ground is not None,
                        # Changing a person means seeing the identity in the form: only with a ground for it.
                        can_edit=ground is not None and can_edit_persons(access, person.role) and person.case.is_open,
                        can_consent=can_record_consent(access, person) and person.case.is_open)


# --- The functionaris gegevensbescherming (FG) ---------------------------------------------------------------------

def fg_scope(user: User) -> Q:
    """THE rule for which persons an FG answers for: the persons on the cases of the FG's own organisation (a
    municipality's cases; for the FG of a Zorg- en Veiligheidshuis, the cases brought into it). Anyone else: none."""
    if not user.is_authenticated or not user.has_role(Role.FG) or user.organisation_id is None:
        return Q(pk__in=[])
    return Q(case__municipality_id=user.organisation_id) | Q(case__zvh_id=user.organisation_id)


def is_fg_for(user: User, person: Person) -> bool:
    return Person.objects.filter(fg_scope(user), pk=person.pk).exists()
