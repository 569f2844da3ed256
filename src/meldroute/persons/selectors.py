"""Access-checked reads of persons. Lists carry pseudonyms only; the person page is access-logged, and showing the
identity is logged as "inzage identiteit" with the ground and the purpose the user stated.

Who sees a person (SPEC §1, F1), built on the cases' scoping rule (cases.models.case_scope):
- whoever sees the whole case (team members other than the zorgcoördinator, AFs of the case's municipality,
  procesregisseurs of its ZVH: cases.permissions.CaseAccess.sees_whole) sees every person on it, pseudonymised;
- the zorgcoördinator sees the victims of the cases whose team they are on, and the victims of their region whose
  consent or recorded legal ground covers care — never suspects or others; of a victim not shared with them only
  the pseudonym, no attributes at all.
Who sees a person's identity is a separate decision (persons.permissions.identity_ground): recorded consent or a
recorded legal ground, never merely access to the case; and it is shown only after the user states a purpose.
"""

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.accounts.permissions import in_role
from meldroute.audit.services import record_access
from meldroute.audit.targets import target_of
from meldroute.cases.constants import CaseRole
from meldroute.cases.models import Case, CaseMember

from . import permissions, services
from .constants import PersonRole
from .models import Person

# In clear and non-identifying, but still about one person: logged when read on the person page.
PROFILE_FIELDS = ("role", "victim_status", "gender", "age_band", "citizenship", "exploitation_forms",
                  "sex_sector", "labour_sector", "means_of_control", "recruiter_relation", "place_of_recruitment",
                  "place_of_exploitation")


def _full_cases(user: User):
    """Cases the user sees whole (cases.models.full_case_scope)."""
    return Case.objects.seen_whole_by(user)


def _care_cases(user: User):
    if not in_role(user, Role.ZORGCOORDINATOR):
        return Case.objects.none()
    return Case.objects.visible_to(user).filter(
        pk__in=CaseMember.objects.filter(user=user, ended_at__isnull=True, role=CaseRole.ZORGCOORDINATOR)
        .values("case_id"))


def _regional_care_q(user: User) -> Q:
    """The zorgcoördinator of the region: its victims whose consent or recorded legal ground covers care."""
    organisation = user.organisation
    if not in_role(user, Role.ZORGCOORDINATOR) or organisation is None or organisation.region_id is None:
        return Q(pk__in=[])
    return (Q(role=PersonRole.VICTIM, case__municipality__region_id=organisation.region_id)
            & permissions.shared_with_q(user))


def _attributes_q(user: User) -> Q:
    """Whose attributes (status, gender, age band, nationality, minor) the user sees: all persons of the cases they
    see whole; for the zorgcoördinator only victims shared with them."""
    return Q(case__in=_full_cases(user).values("pk")) | permissions.shared_with_q(user)


def persons_visible_to(user: User):
    """THE scoped QuerySet of persons."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Person.objects.none()
    return Person.objects.filter(Q(case__in=_full_cases(user).values("pk"))
                                 | Q(case__in=_care_cases(user).values("pk"), role=PersonRole.VICTIM)
                                 | _regional_care_q(user))


def with_attribute_access(user: User, persons):
    """Annotate `attributes_visible` in the same query: a list shows a person's attributes only when it is True."""
    return persons.annotate(attributes_visible=ExpressionWrapper(_attributes_q(user), output_field=BooleanField()))


def persons_of_case(user: User, case: Case):
    """The case page's list: pseudonym, role, status, minor flags (the latter only where `attributes_visible`).
    No identity, so no access-log entry."""
    return with_attribute_access(user, persons_visible_to(user).filter(case=case)
                                 .only("uuid", "pseudonym", "role", "victim_status", "is_minor",
                                       "is_unaccompanied_minor_foreigner", "case_id", "letter")
                                 .order_by("letter"))


def _visible_person(user: User, person_uuid) -> Person:
    person = (persons_visible_to(user).select_related("case__municipality__region", "case__zvh", "created_by")
              .filter(uuid=person_uuid).first())
    if person is None:
        raise Http404
    return person


def _logged(user: User, access: permissions.PersonAccess, *, purpose: str,
            identity_purpose: str | None) -> permissions.PersonAccess:
    fields: tuple[str, ...] = PROFILE_FIELDS if access.attributes else ("pseudonym",)
    if identity_purpose is not None:
        if access.ground is None:
            raise Http404
        identity_purpose = services.check_identity_purpose(identity_purpose)
        fields = (*Person.IDENTITY_FIELDS, *fields)
        purpose = f"inzage identiteit ({access.ground.logged}): {identity_purpose}"
        access.identity = True
    record_access(actor=user, target_type=target_of(access.person), target_uuid=access.person.uuid, fields=fields,
                  purpose=purpose)
    return access


def get_person_for(user: User, person_uuid, *, purpose: str,
                   identity_purpose: str | None = None) -> permissions.PersonAccess:
    """One person, if the user may see them (else 404), with what they may do (permissions.PersonAccess, computed once
    here for the request). The read is logged with the fields shown. The identity is shown only with
    `identity_purpose` (what the user stated, checked) and a ground (permissions.identity_ground); then the log names
    the identity fields, the ground and that purpose. Asked without a ground: 404."""
    person = _visible_person(user, person_uuid)
    return _logged(user, permissions.person_access(user, person), purpose=purpose, identity_purpose=identity_purpose)


def get_person_for_edit(user: User, person_uuid) -> permissions.PersonAccess:
    """The edit form shows the identity: the user's purpose is changing the person, logged as such. 404 unless the
    user may change the person (nothing is logged then)."""
    person = _visible_person(user, person_uuid)
    access = permissions.person_access(user, person)
    if not access.can_edit:
        raise Http404
    return _logged(user, access, purpose="persoon wijzigen", identity_purpose="persoon wijzigen")


def consents_of(person: Person):
    return person.consents.select_related("recorded_by", "withdrawn_by").order_by("-given_on", "-id")


def overrides_of(person: Person):
    return person.consent_overrides.select_related("actor", "approver")


def get_consent_of(person: Person, consent_uuid):
    consent = person.consents.filter(uuid=consent_uuid).first()
    if consent is None:
        raise Http404
    return consent
