"""Writes the Northmere example review: review.yaml and submissions in the formats they arrive in.

Run from the repository root:  .venv/bin/python examples/generate.py [OUTPUT_DIR]
(default examples/northmere). Output is deterministic: the same bytes on every run.
Every organisation, person and sentence is invented.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import textwrap
import zipfile
from pathlib import Path

import yaml

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))

from northmere_content import (  # noqa: E402
    carrowfold,
    dunmarrow,
    followup,
    innovations,
    partners,
    region,
    report,
    returns,
    saltmere,
    sessions,
    staff_learning,
    velbrook,
)

DOMAIN_NAMES = {
    "governance": "Governance", "clinical-quality": "Clinical and Quality Processes",
    "support-processes": "Support Processes", "people": "People", "inequalities": "Inequalities",
    "leadership-culture": "Leadership and Culture",
}
SECTION_NAMES = {
    "achievements": "Key achievements", "challenges": "Challenges",
    "learning": "Significant learning", "examples": "Examples of innovation or good practice",
    "keep": "What should be kept",
}
FIXED_TIME = (2025, 4, 1, 9, 0, 0)


# Reviewers' memos the demo starts with (a finding is named by words of its text).
MEMOS = [
    {"finding": "discharge to assess",
     "text": "Three systems describe discharge to assess in almost the same words; check in the "
             "reflection sessions whether the evenings and weekends cover held after the winter."},
    {"theme": "staff-wellbeing",
     "text": "Wellbeing hubs recur everywhere, but only the mental health trusts say how they were "
             "paid for. Ask about funding before recommending that they be kept."},
    {"organisation": "Velbrook Teaching Hospitals NHS Foundation Trust",
     "text": "Velbrook's submission is the only one that names its data requests burden in numbers; "
             "a useful case study for the regional relationship theme."},
    {"text": "Consistent message so far — video consultations and loaned equipment came up in every "
             "system; distinctive — the crisis line rotation in Carrowfold."},
]

def normalise_zip(path: Path) -> None:
    """Rewrite an Office file with fixed timestamps so that every run gives the same bytes."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2025-04-01T09:00:00Z", data)
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)
    path.write_bytes(buffer.getvalue())


# -- Word ---------------------------------------------------------------------------
def _docx():
    import docx

    document = docx.Document()
    document.core_properties.author = "Northmere example generator"
    return document


def _bold(document, text: str) -> None:
    document.add_paragraph().add_run(text).bold = True


def write_template_docx(path: Path, *, title: str, meta: list[str], content: dict, intro: str,
                        style: str, table=None, table_after: str | None = None, table_heading: str = "") -> None:
    """style: 'bullets' (list styles), 'paragraphs' (bold sub-headings), 'typed' (typed • bullets)."""
    document = _docx()
    document.add_heading(title, level=0)
    for line in meta:
        document.add_paragraph(line)
    document.add_heading("Introduction", level=1)
    document.add_paragraph(intro)
    for number, (key, sections) in enumerate(content.items(), start=1):
        heading = DOMAIN_NAMES[key]
        if style == "paragraphs":
            heading = f"Domain {number}: {heading}"
        elif style == "typed":
            heading = f"{number}. {heading}"
        document.add_heading(heading, level=1)
        for section, items in sections.items():
            if style == "paragraphs":
                _bold(document, SECTION_NAMES[section])
            else:
                document.add_heading(SECTION_NAMES[section], level=2)
            for item in items:
                if style == "bullets":
                    document.add_paragraph(item, style="List Bullet")
                elif style == "typed":
                    document.add_paragraph(f"• {item}")
                else:
                    document.add_paragraph(item)
        if table and key == table_after:
            document.add_heading(table_heading, level=2)
            _table(document, table)
    document.save(path)
    normalise_zip(path)


def _table(document, rows: list[list]) -> None:
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            if isinstance(value, list):
                cell.paragraphs[0].text = value[0]
                cell.paragraphs[0].style = "List Bullet"
                for item in value[1:]:
                    cell.add_paragraph(item, style="List Bullet")
            else:
                cell.text = value


