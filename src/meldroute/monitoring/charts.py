"""Server-side SVG charts: no JavaScript, no network, the same markup on screen and in the PDF.

Each chart is an `<svg role="img">` with a `<title>` and a `<desc>` (read by screen readers) and always sits next to
a table with the same figures (WCAG 1.1.1: the table is the text alternative). Hidden figures are drawn as no bar and
labelled with their marker ("<5"), never as a bar of a guessed height.

Why hand-written and not a charting library: the libraries that draw SVG on the server (pygal, matplotlib, plotly's
static export) write `style="…"` attributes, a `<style>` element or a `<script>` into the SVG, which the strict
Content-Security-Policy blocks in an inline SVG; matplotlib also brings a large native stack for a few rectangles.
The charts here are a few kinds (horizontal bars, stacked columns, small multiples), sized by attributes only, and
their labels are measured and wrapped rather than cut off, so the same SVG reads well on a 375 px phone (it scales
with the viewBox), at 1280 px and in WeasyPrint's PDF.
"""

from __future__ import annotations

import itertools
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext_lazy

# High-contrast colours (≥ 3:1 against white, WCAG 1.4.11), NL Design System-like blues first.
PALETTE = ["#01689b", "#e17000", "#39870c", "#94710a", "#a90061", "#42145f", "#007bc7", "#673327"]
INK, GRID, AXIS = "#1a1a1a", "#d9d9d9", "#767676"
MONTHS = [pgettext_lazy("korte maandnaam", "jan"), pgettext_lazy("korte maandnaam", "feb"),
          pgettext_lazy("korte maandnaam", "mrt"), pgettext_lazy("korte maandnaam", "apr"),
          pgettext_lazy("korte maandnaam", "mei"), pgettext_lazy("korte maandnaam", "jun"),
          pgettext_lazy("korte maandnaam", "jul"), pgettext_lazy("korte maandnaam", "aug"),
          pgettext_lazy("korte maandnaam", "sep"), pgettext_lazy("korte maandnaam", "okt"),
          pgettext_lazy("korte maandnaam", "nov"), pgettext_lazy("korte maandnaam", "dec")]
# Average advance of a character as a share of the font size. DejaVu Sans (the PDF's font) is among the widest
# sans-serif faces, so a label measured with it fits in the browser's font as well.
CHAR_WIDTH = 0.62
_ids = itertools.count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: hidden by disclosure control
    display: str = ""  # what to print at the bar ("12", "<5", "×")


@dataclass(frozen=True)
class Series:
    """One category over time (a form of exploitation per month): its values in the order of the chart's columns."""

    label: str
    values: Sequence[int | None]

    @property
    def total(self) -> int:
        return sum(v or 0 for v in self.values)


def text_width(text: str, size: float) -> float:
    return len(str(text)) * size * CHAR_WIDTH


def wrap(label: str, width: float, size: float, max_lines: int = 3) -> list[str]:
    """Break a label into lines that fit `width` at font `size`; never cut off (the last line may run longer)."""
    chars = max(4, int(width / (size * CHAR_WIDTH)))
    lines = textwrap.wrap(str(label), chars, break_long_words=False) or [""]
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    return lines


def nice_max(top: int) -> tuple[int, int]:
    """A round axis maximum at or above `top`, and its tick step (1, 2, 5 × 10ⁿ), about four ticks."""
    if top <= 0:
        return 1, 1
    raw = top / 4
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    return int(math.ceil(top / step) * step), step


def month_label(month: date | str) -> str:
    """"mrt" under a column; the year is written under January and under the first column."""
    return str(MONTHS[month.month - 1]) if isinstance(month, date) else str(month)


def _frame(width: float, height: float, title: str, desc: str, body: str) -> SafeString:
    uid = next(_ids)
    width, height = math.ceil(width), math.ceil(height)
    return mark_safe(  # noqa: S308 - every text in `body` and here went through escape()
        # Sized by attributes and meldroute.css (.mr-chart), not a style attribute: the CSP allows no inline style.
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mr-chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title-{uid} chart-desc-{uid}" '
        f'font-family="DejaVu Sans, Verdana, sans-serif">'
        f'<title id="chart-title-{uid}">{escape(title)}</title><desc id="chart-desc-{uid}">{escape(desc)}</desc>'
        f"{body}</svg>")


def _text(x: float, y: float, text: str, *, size: int = 12, anchor: str = "start", weight: str = "",
          fill: str = INK) -> str:
    bold = ' font-weight="bold"' if weight else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{bold}>'
            f"{escape(text)}</text>")


