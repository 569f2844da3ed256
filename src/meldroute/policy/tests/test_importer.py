"""Importing a plan's actions: seed 003's four Actiepunten tables as pasted, CSV and XLSX; a preview that names every
bad line in Dutch and imports nothing; idempotent; audited with who, file name, row counts and reason."""

import io
import re
from datetime import date

import pytest

from meldroute.audit.models import AuditEvent
from meldroute.core.exceptions import DomainError
from meldroute.policy import importer, services
from meldroute.policy.models import ActionImport, ActionPoint

from .conftest import SEED_003_TABLES, seeds_dir

THEMES = {"Bewustwording en signalering": 9, "Samenwerking met ketenpartners": 5, "Opvang en hulpverlening": 7,
          "Monitoren, evalueren en financiering": 3}


def tables_of(seed: str) -> str:
    """The four tables as a user copies them out of the plan: each heading line and its numbered rows."""
    lines, inside = [], False
    for line in seed.splitlines():
        if "Actiepunten" in line and line.rstrip("\t").count("\t") == 0 and line.endswith("\t"):
            inside = True
            lines.append(line)
        elif inside and re.match(r"^\d+\t", line):
            lines.append(line)
        elif inside and line.strip():
            inside = False
    return "\n".join(lines)


def test_the_copy_of_seed_003s_tables_is_the_seed_verbatim():
    """Where the seed plans lie beside the repository, the copy for other checkouts must be exactly its tables."""
    matches = sorted(seeds_dir().glob("003_*.txt"))
    if not matches:
        pytest.skip(f"no seed plans in {seeds_dir()}: the other tests read the verbatim copy")
    assert tables_of(matches[0].read_text(encoding="utf-8")) + "\n" == SEED_003_TABLES.read_text(encoding="utf-8")


def test_the_four_tables_of_seed_003_parse_into_24_actions_with_deadlines_and_recurrences(seed_003):
    result = importer.parse_rows(importer.split_text(tables_of(seed_003)))
    assert result.errors == []
    per_theme = {theme: sum(r.theme == theme for r in result.rows) for theme in THEMES}
    assert per_theme == THEMES
    by_key = {(r.theme, r.number): r for r in result.rows}
    first = by_key[("Bewustwording en signalering", "1")]
    assert first.when.deadline == date(2022, 5, 1) and first.who == "Team veiligheid gemeente"
    assert "aandachtsfunctionaris mensenhandel" in first.action and "<a" not in first.action
    assert by_key[("Bewustwording en signalering", "4")].when.per_year == 2
    assert by_key[("Bewustwording en signalering", "4")].when.continuous
    eight = by_key[("Bewustwording en signalering", "8")].when
    assert (eight.period_start, eight.deadline) == (date(2022, 7, 1), date(2022, 12, 31))
    assert by_key[("Monitoren, evalueren en financiering", "2")].when.per_year == 1  # "Jaarlijks"
    assert by_key[("Monitoren, evalueren en financiering", "3")].when.per_year == 3  # "3 x per jaar"
    assert by_key[("Opvang en hulpverlening", "6")].when.continuous  # "doorlopend"
    assert sum(r.when.deadline is not None for r in result.rows) == 14
    assert sum(r.when.continuous for r in result.rows) == 8
    assert sum(r.when.per_year is not None for r in result.rows) == 3


def test_importing_seed_003_twice_changes_nothing_the_second_time_and_is_audited(world, seed_003):
    rows = importer.parse_rows(importer.split_text(tables_of(seed_003))).rows
    first = services.import_actions(actor=world.ketenregisseur, rows=rows, plan="Samen tegen mensenhandel NML",
                                    file_name="plan-nml.txt", reason="Plan vastgesteld")
    assert (first.created, first.changed, first.unchanged) == (24, 0, 0)
    assert ActionPoint.objects.filter(region=world.region, municipality__isnull=True).count() == 24
    second = services.import_actions(actor=world.ketenregisseur, rows=rows, plan="Samen tegen mensenhandel NML",
                                     file_name="plan-nml.txt", reason="Nogmaals")
    assert (second.created, second.changed, second.unchanged) == (0, 0, 24)
    assert ActionPoint.objects.count() == 24
    event = AuditEvent.objects.filter(action="policy.actions_imported").order_by("-id").first()
    assert event.details["file"] == "plan-nml.txt" and event.details["reason"] == "Nogmaals"
    assert event.details["rows"] == 24 and event.details["unchanged"] == 24
    assert event.actor_id == world.ketenregisseur.pk
    assert ActionImport.objects.count() == 2


