"""The report as a PDF: WeasyPrint laying out the HTML report's print variant.

The same template and CSS as the HTML report (``render_html(data, print_variant=True)``),
so the PDF says exactly what the web page says; docs/adr/0011-pdf-engine.md says
why WeasyPrint. The PDF is tagged (PDF/UA-1 variant: structure, reading order, alt
text of the chart images), has bookmarks from the headings, the report's title and
language (en-GB) in its metadata, and "Page N of M" in each page's footer
(``@page`` rules in report.css).

Nothing is fetched while rendering: the document carries its CSS inline and its
charts as ``data:`` images, and any other URL is refused.
"""

from __future__ import annotations

import logging

from stocktake.core.errors import StocktakeError
from stocktake.report.data import ReportData
from stocktake.report.render.html import render_html

try:  # WeasyPrint loads Debian's pango when imported; without it only the PDF is unavailable.
    from weasyprint import HTML, URLFetcher
except OSError as error:  # pragma: no cover - depends on the machine
    HTML = URLFetcher = None
    MISSING = str(error).splitlines()[0]
else:
    MISSING = ""

PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"


class PdfUnavailable(StocktakeError):
    """The machine lacks what WeasyPrint needs (pango); every other format still works."""


PDF_VARIANT = "pdf/ua-1"

# WeasyPrint logs every CSS property it does not know (browser-only rules) as a warning.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def render_pdf(data: ReportData) -> bytes:
    """The report as the bytes of a tagged PDF (A4, bookmarks, page numbers).

    Raises :class:`PdfUnavailable`, saying what to install, where pango is missing.
    """
    if HTML is None:
        raise PdfUnavailable(f"The PDF cannot be made on this machine: WeasyPrint needs "
                             f"Debian's pango (apt-get install {PANGO_PACKAGES}); {MISSING}")
    document = render_html(data, print_variant=True)
    # Only the document's own data: images; a report never reaches the network or the disk.
    offline = URLFetcher(allowed_protocols={"data"})
    return HTML(string=document, url_fetcher=offline, media_type="print").write_pdf(
        pdf_variant=PDF_VARIANT)