def bar_chart(title: str, bars: list[Bar], *, desc: str = "", width: int = 560) -> SafeString:
    """Horizontal bars, one per category, the value printed at the end of each bar, light grid lines behind.

    Labels are wrapped onto up to three lines (a row grows with its label), never cut off."""
    size, line, pad, value_room = 13, 16, 8, 56
    label_room = min(220.0, max(text_width(b.label, size) for b in bars) if bars else 40.0)
    label_lines = [wrap(b.label, label_room, size) for b in bars]
    label_width = max((text_width(ln, size) for lines in label_lines for ln in lines), default=40.0) + 12
    label_width = min(label_width, width * 0.45)
    top_value = max((b.value or 0 for b in bars), default=0)
    axis_max, step = nice_max(top_value)
    span = width - label_width - value_room
    axis_h = 18
    rows_h = [max(26, len(lines) * line + 10) for lines in label_lines]
    height = axis_h + sum(rows_h) + 2 * pad
    parts = []
    # Grid lines and their values along the top.
    for tick in range(0, axis_max + 1, step):
        x = label_width + span * tick / axis_max
        parts.append(f'<line x1="{x:.1f}" y1="{axis_h}" x2="{x:.1f}" y2="{height - pad}" stroke="{GRID}"/>')
        parts.append(_text(x, axis_h - 5, str(tick), size=11, anchor="middle"))
    y = axis_h + pad
    for bar, lines, row_h in zip(bars, label_lines, rows_h, strict=True):
        mid = y + row_h / 2
        first = mid - (len(lines) - 1) * line / 2 + 4.5
        for k, text in enumerate(lines):
            parts.append(_text(label_width - 8, first + k * line, text, size=size, anchor="end"))
        length = 0.0 if bar.value is None else span * bar.value / axis_max
        if length:
            parts.append(f'<rect x="{label_width:.1f}" y="{mid - 9:.1f}" width="{length:.1f}" height="18" '
                         f'fill="{PALETTE[0]}"/>')
        shown = bar.display or ("" if bar.value is None else str(bar.value))
        parts.append(_text(label_width + length + 6, mid + 4.5, shown, size=size, weight="bold"))
        y += row_h
    parts.append(f'<line x1="{label_width:.1f}" y1="{axis_h}" x2="{label_width:.1f}" y2="{height - pad}" '
                 f'stroke="{AXIS}"/>')
    if not desc:
        desc = "; ".join(f"{b.label}: {b.display or b.value}" for b in bars)
    return _frame(width, height, title, desc, "".join(parts))


def _legend(series: Sequence[Series], x0: float, y0: float, width: float) -> tuple[list[str], float]:
    """Colour keys in rows that wrap at `width`; returns the parts and the height used."""
    parts, x, y, size = [], x0, y0, 12
    for k, item in enumerate(series):
        entry = 18 + text_width(item.label, size) + 16
        if x > x0 and x + entry > x0 + width:
            x, y = x0, y + 20
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="12" height="12" fill="{PALETTE[k % len(PALETTE)]}"/>')
        parts.append(_text(x + 17, y + 10.5, item.label, size=size))
        x += entry
    return parts, y + 20 - y0


def stacked_columns(title: str, columns: Sequence[date | str], series: Sequence[Series], *, desc: str = "",
                    width: int = 720, height: int = 260) -> SafeString:
    """One column per month, stacked by category (same colour order as the legend), the total above each column.

    Categories that are zero throughout are left out of the legend. Hidden values (None) add nothing."""
    shown = [s for s in series if s.total] or list(series[:1])
    left, right, top_pad, x_axis = 44, 12, 22, 36
    totals = [sum(s.values[i] or 0 for s in shown) for i in range(len(columns))]
    axis_max, step = nice_max(max(totals, default=0))
    inner_w = width - left - right
    inner_h = height - top_pad - x_axis
    slot = inner_w / max(1, len(columns))
    bar_w = min(48.0, slot * 0.7)
    parts = []
    for tick in range(0, axis_max + 1, step):
        y = top_pad + inner_h - inner_h * tick / axis_max
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(left - 6, y + 4, str(tick), size=11, anchor="end"))
    for i, column in enumerate(columns):
        x = left + slot * i + (slot - bar_w) / 2
        base: float = top_pad + inner_h
        for item in shown:
            value = item.values[i] or 0
            if not value:
                continue
            h = inner_h * value / axis_max
            base -= h
            parts.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                         f'fill="{PALETTE[series.index(item) % len(PALETTE)]}" stroke="#ffffff" stroke-width="1"/>')
        if totals[i]:
            parts.append(_text(x + bar_w / 2, base - 5, str(totals[i]), size=11, anchor="middle", weight="bold"))
        cx = x + bar_w / 2
        parts.append(_text(cx, top_pad + inner_h + 15, month_label(column), size=11, anchor="middle"))
        if isinstance(column, date) and (i == 0 or column.month == 1):
            parts.append(_text(cx, top_pad + inner_h + 29, str(column.year), size=11, anchor="middle"))
    parts.append(f'<line x1="{left}" y1="{top_pad + inner_h}" x2="{width - right}" y2="{top_pad + inner_h}" '
                 f'stroke="{AXIS}"/>')
    legend, legend_h = _legend(shown, left, height + 4, inner_w)
    parts += legend
    if not desc:
        parts_desc = []
        for i, (column, total) in enumerate(zip(columns, totals, strict=True)):
            detail = ", ".join(f"{s.label} {s.values[i]}" for s in shown if s.values[i])
            parts_desc.append(f"{_column_name(column)}: {total}" + (f" ({detail})" if detail else ""))
        desc = "; ".join(parts_desc)
    return _frame(width, height + legend_h + 8, title, desc, "".join(parts))


