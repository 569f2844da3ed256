"""An independent, exact check of disclosure: the feasible interval of a hidden cell, by linear programming.

A small two-phase simplex over Fractions (Bland's rule, so it cannot cycle). Deliberately nothing like the
suppression module's graph argument, so the property tests compare two different methods.
"""

from __future__ import annotations

from fractions import Fraction

INF = float("inf")


def _pivot(tableau: list[list[Fraction]], basis: list[int], row: int, col: int) -> None:
    factor = tableau[row][col]
    tableau[row] = [v / factor for v in tableau[row]]
    for r, line in enumerate(tableau):
        if r != row and line[col] != 0:
            ratio = line[col]
            tableau[r] = [a - ratio * b for a, b in zip(line, tableau[row], strict=True)]
    basis[row] = col


def _simplex(tableau, basis, objective, allowed) -> Fraction | None:
    """Maximise objective·x over the tableau's rows (last column = rhs). None if unbounded."""
    width = len(tableau[0]) - 1
    while True:
        # reduced costs: objective - (objective of basis) · column
        reduced = []
        for col in range(width):
            if col not in allowed or col in basis:
                reduced.append(Fraction(0))
                continue
            value = objective[col] - sum(objective[basis[r]] * tableau[r][col] for r in range(len(tableau)))
            reduced.append(value)
        entering = next((c for c in range(width) if reduced[c] > 0), None)
        if entering is None:
            return sum(objective[basis[r]] * tableau[r][-1] for r in range(len(tableau)))
        best, leaving = None, None
        for r, line in enumerate(tableau):
            if line[entering] > 0:
                ratio = line[-1] / line[entering]
                if best is None or ratio < best or (ratio == best and basis[r] < basis[leaving]):
                    best, leaving = ratio, r
        if leaving is None:
            return None
        _pivot(tableau, basis, leaving, entering)


def interval(equations: list[tuple[dict[int, int], int]], bounds: list[tuple[int, float]], target: int,
             ) -> tuple[Fraction, Fraction | None]:
    """min and max of x[target] s.t. Σ coef·x = rhs for each equation and lower ≤ x ≤ upper (upper may be ∞)."""
    return intervals(equations, bounds, [target])[target]


def intervals(equations, bounds, targets) -> dict[int, tuple[Fraction, Fraction | None]]:
    """`interval` for several targets: phase 1 (a feasible basis) is solved once and reused for each objective."""
    if not targets:
        return {}
    tableau, basis, n_structural = _feasible(equations, bounds)
    out = {}
    for target in targets:
        low, high = (_phase2([line[:] for line in tableau], basis[:], n_structural, bounds, target, sign)
                     for sign in (-1, 1))
        out[target] = (low, high)
    return out


def _feasible(equations, bounds):
    n = len(bounds)
    upper_rows = [k for k, (_lo, hi) in enumerate(bounds) if hi != INF]
    # columns: z (n) | slacks for upper bounds | artificials (one per row)
    rows_spec = []
    for coefs, rhs in equations:
        shifted = Fraction(rhs) - sum(c * bounds[k][0] for k, c in coefs.items())
        rows_spec.append(({k: Fraction(c) for k, c in coefs.items()}, shifted, None))
    for s, k in enumerate(upper_rows):
        rows_spec.append(({k: Fraction(1)}, Fraction(bounds[k][1]) - bounds[k][0], s))
    m, n_slack = len(rows_spec), len(upper_rows)
    width = n + n_slack + m
    tableau, basis = [], []
    for r, (coefs, rhs, slack) in enumerate(rows_spec):
        line = [Fraction(0)] * (width + 1)
        for k, c in coefs.items():
            line[k] = c
        if slack is not None:
            line[n + slack] = Fraction(1)
        if rhs < 0:
            line = [-v for v in line]
            rhs = -rhs
        line[n + n_slack + r] = Fraction(1)
        line[-1] = rhs
        tableau.append(line)
        basis.append(n + n_slack + r)
    artificial = set(range(n + n_slack, width))
    phase1 = [Fraction(0)] * (n + n_slack) + [Fraction(-1)] * m
    value = _simplex(tableau, basis, phase1, set(range(width)))
    if value is None or value != 0:
        raise ValueError("infeasible: the true table must satisfy its own equations")
    # Drive zero-level artificials out of the basis; drop rows that are redundant.
    for r in range(len(tableau) - 1, -1, -1):
        if basis[r] in artificial:
            col = next((c for c in range(n + n_slack) if tableau[r][c] != 0), None)
            if col is None:
                del tableau[r], basis[r]
            else:
                _pivot(tableau, basis, r, col)
    return tableau, basis, n + n_slack


