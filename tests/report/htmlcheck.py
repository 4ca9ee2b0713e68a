"""A small structural checker for generated HTML, on the standard library's parser."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class StructureChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.headings: list[tuple[int, str | None]] = []
        self.ids: list[str] = []
        self.links: list[str] = []
        self.tables = 0
        self.table_first_child: list[str] = []
        self.th_without_scope = 0
        self.html_lang: str | None = None
        self.external: list[str] = []
        self._awaiting_table_child = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._awaiting_table_child:
            self.table_first_child.append(tag)
            self._awaiting_table_child = False
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append((int(tag[1]), attrs.get("id")))
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        if tag == "table":
            self.tables += 1
            self._awaiting_table_child = True
        if tag == "th" and "scope" not in attrs:
            self.th_without_scope += 1
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            if value.startswith(("http:", "https:", "//")):
                self.external.append(value)
        if tag in {"link", "script", "img", "iframe"}:
            self.external.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()


def check(html: str) -> StructureChecker:
    checker = StructureChecker()
    checker.feed(html)
    checker.close()
    return checker
