"""docs/privacy/retention.md holds exactly the table the rules generate."""

from pathlib import Path

from meldroute.retention.rules import markdown_table

DOC = Path(__file__).resolve().parents[4] / "docs" / "privacy" / "retention.md"


def test_the_retention_page_holds_the_table_generated_from_the_rules():
    text = DOC.read_text(encoding="utf-8")
    start, end = "<!-- retention-table:start -->\n", "<!-- retention-table:end -->"
    assert text[text.index(start) + len(start):text.index(end)] == markdown_table()
