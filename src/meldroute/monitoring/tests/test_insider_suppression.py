"""Disclosure control against an insider: a municipality that knows its own figures exactly (pure, no database).

The attacker is each municipality in turn: it knows its own row of every regional table exactly (its dashboard shows
it) plus everything published. The exact checker (lp.py) fixes that row and asks, for every other hidden cell,
whether it still has more than one possible value.
"""

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from meldroute.monitoring.suppression import (
    band,
    extend,
    group_is_safe,
    group_small_rows,
    merged_row_residue_cells,
    protect,
    protect_regional,
)

from .lp import hidden_cell_intervals, insider_intervals, member_intervals

SHARED, PUBLICATION = 5, 10
BANDS = (SHARED, PUBLICATION)


def bounds(value: int):
    return band(value, BANDS)


def pinned(interval) -> bool:
    low, high = interval
    return high is not None and low == high


def pinned_from_row(values, hidden, cells, row):
    """The protected cells (outside the attacker's own row) that the municipality of `row` can pin."""
    intervals = insider_intervals(values, set(hidden), bounds, row)
    return sorted(c for c in cells if c[0] != row and pinned(intervals[c]))


def assert_safe_from_every_viewpoint(raw, result, versions=("shared", "publication")):
    """Outsider, every single municipality and every member of a merged row: nothing protected is pinned."""
    totals = [sum(row) for row in raw]
    for table in (getattr(result, version) for version in versions):
        if table.withheld:
            continue
        values = [list(row) for row in table.values]
        data_rows = len(values) - 1
        for row in [None, *range(data_rows)]:
            if row is not None and len(result.groups[row]) > 1:
                continue  # a merged row is nobody's own row; its members are checked below
            assert not pinned_from_row(values, table.hidden, table.protected_cells, row), (
                f"t={table.threshold}: viewpoint {row} pins a cell of {values}, hidden {sorted(table.hidden)}")
        for group in result.groups:
            if len(group) < 2:
                continue
            for member in group:
                cells, others = member_intervals(raw, result.groups, values, set(table.hidden), bounds, member,
                                                 PUBLICATION)
                own = [*raw[member], totals[member]]
                for cell in table.protected_cells:
                    # A cell of the member's merged row (or a column total) that is wholly the member's own tells it
                    # only that nobody else has any there.
                    merged_cell = cell[0] == data_rows or member in result.groups[cell[0]]
                    if merged_cell and values[cell[0]][cell[1]] == own[cell[1]]:
                        continue
                    assert not pinned(cells[cell]), f"member {member} pins {cell} of {values}"
                for (k, j), interval in others.items():
                    true = totals[k] if j == len(raw[0]) else raw[k][j]
                    if j == len(raw[0]) or 0 < true < table.threshold:
                        assert not pinned(interval), f"member {member} pins {(k, j)}={true} of {raw}"


# --------------------------------------------------------------------------- the attack from the demo


# Three municipalities, all with a total of at least 10 (none merged), three categories. Before, the publication
# version hid these cells: safe against an outsider, but Tweede (row 1), knowing its own row exactly, subtracted it
# from the column totals and the row equations and pinned three cells of its neighbours.
NEIGHBOURS = [[4, 0, 8], [20, 1, 2], [4, 1, 6]]
OLD_PATTERN = {(0, 0), (0, 2), (1, 0), (1, 1), (1, 2), (2, 0), (2, 1), (2, 2), (3, 1), (3, 2)}


def test_the_old_pattern_let_a_neighbour_pin_three_hidden_cells_with_its_own_exact_row():
    values = extend(NEIGHBOURS)
    primary = {(0, 0), (0, 2), (2, 0), (2, 2), (1, 1), (1, 2), (2, 1), (3, 1), (3, 2)}
    # An outsider learns nothing exact …
    assert not pinned_from_row(values, OLD_PATTERN, primary, None)
    # … but Tweede does: the column totals minus its own cells leave two hidden cells whose sum forces both.
    assert pinned_from_row(values, OLD_PATTERN, primary, 1) == [(0, 0), (0, 2), (2, 0)]


def test_no_municipality_can_pin_a_neighbours_hidden_cell_in_either_version():
    result = protect_regional(NEIGHBOURS, SHARED, PUBLICATION)
    assert result.groups == [[0], [1], [2]]
    assert not result.publication.withheld
    assert_safe_from_every_viewpoint(NEIGHBOURS, result)


def test_a_one_row_table_is_not_audited_against_its_own_municipality():
    # The dashboard's own tables: the only row is the viewer's own; there is nobody else in it to protect.
    protected = protect([[3, 12, 20]], SHARED, bands=BANDS, insiders=True)
    assert protected.hidden == {(0, 0), (1, 0), (0, 1), (1, 1)}


# --------------------------------------------------------------------------- merged rows


def test_a_merged_row_of_two_would_hand_each_member_the_other_and_gets_a_third_member():
    # Small Eerste (6) topped up with Tweede (12) alone: Tweede minus itself is Eerste's exact row.
    totals = [6, 12, 30, 40]
    groups = group_small_rows(totals, PUBLICATION)
    merged = next(g for g in groups if len(g) > 1)
    assert merged == [0, 1, 2]
    assert not group_is_safe(totals, [0, 1], PUBLICATION)
    assert group_is_safe(totals, merged, PUBLICATION)