def write_docx_files(out: Path) -> None:
    vth_examples = [["Example", "Synopsis"],
                    ["Wellbeing hub", "Rest areas, hot food and drop-in psychological support open to all staff, day and night."],
                    ["Interpreter on every ward", "Video interpreting on ward tablets so that patients wait minutes, not hours, for an interpreter."]]
    write_template_docx(
        out / "velbrook-teaching-hospitals.docx",
        title="Velbrook Teaching Hospitals NHS Foundation Trust – learning review submission",
        meta=["Organisation: Velbrook Teaching Hospitals NHS Foundation Trust",
              "System: Velbrook and Ostley ICS", "Contact: Imogen Latchford, Head of Emergency Planning"],
        intro="This submission was written by the trust's emergency planning team with input from "
              "every clinical division. It follows the six domains of the review template.",
        content=velbrook.VTH, style="bullets", table=vth_examples, table_after="leadership-culture",
        table_heading="Innovations we want to spread")
    write_template_docx(
        out / "carrowfold-royal-infirmary.docx",
        title="Learning review submission from Carrowfold Royal Infirmary NHS Foundation Trust",
        meta=["System: Carrowfold ICS"],
        intro="We have written this in our own words under each domain rather than as lists.",
        content=carrowfold.CRI, style="paragraphs")
    partner_table = [["Partner", "Key achievements", "Challenges"]] + [
        [name, achievements, challenges] for name, achievements, challenges in dunmarrow.DHH_TABLE]
    write_template_docx(
        out / "dunmarrow-hensby-hospitals.docx",
        title="Dunmarrow and Hensby Hospitals NHS Trust: winter learning review return",
        meta=["Organisation: Dunmarrow and Hensby Hospitals NHS Trust", "System: DHW ICS"],
        intro="Prepared for the Northmere regional learning review.",
        content=dunmarrow.DHH, style="typed", table=partner_table, table_after="clinical-quality",
        table_heading="Working with partners")
    # The system submission: a partner table first, then the domains.
    document = _docx()
    document.add_heading("Saltmere Coast ICS – system learning review submission", level=0)
    document.add_paragraph("Organisation: Saltmere Coast Integrated Care Board")
    document.add_paragraph("System: Saltmere Coast ICS")
    document.add_heading("Partner summaries", level=1)
    document.add_paragraph("Each partner summarised its own winter in the table below.")
    _table(document, [["Organisation", "Key achievements", "Challenges"]]
           + [[n, a, c] for n, a, c in saltmere.SC_PARTNERS])
    for key, sections in saltmere.SCICB.items():
        document.add_heading(DOMAIN_NAMES[key], level=1)
        for section, items in sections.items():
            document.add_heading(SECTION_NAMES[section], level=2)
            for item in items:
                document.add_paragraph(item, style="List Bullet")
    document.save(out / "saltmere-coast-system.docx")
    normalise_zip(out / "saltmere-coast-system.docx")