def test_a_changed_row_is_updated_not_duplicated(world):
    text = "Actiepunten Thema\t\t\t\t\n1\tEen actie\tAF\tUiterlijk 01-05-2027\tCapaciteit\n"
    rows = importer.parse_rows(importer.split_text(text)).rows
    services.import_actions(actor=world.af_a, rows=rows, plan="Plan", file_name="a.txt", reason="r")
    changed = importer.parse_rows(importer.split_text(text.replace("01-05-2027", "01-06-2027"))).rows
    record = services.import_actions(actor=world.af_a, rows=changed, plan="Plan", file_name="a.txt", reason="r")
    assert (record.created, record.changed) == (0, 1)
    action = ActionPoint.objects.get()
    assert action.deadline == date(2027, 6, 1) and action.municipality == world.a  # an AF imports for its own


def test_bad_lines_get_dutch_errors_with_their_line_numbers_and_nothing_is_imported(world):
    text = ("Actiepunten Bewustwording\t\t\t\t\n"
            "1\tTrainen van de balie\tAF\tUiterlijk 01-05-2027\tCapaciteit\n"
            "x!\t\tAF\tbinnenkort\t\n"
            "3\tFlyers\t\tJaarlijks\t\n"
            "1\tDubbel\tAF\tDoorlopend\t\n")
    result = importer.parse_rows(importer.split_text(text))
    lines = dict(result.errors)
    assert set(lines) == {3, 4, 5}
    assert "nummer" in lines[3] and "actie is leeg" in lines[3] and "binnenkort" in lines[3]
    assert "'wie' is leeg" in lines[4]
    assert "twee keer" in lines[5]
    assert not result.ok
    assert ActionPoint.objects.count() == 0


def test_a_csv_with_a_header_row_is_read(world):
    content = ("nummer;thema;actie;wie;wanneer;middelen;status\n"
               "1;Bewustwording;Intranetbericht;AF;Doorlopend, maar minimaal 2x per jaar;Capaciteit;loopt\n"
               "2;Bewustwording;Schoolles;AF;2e helft 2027;;\n").encode("utf-8-sig")
    result = importer.parse_rows(importer.read_upload("acties.csv", content))
    assert result.errors == []
    assert [r.status for r in result.rows] == ["in_progress", ""]
    record = services.import_actions(actor=world.ketenregisseur, rows=result.rows, plan="Plan",
                                     file_name="acties.csv", reason="Nieuw")
    assert record.created == 2
    assert ActionPoint.objects.get(number="1").updates.count() == 1  # the status from the file is a dated update


def test_an_xlsx_sheet_is_read():
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Nummer", "Thema", "Actie", "Wie", "Wanneer", "Middelen"])
    sheet.append([1, "Samenwerking", "Expertgroep verbinden", "Ketenregisseur", "doorlopend", "RIEC"])
    sheet.append([2, "Samenwerking", "Screeningsoverleg", "ZVH", date(2027, 5, 1), ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = importer.parse_rows(importer.read_upload("plan.xlsx", buffer.getvalue()))
    assert result.errors == []
    assert [r.number for r in result.rows] == ["1", "2"]
    assert result.rows[1].when.deadline == date(2027, 5, 1)


def test_a_broken_or_foreign_file_is_refused_at_the_field():
    with pytest.raises(DomainError) as error:
        importer.read_upload("plan.xlsx", b"not a zip")
    assert error.value.field == "file"
    with pytest.raises(DomainError):
        importer.read_upload("plan.pdf", b"%PDF")


def test_an_import_without_a_reason_is_refused(world):
    rows = importer.parse_rows(importer.split_text("Actiepunten T\n1\tA\tB\tDoorlopend\tC")).rows
    with pytest.raises(DomainError) as error:
        services.import_actions(actor=world.ketenregisseur, rows=rows, plan="P", file_name="f", reason=" ")
    assert error.value.field == "reason"
    assert ActionPoint.objects.count() == 0


def test_someone_outside_the_roles_cannot_import(world):
    rows = importer.parse_rows(importer.split_text("Actiepunten T\n1\tA\tB\tDoorlopend\tC")).rows
    with pytest.raises(DomainError):
        services.import_actions(actor=world.melder_a, rows=rows, plan="P", file_name="f", reason="r")
    assert ActionPoint.objects.count() == 0
