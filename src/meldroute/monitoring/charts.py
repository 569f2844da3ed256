"""Server-side SVG charts: no JavaScript, no network, the same markup on screen and in the PDF.

Each chart is an `<svg role="img">` with a `<title>` and a `<desc>` (read by screen readers) and always sits next to
a table with the same figures (WCAG 1.1.1: the table is the text alternative). Hidden figures are drawn as no bar and
labelled with their marker ("<5"), never as a bar of a guessed height.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# High-contrast colours (≥ 3:1 against white, WCAG 1.4.11), NL Design System-like blues first.
PALETTE = ["#01689b", "#e17000", "#39870c", "#94710a", "#a90061", "#42145f", "#007bc7", "#673327"]
_ids = itertools.count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: hidden by disclosure control
    display: str = ""  # what to print at the bar ("12", "<5", "×")


def _frame(width: int, height: int, title: str, desc: str, body: str) -> SafeString:
    uid = next(_ids)
    return mark_safe(  # noqa: S308 - every text in `body` and here went through escape()
        # Sized by attributes and meldroute.css (.mr-chart), not a style attribute: the CSP allows no inline style.
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mr-chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title-{uid} chart-desc-{uid}">'
        f'<title id="chart-title-{uid}">{escape(title)}</title><desc id="chart-desc-{uid}">{escape(desc)}</desc>'
        f"{body}</svg>")


def bar_chart(title: str, bars: list[Bar], *, desc: str = "", width: int = 560) -> SafeString:
    """Horizontal bars, one per category, the value printed at the end of each bar."""
    row, label_width, pad = 26, 210, 8
    height = max(1, len(bars)) * row + 2 * pad
    top = max((b.value or 0 for b in bars), default=0) or 1
    span = width - label_width - 60
    parts = []
    for k, bar in enumerate(bars):
        y = pad + k * row
        length = 0 if bar.value is None else round(span * bar.value / top)
        text = bar.display or ("" if bar.value is None else str(bar.value))
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 17}" text-anchor="end" font-size="13" fill="#1a1a1a">'
            f"{escape(_short(bar.label))}</text>"
            f'<rect x="{label_width}" y="{y + 4}" width="{length}" height="{row - 8}" '
            f'fill="{PALETTE[0] if bar.value is not None else "#ffffff"}"/>'
            f'<text x="{label_width + length + 6}" y="{y + 17}" font-size="13" fill="#1a1a1a">{escape(text)}</text>')
    if not desc:
        desc = "; ".join(f"{b.label}: {b.display or b.value}" for b in bars)
    return _frame(width, height, title, desc, "".join(parts))


def line_chart(title: str, points: Sequence[tuple[str, int | None]], *, desc: str = "", width: int = 560,
               height: int = 220) -> SafeString:
    """A line over time (months or years) with a dot and the value at every point; gaps where hidden."""
    left, right, top_pad, bottom = 40, 16, 20, 40
    inner_w, inner_h = width - left - right, height - top_pad - bottom
    top = max((v or 0 for _, v in points), default=0) or 1
    step = inner_w / max(1, len(points) - 1)
    parts = [f'<line x1="{left}" y1="{top_pad + inner_h}" x2="{width - right}" y2="{top_pad + inner_h}" '
             f'stroke="#767676"/>',
             f'<text x="{left - 6}" y="{top_pad + 4}" text-anchor="end" font-size="11" fill="#1a1a1a">{top}</text>',
             f'<text x="{left - 6}" y="{top_pad + inner_h}" text-anchor="end" font-size="11" fill="#1a1a1a">0</text>']
    coords = []
    label_every = max(1, len(points) // 12)
    for k, (label, value) in enumerate(points):
        x = left + k * step if len(points) > 1 else left + inner_w / 2
        if value is not None:
            y = top_pad + inner_h - inner_h * value / top
            coords.append((x, y))
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{PALETTE[0]}"/>')
        if k % label_every == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 22}" text-anchor="middle" font-size="11" '
                         f'fill="#1a1a1a">{escape(label)}</text>')
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.insert(0, f'<polyline points="{path}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>')
    if not desc:
        desc = "; ".join(f"{label}: {'verborgen' if value is None else value}" for label, value in points)
    return _frame(width, height, title, desc, "".join(parts))


def _short(label: str, limit: int = 30) -> str:
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"
