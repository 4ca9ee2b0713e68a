"""Narrative HTML (the sanitised tag set of core/richtext.ALLOWED_TAGS) as Word paragraphs.

h3 and h4 become Heading 2 and 3 (the HTML report's h2 sections are Heading 1),
p paragraphs, ul/ol real Word lists (each ordered list numbered from its own
start), blockquote the Quote style, strong/em/code bold, italic and a fixed-width
font, a an external hyperlink, br a line break. The HTML is cleaned again first
(:func:`~stocktake.report.render.common.clean_narrative`), so nothing else arrives.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from stocktake.report.render.common import clean_narrative
from stocktake.report.render.docx_tools import (
    Writer,
    add_hyperlink,
    link_run,
    restarted_numbering,
    set_numbering,
)

HEADING_LEVELS = {"h3": 2, "h4": 3}
WHITESPACE = re.compile(r"\s+")
BLOCKS = {"p", "h3", "h4", "li", "blockquote", "ul", "ol"}


class _Narrative(HTMLParser):
    def __init__(self, writer: Writer):
        super().__init__(convert_charrefs=True)
        self.writer = writer
        self.paragraph = None
        self.lists: list[tuple[str, int | None]] = []  # ("ul"|"ol", numId)
        self.quote_depth = 0
        self.bold = self.italic = self.code = 0
        self.link = None  # the open hyperlink element

    # Blocks ---------------------------------------------------------------------------
    def _open(self, style: str):
        self.paragraph = self.writer.paragraph(style=style)
        return self.paragraph

    def _body_style(self) -> str:
        if self.lists:
            return "List Continue" if len(self.lists) == 1 else "List Continue 2"
        return "Quote" if self.quote_depth else "Normal"

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in BLOCKS:
            self.link = None
        if tag in HEADING_LEVELS:
            self._open(f"Heading {HEADING_LEVELS[tag]}")
        elif tag == "p":
            if self.paragraph is not None and self.lists and not self.paragraph.text:
                return  # the <p> of a loose list item: write into the item's paragraph
            self._open(self._body_style())
        elif tag in ("ul", "ol"):
            num_id = None
            if tag == "ol":
                start = int(attrs["start"]) if str(attrs.get("start", "")).isdigit() else 1
                num_id = restarted_numbering(self.writer.doc, self._list_style("ol", len(self.lists) + 1), start)
            self.lists.append((tag, num_id))
            self.paragraph = None
        elif tag == "li":
            kind, num_id = self.lists[-1] if self.lists else ("ul", None)
            paragraph = self._open(self._list_style(kind, len(self.lists)))
            if num_id is not None:
                set_numbering(paragraph, num_id)
        elif tag == "blockquote":
            self.quote_depth += 1
            self.paragraph = None
        elif tag == "br" and self.paragraph is not None:
            self._run("").add_break()
        elif tag == "strong":
            self.bold += 1
        elif tag == "em":
            self.italic += 1
        elif tag == "code":
            self.code += 1
        elif tag == "a" and attrs.get("href"):
            if self.paragraph is None:
                self._open(self._body_style())
            self.link = add_hyperlink(self.paragraph, attrs["href"])

    @staticmethod
    def _list_style(kind: str, depth: int) -> str:
        """Word's list styles for nesting depth 1 to 3 (deeper lists use depth 3's)."""
        depth = max(1, min(depth, 3))
        base = "List Number" if kind == "ol" else "List Bullet"
        return base if depth == 1 else f"{base} {depth}"

    def handle_endtag(self, tag):
        if tag in ("p", "h3", "h4", "li"):
            self.paragraph = None
            self.link = None
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.paragraph = None
        elif tag == "blockquote":
            self.quote_depth = max(0, self.quote_depth - 1)
            self.paragraph = None
        elif tag == "strong":
            self.bold = max(0, self.bold - 1)
        elif tag == "em":
            self.italic = max(0, self.italic - 1)
        elif tag == "code":
            self.code = max(0, self.code - 1)
        elif tag == "a":
            self.link = None

    # Text -----------------------------------------------------------------------------
    def handle_data(self, data):
        data = WHITESPACE.sub(" ", data)  # as a browser shows it: runs of white space are one
        if self.paragraph is None or not self.paragraph.runs:
            data = data.lstrip()  # white space between blocks, or opening a block
            if not data:
                return
            if self.paragraph is None:
                self._open(self._body_style())
        self._run(data)

    def _run(self, text: str):
        if self.link is not None:
            run = link_run(self.link, self.paragraph, text)
        else:
            run = self.paragraph.add_run(text)
        if self.bold:
            run.bold = True
        if self.italic:
            run.italic = True
        if self.code:
            run.font.name = "Courier New"
        return run


def write_narrative(writer: Writer, html: str) -> None:
    """Write sanitised narrative HTML into the document as paragraphs, lists and headings."""
    parser = _Narrative(writer)
    parser.feed(clean_narrative(html))
    parser.close()
