"""Disclosure control for aggregate tables: primary and complementary cell suppression, audited exactly.

Pure functions, no Django: the rules can be read, tested and proved on their own (tests/test_suppression.py).

The model (SPEC §4 "Disclosure control", G2)
---------------------------------------------
A table is an m × n matrix of non-negative counts, published together with its row totals, column totals and
grand total. Everything below treats the *extended* (m+1) × (n+1) table, totals included, as one set of cells.

* **Primary suppression.** A cell (totals included) with 0 < value < threshold is hidden and shown as "<t".
  **Zeros are published.** A zero says that nobody falls in the group; it cannot single anybody out, and hiding
  zeros would make every small table unreadable. A zero is never used as a complementary cell either: hiding a
  known-small cell protects nothing.
* **What an attacker knows.** Every published cell exactly; every row/column equation of the table; and for a hidden
  cell the *band* its value lies in. Bands come from all thresholds in use (shared 5 and publication 10 give
  [1, 4], [5, 9], [10, ∞)): someone holding both the shared figures and the published ones learns that much from the
  markers ("<5" on one, "<10" or a hidden complement on the other). Auditing against the finest bands is
  conservative for each audience on its own.
* **Complementary suppression.** Further cells are hidden until *no primary cell is uniquely determined* by the
  published cells, the table's equations and the bands. That is checked exactly, not by the "two per line" rule of
  thumb (which fails: a "<5" cell next to a hidden 5 in a row summing to 6 must be 1):

  Substituting y = −x for the margin cells (row and column totals) and y = x elsewhere turns the table's equations
  into "every row and every column of y sums to zero", i.e. a circulation on the bipartite graph rows × columns
  whose edges are the hidden cells. A feasible change of the hidden values is a circulation, and every circulation
  decomposes conformally into simple alternating cycles, so a hidden cell can move away from its true value iff it
  lies on a directed cycle where each cell moves in a direction its band allows (arc row→col when y may grow,
  col→row when y may shrink). The matrix is totally unimodular, so a move of ±1 is then feasible: the cell has at
  least two possible integer values. `unprotected_cells` finds, per primary cell, whether such a cycle exists —
  a breadth-first search, exact and fast on any table a dashboard shows.

  While some primary cell is unprotected, the smallest published, non-zero cell (never a `fixed` one) whose hiding
  protects it is hidden as well — typically the cell closing a rectangle of hidden cells; failing one, the smallest
  in its row or column — and the audit runs again. Hiding a cell only widens the feasible set, so this
  reaches a fixed point; when no candidate is left the whole table is withheld.
* **Insiders.** An AF or burgemeester knows its own municipality's row exactly (its dashboard shows it). With
  `insiders` the audit runs from every viewpoint: the outsider, and each data row with its own cells taken as known
  (the coalition "published table + one row"); a complement is chosen for the viewpoint that still pins a cell, never
  from that viewpoint's own row. A member of a merged row knows its own part of each merged cell: a lower bound
  (`Viewpoint.floors`), which the cycle argument takes like any other bound. A one-row table of one municipality
  (the dashboard's own) has nobody else to protect.
* **Merged rows** (municipalities below the publication threshold) have at least three members and are topped up
  until no member, subtracting its own total from the group's, can pin another's (`group_is_safe`); a merged cell
  whose rest after any member's own cell is small is protected too (`sensitive`, shown "×"). A region where that
  cannot be done gets its table withheld.
* **Group disclosure.** The zeros of a line (row or column) whose total is below the threshold are hidden as well
  (`small_line_zeros`): one "<10" among zeros would say that every member of that small group shares the attribute.
  A hidden zero is known to lie in [0, b1-1]. See docs/privacy/disclosure-control.md.
* **Linked tables and overlapping filters.** A cell can also be recovered by differencing *two* published tables
  (two overlapping periods, a filter and its complement, a total shared by two tables). The regional view therefore
  offers only non-overlapping partitions: whole calendar years, one dimension per table, each dimension a partition
  of the signals (a signal with several forms counts once, in "meerdere vormen"), and municipalities whose total is
  below the publication threshold grouped into one row. The only cells two offered tables have in common are then
  the municipality totals and the grand total, which are published, never hidden (`fixed`), and identical in every
  table — so no equation links the hidden cells of one table to another's. The publication version is computed on
  the same rows with the shared version's hidden cells forced hidden too, so it never publishes a cell the shared
  version hides. Property-based tests check all of this against an independent exact solver.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache

Cell = tuple[int, int]

PRIMARY = "primary"
COMPLEMENTARY = "complementary"


@dataclass(frozen=True)
class ProtectedTable:
    """An extended table (totals in the last row and column) with the cells that must not be shown."""

    values: tuple[tuple[int, ...], ...]
    threshold: int
    primary: frozenset[Cell]
    complementary: frozenset[Cell]
    withheld: bool = False  # nothing could be published safely
    # Cells that are not small themselves but would give a small figure away to an insider (a merged row minus one
    # member's own exact row): protected like primary cells, shown as "×".
    sensitive: frozenset[Cell] = frozenset()

    @property
    def hidden(self) -> frozenset[Cell]:
        return self.primary | self.complementary | self.sensitive

    @property
    def protected_cells(self) -> frozenset[Cell]:
        """The cells no viewpoint may pin to one value."""
        return self.primary | self.sensitive

    def display(self, i: int, j: int) -> str:
        """What a reader sees in cell (i, j): the number, "<t" for a small cell, "×" for a complementary one."""
        if self.withheld:
            return "×"
        if (i, j) in self.primary:
            return f"<{self.threshold}"
        if (i, j) in self.complementary or (i, j) in self.sensitive:
            return "×"
        return str(self.values[i][j])

    def published(self, i: int, j: int) -> int | None:
        if self.withheld or (i, j) in self.hidden:
            return None
        return self.values[i][j]


@dataclass
class _Problem:
    values: list[list[int]]
    bands: tuple[int, ...]
    hidden: set[Cell] = field(default_factory=set)


def extend(rows: list[list[int]]) -> list[list[int]]:
    """Add row totals, column totals and the grand total: the published shape of a table."""
    if not rows or not rows[0]:
        return [[0]]
    width = len(rows[0])
    out = [list(row) + [sum(row)] for row in rows]
    out.append([sum(row[j] for row in rows) for j in range(width)] + [sum(sum(row) for row in rows)])
    return out


@lru_cache(maxsize=4096)  # pure, and asked for the same few values again and again by every audit
def band(value: int, bands: tuple[int, ...]) -> tuple[int, float]:
    """The interval an attacker knows a hidden cell with `value` to lie in: [1, b1-1], [b1, b2-1], …, [bk, ∞).

    A hidden zero (only ever hidden in a small line, see `small_line_zeros`) is known to lie in [0, b1-1]."""
    if value <= 0:
        return 0, (min(bands) - 1 if bands else float("inf"))
    edges = (1, *sorted(set(bands)))
    lower, upper = 1, float("inf")
    for k, edge in enumerate(edges):
        if value >= edge:
            lower = edge
            upper = edges[k + 1] - 1 if k + 1 < len(edges) else float("inf")
    return lower, upper


def _arcs(values: list[list[int]], hidden: set[Cell], bands: tuple[int, ...],
          floors: dict[Cell, int] | None = None) -> dict[Cell, tuple[bool, bool]]:
    """Per hidden cell: (y may increase, y may decrease), with y = −x on the margins. `floors`: lower bounds a
    viewpoint knows besides the bands (a merged row's member knows each merged cell holds at least its own part)."""
    last_row, last_col = len(values) - 1, len(values[0]) - 1
    arcs = {}
    for i, j in hidden:
        value = values[i][j]
        lower, upper = band(value, bands)
        if floors and (i, j) in floors:
            lower = max(lower, floors[(i, j)])
        x_up, x_down = value < upper, value > lower
        is_margin = (i == last_row) != (j == last_col)  # a row or column total, not the grand total
        arcs[(i, j)] = (x_down, x_up) if is_margin else (x_up, x_down)
    return arcs


Node = tuple[str, int]
Graph = dict[Node, list[tuple[Node, Cell]]]


def _graph(arcs: dict[Cell, tuple[bool, bool]]) -> Graph:
    """The arcs as adjacency lists, each arc with the cell it stands for: built once per audit of a viewpoint and
    shared by every cell's search (which leaves out its own cell's arcs), instead of once per search."""
    out: Graph = {}
    for (i, j), (up, down) in arcs.items():
        if up:
            out.setdefault(("r", i), []).append((("c", j), (i, j)))
        if down:
            out.setdefault(("c", j), []).append((("r", i), (i, j)))
    return out


def _reachable(arcs: dict[Cell, tuple[bool, bool]], start: Node, goal: Node, skip: Cell,
               graph: Graph | None = None) -> bool:
    """Is there a directed path start ⇝ goal not using cell `skip`? Nodes are ("r", i) and ("c", j)."""
    out = _graph(arcs) if graph is None else graph
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            return True
        for nxt, via in out.get(node, ()):
            if via != skip and nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False


def is_determined(values: list[list[int]], hidden: set[Cell], cell: Cell, bands: tuple[int, ...],
                  floors: dict[Cell, int] | None = None) -> bool:
    """True if the hidden `cell` has exactly one value consistent with everything published (see module doc)."""
    return _determined(_arcs(values, hidden, bands, floors), cell)


def _determined(arcs: dict[Cell, tuple[bool, bool]], cell: Cell, graph: Graph | None = None) -> bool:
    up, down = arcs[cell]
    i, j = cell
    if graph is None:
        graph = _graph(arcs)
    if up and _reachable(arcs, ("c", j), ("r", i), cell, graph):
        return False
    return not (down and _reachable(arcs, ("r", i), ("c", j), cell, graph))


def unprotected_cells(values: list[list[int]], hidden: set[Cell], primary: set[Cell],
                      bands: tuple[int, ...]) -> list[Cell]:
    return sorted(c for c in primary if is_determined(values, hidden, c, bands))


@dataclass(frozen=True)
class Viewpoint:
    """Who reads a table, and what they know besides it.

    `row`: a municipality's own (unmerged) row, known exactly. `floors`: a member of a merged row knows its own part
    of each merged cell, a lower bound. `own`: the cells that are wholly the member's own part (nothing of anybody
    else's in them): pinning those tells it only that the others have none there, so they are not audited for it.
    """

    row: int | None = None
    floors: dict[Cell, int] = field(default_factory=dict)
    own: frozenset[Cell] = frozenset()


OUTSIDER = Viewpoint()


def viewpoints(values: list[list[int]], insiders: bool,
               members: dict[int, list[list[int]]] | None = None) -> list[Viewpoint]:
    """Who audits the table: an outsider, and with `insiders` each unmerged data row's own municipality, which knows
    its row exactly, and each member of a merged row (`members`: merged row → its members' own rows). A one-row
    table of one municipality has nobody else in it to protect from that municipality."""
    members = members or {}
    data_rows, width = len(values) - 1, len(values[0]) - 1
    out = [OUTSIDER]
    if not insiders:
        return out
    if data_rows >= 2:
        out += [Viewpoint(row=i) for i in range(data_rows) if i not in members]
    for g, own_rows in members.items():
        for own in own_rows:
            floors = {(g, j): own[j] for j in range(width)}
            whole = {(g, j) for j in range(width) if values[g][j] == own[j]}
            whole |= {(data_rows, j) for j in range(width) if values[data_rows][j] == own[j]}
            out.append(Viewpoint(floors=floors, own=frozenset(whole)))
    return out


def known_to(hidden: set[Cell] | frozenset[Cell], row: int | None) -> set[Cell]:
    """The cells still hidden from a viewpoint: a municipality knows every cell of its own row."""
    return {c for c in hidden if c[0] != row}


def exposures(values: list[list[int]], hidden: set[Cell], protected: set[Cell], bands: tuple[int, ...],
              readers: list[Viewpoint]) -> list[tuple[Cell, Viewpoint]]:
    """(cell, viewpoint) for every protected cell some viewpoint can pin to one value (its own row excluded)."""
    return list(_exposures(values, hidden, protected, bands, readers))


def _exposures(values: list[list[int]], hidden: set[Cell], protected: set[Cell], bands: tuple[int, ...],
               readers: Iterable[Viewpoint]) -> Iterator[tuple[Cell, Viewpoint]]:
    """Lazily, so the suppression loop stops at the first (the graph is built once per viewpoint)."""
    for reader in readers:
        arcs = _arcs(values, known_to(hidden, reader.row), bands, reader.floors)
        graph = _graph(arcs)
        for c in sorted(protected):
            if c[0] != reader.row and c not in reader.own and _determined(arcs, c, graph):
                yield c, reader


def small_line_zeros(values: list[list[int]], threshold: int) -> set[Cell]:
    """Group disclosure: the zeros of a line (row or column, with its total) whose total is below the threshold.

    Publishing them would show that every member of a small group shares one attribute ("all victims of X are
    non-Dutch": one "<10" and zeros elsewhere in X's row). They are hidden like small cells, so such a line is
    shown wholly suppressed.
    """
    last_row, last_col = len(values) - 1, len(values[0]) - 1
    out = set()
    for i in range(last_row + 1):
        if 0 < values[i][last_col] < threshold:
            out |= {(i, j) for j in range(last_col + 1) if values[i][j] == 0}
    for j in range(last_col + 1):
        if 0 < values[last_row][j] < threshold:
            out |= {(i, j) for i in range(last_row + 1) if values[i][j] == 0}
    return out


def protect(rows: list[list[int]], threshold: int, *, bands: tuple[int, ...] = (),
            forced: frozenset[Cell] | set[Cell] = frozenset(), fixed: frozenset[Cell] | set[Cell] = frozenset(),
            sensitive: frozenset[Cell] | set[Cell] = frozenset(), insiders: bool = False,
            members: dict[int, list[list[int]]] | None = None) -> ProtectedTable:
    """Suppress the extended table of `rows` so that no cell below `threshold` can be recovered.

    `forced`: cells hidden regardless (the shared version's pattern, for the publication version).
    `fixed`: published cells that must never be chosen as complements (totals shared with other tables).
    `bands`: all thresholds in use, for the attacker's knowledge (the threshold itself is always included).
    `sensitive`: further cells to protect like small ones (shown "×"), see `merged_row_residue_cells`.
    `insiders`: each row is a municipality that knows its own row exactly: no protected cell of another row may be
    pinned by the published table together with any one row (the coalition "published table + one row known").
    `members`: merged data row → the rows of the municipalities in it; each is audited knowing its own part.
    """
    values = extend(rows)
    bands = tuple(sorted({threshold, *bands}))
    cells = [(i, j) for i in range(len(values)) for j in range(len(values[0]))]
    primary = {c for c in cells if 0 < values[c[0]][c[1]] < threshold} | small_line_zeros(values, threshold)
    sensitive = {c for c in sensitive if c not in primary}
    protected = primary | sensitive
    hidden = protected | {c for c in forced if values[c[0]][c[1]] > 0}
    frozen_values = tuple(tuple(row) for row in values)
    audited_from = viewpoints(values, insiders, members)

    def result(withheld: bool = False) -> ProtectedTable:
        return ProtectedTable(frozen_values, threshold, frozenset(primary), frozenset(hidden - protected),
                              withheld=withheld, sensitive=frozenset(sensitive))

    while True:
        exposed = next(_exposures(values, hidden, protected, bands, audited_from), None)
        if exposed is None:
            return result()
        (i, j), reader = exposed
        row = reader.row
        choice = _closing_candidate(values, cells, hidden, fixed, (i, j), bands, reader)
        if choice is None:
            candidates = [c for c in cells if (c[0] == i or c[1] == j) and c[0] != row]
            choice = _smallest_candidate(values, candidates, hidden, fixed)
        if choice is None:  # nothing left in its lines: widen to the whole table
            choice = _smallest_candidate(values, [c for c in cells if c[0] != row], hidden, fixed)
        if choice is None:
            return result(withheld=True)
        hidden.add(choice)


def _closing_candidate(values: list[list[int]], cells: Iterable[Cell], hidden: set[Cell], fixed: Collection[Cell],
                       exposed: Cell, bands: tuple[int, ...], reader: Viewpoint) -> Cell | None:
    """The smallest published cell that, hidden too, protects `exposed` on its own from viewpoint `row` (typically
    the cell that closes a rectangle of hidden cells). Only cells on a line through a hidden cell can do that; a cell
    of the viewpoint's own row never helps (it knows it)."""
    row = reader.row
    still_hidden = known_to(hidden, row)
    rows = {c[0] for c in still_hidden}
    columns = {c[1] for c in still_hidden}
    pool = [c for c in cells if (c[0] in rows or c[1] in columns) and c not in hidden and c not in fixed
            and values[c[0]][c[1]] > 0 and c[0] != row]
    last_row, last_col = len(values) - 1, len(values[0]) - 1
    for cell in sorted(pool, key=lambda c: (values[c[0]][c[1]], c[0] == last_row or c[1] == last_col, c)):
        if not is_determined(values, still_hidden | {cell}, exposed, bands, reader.floors):
            return cell
    return None


def _smallest_candidate(values: list[list[int]], candidates: Iterable[Cell], hidden: set[Cell],
                        fixed: Collection[Cell]) -> Cell | None:
    pool = [c for c in candidates if c not in hidden and c not in fixed and values[c[0]][c[1]] > 0]
    if not pool:
        return None
    # Smallest value first (least information lost); interior cells before totals; then position, for determinism.
    last_row, last_col = len(values) - 1, len(values[0]) - 1
    return min(pool, key=lambda c: (values[c[0]][c[1]], c[0] == last_row or c[1] == last_col, c))


MIN_GROUP = 3  # a member of a merged row of two would learn the other's exact row by subtracting its own


def group_small_rows(row_totals: list[int], threshold: int) -> list[list[int]]:
    """Partition row indexes into groups: each row with total ≥ threshold alone, the small ones together.

    The group of small rows is topped up with the next smallest rows until its total reaches the threshold, it has
    at least three members, and no member can pin another's total by subtracting its own from the group's (see
    `group_is_safe`); so every published row total is at least the threshold (or all non-zero rows form one group,
    whose total is then the table's own grand total). A row with total 0 stays on its own: it publishes nothing
    about anybody. Whether the result is safe is for the caller to check with `group_is_safe`.
    """
    order = sorted(range(len(row_totals)), key=lambda k: (row_totals[k], k))
    small = [k for k in order if 0 < row_totals[k] < threshold]
    if not small:
        return [[k] for k in range(len(row_totals))]
    group = list(small)
    rest = [k for k in order if k not in group and row_totals[k] >= threshold]
    while rest and (sum(row_totals[k] for k in group) < threshold
                    or not group_is_safe(row_totals, group, threshold, rest[1:])):
        group.append(rest.pop(0))
    singles = [[k] for k in range(len(row_totals)) if k not in group]
    return singles + [sorted(group)]


def group_is_safe(row_totals: list[int], group: list[int], threshold: int, singles: list[int] | None = None) -> bool:
    """Can no member of a merged row pin another member's total, knowing its own exactly?

    A member subtracts its own total from the group's and learns the sum of the others'. Each other member is known
    to be small ([1, t-1]) or a top-up row ([t, smallest single row total], since top-ups are the smallest rows
    above the threshold). One other member is pinned when the sum and the others' bounds leave it one value: e.g.
    with a top-up that must be exactly t (the only single row is t too), the sum minus t is the small member's
    total. Always so when there is only one other member.
    """
    if len(group) <= 1:
        return True
    if len(group) < MIN_GROUP:
        return False
    if singles is None:
        singles = [k for k in range(len(row_totals)) if k not in group]
    big_singles = [row_totals[k] for k in singles if row_totals[k] >= threshold]
    cap = min(big_singles) if big_singles else float("inf")
    total = sum(row_totals[k] for k in group)
    for member in group:
        others = [row_totals[k] for k in group if k != member]
        lows = [1 if t < threshold else threshold for t in others]
        highs = [threshold - 1 if t < threshold else cap for t in others]
        rest = total - row_totals[member]
        for o in range(len(others)):
            low = max(lows[o], rest - (sum(highs) - highs[o]))
            high = min(highs[o], rest - (sum(lows) - lows[o]))
            if low >= high:
                return False
    return True


def merged_row_residue_cells(raw: list[list[int]], groups: list[list[int]], threshold: int) -> set[Cell]:
    """Cells of merged rows that a member could turn into a small figure about the other members.

    A member knows its own cell exactly; the merged cell minus its own is the rest of the group's. When that rest is
    small (1 … t-1) for some member, the merged cell is protected like a small cell (`protect(sensitive=…)`).
    """
    out = set()
    width = len(raw[0]) if raw else 0
    for g, group in enumerate(groups):
        if len(group) < 2:
            continue
        for j in range(width):
            merged = sum(raw[k][j] for k in group)
            if any(0 < merged - raw[k][j] < threshold for k in group):
                out.add((g, j))
    return out


@dataclass(frozen=True)
class RegionalProtection:
    """A regional table's rows (municipalities, small ones merged) in its shared and publication versions."""

    groups: list[list[int]]
    rows: list[list[int]]
    shared: ProtectedTable
    publication: ProtectedTable


def protect_regional(raw: list[list[int]], shared_threshold: int, publication_threshold: int) -> RegionalProtection:
    """One row per municipality → the merged, suppressed table, safe against every municipality's own knowledge.

    Rows are merged at the publication threshold in both versions, so both have the same rows and every published
    municipality total is at least that threshold; those totals are `fixed`. Each version is audited from every
    municipality's viewpoint (`insiders`); the merged row's cells that would leave a member a small figure about the
    others are `sensitive`; a merge no member can be kept from seeing through withholds the whole table.
    """
    width = len(raw[0]) if raw else 0
    groups = group_small_rows([sum(row) for row in raw], publication_threshold)
    rows = [[sum(raw[k][j] for k in group) for j in range(width)] for group in groups]
    fixed = {(i, width) for i in range(len(rows))} | {(len(rows), width)}
    bands = (shared_threshold, publication_threshold)
    safe = all(group_is_safe([sum(row) for row in raw], group, publication_threshold) for group in groups)
    members = {g: [raw[k] for k in group] for g, group in enumerate(groups) if len(group) > 1}
    tables = []
    forced: frozenset[Cell] = frozenset()
    for threshold in (shared_threshold, publication_threshold):
        table = protect(rows, threshold, bands=bands, forced=forced, fixed=fixed, insiders=True,
                        sensitive=merged_row_residue_cells(raw, groups, threshold), members=members)
        if not safe:
            table = replace(table, withheld=True)
        tables.append(table)
        forced = table.hidden
    return RegionalProtection(groups, rows, tables[0], tables[1])