def small_multiples(columns: Sequence[date | str], series: Sequence[Series], *, width: int = 260,
                    height: int = 150) -> list[SafeString]:
    """One small column chart per category, all on the same scale, so their shapes compare at a glance.

    Each panel is its own SVG (with its own title), so the page lays them out in a grid that reflows: four side by
    side at 1280 px, one under the other on a phone, always at a readable size."""
    shown = [s for s in series if s.total] or list(series[:1])
    axis_max, _step = nice_max(max((v or 0 for s in shown for v in s.values), default=0))
    head, foot, left = 24, 18, 4
    inner_h = height - head - foot - 14
    base = height - foot
    out = []
    for item in shown:
        name = f"{item.label} ({item.total})"
        parts = [_text(0, 15, name, size=13, weight="bold")]
        parts.append(f'<line x1="{left}" y1="{base}" x2="{width}" y2="{base}" stroke="{AXIS}"/>')
        parts.append(f'<line x1="{left}" y1="{base - inner_h}" x2="{width}" y2="{base - inner_h}" stroke="{GRID}"/>')
        parts.append(_text(width, base - inner_h - 4, str(axis_max), size=11, anchor="end", fill="#555555"))
        slot = (width - left) / max(1, len(columns))
        colour = PALETTE[series.index(item) % len(PALETTE)]
        for i, value in enumerate(item.values):
            if value:
                h = inner_h * value / axis_max
                parts.append(f'<rect x="{left + slot * i + slot * 0.15:.1f}" y="{base - h:.1f}" '
                             f'width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{colour}"/>')
        if columns:
            parts.append(_text(left, base + 14, _column_name(columns[0]), size=11, fill="#555555"))
            parts.append(_text(width, base + 14, _column_name(columns[-1]), size=11, anchor="end", fill="#555555"))
        desc = (gettext("Per maand, schaal 0 tot %(max)s (dezelfde voor elke vorm)") % {"max": axis_max} + ": "
                + "; ".join(f"{_column_name(c)}: {v or 0}" for c, v in zip(columns, item.values, strict=True)))
        out.append(_frame(width, height, name, desc, "".join(parts)))
    return out


def line_chart(title: str, points: Sequence[tuple[str, int | None]], *, desc: str = "", width: int = 560,
               height: int = 220) -> SafeString:
    """A line over time (months or years) with a dot and the value at every point; gaps where hidden."""
    left, right, top_pad, bottom = 40, 16, 20, 40
    inner_w, inner_h = width - left - right, height - top_pad - bottom
    axis_max, step = nice_max(max((v or 0 for _, v in points), default=0))
    x_step = inner_w / max(1, len(points) - 1)
    parts = []
    for tick in range(0, axis_max + 1, step):
        y = top_pad + inner_h - inner_h * tick / axis_max
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(left - 6, y + 4, str(tick), size=11, anchor="end"))
    coords = []
    label_every = max(1, math.ceil(len(points) / 12))
    for k, (label, value) in enumerate(points):
        x = left + k * x_step if len(points) > 1 else left + inner_w / 2
        if value is not None:
            y = top_pad + inner_h - inner_h * value / axis_max
            coords.append((x, y))
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{PALETTE[0]}"/>')
        if k % label_every == 0:
            parts.append(_text(x, height - 22, label, size=11, anchor="middle"))
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>')
    if not desc:
        desc = "; ".join(f"{label}: {gettext('verborgen') if value is None else value}" for label, value in points)
    return _frame(width, height, title, desc, "".join(parts))


def _column_name(column: date | str) -> str:
    if isinstance(column, date):
        return f"{MONTHS[column.month - 1]} {column.year}"
    return str(column)
