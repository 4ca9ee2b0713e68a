"""Rich text that users write (report narratives): Markdown in, sanitised HTML out.

Writers type Markdown — headings, lists, links, emphasis, quotations — in a plain
textarea, so editing works without JavaScript and the stored source stays readable.
:func:`to_html` renders it with markdown-it-py with raw HTML switched off, and then
cleans the result with nh3 (an allow-list sanitiser), so nothing a user types can
become a script, a style or an event handler, whatever the renderer lets through.
Every page and document shows only the cleaned HTML.
"""

from __future__ import annotations

import html as html_lib
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

# What a narrative may contain; the Word and PDF renderers handle exactly these tags.
ALLOWED_TAGS = frozenset({
    "h3", "h4", "p", "br", "ul", "ol", "li", "a", "strong", "em", "blockquote", "code",
})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_SOURCE = 50_000  # characters; a theme narrative is a few paragraphs


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def _shift_headings(html: str) -> str:
    """Headings typed as #/## sit under the report's own h2 sections: they become h3/h4."""
    for level in (6, 5, 4, 3, 2, 1):
        new = min(4, level + 2)
        html = html.replace(f"<h{level}>", f"<h{new}>").replace(f"</h{level}>", f"</h{new}>")
    return html


def to_html(source: str) -> str:
    """The sanitised HTML for a narrative's Markdown ``source`` ("" for blank)."""
    source = (source or "").replace("\r\n", "\n").strip()
    if not source:
        return ""
    html = _shift_headings(_markdown().render(source))
    return nh3.clean(
        html, tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_SCHEMES), link_rel="noopener noreferrer",
    ).strip()


def to_text(html: str) -> str:
    """Plain text of sanitised narrative HTML (for search, checks and the data pack)."""
    return " ".join(html_lib.unescape(nh3.clean(html or "", tags=set())).split())
