"""Plane geometry for the risk map: reading GeoJSON polygons, point-in-polygon, and the server-rendered SVG map.

No GIS library and no tiles: a wijk map has tens of polygons, and the map must render without a network, in the
browser and in WeasyPrint's PDF alike. Coordinates are either RD New (metres, as the CBS map) or WGS84 degrees;
degrees are scaled by cos(latitude) so the map keeps its shape.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]  # outer ring first, then holes
MultiPolygon = list[Polygon]

MAX_POINTS = 200_000


def _ring(value: Any) -> Ring | None:
    if not isinstance(value, list) or len(value) < 4:
        return None
    ring: Ring = []
    for point in value:
        if (not isinstance(point, list) or len(point) < 2
                or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in point[:2])):
            return None
        x, y = float(point[0]), float(point[1])
        if not (math.isfinite(x) and math.isfinite(y)):
            return None
        ring.append((x, y))
    return ring


def _polygon(value: Any) -> Polygon | None:
    if not isinstance(value, list) or not value:
        return None
    rings = [_ring(ring) for ring in value]
    return None if any(ring is None for ring in rings) else [ring for ring in rings if ring is not None]


def parse_geometry(value: Any) -> MultiPolygon | None:
    """A GeoJSON Polygon or MultiPolygon as a list of polygons; None for anything else or broken coordinates."""
    if not isinstance(value, dict):
        return None
    kind, coordinates = value.get("type"), value.get("coordinates")
    polygons: list[Polygon | None]
    if kind == "Polygon":
        polygons = [_polygon(coordinates)]
    elif kind == "MultiPolygon" and isinstance(coordinates, list) and coordinates:
        polygons = [_polygon(polygon) for polygon in coordinates]
    else:
        return None
    if any(polygon is None for polygon in polygons):
        return None
    result = [polygon for polygon in polygons if polygon is not None]
    if sum(len(ring) for polygon in result for ring in polygon) > MAX_POINTS:
        return None
    return result


def _in_ring(point: Point, ring: Ring) -> bool:
    """Ray casting: an odd number of edge crossings to the right means inside."""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def contains(geometry: MultiPolygon, point: Point) -> bool:
    """Inside one of the polygons' outer rings and in none of its holes."""
    return any(_in_ring(point, polygon[0]) and not any(_in_ring(point, hole) for hole in polygon[1:])
               for polygon in geometry)


def bounds(geometries: Sequence[MultiPolygon]) -> tuple[float, float, float, float]:
    xs = [x for g in geometries for polygon in g for ring in polygon for x, _y in ring]
    ys = [y for g in geometries for polygon in g for ring in polygon for _x, y in ring]
    return (min(xs), min(ys), max(xs), max(ys)) if xs else (0.0, 0.0, 1.0, 1.0)


def centroid(geometry: MultiPolygon) -> Point:
    """The area-weighted centroid of the outer rings (where an area's label goes)."""
    total = cx = cy = 0.0
    for polygon in geometry:
        ring = polygon[0]
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x1 * y2 - x2 * y1
            total += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
    if abs(total) < 1e-12:
        x0, y0, x1_, y1_ = bounds([geometry])
        return ((x0 + x1_) / 2, (y0 + y1_) / 2)
    return (cx / (3 * total), cy / (3 * total))


@dataclass(frozen=True)
class MapArea:
    """One area as drawn: its shape, its class (-1: zero, None: hidden figure) and what a reader is told."""

    code: str
    name: str
    geometry: MultiPolygon
    fill: str
    text_colour: str
    label: str  # the value shown on the map and in the title ("12", "<5", "×")


@dataclass(frozen=True)
class LegendEntry:
    fill: str
    label: str
    hatched: bool = False


WIDTH = 640.0
PADDING = 12.0
LEGEND_ROW = 28.0


def render_map(areas: Sequence[MapArea], legend: Sequence[LegendEntry], *, title: str, description: str,
               element_id: str = "risk-map") -> SafeString:
    """An SVG choropleth with its title and description for screen readers, a label per area, and the legend below.
    Presentation attributes only (fill, stroke): the CSP allows no inline style, and WeasyPrint reads them too."""
    min_x, min_y, max_x, max_y = bounds([area.geometry for area in areas])
    geographic = -180 <= min_x and max_x <= 180 and -90 <= min_y and max_y <= 90
    x_scale = math.cos(math.radians((min_y + max_y) / 2)) if geographic else 1.0
    span_x = max((max_x - min_x) * x_scale, 1e-9)
    span_y = max(max_y - min_y, 1e-9)
    scale = (WIDTH - 2 * PADDING) / max(span_x, span_y)
    map_height = span_y * scale + 2 * PADDING
    height = map_height + LEGEND_ROW * (len(legend) + 1)

    def project(point: Point) -> str:
        x = PADDING + (point[0] - min_x) * x_scale * scale
        y = PADDING + (max_y - point[1]) * scale  # north up
        return f"{x:.1f},{y:.1f}"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {height:.0f}" role="img" '
        f'class="mr-risk-map" aria-labelledby="{element_id}-title {element_id}-desc" id="{element_id}">',
        f'<title id="{element_id}-title">{escape(title)}</title>',
        f'<desc id="{element_id}-desc">{escape(description)}</desc>',
        '<defs><pattern id="mr-hatch" patternUnits="userSpaceOnUse" width="6" height="6" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#e0e0e0"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#595959" stroke-width="2"/></pattern></defs>',
    ]
    for area in areas:
        path = " ".join("M" + " L".join(project(p) for p in ring) + " Z" for polygon in area.geometry
                        for ring in polygon)
        fill = "url(#mr-hatch)" if area.fill == "hatch" else area.fill
        parts.append(f'<path d="{path}" fill="{fill}" fill-rule="evenodd" stroke="#1a1a1a" stroke-width="1">'
                     f'<title>{escape(area.name)}: {escape(area.label)}</title></path>')
    for area in areas:
        cx, cy = project(centroid(area.geometry)).split(",")
        colour = "#000000" if area.fill == "hatch" else area.text_colour
        parts.append(f'<text x="{cx}" y="{cy}" text-anchor="middle" dominant-baseline="middle" font-size="20" '
                     f'font-family="sans-serif" font-weight="bold" fill="{colour}" aria-hidden="true">'
                     f'{escape(area.label)}</text>')
    y = map_height + 4
    for entry in legend:
        fill = "url(#mr-hatch)" if entry.hatched else entry.fill
        parts.append(f'<rect x="{PADDING:.0f}" y="{y:.1f}" width="34" height="20" fill="{fill}" stroke="#1a1a1a" '
                     f'stroke-width="1"/><text x="{PADDING + 44:.0f}" y="{y + 15:.1f}" font-size="16" '
                     f'font-family="sans-serif" fill="#1a1a1a">{escape(entry.label)}</text>')
        y += LEGEND_ROW
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
