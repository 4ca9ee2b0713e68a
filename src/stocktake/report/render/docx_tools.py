"""Word building blocks python-docx lacks or makes slow: styles, fields (table of contents,
page numbers), hyperlinks, restarted numbered lists, fast tables with a repeated header
row, and pictures with alt text. Used by :mod:`.docx` and :mod:`.docx_narrative`.

Appending is linear: paragraphs go straight onto the end of the body (the section
properties are put back last, :class:`Writer`), and table rows are made without
python-docx's whole-table cell lookups, so a report with thousands of rows stays fast.
"""

from __future__ import annotations

import io

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from PIL import Image

BLUE, GREY, TEXT = RGBColor(0x00, 0x5E, 0xB8), RGBColor(0x4C, 0x62, 0x72), RGBColor(0x21, 0x2B, 0x32)
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(21.0), Cm(29.7), Cm(2.0)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
MAX_PICTURE_HEIGHT = Cm(22.0)


def add_text(paragraph: Paragraph, text: str) -> Run:
    """A run of plain text (python-docx's ``add_run`` reads the text a character at a time,
    to turn tabs and line breaks into elements; only text with those needs that)."""
    if "\t" in text or "\n" in text or "\r" in text:
        return paragraph.add_run(text)
    r = paragraph._p.add_r()
    r.add_t(text)
    return Run(r, paragraph)


def setup_styles(doc: Document, *, language: str) -> None:
    """Body font and language, heading colours, and the report's own styles."""
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attribute in ("w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), "Arial")
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)
    lang.set(qn("w:bidi"), language)
    rpr.append(lang)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "TOC Heading"):
        styles[name].font.name = "Arial"
        styles[name].font.color.rgb = TEXT if name == "Title" else BLUE
    _paragraph_style(styles, "Recommendation Number", bold=True, colour=BLUE, keep=True,
                     before=Pt(10), after=Pt(2))
    _paragraph_style(styles, "Recommendation", keep=True)
    _paragraph_style(styles, "Details", size=Pt(9.5), colour=GREY, after=Pt(2))
    _paragraph_style(styles, "Quote Source", size=Pt(9.5), colour=GREY, after=Pt(10))
    _paragraph_style(styles, "Warning", bold=True, colour=RGBColor(0xD5, 0x28, 0x1B))
    _paragraph_style(styles, "Table Text", size=Pt(9.5), after=Pt(0))
    _paragraph_style(styles, "Table Text Small", size=Pt(7.5), after=Pt(0))
    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb, link.font.underline = BLUE, True


def _paragraph_style(styles, name, *, bold=False, colour=None, size=None, keep=False,
                     before=None, after=None):
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    style.quick_style = True
    style.font.bold = bold or None
    if colour is not None:
        style.font.color.rgb = colour
    if size is not None:
        style.font.size = size
    style.paragraph_format.keep_with_next = keep or None
    if before is not None:
        style.paragraph_format.space_before = before
    if after is not None:
        style.paragraph_format.space_after = after
    return style


def setup_page(doc: Document, *, running_title: str, stamp: str) -> None:
    """A4 with 2 cm margins; the title and version in the header, "Page N of M" in the footer."""
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    header.add_run(f"{running_title} · {stamp}").font.size = Pt(8.5)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ").font.size = Pt(8.5)
    add_field(footer, "PAGE", "1")
    footer.add_run(" of ").font.size = Pt(8.5)
    add_field(footer, "NUMPAGES", "1")


def _fld_char(kind: str, *, dirty: bool = False):
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    if dirty:
        element.set(qn("w:dirty"), "true")
    return element


def add_field(paragraph: Paragraph, instruction: str, shown: str, *, dirty: bool = False) -> None:
    """A complex field (PAGE, TOC …) with ``shown`` as its result until Word updates it."""
    begin = paragraph.add_run()
    begin._r.append(_fld_char("begin", dirty=dirty))
    instr = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    instr._r.append(text)
    paragraph.add_run()._r.append(_fld_char("separate"))
    paragraph.add_run(shown)
    paragraph.add_run()._r.append(_fld_char("end"))


def update_fields_on_open(doc: Document) -> None:
    """Ask Word to update fields (the table of contents, page counts) when the file opens."""
    element = OxmlElement("w:updateFields")
    element.set(qn("w:val"), "true")
    doc.settings.element.append(element)


def add_hyperlink(paragraph: Paragraph, url: str):
    """An external hyperlink element in ``paragraph``; runs go inside it (:func:`link_run`)."""
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    element = OxmlElement("w:hyperlink")
    element.set(qn("r:id"), r_id)
    paragraph._p.append(element)
    return element


