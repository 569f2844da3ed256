"""Two status changes of one case at once: the row is locked and the second is judged on the first's outcome."""

import pytest
from django.db import connection

from meldroute.cases.constants import CaseResult, CaseStatus
from meldroute.cases.models import Case, CaseStatusChange
from meldroute.cases.services import change_case_status
from meldroute.core.exceptions import DomainError
from meldroute.intake.tests.test_status_locks import race


@pytest.mark.django_db
def test_a_change_from_a_stale_copy_is_judged_on_the_status_in_the_database(world, case):
    stale = Case.objects.get(pk=case.pk)  # a team member opened the page before the AF closed the case
    change_case_status(case, actor=world.af_a, to_status=CaseStatus.CLOSED, result=CaseResult.VICTIM_SAFE)

    with pytest.raises(DomainError, match="kan niet naar"):
        change_case_status(stale, actor=world.af_a, to_status=CaseStatus.SUSPENDED, text="Even wachten.")

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert not CaseStatusChange.objects.filter(case=case, to_status=CaseStatus.SUSPENDED).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)")
def test_of_two_conflicting_closings_at_once_only_one_wins(world, case):
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)

    outcomes = race(
        lambda: change_case_status(first, actor=world.af_a, to_status=CaseStatus.CLOSED,
                                   result=CaseResult.VICTIM_SAFE),
        lambda: change_case_status(second, actor=world.af_a, to_status=CaseStatus.CLOSED,
                                   result=CaseResult.NO_TRAFFICKING),
    )

    assert outcomes.count("won") == 1, outcomes
    assert sum(isinstance(outcome, DomainError) for outcome in outcomes) == 1, outcomes
    # One closing, with one result: not two history rows each claiming its own.
    assert CaseStatusChange.objects.filter(case=case, to_status=CaseStatus.CLOSED).count() == 1
