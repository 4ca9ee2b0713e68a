"""One report and one response document in every format: the same recommendations and responses.

Word (typed numbers, Word's own auto-numbering, and tables), PDF, text exported from a
PDF, a web page, Markdown, and Excel tables. All text is invented: a falls review in two made-up places.
"""

from __future__ import annotations

import textwrap

import pytest

from stocktake.collect.importers import extract
from stocktake.collect.importers.docx_lines import format_number
from tests.collect.test_importers_recommendations import _pdf, _text_export

TITLE = "Marrowby and Quenley falls prevention review"
CONTENTS = [("1 Background", 2), ("2 What we heard", 2), ("3 Recommendations", 3),
            ("4 Summary of recommendations", 4)]
RECS = [
    ("1", "Assessment", "The falls teams should see every referred person within ten working days."),
    ("2", "Assessment", "Both councils should fund grab rails and stair rails without a means test for "
                        "people aged over eighty."),
    ("3", "Staffing", "The community trust should give each falls team its own occupational therapist, "
                      "with:", [("a", "a shared caseload list across both places;"),
                                ("b", "cover for leave from the reablement service.")]),
    ("4", "Staffing", "Commissioners should publish the waiting time for a falls assessment every quarter."),
]
SUMMARY = [
    "The falls teams should see every referred person within ten working days.",
    "Both councils should fund grab rails and stair rails without a means test for people aged over eighty.",
    "The community trust should give each falls team its own occupational therapist.",
    "Commissioners should publish falls assessment waiting times every quarter.",
]
ANSWERS = [
    ("Accepted. Referrals will be seen within ten working days from April.", "Accepted"),
    ("Accepted in part. Grab rails will be free; stair rails stay means tested.", "Accepted in part"),
    ("Not accepted. Therapists will stay shared, with a joint rota.", "Not accepted"),
    ("Complete. Waiting times went on both councils' websites in March.", "Complete"),
]
EXPECTED_RECS = [
    ("1", RECS[0][2]),
    ("2", RECS[1][2]),
    ("3", RECS[2][2] + " a) a shared caseload list across both places; b) cover for leave from the "
                       "reablement service."),
    ("4", RECS[3][2]),
]
EXPECTED_STATUSES = [("1", "accepted"), ("2", "accepted_in_part"), ("3", "not_accepted"), ("4", "complete")]


def _rec_text(rec) -> str:
    return " ".join([rec[2], *(f"{letter}) {text}" for letter, text in (rec[3] if len(rec) > 3 else []))])


# ---- text and PDF: pages of lines ----------------------------------------------------------------

def _wrap(text: str, first: str = "") -> list[str]:
    return textwrap.wrap(first + text, 80)


def _report_pages() -> list[list[str]]:
    contents = [TITLE, "", "Contents"] + [f"{entry} {'.' * (48 - len(entry))} {page}" for entry, page in CONTENTS]
    background = ["1 Background", "",
                  *_wrap("The review looked at falls among older people living at home in Marrowby and "
                         "Quenley during 2024."),
                  "", "2 What we heard", "",
                  *_wrap("Falls teams saw people within a week in Marrowby but within a month in Quenley."),
                  "",
                  *_wrap("Occupational therapists were shared between three teams and often moved.")]
    recommendations = ["3 Recommendations", ""]
    section = ""
    for rec in RECS:
        if rec[1] != section:
            section = rec[1]
            recommendations.append(section)
        recommendations += _wrap(rec[2], f"{rec[0]}. ")
        for letter, text in (rec[3] if len(rec) > 3 else []):
            recommendations += _wrap(text, f"{letter}) ")
    summary = ["4 Summary of recommendations", "", "In short, we recommend that:"]
    for number, text in enumerate(SUMMARY, start=1):
        summary += _wrap(text, f"{number}. ")
    return [contents, background, recommendations, summary]


def _response_pages() -> list[list[str]]:
    pages = [[f"Response to the {TITLE}", "",
              *_wrap("The partners welcome the review and answer each recommendation below."), ""]]
    for number, (rec, (answer, _status)) in enumerate(zip(RECS, ANSWERS, strict=True), start=1):
        if number == 3:  # two answers a page
            pages.append([])
        pages[-1] += [f"Recommendation {number}", "", *_wrap(rec[2]), "", *_wrap(answer), ""]
    return pages


# ---- Word ----------------------------------------------------------------------------------------

