"""HTML → PDF with WeasyPrint for every app below monitoring (the meetings' minutes): self-contained HTML, no network,
tagged for accessibility (the same settings as monitoring.pdf, which the report uses)."""

from __future__ import annotations

from typing import Any, NoReturn


def _no_network(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    # The document is self-contained (inline CSS); refuse anything else rather than reach out.
    raise ValueError(f"refused to fetch {url!r} while rendering a PDF")


def render_pdf(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1: structure tree, document language from <html lang>)."""
    from weasyprint import HTML  # imported lazily: it loads Pango on import

    pdf: bytes = HTML(string=html, url_fetcher=_no_network).write_pdf(pdf_variant="pdf/ua-1")
    return pdf
