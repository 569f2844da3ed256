"""Access-checked reads of persons. Lists carry pseudonyms only; the person page is access-logged, and showing the
identity is logged as "inzage identiteit".

Who sees a person (SPEC §1, F1), built on the cases' scoping rule (cases.models.case_scope):
- whoever sees the whole case (team members other than the zorgcoördinator, AFs of the case's municipality,
  procesregisseurs of its ZVH: cases.selectors.sees_everything) sees every person on it, identity included;
- the zorgcoördinator on the case team sees the victims only — never suspects or others — and a victim's identity only
  when it was shared with care (persons.services.care_may_see_identity).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.audit.services import record_access
from meldroute.cases.constants import CaseRole
from meldroute.cases.models import Case, CaseMember
from meldroute.cases.selectors import sees_everything

from . import services
from .constants import PersonRole
from .models import Person

TARGET = "persons.person"
# In clear and non-identifying, but still about one person: logged when read on the person page.
PROFILE_FIELDS = ("role", "victim_status", "gender", "age_band", "citizenship", "exploitation_forms",
                  "sex_sector", "labour_sector", "means_of_control", "recruiter_relation", "place_of_recruitment",
                  "place_of_exploitation")


def _full_cases(user: User):
    """Cases the user sees whole (cases.models.full_case_scope)."""
    return Case.objects.seen_whole_by(user)


def _care_cases(user: User):
    if not user.is_authenticated or not user.has_role(Role.ZORGCOORDINATOR):
        return Case.objects.none()
    return Case.objects.visible_to(user).filter(
        pk__in=CaseMember.objects.filter(user=user, ended_at__isnull=True, role=CaseRole.ZORGCOORDINATOR)
        .values("case_id"))


def persons_visible_to(user: User):
    """THE scoped QuerySet of persons."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Person.objects.none()
    return Person.objects.filter(Q(case__in=_full_cases(user).values("pk"))
                                 | Q(case__in=_care_cases(user).values("pk"), role=PersonRole.VICTIM))


def persons_of_case(user: User, case: Case):
    """The case page's list: pseudonym, role, status, minor flags. No identity, so no access-log entry."""
    return (persons_visible_to(user).filter(case=case)
            .only("uuid", "pseudonym", "role", "victim_status", "is_minor", "is_unaccompanied_minor_foreigner",
                  "case_id", "letter")
            .order_by("letter"))


@dataclass
class PersonAccess:
    """What one user may do with one person."""

    person: Person
    full: bool  # sees the whole person (all fields, consent, overrides)
    identity: bool  # sees name, BSN, birth date, address, phone
    can_edit: bool
    can_consent: bool


def access_to(user: User, person: Person) -> PersonAccess:
    full = sees_everything(user, person.case)
    identity = full or services.care_may_see_identity(person)
    return PersonAccess(person=person, full=full, identity=identity,
                        # The zorgcoördinator edits a victim once its identity is shared with care: the form shows it.
                        can_edit=identity and services.can_edit_persons(user, person.case, person.role)
                        and person.case.is_open,
                        can_consent=services.can_record_consent(user, person) and person.case.is_open)


def get_person_for(user: User, person_uuid, *, purpose: str, with_identity: bool = True) -> PersonAccess:
    """One person, if the user may see them (else 404). The read is logged; with the identity under the purpose
    "inzage identiteit" and the identity fields named."""
    person = (persons_visible_to(user).select_related("case__municipality__region", "case__zvh", "created_by")
              .filter(uuid=person_uuid).first())
    if person is None:
        raise Http404
    access = access_to(user, person)
    fields: tuple[str, ...] = PROFILE_FIELDS
    if with_identity and access.identity:
        fields = (*Person.IDENTITY_FIELDS, *PROFILE_FIELDS)
        purpose = f"inzage identiteit: {purpose}"
    record_access(actor=user, target_type=TARGET, target_uuid=person.uuid, fields=fields, purpose=purpose)
    return access


def get_person_for_edit(user: User, person_uuid) -> Person:
    access = get_person_for(user, person_uuid, purpose="persoon wijzigen")
    if not access.can_edit:
        raise Http404
    return access.person


def consents_of(person: Person):
    return person.consents.select_related("recorded_by", "withdrawn_by").order_by("-given_on", "-id")


def overrides_of(person: Person):
    return person.consent_overrides.select_related("actor", "approver")


def get_consent_of(person: Person, consent_uuid):
    consent = person.consents.filter(uuid=consent_uuid).first()
    if consent is None:
        raise Http404
    return consent
