"""Issue 14, "Dashboard and reports": charts worth looking at, an honest period picker, reports whose statements come
from the figures, a sentence instead of an all-hidden chart, and CoMensha's nationality as the country (ISO 3166)."""

import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.factories import make_signal

from meldroute.monitoring import charts, tables
from meldroute.monitoring.forms import period_choices
from meldroute.monitoring.tests.test_views import make_victims
from meldroute.triage.services import classify_signal

pytestmark = [pytest.mark.django_db]

MONTHS = [date(2026, m, 1) for m in range(1, 7)]


# --------------------------------------------------------------------------- charts


def test_stacked_columns_stack_per_form_with_totals_legend_and_an_accessible_title():
    series = [charts.Series("Seksuele uitbuiting", [1, 0, 2, 0, 0, 3]),
              charts.Series("Arbeidsuitbuiting", [4, 0, 0, 1, 0, 2]),
              charts.Series("Gedwongen orgaanverwijdering", [0, 0, 0, 0, 0, 0])]
    svg = charts.stacked_columns("Signalen per maand naar vorm", MONTHS, series)
    assert 'role="img"' in svg and "<title" in svg and "Signalen per maand naar vorm" in svg
    assert svg.count("<rect") == 6 + 2  # six non-zero segments, and two legend keys
    assert ">5</text>" in svg and ">2</text>" in svg  # the totals of January and March above their columns
    assert "feb 2026: 0;" in svg
    assert "Gedwongen orgaanverwijdering" not in svg  # zero throughout: not in the legend
    assert "jan 2026: 5 (Seksuele uitbuiting 1, Arbeidsuitbuiting 4)" in svg  # the desc, for screen readers
    assert "style=" not in svg and "<script" not in svg


def test_small_multiples_draw_one_panel_per_form_on_one_scale():
    series = [charts.Series("Seksuele uitbuiting", [1, 0, 2, 0, 0, 3]), charts.Series("Arbeidsuitbuiting",
                                                                                      [4, 0, 0, 1, 0, 2])]
    panels = charts.small_multiples(MONTHS, series)
    assert len(panels) == 2  # one SVG each, so the page reflows them (four across at 1280 px, one on a phone)
    assert "<title" in panels[0] and "Seksuele uitbuiting (6)" in panels[0] and "Arbeidsuitbuiting (7)" in panels[1]
    assert all("schaal 0 tot 4" in panel for panel in panels)  # the same scale in every panel


def test_long_labels_are_wrapped_not_clipped_or_shortened():
    label = "Gereguleerde arbeid of dienstverlening in de agrarische sector"
    svg = charts.bar_chart("Sector", [charts.Bar(label, 12, "12"), charts.Bar("Horeca", 3, "3")])
    assert "…" not in svg
    texts = re.findall(r'<text x="([-\d.]+)"[^>]*text-anchor="end"[^>]*>([^<]*)</text>', svg)
    label_lines = [t for x, t in texts if t not in ("", "12", "3") and not t.isdigit()]
    assert " ".join(label_lines[:-1]) == label  # every word there, on several lines
    label_width = float(texts[0][0])
    assert all(charts.text_width(t, 13) <= label_width for _x, t in texts)  # each line fits left of the bars


def test_an_all_hidden_chart_is_replaced_by_one_sentence():
    bars = [charts.Bar("Vrouw", None, "<5"), charts.Bar("Man", None, "×"), charts.Bar("Anders", 0, "0")]
    assert "te klein om te tonen" in tables.empty_chart_note(bars)
    assert tables.empty_chart_note([charts.Bar("Vrouw", 7, "7"), charts.Bar("Man", None, "<5")]) == ""


@pytest.mark.clock
def test_dashboard_victim_figure_all_suppressed_shows_the_sentence_not_a_chart(client, world):
    make_victims(world, world.a, 2, gender="female")
    client.force_login(world.af_a)
    page = client.get(reverse("monitoring:dashboard")).content.decode()
    sex = page.split('data-testid="figure-sex"')[1].split("</section>")[0]
    assert 'data-testid="chart-note-sex"' in sex and "te klein om te tonen" in sex and "<svg" not in sex
    assert "&lt;5" in sex  # the table still says what it can


@pytest.mark.clock
def test_dashboard_shows_the_month_by_form_chart_and_its_wide_table_scrolls_inside_its_box(client, world):
    for form in ("sexual", "labour", "labour"):
        classify_signal(make_signal(world.melder_a), actor=world.af_a, assessment="suspected", forms=[form])
    client.force_login(world.af_a)
    page = client.get(reverse("monitoring:dashboard")).content.decode()
    month = page.split('data-testid="figure-month"')[1].split("</section>")[0]
    assert month.count("<svg") == 1 + 2  # stacked columns, and a small multiple per form that occurs
    assert "mr-fig--wide" in month and 'class="mr-table-scroll"' in month
    assert "Arbeidsuitbuiting (2)" in month


# --------------------------------------------------------------------------- the period picker


def test_the_rolling_period_is_labelled_with_the_months_it_shows():
    june = dict(period_choices(date(2026, 6, 10)))
    assert june["12m"] == "Laatste 12 maanden: juli 2025 t/m juni 2026 (tot vandaag)"
    december = dict(period_choices(date(2026, 12, 6)))
    # In December the window is the calendar year; the label says so instead of promising another window.
    assert december["12m"] == "Laatste 12 maanden: januari 2026 t/m december 2026 (tot vandaag)"
    assert december["2026"] == "2026 (tot vandaag)" and december["2025"] == "2025"


