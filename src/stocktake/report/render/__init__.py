"""Rendering built report data, one module per format.

``html.py`` renders the standalone HTML document the web page and
``stocktake report`` serve; Word (``docx.py``) and PDF (``pdf.py``) renderers
belong beside it, each taking a :class:`stocktake.report.data.ReportData`.
"""

from stocktake.report.render.html import render_html, render_report_html

__all__ = ["render_html", "render_report_html"]