def _phase2(tableau, basis, n_structural, bounds, target, sign) -> Fraction | None:
    width = len(tableau[0]) - 1
    objective = [Fraction(0)] * width
    objective[target] = Fraction(sign)
    best = _simplex(tableau, basis, objective, set(range(n_structural)))
    if best is None:
        return None
    return sign * best + bounds[target][0]


def hidden_cell_intervals(values: list[list[int]], hidden: set[tuple[int, int]],
                          bounds_of) -> dict[tuple[int, int], tuple[Fraction, Fraction | None]]:
    """Feasible interval of every hidden cell of an extended table (totals in the last row and column)."""
    cells = sorted(hidden)
    index = {cell: k for k, cell in enumerate(cells)}
    last_row, last_col = len(values) - 1, len(values[0]) - 1
    lines = [[(i, j) for j in range(last_col + 1)] for i in range(last_row + 1)]
    lines += [[(i, j) for i in range(last_row + 1)] for j in range(last_col + 1)]
    equations = []
    for line in lines:
        total = line[-1]
        coefs: dict[int, int] = {}
        rhs = 0
        for cell in line:
            c = -1 if cell == total else 1
            if cell in index:
                coefs[index[cell]] = coefs.get(index[cell], 0) + c
            else:
                rhs -= c * values[cell[0]][cell[1]]
        if coefs:
            equations.append((coefs, rhs))
    bounds = [bounds_of(values[i][j]) for i, j in cells]
    found = intervals(equations, bounds, [index[cell] for cell in cells])
    return {cell: found[index[cell]] for cell in cells}


def insider_intervals(values: list[list[int]], hidden: set[tuple[int, int]], bounds_of, known_row: int | None,
                      ) -> dict[tuple[int, int], tuple[Fraction, Fraction | None]]:
    """The same, seen by the municipality of data row `known_row`: it knows every cell of its own row exactly."""
    still_hidden = {cell for cell in hidden if cell[0] != known_row}
    return hidden_cell_intervals(values, still_hidden, bounds_of)


def member_intervals(raw: list[list[int]], groups: list[list[int]], values: list[list[int]],
                     hidden: set[tuple[int, int]], bounds_of, member: int, threshold: int):
    """What a member of a merged row learns about the other members' own cells and totals.

    `raw` is one row per municipality, `groups` the merge, `values` the published extended table of the merged rows.
    Unknowns: every hidden cell of the published table, every cell and total of the other members of the member's
    group. Known: the published cells and the member's own row. Each other member's total lies in its band: small
    ([1, t-1]) or top-up ([t, smallest single row total]). Returns two dicts of intervals: the published table's
    hidden cells, and (municipality, column) of the other members, column = width for a municipality's total.
    """
    g = next(k for k, group in enumerate(groups) if member in group)
    others = [k for k in groups[g] if k != member]
    width = len(raw[0])
    cells = sorted(hidden)
    index = {cell: k for k, cell in enumerate(cells)}
    bounds = [bounds_of(values[i][j]) for i, j in cells]
    singles = [raw_total for group in groups if len(group) == 1 for raw_total in [sum(raw[group[0]])]]
    cap = min([t for t in singles if t >= threshold], default=INF)
    member_index = {}
    for k in others:
        for j in range(width + 1):
            member_index[(k, j)] = len(bounds)
            total = sum(raw[k])
            if j == width:
                bounds.append((1, threshold - 1) if total < threshold else (threshold, cap))
            else:
                bounds.append((0, INF))
    last_row, last_col = len(values) - 1, len(values[0]) - 1
    lines = [[(i, j) for j in range(last_col + 1)] for i in range(last_row + 1)]
    lines += [[(i, j) for i in range(last_row + 1)] for j in range(last_col + 1)]
    equations = []

    def term(cell, sign, coefs, rhs):
        if cell in index:
            coefs[index[cell]] = coefs.get(index[cell], 0) + sign
            return rhs
        return rhs - sign * values[cell[0]][cell[1]]

    for line in lines:
        coefs: dict[int, int] = {}
        rhs = 0
        for cell in line:
            rhs = term(cell, -1 if cell == line[-1] else 1, coefs, rhs)
        if coefs:
            equations.append((coefs, rhs))
    # The merged row is the member's own row plus the others': merged cell − Σ others = own (known).
    for j in range(width + 1):
        coefs = {}
        rhs = term((g, j), 1, coefs, raw[member][j] if j < width else sum(raw[member]))
        for k in others:
            coefs[member_index[(k, j)]] = -1
        equations.append((coefs, rhs))
    for k in others:  # each other member's cells add up to its total
        coefs = {member_index[(k, j)]: 1 for j in range(width)}
        coefs[member_index[(k, width)]] = -1
        equations.append((coefs, 0))
    found = intervals(equations, bounds, [*index.values(), *member_index.values()])
    return ({cell: found[pos] for cell, pos in index.items()}, {key: found[pos] for key, pos in member_index.items()})
