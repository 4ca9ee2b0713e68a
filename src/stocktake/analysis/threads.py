"""Golden threads: innovations grouped by :mod:`.emergent`, each named by a readable phrase.

Emergent themes are labelled with distinctive terms ("virtual / ward / frailty"), which
read as a bag of words. A golden thread is named the way a board would name it: by the
phrase its innovations' own titles share. :func:`thread_label` scores every run of one to
three words in the group's titles (never starting or ending on a small word such as
"for" or "the") by how many of the group's titles use it, weighted up where its words are
among the cluster's distinctive terms and where it is longer, and keeps the best, in the
spelling the titles use most, first letter capitalised ("Virtual ward", "Home first
discharge"). With no phrase used by two titles, the representative innovation's title is
the label (shortened to :data:`MAX_LABEL_WORDS` words). No Django here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from stocktake.analysis import text as textlib
from stocktake.analysis.emergent import GENERIC_STEMS, emergent_themes

MAX_LABEL_WORDS = 6
MAX_PHRASE = 3
SMALL_WORDS = frozenset(
    "a an and as at by for from in into of on or our per the to up via with within new "
    "trial pilot pilots project scheme".split())
WORD = re.compile(r"[^\W_][\w'’\-]*")
LONGER = 0.6  # a phrase's weight grows by this for each word after the first


@dataclass(frozen=True)
class Thread:
    label: str  # a readable phrase from the titles
    terms: list[str]  # the cluster's distinctive terms, best first (for the description)
    members: list[int]  # positions in the input, closest to the centre first


def _words(title: str) -> list[str]:
    return WORD.findall(title or "")


def _key(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(textlib.stem(w.lower()) for w in words)


def thread_label(titles: Sequence[str], terms: Sequence[str] = (), *,
                 representative: str = "") -> str:
    """The phrase that names a group of innovations (see the module's docstring)."""
    distinctive = {textlib.stem(w.lower()) for term in terms for w in _words(term)}
    counts: Counter = Counter()
    spellings: dict[tuple[str, ...], Counter] = {}
    for title in titles:
        words = _words(title)
        seen: set[tuple[str, ...]] = set()
        for size in range(1, MAX_PHRASE + 1):
            for start in range(len(words) - size + 1):
                run = words[start:start + size]
                if run[0].lower() in SMALL_WORDS or run[-1].lower() in SMALL_WORDS:
                    continue
                key = _key(run)
                if size == 1 and (key[0] in GENERIC_STEMS or len(run[0]) < 3):
                    continue
                if key in seen:
                    continue
                seen.add(key)
                counts[key] += 1
                spellings.setdefault(key, Counter())[" ".join(run)] += 1
    best, best_score = None, 0.0
    for key, used in counts.items():
        if used < 2:
            continue
        content = [k for k in key if k not in GENERIC_STEMS]
        if not content:
            continue
        share = sum(1 for k in content if k in distinctive) / len(content)
        score = used * (1 + 0.5 * share) * (1 + LONGER * (len(key) - 1))
        if score > best_score or (score == best_score and best is not None and key < best):
            best, best_score = key, score
    if best is None:
        words = _words(representative or (titles[0] if titles else ""))
        return _capital(" ".join(words[:MAX_LABEL_WORDS])) or "Untitled thread"
    spelling = spellings[best].most_common(1)[0][0]
    return _capital(spelling)


def _capital(text: str) -> str:
    if not text:
        return text
    first = text.split()[0]
    if first.isupper() and len(first) > 1:  # an acronym stays as it is
        return text
    return text[:1].upper() + text[1:]


def golden_threads(titles: Sequence[str], texts: Sequence[str], *, seed: int = 0,
                   min_size: int = 2) -> list[Thread]:
    """Group innovations (``texts``: title and what changed, one each) into threads named
    from their ``titles``. Seeded: the same input gives the same threads."""
    result = emergent_themes(texts, include_all=True, seed=seed, min_size=min_size)
    threads = []
    for theme in result.themes:
        member_titles = [titles[i] for i in theme.members]
        terms = [term for term, _ in theme.terms]
        threads.append(Thread(label=thread_label(member_titles, terms,
                                                 representative=titles[theme.representative]),
                              terms=terms, members=list(theme.members)))
    return threads
