"""The FG's actions: the access export of one data subject (AVG art. 15), rectification (art. 16) and restriction
(art. 18) through the persons' services, and the register's exports. Each takes the actor, refuses with a Dutch
DomainError, and records the request and its audit event in one transaction."""

import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.audit.services import record_access, record_event
from meldroute.audit.targets import target_of
from meldroute.core.exceptions import DomainError
from meldroute.core.language import recorded_label
from meldroute.monitoring.pdf import render_pdf
from meldroute.organisations.models import Organisation
from meldroute.persons import services as person_services
from meldroute.persons.models import Person
from meldroute.persons.permissions import is_fg_for

from .constants import RequestKind
from .dsar import build_export
from .models import SubjectRequest
from .register import Register, build_register, register_csv
from .selectors import Subject

MIN_REASON = 10


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    content_type: str


def _organisation(actor: User) -> Organisation:
    """The FG's organisation: the controller the request is handled for."""
    if not actor.has_role(Role.FG) or actor.organisation is None:
        raise DomainError(_("Alleen de functionaris gegevensbescherming van deze organisatie kan dit doen."),
                          code="forbidden")
    return actor.organisation


def _ensure_fg(actor: User, records: Iterable[Person]) -> None:
    _organisation(actor)
    if not all(is_fg_for(actor, p) for p in records):
        raise DomainError(_("Alleen de functionaris gegevensbescherming van deze organisatie kan dit doen."),
                          code="forbidden")


def _check_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise DomainError(_("Vul de reden en het kenmerk van het verzoek in (minstens %(n)s tekens).")
                          % {"n": MIN_REASON}, field="reason")
    return reason


def _request(kind: str, actor: User, records: list[Person], reason: str, fields: Iterable[str] = ()) -> SubjectRequest:
    request = SubjectRequest.objects.create(kind=kind, organisation=_organisation(actor), reason=reason,
                                            fields=sorted(fields), handled_by=actor)
    request.persons.set(records)
    return request


def export_subject_data(subject: Subject, *, actor: User, reason: str) -> Export:
    """Everything about the data subject as one ZIP: a readable PDF and the same content as JSON."""
    _ensure_fg(actor, subject.records)
    reason = _check_reason(reason)
    with transaction.atomic():
        request = _request(RequestKind.ACCESS, actor, subject.records, reason)
        data = build_export(subject.records, controller=_organisation(actor).name,
                            request_reference=str(request.uuid))
        for record in subject.records:
            record_access(actor=actor, target_type=target_of(record), target_uuid=record.uuid,
                          fields=["*"], purpose="inzageverzoek van de betrokkene (AVG art. 15)")
        record_event(actor=actor, action="privacy.access_export", target_type=target_of(request),
                     target_uuid=request.uuid, fields=sorted(k for k, v in data.items() if v),
                     purpose="inzageverzoek van de betrokkene (AVG art. 15)",
                     details={"records": len(subject.records)})
    pdf = render_pdf(render_to_string("privacy/dsar_pdf.html", {"data": data}))
    stamp = timezone.localdate().isoformat()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"inzage-{stamp}.pdf", pdf)
        archive.writestr(f"inzage-{stamp}.json", json.dumps(data, ensure_ascii=False, indent=2))
    return Export(buffer.getvalue(), f"inzage-{subject.person.case.reference}-{stamp}.zip", "application/zip")


def correct_person(person: Person, *, actor: User, data: dict[str, Any], reason: str,
                   confirm_duplicate: bool = False) -> SubjectRequest:
    """Rectification through the persons' service; the request (with its reason) is recorded in the same
    transaction."""
    reason = _check_reason(reason)
    with transaction.atomic():
        before = {f: getattr(person, f) for f in person_services.EDITABLE}
        person_services.correct_person(person, actor=actor, data=data, confirm_duplicate=confirm_duplicate)
        changed = [f for f in person_services.EDITABLE if getattr(person, f) != before[f]]
        if not changed:
            raise DomainError(_("Er is niets gewijzigd."))
        request = _request(RequestKind.RECTIFICATION, actor, [person], reason, changed)
        record_event(actor=actor, action="privacy.rectification", target_type=target_of(request),
                     target_uuid=request.uuid, fields=changed, purpose="rectificatie (AVG art. 16)")
    return request


def restrict_person(person: Person, *, actor: User, restricted: bool, reason: str) -> SubjectRequest:
    """Restrict (or lift the restriction of) the processing through the persons' service, with the request."""
    reason = _check_reason(reason)
    kind = RequestKind.RESTRICTION if restricted else RequestKind.RESTRICTION_LIFTED
    with transaction.atomic():
        person_services.set_restriction(person, actor=actor, restricted=restricted)
        request = _request(kind, actor, [person], reason, ["restricted_at"])
        record_event(actor=actor, action=f"privacy.{kind}", target_type=target_of(request), target_uuid=request.uuid,
                     fields=["restricted_at"], purpose=recorded_label(RequestKind(kind).label))
    return request


def register_for(actor: User) -> Register:
    organisation = actor.organisation if actor.has_role(Role.FG) else None
    if organisation is None or organisation.region is None:
        raise DomainError(_("Alleen de functionaris gegevensbescherming ziet het verwerkingsregister."),
                          code="forbidden")
    return build_register(organisation.region)


def export_register(*, actor: User, fmt: str) -> Export:
    """The register as PDF or CSV, its export audited (it holds no personal data)."""
    if fmt not in {"pdf", "csv"}:
        raise DomainError(_("Kies PDF of CSV."), field="format")
    register = register_for(actor)
    region = register.region
    with transaction.atomic():
        record_event(actor=actor, action="privacy.register_exported", target_type=target_of(region),
                     target_uuid=region.uuid, fields=["register"], purpose="verwerkingsregister (AVG art. 30)",
                     details={"format": fmt})
    stamp = timezone.localdate().isoformat()
    name = f"verwerkingsregister-{region.slug}-{stamp}"
    if fmt == "csv":
        return Export(register_csv(register).encode("utf-8-sig"), f"{name}.csv", "text/csv; charset=utf-8")
    pdf = render_pdf(render_to_string("privacy/register_pdf.html", {"register": register}))
    return Export(pdf, f"{name}.pdf", "application/pdf")