def _numbering(document, levels: list[tuple[str, str]]) -> str:
    """A list definition of our own in the document's numbering part: (numFmt, lvlText) per level;
    gives its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(a.tag.replace("abstractNum", "abstractNumId"))) for a in
                    numbering.findall("{*}abstractNum")]
    num_ids = [int(n.numId) for n in numbering.num_lst]
    abstract_id, num_id = max(abstract_ids, default=0) + 1, max(num_ids, default=0) + 1
    lvls = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                   f'<w:lvlText w:val="{text}"/></w:lvl>' for i, (fmt, text) in enumerate(levels))
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
                                  f'{lvls}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                               f'<w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    return str(num_id)


def _numbered(paragraph, num_id: str, level: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
                         f'<w:numId w:val="{num_id}"/></w:numPr>'))


def _report_docx(path, *, auto: bool) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    if auto:  # Word's own contents styles
        from docx.enum.style import WD_STYLE_TYPE

        for name in ("TOC Heading", "toc 1"):
            if name not in [style.name for style in document.styles]:
                document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Contents", style="TOC Heading" if auto else "Heading 1")
    for entry, page in CONTENTS:
        document.add_paragraph(f"{entry}\t{page}", style="toc 1" if auto else None)
    document.add_heading("1 Background", 1)
    document.add_paragraph("The review looked at falls among older people living at home in Marrowby and "
                           "Quenley during 2024.")
    document.add_heading("2 What we heard", 1)
    document.add_paragraph("Falls teams saw people within a week in Marrowby but within a month in Quenley.")
    document.add_paragraph("Occupational therapists were shared between three teams and often moved.")
    document.add_heading("3 Recommendations", 1)
    recs = _numbering(document, [("decimal", "%1."), ("lowerLetter", "%2)")]) if auto else ""
    section = ""
    for rec in RECS:
        if rec[1] != section:
            section = rec[1]
            document.add_heading(section, 2)
        if auto:
            _numbered(document.add_paragraph(rec[2]), recs, 0)
        else:
            document.add_paragraph(f"{rec[0]}. {rec[2]}")
        for letter, text in (rec[3] if len(rec) > 3 else []):
            if auto:
                _numbered(document.add_paragraph(text), recs, 1)
            else:
                document.add_paragraph(f"{letter}) {text}")
    document.add_heading("4 Summary of recommendations", 1)
    document.add_paragraph("In short, we recommend that:")
    for number, text in enumerate(SUMMARY, start=1):
        # auto: Word's "List Number" style, whose numbering the style itself carries
        document.add_paragraph(text, style="List Number") if auto else document.add_paragraph(f"{number}. {text}")
    document.save(str(path))


def _response_docx(path, *, auto: bool) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph(f"Response to the {TITLE}", style="Title")
    document.add_paragraph("The partners welcome the review and answer each recommendation below.")
    headings = _numbering(document, [("decimal", "Recommendation %1")]) if auto else ""
    for number, (rec, (answer, _status)) in enumerate(zip(RECS, ANSWERS, strict=True), start=1):
        if auto:
            _numbered(document.add_heading("", 2), headings, 0)
        else:
            document.add_heading(f"Recommendation {number}", 2)
        document.add_paragraph(rec[2])
        document.add_paragraph(answer)
    document.save(str(path))


def _report_docx_table(path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    document.add_heading("Background", 1)
    document.add_paragraph("We heard from falls teams in both places; our recommendations follow.")
    document.add_heading("Recommendations", 1)
    _table(document, ["No", "Recommendation", "Owner"],
           [[rec[0], _rec_text(rec), "Falls partnership"] for rec in RECS])
    document.save(str(path))


def _response_docx_table(path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph(f"Response to the {TITLE}", style="Title")
    document.add_paragraph("The partners welcome the review and answer each recommendation below.")
    _table(document, ["Recommendation", "Response", "Status"],
           [[f"{rec[0]}. {rec[2]}", answer, status] for rec, (answer, status) in zip(RECS, ANSWERS, strict=True)])
    document.save(str(path))


def _table(document, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            table.cell(r, c).text = value


# ---- web page and Excel --------------------------------------------------------------------------

def _report_html(path) -> None:
    parts = [f"<h1>{TITLE}</h1>", "<h2>1 Background</h2>",
             "<p>The review looked at falls among older people living at home in Marrowby and Quenley "
             "during 2024.</p>", "<h2>2 What we heard</h2>",
             "<p>Falls teams saw people within a week in Marrowby but within a month in Quenley.</p>",
             "<h2>3 Recommendations</h2>"]
    section = ""
    for rec in RECS:
        if rec[1] != section:
            section = rec[1]
            parts.append(f"<h3>{section}</h3>")
        parts.append(f"<p>{rec[0]}. {rec[2]}</p>")
        parts += [f"<p>{letter}) {text}</p>" for letter, text in (rec[3] if len(rec) > 3 else [])]
    parts += ["<h2>4 Summary of recommendations</h2>", "<p>In short, we recommend that:</p>", "<ol>",
              *(f"<li>{text}</li>" for text in SUMMARY), "</ol>"]
    path.write_text("<html><body>" + "\n".join(parts) + "</body></html>", encoding="utf-8")


def _response_html(path) -> None:
    parts = [f"<h1>Response to the {TITLE}</h1>",
             "<p>The partners welcome the review and answer each recommendation below.</p>"]
    for number, (rec, (answer, _status)) in enumerate(zip(RECS, ANSWERS, strict=True), start=1):
        parts += [f"<h2>Recommendation {number}</h2>", f"<p>{rec[2]}</p>", f"<p>{answer}</p>"]
    path.write_text("<html><body>" + "\n".join(parts) + "</body></html>", encoding="utf-8")


def _report_markdown(path) -> None:
    parts = [f"# {TITLE}", "", "## 1 Background", "",
             "The review looked at falls among older people living at home in Marrowby and Quenley during 2024.",
             "", "## 2 What we heard", "",
             "Falls teams saw people within a week in Marrowby but within a month in Quenley.", "",
             "## 3 Recommendations", ""]
    section = ""
    for rec in RECS:
        if rec[1] != section:
            section = rec[1]
            parts += [f"### {section}", ""]
        parts.append(f"{rec[0]}. {rec[2]}")
        parts += [f"   {letter}) {text}" for letter, text in (rec[3] if len(rec) > 3 else [])]
    parts += ["", "## 4 Summary of recommendations", "", "In short, we recommend that:", "",
              *(f"{number}. {text}" for number, text in enumerate(SUMMARY, start=1))]
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def _response_markdown(path) -> None:
    parts = [f"# Response to the {TITLE}", "",
             "The partners welcome the review and answer each recommendation below.", ""]
    for number, (rec, (answer, _status)) in enumerate(zip(RECS, ANSWERS, strict=True), start=1):
        parts += [f"## Recommendation {number}", "", rec[2], "", answer, ""]
    path.write_text("\n".join(parts), encoding="utf-8")


def _report_xlsx(path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Recommendations"
    sheet.append(["Number", "Recommendation", "Owner"])
    for rec, owner in zip(RECS, ["Falls teams", "Councils", "Community trust", "Commissioners"], strict=True):
        sheet.append([int(rec[0]), _rec_text(rec), owner])
    book.save(str(path))


def _response_xlsx(path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    sheet.append(["Recommendation", "Response", "Status"])
    for rec, (answer, status) in zip(RECS, ANSWERS, strict=True):
        sheet.append([f"{rec[0]}. {rec[2]}", answer, status])
    book.save(str(path))


def _write(kind: str, fmt: str, tmp_path):
    report = kind == "report"
    suffix = {"docx": "docx", "docx-auto": "docx", "docx-table": "docx", "md": "md", "pdf": "pdf", "text": "txt", "html": "html",
              "xlsx": "xlsx"}[fmt]
    path = tmp_path / f"{kind}.{suffix}"
    if fmt == "text":
        path.write_text(_text_export(_report_pages() if report else _response_pages()), encoding="utf-8")
    elif fmt == "pdf":
        _pdf(_report_pages() if report else _response_pages(), path)
    elif fmt == "docx-table":
        (_report_docx_table if report else _response_docx_table)(path)
    elif fmt.startswith("docx"):
        (_report_docx if report else _response_docx)(path, auto=fmt == "docx-auto")
    elif fmt == "md":
        (_report_markdown if report else _response_markdown)(path)
    elif fmt == "html":
        (_report_html if report else _response_html)(path)
    else:
        (_report_xlsx if report else _response_xlsx)(path)
    return extract(path)


FORMATS = ["text", "pdf", "docx", "docx-auto", "docx-table", "html", "md", "xlsx"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_gives_the_same_recommendations_in_every_format(fmt, tmp_path):
    extraction = _write("report", fmt, tmp_path)
    # the summary's restatements are matched to the recommendations, not added; the
    # contents list's "3 Recommendations … 3" is no recommendation
    assert [(r.label, " ".join(r.text.split())) for r in extraction.recommendations] == EXPECTED_RECS
    assert [r.number for r in extraction.recommendations] == [1, 2, 3, 4]
    assert extraction.responses == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_response_gives_the_same_answers_in_every_format(fmt, tmp_path):
    extraction = _write("response", fmt, tmp_path)
    assert [(r.label, r.status) for r in extraction.responses] == EXPECTED_STATUSES
    assert extraction.recommendations == []
    assert extraction.responses[0].text.startswith("Accepted. Referrals will be seen")


@pytest.mark.parametrize("fmt", ["docx", "docx-auto"])
def test_word_report_says_which_paragraph(fmt, tmp_path):
    extraction = _write("report", fmt, tmp_path)
    assert all(r.location.startswith("paragraph ") for r in extraction.recommendations)
    assert not any("Background" in (r.section or "") for r in extraction.recommendations)


def test_word_numbers_as_printed():
    assert [format_number(n, "lowerLetter") for n in (1, 2, 26, 27)] == ["a", "b", "z", "aa"]
    assert [format_number(n, "upperRoman") for n in (1, 4, 9, 14)] == ["I", "IV", "IX", "XIV"]
    assert format_number(3, "decimalZero") == "03"


def test_word_numbering_counts_levels_and_restarts():
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    from stocktake.collect.importers.docx_lines import Numbering

    numbering = parse_xml(
        f'<w:numbering {nsdecls("w")}>'
        '<w:abstractNum w:abstractNumId="1">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="R%1"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl>'
        '</w:abstractNum>'
        '<w:num w:numId="7"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="8"><w:abstractNumId w:val="1"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="10"/></w:lvlOverride></w:num>'
        '</w:numbering>')
    styles = {"Recs": {"based": None, "num": ("7", None)}}
    counter = Numbering(numbering, styles)

    def ppr(num_id: str | None, ilvl: int | None):
        if num_id is None:
            return None
        return parse_xml(f'<w:pPr {nsdecls("w")}><w:numPr><w:ilvl w:val="{ilvl}"/>'
                         f'<w:numId w:val="{num_id}"/></w:numPr></w:pPr>')

    printed = [counter.label(ppr("7", 0), None), counter.label(ppr("7", 1), None),
               counter.label(ppr("7", 1), None), counter.label(ppr("7", 2), None),
               counter.label(None, "Recs"),  # numbered by its style
               counter.label(ppr("7", 1), None),
               counter.label(ppr("8", 0), None),  # "restart numbering at 10"
               counter.label(ppr("8", 0), None), counter.label(ppr("0", 0), None)]
    assert printed == ["R1", "1.1", "1.2", None, "R2", "2.1", "R10", "R11", None]


def test_word_heading_numbering_by_linked_styles():
    # "Heading 1"/"Heading 2" carry only the list's id; the list's levels name the styles they number
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    from stocktake.collect.importers.docx_lines import Numbering

    numbering = parse_xml(
        f'<w:numbering {nsdecls("w")}><w:abstractNum w:abstractNumId="2">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading1"/>'
        '<w:lvlText w:val="%1"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading2"/>'
        '<w:lvlText w:val="%1.%2"/></w:lvl>'
        '</w:abstractNum><w:num w:numId="9"><w:abstractNumId w:val="2"/></w:num></w:numbering>')
    counter = Numbering(numbering, {"Heading1": {"based": None, "num": ("9", None)},
                                    "Heading2": {"based": None, "num": ("9", None)}})
    order = ["Heading1", "Heading2", "Heading2", "Heading1", "Heading2"]
    assert [counter.label(None, style) for style in order] == ["1", "1.1", "1.2", "2", "2.1"]


def test_word_list_style_link():
    # a list that names a list style ("numStyleLink") takes the levels of the list defining it
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    from stocktake.collect.importers.docx_lines import Numbering

    numbering = parse_xml(
        f'<w:numbering {nsdecls("w")}>'
        '<w:abstractNum w:abstractNumId="3"><w:styleLink w:val="RecList"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1."/></w:lvl>'
        '</w:abstractNum>'
        '<w:abstractNum w:abstractNumId="4"><w:numStyleLink w:val="RecList"/></w:abstractNum>'
        '<w:num w:numId="5"><w:abstractNumId w:val="4"/></w:num></w:numbering>')
    counter = Numbering(numbering, {})
    ppr = parse_xml(f'<w:pPr {nsdecls("w")}><w:numPr><w:ilvl w:val="0"/><w:numId w:val="5"/></w:numPr></w:pPr>')
    assert [counter.label(ppr, None) for _ in range(3)] == ["A.", "B.", "C."]
