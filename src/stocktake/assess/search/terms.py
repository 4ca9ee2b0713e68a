"""The words of a search, parsed once, and the safe highlighting of what they matched.

A search is words and "quoted phrases"; every one must match (AND). Words are letters
and digits (``\\w``), so nothing the user types reaches either database's query syntax
except as a quoted word: FTS5 gets ``"word" "two words"``, PostgreSQL the same string
through ``websearch_to_tsquery``. Both stem English words (Porter), so "organisations"
finds "organisation"; :func:`highlight` marks the words of a text that match the same
way, approximately (a shared stem), on text that is plain, never HTML: the template
escapes every part and wraps only the matched ones in ``<mark>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MAX_LENGTH = 200  # characters of a search
MAX_TERMS = 12
WORD = re.compile(r"\w+", re.UNICODE)
QUOTED = re.compile(r'"([^"]*)"?')
SUFFIXES = ("ation", "ition", "ness", "ment", "ing", "al", "ed", "ly", "er", "e")
SNIPPET_WORDS = 32  # words in a snippet around the first match
BEFORE = 8  # of them before it


@dataclass(frozen=True)
class Terms:
    """The phrases of a search (a phrase is one or more lowercased words)."""

    phrases: tuple[tuple[str, ...], ...]

    def __bool__(self) -> bool:
        return bool(self.phrases)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(word for phrase in self.phrases for word in phrase)

    def fts5(self) -> str:
        """An FTS5 MATCH expression: every phrase quoted, all of them required."""
        return " ".join('"' + " ".join(phrase) + '"' for phrase in self.phrases)

    def websearch(self) -> str:
        """The same for PostgreSQL's ``websearch_to_tsquery``."""
        return " ".join('"' + " ".join(p) + '"' if len(p) > 1 else p[0] for p in self.phrases)


def parse(text: str) -> Terms:
    """The phrases of ``text``: quoted parts as phrases, other words one by one (at most
    :data:`MAX_TERMS`; repeats dropped)."""
    text = (text or "")[:MAX_LENGTH]
    phrases: list[tuple[str, ...]] = []
    position = 0
    for quoted in QUOTED.finditer(text):
        phrases.extend((w.lower(),) for w in WORD.findall(text[position : quoted.start()]))
        words = tuple(w.lower() for w in WORD.findall(quoted.group(1)))
        if words:
            phrases.append(words)
        position = quoted.end()
    phrases.extend((w.lower(),) for w in WORD.findall(text[position:]))
    unique = tuple(dict.fromkeys(phrases))
    return Terms(unique[:MAX_TERMS])


@lru_cache(maxsize=16384)  # a page highlights a few hundred words, mostly the same ones
def stem(word: str) -> str:
    """A rough English stem, for highlighting only (the databases stem for matching)."""
    word = word.lower()
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        word = word[:-1]
    for _ in range(3):  # "organisational" → "organisation" → "organis"
        suffix = next((s for s in SUFFIXES if word.endswith(s) and len(word) - len(s) >= 3), "")
        if not suffix:
            break
        word = word[: -len(suffix)]
    return word


@dataclass(frozen=True)
class Snippet:
    """Part of a text with its matched words marked: ``parts`` are (text, marked) pairs."""

    parts: tuple[tuple[str, bool], ...]
    starts_inside: bool  # text left out before the snippet
    ends_inside: bool  # and after it


def highlight(text: str, terms: Terms, *, words: int = SNIPPET_WORDS) -> Snippet:
    """The stretch of ``text`` around its first matching word, matches marked.

    Plain text in, plain text out, in parts: the caller escapes each part (Jinja does) and
    marks the marked ones, so nothing in the text can become markup.
    """
    stems = {stem(w) for w in terms.words}
    tokens = list(WORD.finditer(text))
    matched = [i for i, t in enumerate(tokens) if _matches(t.group(), stems)]
    if not tokens:
        return Snippet(((text, False),) if text else (), False, False)
    first = max(0, (matched[0] if matched else 0) - BEFORE)
    last = min(len(tokens), first + words)
    first = max(0, min(first, last - words))
    start = tokens[first].start() if first else 0
    end = tokens[last - 1].end() if last < len(tokens) else len(text)
    parts: list[tuple[str, bool]] = []
    position = start
    for index in matched:
        if not first <= index < last:
            continue
        token = tokens[index]
        if token.start() > position:
            parts.append((text[position : token.start()], False))
        parts.append((token.group(), True))
        position = token.end()
    if end > position:
        parts.append((text[position:end], False))
    return Snippet(tuple(parts), starts_inside=start > 0, ends_inside=end < len(text))


def _matches(token: str, stems: set[str]) -> bool:
    return stem(token) in stems
