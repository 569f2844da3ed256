"""The list selectors rewritten for 1 000 000 signals (benchmarks/lists.py) return exactly what they returned before.

The case list's figures became correlated subqueries on the open actions (instead of a join with GROUP BY) and its
"mine" tab two IN-subqueries (instead of a DISTINCT join): each tab is compared, row for row and figure for figure,
with the former query on the same cases.
"""

from datetime import timedelta

import pytest
from django.db.models import Count, Min, Q
from django.utils import timezone

from meldroute.cases import selectors, services
from meldroute.cases.constants import OPEN_STATUSES, ActionStatus, CaseStatus
from meldroute.cases.models import Case
from meldroute.triage import services as triage_services
from meldroute.triage.constants import Assessment
from tests.factories import make_signal

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def former_case_list(user, view: str, today):
    """The case list's query as it was before the rewrite (the reference)."""
    qs = selectors.cases_visible_to(user)
    if view == "mine":
        qs = qs.filter(Q(members__user=user, members__ended_at__isnull=True)
                       | Q(actions__owner_user=user, actions__status=ActionStatus.OPEN)).distinct()
        qs = selectors.cases_visible_to(user).filter(pk__in=qs.values("pk"))
    elif view == "closed":
        qs = qs.exclude(status__in=OPEN_STATUSES)
    elif view != "all":
        qs = qs.filter(status__in=OPEN_STATUSES)
    open_actions = Q(actions__status=ActionStatus.OPEN)
    return (qs.annotate(next_deadline=Min("actions__deadline", filter=open_actions),
                        overdue_count=Count("actions", filter=open_actions & Q(actions__deadline__lt=today)))
            .order_by("-overdue_count", "next_deadline", "-created_at", "-id"))


def rows(qs) -> list[tuple]:
    return [(case.reference, case.status, case.next_deadline, case.overdue_count) for case in qs]


def new_case(world, title: str) -> Case:
    signal = make_signal(world.melder_a)
    triage_services.classify_signal(signal, actor=world.af_a, assessment=Assessment.SUSPECTED, forms=["sexual"])
    return services.open_case(actor=world.af_a, signals=[signal], title=title)


def test_the_case_list_shows_the_same_cases_figures_and_order_as_before_on_every_tab(world, clock):
    start = timezone.localdate()
    quiet = new_case(world, "Zonder acties")
    late = new_case(world, "Twee acties te laat")
    for days in (1, 4, 10):
        services.add_action(late, actor=world.af_a, description="Huisbezoek", deadline=start + timedelta(days=days),
                            owner_user=world.af_a)
    soon = new_case(world, "Actie op tijd")
    services.add_action(soon, actor=world.af_a, description="Gesprek", deadline=start + timedelta(days=8),
                        owner_user=world.af_a)
    done = services.add_action(soon, actor=world.af_a, description="Eerder", deadline=start + timedelta(days=2),
                               owner_user=world.af_a)
    services.complete_action(done, actor=world.af_a)  # a done action counts neither as next nor as overdue
    closed = new_case(world, "Afgesloten")
    Case.objects.filter(pk=closed.pk).update(status=CaseStatus.CLOSED, result="no_trafficking")
    clock.shift(timedelta(days=6))
    today = timezone.localdate()

    for user in (world.af_a, world.af_b):
        for view in ("mine", "open", "closed", "all"):
            expected = rows(former_case_list(user, view, today))
            assert rows(selectors.case_list_for(user, view, today=today)) == expected, (user.username, view)
    # Not vacuous: the AF's "Lopend" tab puts the case with two overdue actions first (where a case without open
    # actions sorts, NULL first or last, is the database's, as before), with these figures.
    mine = rows(selectors.case_list_for(world.af_a, "open", today=today))
    assert mine[0] == (late.reference, late.status, start + timedelta(days=1), 2)
    figures = {r[0]: r[2:] for r in mine}
    assert figures == {late.reference: (start + timedelta(days=1), 2), soon.reference: (start + timedelta(days=8), 0),
                       quiet.reference: (None, 0)}
    assert rows(selectors.case_list_for(world.af_b, "all", today=today)) == []


def test_the_mine_tab_holds_the_cases_with_an_open_action_owned_not_those_with_only_done_ones(world):
    today = timezone.localdate()
    case = new_case(world, "Eigen actie")
    services.add_action(case, actor=world.af_a, description="Huisbezoek", deadline=today, owner_user=world.af_a)
    other = new_case(world, "Alleen een afgeronde actie")
    done = services.add_action(other, actor=world.af_a, description="Gesprek", deadline=today, owner_user=world.af_a)
    services.complete_action(done, actor=world.af_a)

    expected = rows(former_case_list(world.af_a, "mine", today))
    assert rows(selectors.case_list_for(world.af_a, "mine", today=today)) == expected
    assert [r[0] for r in expected] == [case.reference]
