"""Rendering built report data, one module per format, each from a
:class:`stocktake.report.data.ReportData` with the shared wording of ``common.py``.

``html.render_html(data)`` -> str: the standalone HTML document the web page and
``stocktake report`` serve; ``docx.render_docx(data)`` -> bytes: the Word file;
``pdf.render_pdf(data)`` -> bytes: the tagged PDF (raises ``pdf.PdfUnavailable``
without pango). Import the Word and PDF renderers from their modules: they load
python-docx, matplotlib and WeasyPrint, which the web pages do not need.
"""

from stocktake.report.render.html import render_html, render_report_html

__all__ = ["render_html", "render_report_html"]
