"""Test helpers: a case with a team, and persons added through the real service."""

from meldroute.cases.constants import CaseRole
from meldroute.cases.models import Case, CaseMember
from meldroute.persons import services

BSN_A = "111222333"  # elfproef-valid, fictional
BSN_B = "123456782"
BSN_INVALID = "123456789"


def make_case(world, *, municipality=None, reference="CS-GM8901-2026-001", zorgcoordinator=True):
    municipality = municipality or world.a
    case = Case.objects.create(reference=reference, title="Nagelsalon Dorpsstraat", municipality=municipality,
                               zvh=world.zvh if municipality.region_id == world.region.pk else None,
                               opened_by=world.af_a)
    CaseMember.objects.create(case=case, user=world.casusregisseur, role=CaseRole.CASUSREGISSEUR)
    if zorgcoordinator:
        CaseMember.objects.create(case=case, user=world.zorgcoordinator, role=CaseRole.ZORGCOORDINATOR)
    return case


def victim_data(**extra):
    data = {"role": "victim", "victim_status": "suspected", "status_decided_by": "Politie (AVIM)",
            "first_name": "Zwaantje", "last_name": "Testpersoon", "bsn": BSN_A, "gender": "female",
            "citizenship": "RO", "exploitation_forms": ["sexual"], "sex_sector": "window"}
    data.update(extra)
    return data


def add_victim(case, actor, **extra):
    return services.add_person(case, actor=actor, data=victim_data(**extra))


def add_suspect(case, actor, **extra):
    data = {"role": "suspect", "first_name": "Gerrit", "last_name": "Verzonnen", "citizenship": "NL"}
    data.update(extra)
    return services.add_person(case, actor=actor, data=data)