@pytest.mark.clock
def test_dashboard_names_the_last_day_not_the_exclusive_end(client, world):
    client.force_login(world.af_a)
    year = timezone.localdate().year
    page = client.get(reverse("monitoring:dashboard"), {"periode": str(year - 1)}).content.decode()
    assert f"Periode: 1 januari {year - 1} t/m 31 december {year - 1}." in page
    assert f"1 januari {year}" not in page.split('data-testid="period"')[1].split("</p>")[0]


# --------------------------------------------------------------------------- report statements


@pytest.mark.clock
def test_report_states_the_counted_timeliness_and_marks_unreviewed_sections(client, world):
    on_time = make_signal(world.melder_a)
    classify_signal(on_time, actor=world.af_a, assessment="suspected", forms=["labour"])
    overdue = make_signal(world.melder_a)
    # Saved, not QuerySet.update(): the report counts from the rollups, which every save keeps (rollups.receivers).
    overdue.received_at = timezone.now() - timedelta(days=30)
    overdue.feedback_due_at, overdue.feedback_sent_at = timezone.now() - timedelta(days=2), None
    overdue.save(update_fields=["received_at", "feedback_due_at", "feedback_sent_at"])
    today = timezone.localdate()
    client.force_login(world.af_a)
    response = client.get(reverse("monitoring:report"), {"kind": "jaar", "year": today.year})
    report = response.context["report"]
    facts = " ".join(report.statements["execution"])
    assert "1 van de 2 signalen binnen de termijn beoordeeld" in facts
    assert "1 signaal nog niet beoordeeld terwijl de termijn verstreken is" in facts
    assert "1 terugkoppeling is nog niet verstuurd terwijl de termijn verstreken is" in facts
    page = response.content.decode()
    assert "afgesproken termijnen" not in page and "ongewijzigd van kracht" not in page
    assert 'data-testid="statements-execution"' in page
    policy = page.split('data-testid="report-policy"')[1].split("</p>")[0]
    assert "Nog niet beoordeeld" in policy


@pytest.mark.clock
def test_report_pdf_carries_the_statements_and_the_unreviewed_marker(client, world):
    from pypdf import PdfReader

    classify_signal(make_signal(world.melder_a), actor=world.af_a, assessment="suspected", forms=["sexual"])
    client.force_login(world.af_a)
    response = client.post(reverse("monitoring:report"), {
        "kind": "jaar", "year": timezone.localdate().year, "action": "pdf", "intro": "", "policy": "",
        "execution": "Toelichting van de AF.", "case_handling": "", "chain_cooperation": ""})
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "1 van de 1 signaal binnen de termijn beoordeeld" in text
    assert "Toelichting van de AF." in text and "Nog niet beoordeeld" in text
    assert "afgesproken termijnen" not in text


# --------------------------------------------------------------------------- CoMensha


@pytest.mark.clock
def test_comensha_nationality_is_the_country_with_its_iso_3166_code(client, world):
    make_victims(world, world.a, 1, consent=1, gender="female", citizenship="RO")
    make_victims(world, world.a, 1, consent=1, gender="male", citizenship="NG")
    make_victims(world, world.a, 1, consent=1, gender="male", citizenship="ZZ")
    client.force_login(world.zorgcoordinator)
    response = client.post(reverse("monitoring:comensha"), {"year": timezone.localdate().year,
                                                            "reason": "Jaarlijkse registratie CoMensha"})
    header, *rows = response.content.decode("utf-8-sig").strip().splitlines()
    columns = header.split(";")
    assert columns[5:7] == ["nationaliteit", "nationaliteit_iso3166"]
    nationalities = sorted(tuple(row.split(";")[5:7]) for row in rows)
    assert nationalities == [("Nigeria", "NG"), ("Onbekend", "ZZ"), ("Roemenië", "RO")]
    assert tables.comensha_nationality("xx") == ("Staatloos", "XX")
    assert tables.comensha_nationality("QQ") == ("Onbekend", "ZZ")


# --------------------------------------------------------------------------- regional view


@pytest.mark.clock
def test_regional_view_charts_the_published_region_totals_only(client, world):
    for melder, af, spec in ((world.melder_a, world.af_a, [("sexual", 3), ("labour", 6), ("criminal", 2)]),
                             (world.melder_b, world.af_b, [("sexual", 8), ("labour", 7)])):
        for form, n in spec:
            for _ in range(n):
                classify_signal(make_signal(melder), actor=af, assessment="suspected", forms=[form])
    client.force_login(world.ketenregisseur)
    response = client.get(reverse("monitoring:regional"), {"onderwerp": "form"})
    table = response.context["table"]
    bars = {bar.label: bar for bar in table.region_bars()}
    region_row = dict(table.rows())["Totaal regio"]
    for j, label in enumerate(table.columns):  # the chart shows exactly what the table publishes
        assert bars[label].display == region_row[j]
        assert bars[label].value is None or str(bars[label].value) == region_row[j]
    chart = response.content.decode().split('data-testid="regional-chart"')[1].split("</div>")[0]
    assert "<svg" in chart and "Totaal regio: Signalen in" in chart
    assert bars["Arbeidsuitbuiting"].value == 13 and bars["Seksuele uitbuiting"].value is None  # "×" in the table
