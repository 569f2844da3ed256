"""The SBI ranges of the risk sectors, point in polygon, the map's classes and its SVG."""

import pytest

from meldroute.risk.constants import CLASS_COLOURS, DEFAULT_RISK_SECTORS, risk_sectors, sectors_of
from meldroute.risk.figures import Locator, class_colour, class_ranges
from meldroute.risk.geometry import LegendEntry, MapArea, contains, parse_geometry, render_map
from meldroute.risk.tests.samples import square


@pytest.mark.parametrize(("code", "sectors"), [
    ("0113", ["agriculture"]), ("01", ["agriculture"]), ("4120", ["construction"]), ("43221", ["construction"]),
    ("5610", ["hospitality"]), ("55", ["hospitality"]), ("1011", ["meat"]), ("1020", []), ("8121", ["cleaning"]),
    ("8110", []), ("7820", ["temp_work"]), ("96022", ["beauty"]), ("9604", ["beauty"]), ("9603", []),
    ("4520", ["automotive"]), ("4511", []), ("4761", []), ("44", []), ("57", []), ("1", []),
])
def test_sbi_codes_fall_in_the_configured_risk_sectors(code, sectors):
    assert sectors_of([code]) == sectors


def test_every_sector_names_its_source_and_a_region_can_configure_its_own(settings):
    assert all(sector.source.startswith("CBS, Standaard Bedrijfsindeling") for sector in risk_sectors())
    assert len(risk_sectors()) == len(DEFAULT_RISK_SECTORS) == 8
    settings.MELDROUTE = {**settings.MELDROUTE, "RISK_SECTORS": [
        {"key": "car_wash", "label": "Wasstraten", "ranges": [["45204", "45204"]], "source": "eigen keuze"}]}
    assert sectors_of(["45204"]) == ["car_wash"] and sectors_of(["4120"]) == []


def test_point_in_polygon_respects_holes_and_multipolygons():
    ring = square(0, 0, 10)[0]
    hole = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]
    geometry = parse_geometry({"type": "MultiPolygon", "coordinates": [[ring, hole], square(20, 20, 5)]})
    assert geometry is not None
    assert contains(geometry, (1, 1)) and contains(geometry, (22, 22))
    assert not contains(geometry, (5, 5))  # in the hole
    assert not contains(geometry, (15, 15))


def test_broken_geometries_are_refused():
    assert parse_geometry({"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}) is None  # too few points
    assert parse_geometry({"type": "Polygon", "coordinates": [[[0, 0], [1, "a"], [1, 1], [0, 0]]]}) is None
    assert parse_geometry({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}) is None
    assert parse_geometry(None) is None


def test_the_locator_prefers_the_point_then_six_positions_then_four_digits():
    geometry = parse_geometry({"type": "Polygon", "coordinates": square(0, 0, 10)})
    locator = Locator([("WK1", geometry)], {"1011AA": "WK2", "1012": "WK3"})
    assert locator.area_of("1011AA", 5, 5) == "WK1"
    assert locator.area_of("1011AA", 50, 50) == "WK2"
    assert locator.area_of("1012BB") == "WK3"
    assert locator.area_of("9999ZZ") == ""


def test_classes_are_equal_width_and_never_more_than_five():
    assert class_ranges(0) == []
    assert class_ranges(3) == [(1, 1), (2, 2), (3, 3)]
    assert class_ranges(10) == [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10)]
    assert class_ranges(11) == [(1, 3), (4, 6), (7, 9), (10, 11)]


def test_the_highest_class_is_always_the_darkest_colour():
    assert [class_colour(i, 3)[0] for i in range(3)] == [CLASS_COLOURS[0], CLASS_COLOURS[2], CLASS_COLOURS[4]]
    assert class_colour(0, 1)[0] == CLASS_COLOURS[-1]
    assert [class_colour(i, 5)[0] for i in range(5)] == list(CLASS_COLOURS)


def test_the_svg_has_a_title_a_description_labels_and_a_legend_and_escapes_names():
    geometry = parse_geometry({"type": "Polygon", "coordinates": square(5.0, 52.0, 0.01)})
    svg = render_map([MapArea("WK1", "<Centrum>", geometry, "#440154", "#ffffff", "<5")],
                     [LegendEntry("#f2f2f2", "0"), LegendEntry("#bdbdbd", "verborgen", hatched=True)],
                     title="Kaart & tabel", description="Donkerder is meer.")
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="risk-map-title risk-map-desc"' in svg
    assert "<title id=\"risk-map-title\">Kaart &amp; tabel</title>" in svg
    assert "&lt;Centrum&gt;: &lt;5" in svg and "<Centrum>" not in svg
    assert 'fill="url(#mr-hatch)"' in svg and "style=" not in svg