def test_a_region_that_can_only_merge_two_municipalities_is_withheld():
    result = protect_regional([[2, 4], [10, 5]], SHARED, PUBLICATION)
    assert result.groups == [[0, 1]]
    assert result.shared.withheld and result.publication.withheld


def test_a_merged_cell_that_leaves_a_member_a_small_rest_is_hidden():
    # Merged row of Eerste, Tweede, Derde: column 0 is 3 + 0 + 12 = 15; Derde subtracts its 12 and would learn that
    # the other two together have 3 — a small figure about its neighbours.
    raw = [[3, 4], [0, 6], [12, 0], [30, 40]]
    groups = group_small_rows([sum(row) for row in raw], PUBLICATION)
    merged = groups.index(next(g for g in groups if len(g) > 1))
    assert (merged, 0) in merged_row_residue_cells(raw, groups, PUBLICATION)
    result = protect_regional(raw, SHARED, PUBLICATION)
    assert result.publication.display(merged, 0) in ("×", "<10") or result.publication.withheld
    assert_safe_from_every_viewpoint(raw, result)


def test_a_member_knows_its_own_part_of_each_merged_cell_and_that_is_audited_too():
    # Found in the demo: four small municipalities, all merged (12 victims). Published: "<10" and "×" over a total of
    # 12. Derde has 2 of the "<10" cell itself, so that cell is at least 2, the "×" at most 10 — hence exactly 10,
    # and the others together have exactly 9 there. Publishing safely is impossible: the table is withheld.
    raw = [[0, 2, 0, 0], [0, 4, 0, 0], [2, 1, 0, 0], [0, 3, 0, 0]]
    result = protect_regional(raw, SHARED, PUBLICATION)
    assert result.groups == [[0, 1, 2, 3]]
    assert result.publication.withheld
    assert_safe_from_every_viewpoint(raw, result)


# --------------------------------------------------------------------------- group disclosure


def test_a_small_row_is_shown_wholly_suppressed_not_as_one_small_cell_among_zeros():
    # "All victims of X are non-Dutch": NL 0, non-NL 7, stateless 0, unknown 0 would say so through its zeros.
    protected = protect([[0, 7, 0, 0]], PUBLICATION, bands=BANDS)
    assert {protected.display(0, j) for j in range(5)} == {"<10"}
    assert {protected.display(1, j) for j in range(5)} == {"<10"}


def test_a_small_column_does_not_show_which_municipality_all_its_members_belong_to():
    # Three victims of forced begging in the region, all in Tweede: zeros elsewhere in the column would say so.
    raw = [[20, 0], [15, 3], [25, 0], [30, 0]]
    result = protect_regional(raw, SHARED, PUBLICATION)
    table = result.publication
    assert not table.withheld
    assert {table.display(i, 1) for i in range(len(table.values))} <= {"<10", "×"}
    assert_safe_from_every_viewpoint(raw, result)


def test_a_large_row_still_publishes_its_zeros():
    protected = protect([[0, 30, 0, 12]], PUBLICATION, bands=BANDS)
    assert protected.display(0, 0) == "0" and protected.display(0, 1) == "30"


# --------------------------------------------------------------------------- every viewpoint, by hypothesis

counts = st.one_of(st.integers(0, 4), st.integers(0, 14), st.integers(0, 40))
regions = st.integers(1, 3).flatmap(
    lambda width: st.lists(st.lists(counts, min_size=width, max_size=width), min_size=2, max_size=5))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 3).flatmap(
    lambda width: st.lists(st.lists(counts, min_size=width, max_size=width), min_size=2, max_size=5)))
@example(rows=NEIGHBOURS)
def test_with_insiders_no_municipality_pins_a_protected_cell_of_another(rows):
    protected = protect(rows, SHARED, bands=BANDS, insiders=True)
    if protected.withheld:
        return
    values = [list(row) for row in protected.values]
    for row in [None, *range(len(rows))]:
        assert not pinned_from_row(values, protected.hidden, protected.protected_cells, row), (
            f"viewpoint {row} pins a cell of {values}, hidden {sorted(protected.hidden)}")
    # Sanity of the checker: every true value lies in its interval.
    intervals = hidden_cell_intervals(values, set(protected.hidden), bounds)
    for (i, j), (low, high) in intervals.items():
        assert low <= values[i][j] and (high is None or values[i][j] <= high)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(regions)
@example(raw=NEIGHBOURS)
@example(raw=[[3, 4], [0, 6], [12, 0], [30, 40]])
@example(raw=[[0, 2, 0, 0], [0, 4, 0, 0], [2, 1, 0, 0], [0, 3, 0, 0]])
# A top-up row that must be exactly t (the only single row is t too) gave the small member's total away.
@example(raw=[[2], [3], [10], [10]])
def test_the_regional_tables_are_safe_from_every_municipality_and_every_merged_member(raw):
    result = protect_regional(raw, SHARED, PUBLICATION)
    # The publication version never publishes what the shared one hides.
    if not result.publication.withheld:
        assert result.shared.hidden <= result.publication.hidden or result.shared.withheld
    assert_safe_from_every_viewpoint(raw, result)
