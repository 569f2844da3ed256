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
    return _optimise(equations, bounds, target, -1), _optimise(equations, bounds, target, 1)


def _optimise(equations, bounds, target, sign) -> Fraction | None:
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
    objective = [Fraction(0)] * width
    objective[target] = Fraction(sign)
    best = _simplex(tableau, basis, objective, set(range(n + n_slack)))
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
    return {cell: interval(equations, bounds, index[cell]) for cell in cells}
