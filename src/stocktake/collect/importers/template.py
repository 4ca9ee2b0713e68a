"""The Word submission template: made for one review, filled in by a contributor, read back.

Plain Python (no Django). :func:`build` writes the template for a review's framework
and dates; :func:`identity` says whether a .docx is such a template (its custom
document properties, or the core properties' keywords when another editor dropped
those); :func:`read` turns a filled-in template into findings and examples.

Every answer is placed by the template's own markers, not by guessing:

- each domain's Heading 1 carries a bookmark ``stk_d<N>`` and each prompt's Heading 2
  a bookmark ``stk_d<N>_<kind>`` (Word allows letters, digits and underscores only);
  the custom property ``stocktake-domain-<N>`` says which domain key and name N is;
- guidance paragraphs have the style ``Stocktake guidance`` and are never answers;
- the "About you" answers sit under headings bookmarked ``stk_org`` and ``stk_system``
  (and, in a team conversation's notes template, ``stk_team``: its findings' locations
  then begin with the team's name);
- the best-practice table sits under the heading bookmarked ``stk_examples``.

Bookmarks, styles and properties survive a re-save by Word or LibreOffice. Where a
heading lost its bookmark (retyped by the contributor), its text is matched as any
Word heading is (:class:`~.matching.DomainMatcher`, :func:`~.matching.match_section`).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from stocktake.collect.importers.errors import EmptyFile
from stocktake.collect.importers.matching import DomainMatcher, match_section
from stocktake.collect.importers.model import ExtractedExample, ExtractedFinding, Extraction
from stocktake.collect.importers.segment import clean, strip_bullet

MARKER = "stocktake-template:v1"
SUBMISSION, TEAM_NOTES = "submission", "team-notes"  # the kinds of template
GUIDANCE_STYLE = "Stocktake guidance"
ANSWER_STYLE = "Stocktake answer"
# The prompts of each domain, in order: (section kind, heading, guidance).
PROMPTS: tuple[tuple[str, str, str], ...] = (
    ("achievements", "Key achievements",
     "What went well. Write each point as its own paragraph or bullet."),
    ("challenges", "Challenges", "What was hard, and why. One point per paragraph or bullet."),
    ("learning", "Significant learning", "What you learned that others should know."),
    ("examples", "Examples of innovation or good practice",
     "Each example in its own paragraph: a short title, a colon, then what was done and what "
     "difference it made. Or put it in the best-practice table at the end, not in both."),
    ("keep", "What should be kept", "What you started or changed that should carry on."),
)
KINDS = tuple(kind for kind, _, _ in PROMPTS)
INSTRUCTIONS = (
    "Write your answers in the boxes under each heading. Put each point in its own paragraph "
    "or bullet: each becomes a separate finding. Leave a box empty if it does not apply.",
    "Keep the headings as they are: they tell the review team where each answer belongs.",
    "Do not include patients' names, NHS numbers or other personal details.",
    "When you have finished, save the document as a Word file (.docx) and send it to the "
    "review team.",
)
NOTES_INSTRUCTIONS = (
    "The note-taker writes what the team said in the boxes under each heading, one point per "
    "paragraph or bullet: each becomes a separate finding of your team.",
    "Keep the headings as they are: they tell the review team where each point belongs.",
    "Do not write anyone's name, patients' details or NHS numbers: record what was learned, "
    "not who said it.",
    "Save the document as a Word file (.docx) and upload it on the review's Staff learning "
    "page, or send it to the review team.",
)
ABOUT_TEAM = "The team, ward or service that held the conversation."
ABOUT_ORGANISATION = "The full name of the organisation this submission is from."
ABOUT_SYSTEM = "The system your organisation is part of, if any."
ADD_ROWS = "Add rows to the table if you need more."
# Guidance that lost its style (pasted elsewhere and back) is still not an answer.
_GUIDANCE = {clean(t).lower() for t in (*INSTRUCTIONS, *NOTES_INSTRUCTIONS, ABOUT_ORGANISATION,
                                        ABOUT_SYSTEM, ABOUT_TEAM, ADD_ROWS,
                                        *(hint for _, _, hint in PROMPTS))}
# What people write in a box that does not apply.
_NOTHING = re.compile(r"^(?:n/?a|none|nil|nothing( to (?:add|report|say))?|not applicable|no "
                      r"comments?|tbc|tbd|-+|\.+)\.?$", re.I)
EXAMPLE_COLUMNS = ("Title", "Organisation", "Synopsis", "Domain")
EXAMPLE_ROWS = 5
EXAMPLE_WIDTHS_CM = (3.5, 3.5, 7.0, 3.0)
TABLE_LOCATION = "best-practice table"  # how the table's rows' locations begin

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
_VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_BOOKMARK = re.compile(r"^stk_(?:d(?P<domain>\d+)(?:_(?P<kind>[a-z]+))?|(?P<part>about|org|system|team|examples))$")
# LibreOffice writes the keywords back with the colon as a space: match either.
_REVIEW_IN_KEYWORDS = re.compile(r"stocktake-template[:\s]+v1[,;\s]+review=(?P<slug>[\w-]+)")


@dataclass(frozen=True)
class TemplateDomain:
    key: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class TemplateSpec:
    """What a template is made from: the review, its dates, its domains, who fills it in."""

    review_slug: str
    review_title: str
    domains: tuple[TemplateDomain, ...]
    dates: str = ""  # "Submissions open 1 March 2026 and close 30 April 2026."
    scope: str = ""  # what the review covers
    organisation: str = ""
    system: str = ""
    kind: str = SUBMISSION  # or TEAM_NOTES: a team conversation's notes
    team: str = ""
    # Answers already written in: {(domain key, section kind): [paragraphs]} (a filled-in copy)
    answers: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        if self.kind == TEAM_NOTES:
            return f"Team conversation notes: {self.review_title}"
        return f"Submission to {self.review_title}"


@dataclass
class TemplateIdentity:
    """What a .docx says about the template it was made from."""

    review: str  # the review's slug
    kind: str = SUBMISSION
    domains: dict[int, tuple[str, str]] = field(default_factory=dict)  # N -> (key, name)


# -- making the template ---------------------------------------------------------------------


def build(spec: TemplateSpec) -> bytes:
    """The template as .docx bytes."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Cm, Pt, RGBColor

    document = Document()
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(12)
    _language(document, "en-GB")
    # NHS dark blue and NHS blue: over 4.5:1 on white at any size (Word's light blues are not).
    for name, size, colour in (("Title", 26, (0x00, 0x30, 0x87)), ("Heading 1", 18, (0x00, 0x30, 0x87)),
                               ("Heading 2", 13, (0x00, 0x5E, 0xB8))):
        styles[name].font.size = Pt(size)
        styles[name].font.color.rgb = RGBColor(*colour)
    styles["Heading 1"].paragraph_format.space_before = Pt(24)
    guidance = styles.add_style(GUIDANCE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    guidance.base_style = normal
    guidance.font.color.rgb = RGBColor(0x4C, 0x62, 0x72)  # NHS secondary text: 6:1 on white
    guidance.paragraph_format.space_after = Pt(6)
    guidance.paragraph_format.keep_with_next = True  # never apart from the box it explains
    answer = styles.add_style(ANSWER_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    answer.base_style = normal
    answer.next_paragraph_style = answer
    answer.paragraph_format.space_after = Pt(6)
    _box(answer)

    section = document.sections[0]  # A4, 2 cm margins: 17 cm of text
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2)
    marks = _Bookmarks()
    notes = spec.kind == TEAM_NOTES
    document.add_heading(spec.title, level=0)
    for line in (spec.dates, spec.scope):
        if line:
            document.add_paragraph(line, style=GUIDANCE_STYLE)
    for line in NOTES_INSTRUCTIONS if notes else INSTRUCTIONS:
        document.add_paragraph(line, style=GUIDANCE_STYLE)

    marks.add(document.add_heading("About you", level=1), "stk_about")
    marks.add(document.add_heading("Organisation", level=2), "stk_org")
    document.add_paragraph(ABOUT_ORGANISATION, style=GUIDANCE_STYLE)
    document.add_paragraph(spec.organisation, style=ANSWER_STYLE)
    if notes:
        marks.add(document.add_heading("Team", level=2), "stk_team")
        document.add_paragraph(ABOUT_TEAM, style=GUIDANCE_STYLE)
        document.add_paragraph(spec.team, style=ANSWER_STYLE)
    else:
        marks.add(document.add_heading("Integrated care system", level=2), "stk_system")
        document.add_paragraph(ABOUT_SYSTEM, style=GUIDANCE_STYLE)
        document.add_paragraph(spec.system, style=ANSWER_STYLE)

    for number, domain in enumerate(spec.domains, start=1):
        marks.add(document.add_heading(domain.name, level=1), f"stk_d{number}")
        if domain.description:
            document.add_paragraph(domain.description, style=GUIDANCE_STYLE)
        for kind, heading, hint in PROMPTS:
            marks.add(document.add_heading(heading, level=2), f"stk_d{number}_{kind}")
            document.add_paragraph(hint, style=GUIDANCE_STYLE)
            for text in spec.answers.get((domain.key, kind)) or [""]:
                document.add_paragraph(text, style=ANSWER_STYLE)

    if not notes:
        _examples_section(document, spec, marks)
    _properties(document, spec)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _examples_section(document, spec: TemplateSpec, marks) -> None:
    marks.add(document.add_heading("Best-practice examples", level=1), "stk_examples")
    names = ", ".join(d.name for d in spec.domains)
    document.add_paragraph(
        "One example per row: a short title, the organisation (leave it empty for your own), "
        "a synopsis of what was done and what difference it made, and the domain it belongs to"
        + (f" ({names})." if names else "."), style=GUIDANCE_STYLE)
    document.add_paragraph(ADD_ROWS, style=GUIDANCE_STYLE)
    _examples_table(document)


class _Bookmarks:
    def __init__(self):
        self.next_id = 100

    def add(self, paragraph, name: str) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        start.set(qn("w:id"), str(self.next_id))
        start.set(qn("w:name"), name)
        end.set(qn("w:id"), str(self.next_id))
        self.next_id += 1
        p = paragraph._p
        ppr = p.pPr
        p.insert(p.index(ppr) + 1 if ppr is not None else 0, start)
        p.append(end)


def _language(document, tag: str) -> None:
    """The document's language (for spelling and screen readers' voices)."""
    from docx.oxml.ns import qn

    for lang in document.styles.element.iter(qn("w:lang")):
        lang.set(qn("w:val"), tag)
        lang.set(qn("w:eastAsia"), tag)


def _box(style) -> None:
    """A border round the answer paragraphs: adjacent ones join into one box."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        for attr, value in (("val", "single"), ("sz", "8"), ("space", "4"), ("color", "425563")):
            edge.set(qn(f"w:{attr}"), value)
        borders.append(edge)
    ppr.append(borders)


def _examples_table(document) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = document.add_table(rows=1 + EXAMPLE_ROWS, cols=len(EXAMPLE_COLUMNS))
    table.style = "Table Grid"
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, EXAMPLE_WIDTHS_CM, strict=True):
            cell.width = Cm(width)
    for row in table.rows[1:]:
        row.height = Cm(1.2)  # room to write in; rows still grow with their text
    for cell, title in zip(table.rows[0].cells, EXAMPLE_COLUMNS, strict=True):
        cell.text = title
        for run in cell.paragraphs[0].runs:
            run.bold = True
    # The header row repeats on each page and is announced as headers by screen readers.
    trpr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)
    tblpr = table._tbl.tblPr
    for tag, text in (("w:tblCaption", "Best-practice examples"),
                      ("w:tblDescription", "One example per row: title, organisation, synopsis "
                                           "and domain.")):
        element = OxmlElement(tag)
        element.set(qn("w:val"), text)
        tblpr.append(element)


def _properties(document, spec: TemplateSpec) -> None:
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    core = document.core_properties
    core.title = spec.title
    core.subject = (f"{spec.review_title}: team conversation notes" if spec.kind == TEAM_NOTES
                    else f"{spec.review_title}: submission template")
    core.keywords = f"{MARKER} review={spec.review_slug}"
    core.author = "stocktake"
    core.language = "en-GB"
    values = {"stocktake-template": "v1", "stocktake-review": spec.review_slug,
              "stocktake-kind": spec.kind}
    for number, domain in enumerate(spec.domains, start=1):
        values[f"stocktake-domain-{number}"] = f"{domain.key}|{domain.name}"[:255]
    root = ElementTree.Element(f"{_CUSTOM}Properties")
    for pid, (name, value) in enumerate(values.items(), start=2):
        prop = ElementTree.SubElement(root, f"{_CUSTOM}property", {
            "fmtid": "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}", "pid": str(pid), "name": name})
        ElementTree.SubElement(prop, f"{_VT}lpwstr").text = value
    ElementTree.register_namespace("", _CUSTOM[1:-1])
    ElementTree.register_namespace("vt", _VT[1:-1])
    blob = ElementTree.tostring(root, xml_declaration=True, encoding="UTF-8")
    part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, blob,
                document.part.package)
    document.part.package.relate_to(part, RT.CUSTOM_PROPERTIES)


# -- recognising one ---------------------------------------------------------------------------


def identity(path: Path) -> TemplateIdentity | None:
    """The template a .docx was made from, or None if it is not a stocktake template."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            custom = archive.read("docProps/custom.xml") if "docProps/custom.xml" in names else None
            core = archive.read("docProps/core.xml") if "docProps/core.xml" in names else None
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    values: dict[str, str] = {}
    if custom:
        try:
            root = ElementTree.fromstring(custom)
        except ElementTree.ParseError:
            root = None
        for prop in root.iter(f"{_CUSTOM}property") if root is not None else ():
            values[prop.get("name", "")] = "".join(prop.itertext()).strip()
    found: TemplateIdentity | None = None
    if values.get("stocktake-template") == "v1" and values.get("stocktake-review"):
        found = TemplateIdentity(review=values["stocktake-review"],
                                 kind=values.get("stocktake-kind") or SUBMISSION)
    elif core:
        try:
            keywords = ElementTree.fromstring(core).findtext(f"{_CP}keywords") or ""
        except ElementTree.ParseError:
            keywords = ""
        match = _REVIEW_IN_KEYWORDS.search(keywords)
        if match:
            found = TemplateIdentity(review=match["slug"])
    if found is None:
        return None
    for name, value in values.items():
        number = re.fullmatch(r"stocktake-domain-(\d+)", name)
        if number and "|" in value:
            key, label = value.split("|", 1)
            found.domains[int(number[1])] = (key.strip(), label.strip())
    return found


# -- reading one back ----------------------------------------------------------------------------


def _bookmarks(element) -> list[str]:
    return [b.get(f"{_W}name", "") for b in element.iter(f"{_W}bookmarkStart")]


def example_parts(text: str, limit: int = 120) -> tuple[str, str]:
    """(title, synopsis) of an example written in a paragraph: "Title: what was done" split at
    the colon; otherwise its first sentence (cut at a word) as the title, all of it as synopsis."""
    head, colon, rest = text.partition(":")
    if colon and rest.strip() and len(head.split()) <= 12:
        return head.strip(), rest.strip()
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].rstrip(".")
    if len(first) > limit:
        first = first[:limit].rsplit(" ", 1)[0] + "…"
    return first, text


