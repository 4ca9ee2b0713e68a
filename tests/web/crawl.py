"""A bounded crawler for the test client: follow the links a persona is shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urldefrag(urljoin(base, href))[0]
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver"):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


@dataclass
class Visit:
    url: str
    status: int
    html: str


@dataclass
class Crawl:
    visits: dict[str, Visit] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(v.html for v in self.visits.values())

    def status(self, url: str) -> int:
        return self.visits[url].status


def crawl(client, starts: list[str], *, within: str = "/reviews/", limit: int = 300) -> Crawl:
    """Visit ``starts`` and every link under ``within`` they lead to, up to ``limit`` pages."""
    result, queue = Crawl(), list(starts)
    while queue and len(result.visits) < limit:
        url = queue.pop(0)
        if url in result.visits:
            continue
        response = client.get(url)
        is_html = response.get("Content-Type", "").startswith("text/html")
        html = response.content.decode() if is_html else ""
        result.visits[url] = Visit(url, response.status_code, html)
        if response.status_code == 200:
            for link in links(html, url):
                if (link.startswith(within) or link == "/") and link not in result.visits:
                    queue.append(link)
    return result
