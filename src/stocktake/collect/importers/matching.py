"""Tolerant matching of headings and cell text to domains and section kinds (no Django)."""

from __future__ import annotations

import re
from collections.abc import Iterable

_NUMBERING = re.compile(
    r"^\s*(?:(?:section|domain|part)\s+)?(?:\(?[0-9]{1,2}(?:\.[0-9]{1,2})*[.):]?|\(?[a-z][.)]|[ivx]{1,4}[.)])\s+",
    re.IGNORECASE,
)
_DOMAIN_PREFIX = re.compile(r"^\s*(?:domain|section|part)\s*[0-9]*\s*[:.\-–—]?\s*", re.IGNORECASE)
_FILLER = {"and", "the", "of", "for", "our", "domain", "processes", "process"}


def clean_heading(text: str) -> str:
    """Heading text without numbering ("2.1", "Domain 3:"), list markers or trailing colons."""
    text = " ".join(text.replace("\u00a0", " ").split())
    text = text.lstrip("•·-–—*#> ").strip()
    for _ in range(2):
        text = _NUMBERING.sub("", text)
        text = _DOMAIN_PREFIX.sub("", text) if re.match(r"(?i)(domain|section|part)\b", text) else text
    return text.strip(" :.-–—\t")


def normalise(text: str) -> str:
    text = clean_heading(text).lower().replace("&", " and ").replace("+", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def _words(text: str) -> list[str]:
    return [w for w in normalise(text).split() if w not in _FILLER]


class DomainMatcher:
    """Maps heading or cell text to a domain key; takes the framework's (key, name) pairs."""

    def __init__(self, domains: Iterable[tuple[str, str]], *, synonyms: dict[str, str] | None = None):
        self.domains = [(key, name) for key, name in domains]
        self._exact: dict[str, str] = {}
        self._words: list[tuple[str, list[str]]] = []
        for key, name in self.domains:
            for form in (name, key, key.replace("-", " ")):
                self._exact.setdefault(normalise(form), key)
            self._words.append((key, _words(name)))
        for text, key in (synonyms or {}).items():
            if key in {k for k, _ in self.domains}:
                self._exact.setdefault(normalise(text), key)

    def match(self, text: str | None, *, max_extra_words: int = 4) -> str | None:
        """The key of the domain ``text`` names, or None.

        Accepts the name or key in any case, "&" for "and", numbering ("2.1 Governance",
        "Domain 3:"), a shortened name ("Clinical and Quality"), and a few extra words
        after it ("Governance – key achievements").
        """
        if not text:
            return None
        wanted = normalise(text)
        if not wanted:
            return None
        if wanted in self._exact:
            return self._exact[wanted]
        words = [w for w in wanted.split() if w not in _FILLER]
        if not words:
            return None
        best: tuple[int, str] | None = None
        for key, name_words in self._words:
            if not name_words:
                continue
            # the heading starts with the whole domain name, plus a few words
            if words[: len(name_words)] == name_words and len(words) - len(name_words) <= max_extra_words:
                score = len(name_words)
            # the heading is a shortened form of the name that keeps its first word
            elif words[0] == name_words[0] and set(words) <= set(name_words):
                score = len(words)
            else:
                continue
            if best is None or score > best[0]:
                best = (score, key)
        return best[1] if best else None


_SECTION_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("examples", re.compile(r"\b(examples?|innovations?|good practice|best practice|case stud)", re.I)),
    ("achievements", re.compile(r"\b(achievements?|what went well|successes|strengths|went well|positives?)\b", re.I)),
    ("challenges", re.compile(r"\b(challenges?|difficult(y|ies)|issues|barriers|what did not go well|what didn.t go well|concerns|risks?)\b", re.I)),
    ("learning", re.compile(r"\b(learning|lessons?( learned| learnt)?|learned|learnt|reflections?)\b", re.I)),
    ("keep", re.compile(r"\b(keep|kept|retain(ed)?|sustain(ed)?|continue|hold on to)\b", re.I)),
]

_KIND_VALUES = {
    "achievement": "achievements", "achievements": "achievements", "success": "achievements",
    "positive": "achievements", "strength": "achievements",
    "challenge": "challenges", "challenges": "challenges", "issue": "challenges",
    "difficulty": "challenges", "negative": "challenges", "risk": "challenges",
    "learning": "learning", "lesson": "learning", "lessons": "learning",
    "example": "examples", "examples": "examples", "innovation": "examples",
    "good practice": "examples", "best practice": "examples",
    "keep": "keep", "retain": "keep", "general": "general", "other": "general",
}


def match_section(text: str | None, *, max_words: int = 9) -> str | None:
    """The section kind a heading names ("Key achievements" → "achievements"), or None."""
    if not text:
        return None
    cleaned = clean_heading(text)
    if not cleaned or len(cleaned.split()) > max_words:
        return None
    lowered = cleaned.lower().strip()
    if lowered in _KIND_VALUES:
        return _KIND_VALUES[lowered]
    for kind, pattern in _SECTION_PATTERNS:
        if pattern.search(cleaned):
            return kind
    return None


def match_kind_value(text: str | None) -> str | None:
    """A cell value such as "Achievement" or "Challenge" as a section kind, or None."""
    if not text:
        return None
    value = " ".join(text.lower().split()).rstrip("s") if text.strip() else ""
    if value in _KIND_VALUES:
        return _KIND_VALUES[value]
    return match_section(text, max_words=4)