def link_run(hyperlink, paragraph: Paragraph, text: str) -> Run:
    element = OxmlElement("w:r")
    hyperlink.append(element)
    run = Run(element, paragraph)
    run._r.get_or_add_rPr().style = "Hyperlink"  # the style id setup_styles adds
    run.text = text
    return run


def restarted_numbering(doc: Document, style_name: str, start: int = 1) -> int:
    """A new list numbering (numId) like ``style_name``'s, starting again at ``start``."""
    style = doc.styles[style_name]
    num_id = style.element.pPr.numPr.numId.val
    numbering = doc.part.numbering_part.element
    abstract = next(n.abstractNumId.val for n in numbering.num_lst if n.numId == num_id)
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return num.numId


def set_numbering(paragraph: Paragraph, num_id: int, level: int = 0) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


class Writer:
    """Appends to the document body in constant time per paragraph (see the module's note)."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.body = doc.element.body
        self._sect = self.body.sectPr
        self.body.remove(self._sect)
        self._styles: dict[str, str] = {}

    def style_id(self, name: str) -> str:
        if name not in self._styles:
            self._styles[name] = self.doc.styles[name].style_id
        return self._styles[name]

    def set_style(self, paragraph: Paragraph, name: str) -> None:
        """Set a paragraph's style by id (python-docx's setter searches every style each time)."""
        if name != "Normal":
            paragraph._p.get_or_add_pPr().style = self.style_id(name)

    def paragraph(self, text: str = "", style: str = "Normal") -> Paragraph:
        element = OxmlElement("w:p")
        self.body.append(element)
        paragraph = Paragraph(element, self.doc._body)
        self.set_style(paragraph, style)
        if text:
            add_text(paragraph, text)
        return paragraph

    def heading(self, text: str, level: int, *, new_page: bool = False) -> Paragraph:
        paragraph = self.paragraph(text, "Title" if level == 0 else f"Heading {level}")
        if new_page:
            paragraph.paragraph_format.page_break_before = True
        return paragraph

    def table(self, headers: list[str], rows, *, widths: list[float], numeric=(),
              caption: str = "", header_style: str = "Table Text") -> Table:
        """A real table: a bold header row repeated on each page, then ``rows`` of cells.

        A cell is a string, or a list of (text, style) paragraphs.
        """
        if caption:
            self.paragraph(caption, "Caption").paragraph_format.keep_with_next = True
        element = CT_Tbl.new_tbl(0, len(headers), TEXT_WIDTH)
        self.body.append(element)
        tbl = Table(element, self.doc._body)
        tbl._tbl.tblPr.style = self.style_id("Table Grid")
        tbl.alignment = WD_TABLE_ALIGNMENT.LEFT
        total = sum(widths)
        column_widths = [int(TEXT_WIDTH * w / total) for w in widths]
        for column, width in zip(tbl.columns, column_widths):
            column.width = width
        head = self._row(tbl, column_widths)
        tr_pr = head._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
        for index, (cell, text) in enumerate(zip(head.cells, headers)):
            self._fill(cell, [(text, header_style)], index in numeric, bold=True)
        for row in rows:
            cells = self._row(tbl, column_widths).cells
            for index, (cell, value) in enumerate(zip(cells, row)):
                self._fill(cell, value, index in numeric)
        return tbl

    def _row(self, tbl: Table, widths):
        row = tbl.add_row()
        for tc, width in zip(row._tr.tc_lst, widths):
            tc.width = width
        return row

    def _fill(self, cell: _Cell, value, right: bool, *, bold: bool = False) -> None:
        parts = [(value, "Table Text")] if isinstance(value, str) else value
        first = cell.paragraphs[0]
        for index, (text, style) in enumerate(parts):
            paragraph = first if index == 0 else cell.add_paragraph()
            self.set_style(paragraph, style)
            run = add_text(paragraph, str(text))
            if bold:
                run.bold = True
            if right:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def picture(self, png: bytes, *, title: str, alt: str) -> None:
        """A chart image, as wide as the text (shorter where it would be taller than a page),
        with its title and description as the picture's alt text (docPr title and descr)."""
        width_px, height_px = Image.open(io.BytesIO(png)).size
        width = TEXT_WIDTH
        if width * height_px / width_px > MAX_PICTURE_HEIGHT:
            width = int(MAX_PICTURE_HEIGHT * width_px / height_px)
        paragraph = self.paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        shape = paragraph.add_run().add_picture(io.BytesIO(png), width=width)
        shape._inline.docPr.set("title", title)
        shape._inline.docPr.set("descr", f"{title}. {alt}")

    def finish(self) -> None:
        self.body.append(self._sect)
