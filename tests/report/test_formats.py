"""The report in every format from one ReportData: HTML (charts with table alternatives),
Word (python-docx reads it back; LibreOffice converts it) and PDF (pdftoppm renders it,
pdftotext reads it)."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess

import docx
import pytest
from docx.oxml.ns import qn
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser

from stocktake.core.richtext import to_html
from stocktake.example_review import load_example_review
from stocktake.report.build import build_report
from stocktake.report.render import charts, pdf
from stocktake.report.render.common import CITATIONS_SHOWN, CORRECTION_DRAFT_STAMP, DRAFT_STAMP
from stocktake.report.render.docx import render_docx
from stocktake.report.render.html import render_html
from stocktake.report.render.pdf import MISSING, PANGO_PACKAGES, render_pdf
from stocktake.reviews import actions as review_actions
from tests.collect.conftest import EXAMPLES
from tests.report.htmlcheck import check
from tests.report.synthetic import synthetic_report

needs_pango = pytest.mark.skipif(
    bool(MISSING), reason=f"WeasyPrint needs pango (apt-get install {PANGO_PACKAGES})")
RECOMMENDATION = re.compile(r'<span class="rec-number">(Recommendation [^<]+)</span>')


def _words(text: str) -> str:
    return " ".join(text.split())


def _docx(data) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(data)))


def _styled(document, prefix: str) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs
            if p.style.name.startswith(prefix)]


# HTML ----------------------------------------------------------------------------------

def test_html_has_every_part_of_the_data():
    data = synthetic_report()
    html = render_html(data)
    assert "Version 2, published 3 March 2026" in html
    assert "Corrected recommendation 4&#39;s owner." in html
    assert "Draft for review" not in html
    assert "Observation 0." in html and "Raised in 1 of 4 systems, by 3 organisations" in html
    assert "<strong>together</strong>" in html  # the narrative, as sanitised HTML
    assert "Source: returns.docx, table 2 row 4" in html
    assert "Lead contact:</span> Lead 1" in html and "Due:</span> 1 February 2026" in html
    rec = data.recommendations[0]
    assert html.count(f"Cited finding {CITATIONS_SHOWN - 1} for {rec.number}.") == 1
    assert f"Cited finding {CITATIONS_SHOWN} for {rec.number}." not in html  # bounded
    assert "and 2 more cited findings" in html
    assert "Also reported in 2 other submissions" in html  # merged duplicates
    assert "Appendix B: Case studies" in html and "Appendix C: Method" in html
    assert "4 reflection sessions" in html and "Reviewers met <strong>weekly</strong>" in html
    result = check(html)
    assert result.errors == [] and result.stack == []
    assert len(result.ids) == len(set(result.ids)), "ids must be unique"
    assert all(href[1:] in result.ids for href in result.links if href.startswith("#"))


def test_html_draft_stamp_and_appendix_letters_without_case_studies():
    data = synthetic_report(version=None, case_studies=0, status="reporting")
    html = render_html(data)
    assert DRAFT_STAMP in html and "Draft for review — not published.</strong>" in html
    assert 'class="watermark" aria-hidden="true"' in html
    assert "Appendix B: Method" in html and "Case studies" not in html
    # Once a version is published the draft is the next correction, not an unpublished report.
    after = render_html(synthetic_report(version=None, case_studies=0, status="tracking"))
    assert CORRECTION_DRAFT_STAMP in after and DRAFT_STAMP not in after


def test_html_charts_are_images_with_a_table_alternative():
    data = synthetic_report(themes=5, systems=3)
    html = render_html(data)
    for ident, table in (("chart-heatmap", "table-heatmap"), ("chart-balance", "table-balance")):
        svg = re.search(rf'<svg [^>]*aria-labelledby="{ident}-title {ident}-desc"[^>]*>', html)
        assert svg and 'role="img"' in svg.group(0)
        assert f'<title id="{ident}-title">' in html and f'<desc id="{ident}-desc">' in html
        assert f'<caption id="{table}">' in html
    heatmap = html[html.index('id="table-heatmap"'):html.index('id="chart-balance-heading"')]
    assert re.findall(r'<th scope="col" class="num">([^<]+)</th>', heatmap) == list(
        data.participation.systems)
    for theme, row in zip(data.heatmap.themes, data.heatmap.counts):
        cells = "".join(f'<td class="num">{n}</td>' for n in row)
        assert f'<th scope="row">{theme}</th>{cells}' in heatmap
    # The print variant (the PDF's source) has the same charts as PNG images with alt text.
    printed = render_html(data, print_variant=True)
    assert "<svg" not in printed
    assert printed.count('<img class="chart-img" src="data:image/png;base64,') == 2
    assert 'alt="Findings by theme and system. A grid of 5 themes' in printed


def test_heatmap_cell_text_contrasts_with_every_cell():
    for count in range(0, 101):
        fill = charts.cell_colour(count, 100)
        assert charts.contrast(fill, charts.text_colour(fill)) >= 4.5, (count, fill)
    assert charts.contrast(charts.ACHIEVEMENT_COLOUR, "#ffffff") >= 4.5
    assert charts.contrast(charts.CHALLENGE_COLOUR, "#ffffff") >= 4.5


def test_narratives_cannot_carry_markup_into_any_format():
    hostile = '<p>Fine</p><script>alert(1)</script><img src=x onerror=alert(2)><p onclick="x()">' \
              'ok <a href="javascript:alert(3)">link</a></p>'
    base = synthetic_report(themes=1, recommendations=1, examples=1)
    section = dataclasses.replace(base.theme_sections[0], narrative_html=hostile)
    data = dataclasses.replace(base, summary_html=hostile, theme_sections=(section,))
    html = render_html(data)
    for bad in ("<script", "alert(1)", "onerror", "onclick", "javascript:", "<img"):
        assert bad not in html
    text = "\n".join(p.text for p in _docx(data).paragraphs)
    assert "alert(1)" not in text and "Fine" in text


# Word ------------------------------------------------------------------------------------

def test_docx_structure_matches_the_html(coded):
    data = build_report(coded.review)
    document = _docx(data)
    headings = _styled(document, "Heading")
    assert ("Title", data.title) in _styled(document, "Title")
    level1 = [text for style, text in headings if style == "Heading 1"]
    for section in data.theme_sections:
        assert f"{section.position}. {section.name}" in level1
    assert {"Summary", "All recommendations", "Appendix A: Examples of good practice",
            "Appendix B: Method"} <= set(level1)
    assert ("Heading 2", "What we heard") in headings
    # Every recommendation: the same number as the HTML, then its text.
    numbers = [text for _, text in _styled(document, "Recommendation Number")]
    assert numbers == RECOMMENDATION.findall(render_html(data))
    texts = [text for style, text in _styled(document, "Recommendation")
             if style == "Recommendation"]
    assert texts == [rec.text for rec in data.recommendations]
    assert numbers == [f"Recommendation {rec.shown_number}" for rec in data.recommendations]
    # Real tables, the appendix's header row repeated on each page.
    examples = next(t for t in document.tables if t.rows[0].cells[0].text == "Domain")
    assert [c.text for c in examples.rows[0].cells] == ["Domain", "System", "Example",
                                                        "Synopsis"]
    assert examples.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert "Virtual outpatient clinic" in examples.rows[1].cells[2].text
    assert len(document.tables) >= 6
    # Charts as pictures with alt text; the table of contents as a field Word updates.
    alts = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert len(alts) == 2 and all(len(alt) > 40 for alt in alts)
    body = document.element.body.xml
    assert 'TOC \\o "1-3" \\h \\z \\u' in body
    assert document.core_properties.language == "en-GB"
    assert document.core_properties.title == data.title


def test_docx_narrative_becomes_word_paragraphs_lists_and_links():
    data = synthetic_report(themes=1, recommendations=2, examples=3)
    document = _docx(data)
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 2", "What changed") in styles  # a narrative's h3
    assert ("List Bullet", "One shared control room") in styles
    assert ("List Bullet 2", "weekends too") in styles
    assert ("Quote", "We never closed.") in styles
    worked = next(p for p in document.paragraphs if p.text.startswith("Systems worked together"))
    assert [r.text for r in worked.runs if r.bold] == ["together"]
    assert [r.text for r in worked.runs if r.italic] == ["fast"]
    assert worked.hyperlinks and worked.hyperlinks[0].address == "https://example.org/guide"
    third = next(p for p in document.paragraphs if p.text == "Third point")
    assert third.style.name == "List Number"
    num_id = third._p.pPr.numPr.numId.val
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.num_lst if n.numId == num_id)
    assert num.xpath("./w:lvlOverride/w:startOverride/@w:val") == ["3"]
    assert "\n" in next(p.text for p in document.paragraphs if p.text.startswith("Code A&E"))


@pytest.mark.slow
def test_docx_converts_with_libreoffice(coded, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    data = build_report(coded.review)
    source = tmp_path / "report.docx"
    source.write_bytes(render_docx(data))
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    converted = tmp_path / "report.pdf"
    assert converted.read_bytes().startswith(b"%PDF")
    text = _words(_pdf_text(converted, tmp_path))
    for rec in data.recommendations:
        assert f"Recommendation {rec.shown_number}" in text and _words(rec.text) in text


# PDF -------------------------------------------------------------------------------------

def _pdf_text(path, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed (apt-get install poppler-utils)")
    out = tmp_path / f"{path.stem}.txt"
    subprocess.run(["pdftotext", str(path), str(out)], check=True, timeout=60)
    return out.read_text(encoding="utf-8")


@pytest.mark.slow
@needs_pango
def test_pdf_renders_and_holds_every_recommendation(coded, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils is not installed (apt-get install poppler-utils)")
    data = build_report(coded.review)
    path = tmp_path / "report.pdf"
    path.write_bytes(render_pdf(data))
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(path),
                    str(tmp_path / "page")], check=True, timeout=60)
    (page,) = tmp_path.glob("page*.png")
    assert page.stat().st_size > 2_000
    text = _words(_pdf_text(path, tmp_path))
    for rec in data.recommendations:
        assert f"Recommendation {rec.shown_number}" in text and _words(rec.text) in text
    assert "Page 1 of" in text
    with path.open("rb") as handle:
        document = PDFDocument(PDFParser(handle))
        assert document.catalog["Lang"] == b"en-GB"
        assert "Outlines" in document.catalog and "StructTreeRoot" in document.catalog
        info = document.info[0]
        assert info["Title"].decode("utf-8", "replace") == data.title


def test_pdf_without_pango_says_what_to_install(monkeypatch):
    monkeypatch.setattr(pdf, "HTML", None)
    monkeypatch.setattr(pdf, "MISSING", "cannot load library 'libpango-1.0-0'")
    with pytest.raises(pdf.PdfUnavailable, match="apt-get install libpango-1.0-0"):
        render_pdf(synthetic_report(themes=1))


# The example review -----------------------------------------------------------------------

@pytest.mark.slow
@needs_pango
def test_example_review_in_every_format(db, tmp_path):
    review = load_example_review(directory=EXAMPLES, by=None, password="example-password-42")
    data = build_report(review)
    assert data.recommendations and data.examples
    html = render_html(data)
    assert check(html).errors == []
    document = _docx(data)
    numbers = [text for _, text in _styled(document, "Recommendation Number")]
    assert numbers == RECOMMENDATION.findall(html)
    path = tmp_path / "report.pdf"
    path.write_bytes(render_pdf(data))
    text = _words(_pdf_text(path, tmp_path))
    for rec in data.recommendations:
        assert _words(rec.text) in text, rec.number


def test_a_review_with_nothing_yet_renders_in_word(world):
    review = review_actions.create_review(
        title="Nothing yet", slug="nothing-yet", framework=world.framework,
        by=world.users["lena"])
    data = build_report(review)
    document = _docx(data)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "No findings from any system have been coded to a theme yet." in text
    assert "This report makes no recommendations yet." in text
    assert len(document.inline_shapes) == 1  # the balance chart: every theme at zero
    assert check(render_html(data)).errors == []


def test_docx_loose_lists_and_source_line_breaks_read_as_in_a_browser():
    html = to_html("Steps:\n\n1. First\n\n   more of the first\n2. Second\n\nA line\nwrapped.")
    base = synthetic_report(themes=1, recommendations=1, examples=1)
    data = dataclasses.replace(base, summary_html=html)
    paragraphs = [(p.style.name, p.text) for p in _docx(data).paragraphs]
    first = paragraphs.index(("List Number", "First"))
    assert paragraphs[first + 1] == ("List Continue", "more of the first")
    assert paragraphs[first + 2] == ("List Number", "Second")
    assert ("Normal", "A line wrapped.") in paragraphs