def _text(element) -> str:
    """The text of a paragraph element, tracked insertions and content controls included
    (python-docx's ``Paragraph.text`` leaves out text typed with Track Changes on); deleted
    text (``w:delText``) and field codes are not ``w:t``, so they stay out."""
    parts = []
    for node in element.iter(f"{_W}t", f"{_W}br", f"{_W}cr", f"{_W}tab"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        else:
            parts.append("\n" if node.tag != f"{_W}tab" else " ")
    return "".join(parts)


def _lines(element) -> list[str]:
    """A paragraph's answers, one per line (a line break inside a paragraph splits items);
    guidance and "N/A"-like fillers are none."""
    found = []
    for line in _text(element).split("\n"):
        _, body = strip_bullet(clean(line))
        if body and body.lower() not in _GUIDANCE and not _NOTHING.match(body):
            found.append(body)
    return found


class _Reader:
    def __init__(self, extraction: Extraction, matcher: DomainMatcher, ident: TemplateIdentity):
        self.x = extraction
        self.matcher = matcher
        self.ident = ident
        self.review_keys = {key for key, _ in matcher.domains}
        self.area: str | None = None  # None (title, instructions), about, domain, examples
        self.field: str | None = None  # org or system in "About you"
        self.domain: str | None = None
        self.domain_label = ""
        self.section = "general"
        self.heading = ""
        self.outer = ""  # the domain's heading, as the contributor left it
        self.counts: dict[tuple, int] = {}
        self.about: dict[str, str] = {}
        self.unknown: set[str] = set()
        self.examples_tables = 0

    # -- where answers belong
    def domain_for(self, number: int, heading: str) -> str | None:
        """The review's domain for the template's domain N: by key, else by name, else by
        the heading's text."""
        key, name = self.ident.domains.get(number, ("", ""))
        if key in self.review_keys and self.matcher.match(name) in (key, None):
            return key
        return self.matcher.match(name) or self.matcher.match(heading)

    def on_heading(self, text: str, level: int, marks: list[str]) -> None:
        self.heading = text
        if level <= 1:
            self.outer = text
        for mark in marks:
            match = _BOOKMARK.match(mark)
            if not match:
                continue
            if match["part"] == "about":
                self.area, self.field = "about", None
            elif match["part"] in ("org", "system", "team"):
                self.area, self.field = "about", match["part"]
            elif match["part"] == "examples":
                self.area, self.domain = "examples", None
            elif match["kind"]:
                number = int(match["domain"])
                if self.area != "domain" or self.domain_label != f"d{number}":
                    self._enter_domain(number, text if level <= 1 else "")
                self.section = match["kind"] if match["kind"] in KINDS else "general"
            else:
                self._enter_domain(int(match["domain"]), text)
            return
        if level <= 1 and text.strip().lower() == "about you":
            self.area, self.field = "about", None
            return
        if level <= 1:
            domain = self.matcher.match(text)
            if domain:
                self.area, self.domain, self.domain_label, self.section = "domain", domain, text, "general"
            elif re.search(r"\b(best|good)[- ]practice|\bexamples?\b", text, re.I):
                self.area, self.domain = "examples", None
            elif self.area == "domain":
                self.section = "general"  # an added heading: its text stays in the domain
            else:
                self.area = None
            return
        if self.area == "about":
            lowered = text.lower()
            self.field = ("system" if "system" in lowered else "org" if "organisation" in lowered
                          else "team" if "team" in lowered else None)
        elif self.area == "domain":
            self.section = match_section(text) or "general"

    def _enter_domain(self, number: int, heading: str) -> None:
        self.area, self.domain_label, self.section = "domain", f"d{number}", "general"
        self.domain = self.domain_for(number, heading)
        if self.domain is None:
            name = self.ident.domains.get(number, ("", heading or f"domain {number}"))[1]
            if name not in self.unknown:
                self.unknown.add(name)
                self.x.problem(f"heading '{heading or name}'",
                               f"the template's domain '{name}' is not in this review's "
                               "framework; its answers were imported without a domain")

    def on_text(self, lines: list[str]) -> None:
        if self.area == "about" and self.field and self.field not in self.about:
            value = re.sub(r"(?i)^(organisation|system|integrated care system|team)\s*(name)?"
                           r"\s*:\s*", "", " ".join(lines)).strip()
            if value:
                self.about[self.field] = value
        elif self.area == "domain":
            for line in lines:
                key = (self.domain_label, self.section)
                self.counts[key] = self.counts.get(key, 0) + 1
                location = self._where(self.counts[key])
                self.x.findings.append(ExtractedFinding(
                    text=line, organisation=None, system=None, domain=self.domain,
                    section=self.section, location=location))
                if self.section == "examples":  # as the web form: each is an example too
                    title, synopsis = example_parts(line)
                    self.x.examples.append(ExtractedExample(
                        title=title, synopsis=synopsis, domain=self.domain, organisation=None,
                        system=None, location=location))

    def on_table(self, rows: list[list[str]]) -> None:
        if not rows:
            return
        header = [clean(c).lower() for c in rows[0]]
        is_examples = (self.area == "examples"
                       or ("title" in header and any("synops" in h for h in header)))
        if is_examples:
            self._examples(rows)
        elif self.area == "domain":  # a table added inside an answer: its cells are answers
            for row in rows:
                for cell in row:
                    self.on_text([line for line in (strip_bullet(clean(t))[1]
                                                    for t in cell.split("\n")) if line])

    def _where(self, number: int) -> str:
        if self.outer and self.outer != self.heading:
            return f"heading '{self.outer}' › '{self.heading}' › answer {number}"
        return f"heading '{self.heading}' › answer {number}"

    def _examples(self, rows: list[list[str]]) -> None:
        self.examples_tables += 1
        header = [clean(c).lower() for c in rows[0]]

        def column(*words: str, default: int) -> int | None:
            for index, text in enumerate(header):
                if any(w in text for w in words):
                    return index
            return default if default < len(header) else None

        title_at = column("title", "name of", default=0)
        org_at = column("organisation", "organization", "provider", default=1)
        synopsis_at = column("synops", "summary", "description", "what", default=2)
        domain_at = column("domain", default=3)
        for number, row in enumerate(rows[1:], start=2):
            def cell(index: int | None) -> str:
                return clean(row[index]) if index is not None and index < len(row) else ""

            title, synopsis = cell(title_at), cell(synopsis_at)
            if not (title or synopsis):
                continue
            if not title:
                title = example_parts(synopsis)[0]
            domain_text = cell(domain_at)
            domain = self.matcher.match(domain_text) if domain_text else None
            location = f"{TABLE_LOCATION} › row {number}"
            if domain_text and domain is None:
                self.x.problem(location, f"'{domain_text}' is not one of this review's domains; "
                                         "the example was kept without one")
            self.x.examples.append(ExtractedExample(
                title=title, synopsis=synopsis, domain=domain,
                organisation=cell(org_at) or None, system=None, location=location))

    def finish(self) -> Extraction:
        organisation, system = self.about.get("org"), self.about.get("system")
        team = self.about.get("team", "")[:120]
        self.x.team = team
        for finding in self.x.findings:
            finding.organisation, finding.system = organisation, system
            if team:
                finding.location = f"team '{team}' › {finding.location}"
        for example in self.x.examples:
            if team:
                example.location = f"team '{team}' › {example.location}"
            if example.organisation is None or example.organisation == organisation:
                example.organisation, example.system = organisation, system
            self.x.add_organisation(example.organisation, example.system)
        self.x.add_organisation(organisation, system)
        if not (self.x.findings or self.x.examples):
            raise EmptyFile(self.x.file, "the template has no answers; write them in the boxes "
                                         "under the headings, save it and upload it again")
        if organisation is None:
            self.x.problem("heading 'About you'", "the template does not name its organisation "
                                                  "(choose it when importing)")
        return self.x


def _blocks(parent):
    """Paragraphs, tables and bookmarks in order, inside block content controls too."""
    for element in parent.iterchildren():
        if element.tag in (f"{_W}sdt", f"{_W}customXml"):
            content = element.find(f"{_W}sdtContent") if element.tag == f"{_W}sdt" else element
            if content is not None:
                yield from _blocks(content)
        else:
            yield element


def read(path: Path, extraction: Extraction, matcher: DomainMatcher,
         ident: TemplateIdentity) -> Extraction:
    """A filled-in template's answers as findings (each in its domain and section) and the
    best-practice table's rows as examples; the organisation from "About you"."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = Document(str(path))
    extraction.template, extraction.template_kind = ident.review, ident.kind
    reader = _Reader(extraction, matcher, ident)
    body = document.element.body
    pending: list[str] = []  # bookmarks standing between paragraphs apply to the next one
    for element in _blocks(body):
        if element.tag == f"{_W}bookmarkStart":
            pending.append(element.get(f"{_W}name", ""))
        elif element.tag == f"{_W}p":
            paragraph = Paragraph(element, document._body)
            style = paragraph.style.name if paragraph.style is not None else ""
            marks = pending + _bookmarks(element)
            pending = []
            heading = re.match(r"(?i)^heading\s*(\d)", style)
            if heading or style.lower() == "title":
                text = clean(_text(element))
                if text or marks:
                    reader.on_heading(text, int(heading[1]) if heading else 0, marks)
            elif style != GUIDANCE_STYLE:
                lines = _lines(element)
                if lines:
                    reader.on_text(lines)
        elif element.tag == f"{_W}tbl":
            table = Table(element, document._body)
            rows = [["\n".join(_text(p) for p in cell._tc.iter(f"{_W}p")) for cell in row.cells]
                    for row in table.rows]
            reader.on_table(rows)
    return reader.finish()
