"""Importing a register: parse the whole file, refuse it whole on any problem, otherwise replace the municipality's
rows of that register and record who imported which file (name, SHA-256, row count) and why — in one transaction.

Idempotent: a file whose content is the register's latest import changes nothing and writes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from meldroute.accounts.permissions import is_af_of
from meldroute.audit.services import record_event
from meldroute.audit.targets import target_of
from meldroute.core.exceptions import DomainError
from meldroute.core.language import recorded
from meldroute.organisations.models import Organisation

from . import parsers
from .constants import RegisterKind
from .exceptions import RegisterRejected
from .models import Area, Business, PostcodeArea, RegisterImport, RniAddress, SexBusiness, Vacancy

MAX_FILE_BYTES = 25 * 1024 * 1024


@dataclass(frozen=True)
class ImportResult:
    register_import: RegisterImport
    unchanged: bool  # the same file as the latest import: nothing was written


def latest_import(municipality: Organisation, kind: str) -> RegisterImport | None:
    return RegisterImport.objects.filter(municipality=municipality, kind=kind).order_by("-created_at", "-id").first()


def import_register(*, actor: Any, municipality: Organisation, kind: str, file_name: str, content: bytes,
                    reason: str) -> ImportResult:
    if not is_af_of(actor, municipality.pk):
        raise DomainError(_("Alleen een aandachtsfunctionaris van deze gemeente kan registers importeren."),
                          code="forbidden")
    if kind not in RegisterKind.values:
        raise DomainError(_("Kies een register."), code="invalid", field="kind")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Geef de reden van de import."), code="invalid", field="reason")
    if len(content) > MAX_FILE_BYTES:
        raise RegisterRejected([_("Het bestand is groter dan 25 MB.")])
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        # One import per municipality and register at a time: the latest import is read under a lock on the row.
        Organisation.objects.select_for_update().filter(pk=municipality.pk).first()
        latest = latest_import(municipality, kind)
        if latest is not None and latest.sha256 == digest:
            return ImportResult(latest, unchanged=True)
        row_count = _replace(municipality, kind, content)
        register_import = RegisterImport.objects.create(
            municipality=municipality, kind=kind, file_name=file_name[:255], sha256=digest, row_count=row_count,
            reason=reason[:500], imported_by=actor)
        record_event(actor=actor, action="risk.register_imported", target_type=target_of(RegisterImport),
                     target_uuid=register_import.uuid, purpose=recorded("Omgevingsscan: register geïmporteerd"),
                     details={"municipality": str(municipality.uuid), "register": kind, "file_name": file_name[:255],
                              "sha256": digest, "rows": row_count, "reason": reason[:500]})
    return ImportResult(register_import, unchanged=False)


def _check(parsed: parsers.Parsed[Any]) -> None:
    if parsed.errors:
        raise RegisterRejected(parsed.errors)


def _replace(municipality: Organisation, kind: str, content: bytes) -> int:
    """Parse first (nothing is touched on a bad file), then replace the register's rows; returns the row count."""
    if kind == RegisterKind.AREAS:
        areas = parsers.parse_areas(content, municipality.code)
        _check(areas)
        kept = dict(PostcodeArea.objects.filter(municipality=municipality).values_list("postcode", "area__code"))
        Area.objects.filter(municipality=municipality).delete()
        created = {row.code: Area.objects.create(municipality=municipality, code=row.code, name=row.name,
                                                 kind=row.kind, geometry=row.geometry) for row in areas.rows}
        # The postcode table survives a new map for every area that is still on it.
        PostcodeArea.objects.bulk_create([PostcodeArea(municipality=municipality, postcode=postcode,
                                                       area=created[code])
                                          for postcode, code in kept.items() if code in created])
        return len(areas.rows)
    if kind == RegisterKind.POSTCODES:
        by_code = {area.code: area for area in Area.objects.filter(municipality=municipality)}
        if not by_code:
            raise RegisterRejected([_("Importeer eerst de wijk- en buurtkaart: de postcodes verwijzen naar "
                                      "de wijken en buurten daarop.")])
        postcodes = parsers.parse_postcodes(content, set(by_code))
        _check(postcodes)
        PostcodeArea.objects.filter(municipality=municipality).delete()
        PostcodeArea.objects.bulk_create([PostcodeArea(municipality=municipality, postcode=row.postcode,
                                                       area=by_code[row.area_code]) for row in postcodes.rows])
        return len(postcodes.rows)
    if kind == RegisterKind.KVK:
        businesses = parsers.parse_kvk(content)
        _check(businesses)
        Business.objects.filter(municipality=municipality).delete()
        Business.objects.bulk_create([Business(
            municipality=municipality, kvk_number=row.kvk_number, establishment_number=row.establishment_number,
            name=row.name, street=row.street, house_number=row.house_number, postcode=row.postcode, city=row.city,
            sbi_codes=list(row.sbi_codes), x=row.x, y=row.y) for row in businesses.rows], batch_size=1000)
        return len(businesses.rows)
    if kind == RegisterKind.VACANCIES:
        vacancies = parsers.parse_vacancies(content)
        _check(vacancies)
        Vacancy.objects.filter(municipality=municipality).delete()
        Vacancy.objects.bulk_create([Vacancy(
            municipality=municipality, employer=row.employer, kvk_number=row.kvk_number, title=row.title,
            postcode=row.postcode, house_number=row.house_number, count=row.count, sbi_codes=list(row.sbi_codes))
            for row in vacancies.rows], batch_size=1000)
        return len(vacancies.rows)
    if kind == RegisterKind.RNI:
        rni = parsers.parse_rni(content)
        _check(rni)
        RniAddress.objects.filter(municipality=municipality).delete()
        RniAddress.objects.bulk_create([RniAddress(municipality=municipality, postcode=row.postcode,
                                                   house_number=row.house_number, registrations=row.registrations)
                                        for row in rni.rows], batch_size=1000)
        return len(rni.rows)
    sex_businesses = parsers.parse_sex_businesses(content)
    _check(sex_businesses)
    SexBusiness.objects.filter(municipality=municipality).delete()
    SexBusiness.objects.bulk_create([SexBusiness(
        municipality=municipality, name=row.name, licence_number=row.licence_number, street=row.street,
        house_number=row.house_number, postcode=row.postcode, valid_until=row.valid_until)
        for row in sex_businesses.rows])
    return len(sex_businesses.rows)
