"""The FG's access-checked, logged reads of persons: by BSN (its keyed hash) and one data subject with every record
that is theirs. Which persons an FG answers for is persons.permissions.fg_scope; outside it: 404."""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from meldroute.accounts.models import User
from meldroute.audit.services import record_access
from meldroute.audit.targets import target_of
from meldroute.persons.fields import keyed_hash
from meldroute.persons.models import Person
from meldroute.persons.permissions import fg_scope
from meldroute.persons.services import normalise_bsn

from .models import SubjectRequest


@dataclass(frozen=True)
class Subject:
    """One data subject: the person asked about and every other record in the FG's scope with the same BSN, or the
    same name and birth date (one human can be on several cases)."""

    person: Person
    records: list[Person]


def persons_for_fg(user: User) -> QuerySet[Person]:
    return Person.objects.filter(fg_scope(user)).select_related("case", "case__municipality")


def find_by_bsn(user: User, bsn: str) -> list[Person]:
    """The records with this BSN (compared by keyed hash, never decrypted); the search is logged, not the number."""
    digest = keyed_hash("bsn", normalise_bsn(bsn))
    found = list(persons_for_fg(user).filter(bsn_hash=digest)) if digest else []
    record_access(actor=user, target_type=target_of(Person), target_uuid=None, fields=["bsn"],
                  purpose="zoeken voor een verzoek van een betrokkene (FG)")
    return found


def find_by_case(user: User, reference: str) -> list[Person]:
    """The persons on one case of the FG's organisation, by its number (for someone without a BSN on record); the
    search is logged."""
    found = list(persons_for_fg(user).filter(case__reference__iexact=reference.strip()).order_by("letter"))
    record_access(actor=user, target_type=target_of(Person), target_uuid=None, fields=["case_reference"],
                  purpose="zoeken voor een verzoek van een betrokkene (FG)")
    return found


def find_persons(user: User, term: str) -> list[Person]:
    """By BSN when the term is one (digits, spaces, dots, dashes), else by case number."""
    digits = normalise_bsn(term)
    return find_by_bsn(user, term) if digits.isdigit() else find_by_case(user, term)


def get_subject_for(user: User, person_uuid: UUID | str, *, purpose: str) -> Subject:
    """404 unless the person is in the FG's scope; the records shown are each access-logged with `purpose`."""
    person = persons_for_fg(user).filter(uuid=person_uuid).first()
    if person is None:
        raise Http404
    same = Q(pk=person.pk)
    if person.bsn_hash:
        same |= Q(bsn_hash=person.bsn_hash)
    if person.name_hash:
        same |= Q(name_hash=person.name_hash)
    records = list(persons_for_fg(user).filter(same).order_by("case__reference", "letter"))
    for record in records:
        record_access(actor=user, target_type=target_of(record), target_uuid=record.uuid, fields=["pseudonym"],
                      purpose=purpose)
    return Subject(person=person, records=records)


def requests_for(user: User, limit: int = 50) -> QuerySet[SubjectRequest]:
    """The requests handled for the FG's organisation (kind, date; no reason, no names)."""
    if user.organisation_id is None:
        return SubjectRequest.objects.none()
    return SubjectRequest.objects.filter(organisation_id=user.organisation_id).select_related("handled_by")[:limit]