# -- Excel and CSV --------------------------------------------------------------------
def write_workbook(out: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    readme = workbook.active
    readme.title = "Read me"
    readme.append(["Northmere learning review: findings from partner organisations"])
    readme.append(["Compiled by the regional team from partners' returns. One row per finding."])
    findings = workbook.create_sheet("Findings")
    findings.append(["Partner findings, winter 2024/25"])
    findings.append([])
    findings.append(["Organisation", "System", "Domain", "Type", "Finding"])
    for organisation, system, rows in partners.FINDINGS:
        for index, (domain, kind, text) in enumerate(rows):
            # like merged cells: the organisation and system appear once per block
            findings.append([organisation if index == 0 else None,
                             (system or "") if index == 0 else None, domain, kind, text])
    practice = workbook.create_sheet("Best practice")
    practice.append(["Domain", "System", "Example", "Synopsis"])
    for row in partners.BEST_PRACTICE:
        practice.append(list(row))
    for sheet in workbook.worksheets:
        sheet.column_dimensions["E" if sheet.title == "Findings" else "D"].width = 90
    workbook.properties.creator = "Northmere example generator"
    path = out / "northmere-partner-findings.xlsx"
    workbook.save(path)
    normalise_zip(path)


def write_csv(out: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["Organisation", "System", "Domain", "Type", "Finding"])
    for domain, kind, text in carrowfold.CPFT_ROWS:
        writer.writerow(["Carrowfold Partnership NHS Foundation Trust", "Carrowfold ICS", domain, kind, text])
    (out / "carrowfold-partnership-form-export.csv").write_text(buffer.getvalue(), encoding="utf-8")


# -- Text -------------------------------------------------------------------------------
def write_plain_text(out: Path) -> None:
    lines = ["OSTLEY COMMUNITY HEALTH NHS TRUST", "Learning review submission, winter 2024/25", "",
             "Organisation: Ostley Community Health NHS Trust", "System: Velbrook and Ostley ICS", ""]
    for key, sections in velbrook.OCH.items():
        lines += [DOMAIN_NAMES[key].upper(), ""]
        for section, items in sections.items():
            lines.append(f"{SECTION_NAMES[section]}:")
            lines += [f"- {item}" for item in items]
            lines.append("")
    (out / "ostley-community-health.txt").write_text("\n".join(lines), encoding="utf-8")


def write_pdf_export(out: Path) -> None:
    """Text copied out of a PDF: wrapped lines, page furniture, numbered headings, a tab table."""
    org = "Hensby and Wrayford Mental Health NHS Foundation Trust"
    header = f"{org} – Learning Review Submission"
    body = [org, "Learning Review Submission – Winter 2024/25", "", "Contents",
            "1 Introduction ........................................ 2",
            "2 Our learning by domain ............................. 2",
            "3 Examples of good practice ........................... 7", ""]
    body += ["1 Introduction",
             "This document sets out our learning from the winter. It was approved by the",
             "executive team and shared with the Hensby and Wrayford place board.", "",
             "2 Our learning by domain", ""]
    for number, (key, sections) in enumerate(dunmarrow.HWMH.items(), start=1):
        body += [f"2.{number} {DOMAIN_NAMES[key]}", ""]
        for sub, (section, items) in enumerate(sections.items(), start=1):
            body += [f"2.{number}.{sub} {SECTION_NAMES[section]}"]
            for item in items:
                wrapped = textwrap.wrap(item, 78)
                body += [f"• {wrapped[0]}"] + wrapped[1:]
            body.append("")
    body += ["3 Examples of good practice", "[Embedded file: street-triage-evaluation.xlsx]",
             "Example\tDomain\tSynopsis",
             "Street triage car\tClinical and Quality Processes\tA mental health nurse, a police officer and a paramedic respond together to people in crisis.",
             "Lived experience in every team\tPeople\tPeer support workers recruited to each community mental health team.",
             "Decision log on the intranet\tGovernance\tDaily incident decisions published for all staff with the reasons for them.", ""]
    pages, page, lines = [], [], 0
    for line in body:  # page breaks every 22 lines, even mid-paragraph
        page.append(line)
        lines += 1
        if lines == 21:
            pages.append(page)
            page, lines = [], 0
    pages.append(page)
    text = []
    for number, content in enumerate(pages, start=1):
        if number > 1:
            text.append(header)
        text += content
        text += [f"Page {number} of {len(pages)}", "\f"]
    (out / "hensby-wrayford-mh-submission-pdf-export.txt").write_text("\n".join(text), encoding="utf-8")


def write_markdown(out: Path) -> None:
    lines = ["# Review session notes: Wrayford Care Partnership", "",
             "Organisation: Wrayford Care Partnership NHS Trust", "System: DHW ICS",
             "Session held 14 May 2025, 90 minutes, with the trust's executive team.", ""]
    for domain, items in dunmarrow.WCP_NOTES.items():
        lines += [f"## {domain}", ""] + [f"- {item}" for item in items] + [""]
    (out / "wrayford-care-partnership-session-notes.md").write_text("\n".join(lines), encoding="utf-8")


def write_system_returns(out: Path) -> None:
    """A system's compiled return: Organisation | Approach | Key findings so far (a bulleted
    list in each cell); each row names its own organisation, the document none."""
    document = _docx()
    document.add_heading("DHW ICS – what our partners have learned so far", level=0)
    document.add_paragraph("Compiled by the system's learning lead from partners' own returns.")
    _table(document, [["Organisation", "Approach", "Key findings so far"]]
           + [[name, approach, findings] for name, approach, findings in returns.SYSTEM_RETURNS])
    document.save(out / "dhw-system-returns.docx")
    normalise_zip(out / "dhw-system-returns.docx")


def write_board_response(out: Path) -> None:
    """The region's response to the review's recommendations: each one quoted, then answered."""
    texts = {number: text for number, text, *_ in region.RECOMMENDATIONS}
    lines = ["# Northmere Regional Health Partnership board: response to the winter learning review", "",
             "The board considered the review's six recommendations on 3 September 2025.", ""]
    for number, answer in returns.BOARD_RESPONSE:
        lines += [f"## Recommendation {number}", "", texts[number], "", f"Response: {answer}", ""]
    (out / "northmere-board-response.md").write_text("\n".join(lines), encoding="utf-8")


# -- review.yaml -------------------------------------------------------------------------
def earlier_review() -> dict:
    """The 2023 review, published and followed up by two stocktake cycles."""
    return {
        "review": followup.REVIEW,
        "members": followup.MEMBERS,
        "submissions": [{"organisation": o, "findings": [
            {"domain": d, "section": s, "text": t} for d, s, t in items]}
            for o, items in followup.SUBMISSIONS],
        "recommendations": [
            {"number": n, "text": t, "section": s, "theme": th, "owner": o, "lead_contact": lead,
             "due_date": due, "per_system": per_system, "evidence": ev}
            for n, t, s, th, o, lead, due, per_system, ev in followup.RECOMMENDATIONS],
        "publish_reason": followup.PUBLISH_REASON,
        "cycles": [{**c, "decisions": [{"innovation": i, "outcome": o, "rationale": r}
                                       for i, o, r in c["decisions"]]}
                   for c in followup.CYCLES],
    }


def review_yaml() -> str:
    def org(entry):
        name, short, kind, aliases = entry
        return {"name": name, "short_name": short, "type": kind, "aliases": aliases}

    data = {
        "review": region.REVIEW,
        "region": {**region.REGION,
                   "systems": [{"name": s["name"], "short_name": s["short_name"], "aliases": s["aliases"],
                                "places": [{"name": p["name"], "organisations": [org(o) for o in p["organisations"]]}
                                           for p in s["places"]]} for s in region.SYSTEMS],
                   "organisations": [org(o) for o in region.REGIONAL_ORGANISATIONS]},
        "participants": [{"organisation": o, "contact_name": n, "contact_email": e}
                         for o, n, e in region.PARTICIPANTS],
        "personas": region.PERSONAS,
        "recommendations": [{"number": n, "text": t, "section": s, "theme": th, "owner": o,
                             "evidence": ev}
                            for n, t, s, th, o, ev in region.RECOMMENDATIONS],
        "memos": MEMOS,
        "drafts": [{"organisation": o, "sections": [{"domain": d, "kind": k, "text": t}
                                                    for d, k, t in sections]}
                   for o, sections in region.DRAFTS],
        "reflection_sessions": sessions.SESSIONS,
        "report": {
            "summary": report.SUMMARY, "method_note": report.METHOD_NOTE,
            "narratives": report.NARRATIVES,
            "observations": [{"theme": theme, "text": text} for theme, text in report.OBSERVATIONS],
            "leads": [{"number": n, "lead_contact": lead, "due_date": due}
                      for n, (lead, due) in report.LEADS.items()],
            "case_studies": report.CASE_STUDIES,
        },
        "innovations": [{"organisation": o, "unit": u, "place": p, "title": t, "what_changed": w,
                         "since": s, "lead": lead, "benefits": b, "risks": r, "support": sup}
                        for o, u, p, t, w, s, lead, b, r, sup in innovations.INNOVATIONS],
        "golden_threads": [{"register": reg, "name": n, "description": d, "innovations": ts}
                           for reg, n, d, ts in innovations.GOLDEN_THREADS],
        "evaluation": {
            **innovations.EVALUATION,
            "measures": [{**m, "values": [list(v) for v in m["values"]]}
                         for m in innovations.EVALUATION["measures"]],
            "decision": {**innovations.EVALUATION["decision"], "scores": {
                key: {"score": score, "note": note} for key, (score, note)
                in innovations.EVALUATION["decision"]["scores"].items()}},
            "adoptions": [{"organisation": o, "status": st, "note": n}
                          for o, st, n in innovations.EVALUATION["adoptions"]],
        },
        "staff_learning": {
            "questionnaire": staff_learning.QUESTIONNAIRE,
            "responses": [{"organisation": o, "answers": [{"domain": d, "kind": k, "text": t}
                                                          for d, k, t in answers]}
                          for o, answers in staff_learning.RESPONSES],
            "team_notes": [{"organisation": o, "team": team,
                            "notes": [{"domain": d, "kind": k, "text": t} for d, k, t in notes]}
                           for o, team, notes in staff_learning.TEAM_NOTES],
        },
    }
    data["earlier_review"] = earlier_review()
    header = ("# The Northmere example review (invented). Generated by examples/generate.py;\n"
              "# edit the content modules there, not this file.\n")
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def generate(out: Path) -> list[Path]:
    submissions = out / "submissions"
    submissions.mkdir(parents=True, exist_ok=True)
    (out / "review.yaml").write_text(review_yaml(), encoding="utf-8")
    write_docx_files(submissions)
    write_workbook(submissions)
    write_csv(submissions)
    write_plain_text(submissions)
    write_pdf_export(submissions)
    write_markdown(submissions)
    write_system_returns(submissions)
    responses = out / "responses"
    responses.mkdir(exist_ok=True)
    write_board_response(responses)
    return sorted(p for p in out.rglob("*") if p.is_file())


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "northmere"
    for written in generate(target):
        print(written)
