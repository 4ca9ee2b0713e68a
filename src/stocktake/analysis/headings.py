"""Matching a report's section headings to a framework's themes by meaning (plain Python).

A report groups its recommendations under headings worded its own way
("Developing the NHSE/I relationship with the local NHS"); the review's
framework names the theme otherwise ("Relationship with NHS England and
Improvement"). Exact or prefix matching misses that, so a heading is scored
against each theme from three angles, all offline:

1. **The theme's name** (weight ``NAME_WEIGHT``): the share of the name's words
   the heading uses, each word weighted by how few themes use it (IDF).
2. **The heading's words** (``COVER_WEIGHT``): the share of the heading's words
   found anywhere in the theme — name, description, keywords — IDF-weighted.
3. **Concepts** (``CONCEPT_WEIGHT``): the cosine of the heading's and the
   theme's activations of the health-and-care concept lexicon
   (:mod:`.concepts`), so "staff burnout" meets "wellbeing of staff".

Before scoring, headings and themes go through the same normalisation: section
numbering out ("4.2", "Chapter 3:"), acronyms written out (``ACRONYMS``: "NHSE/I"
is "NHS England and Improvement"; the coder's own list in :mod:`.text` too),
light stemming, stop words and the verbs headings start with ("developing",
"strengthening", "ensuring") out. The best theme is taken when its score is at
least ``THRESHOLD`` and clearly ahead of the next (``MARGIN``); otherwise the
heading matches no theme and a person chooses.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from stocktake.analysis import concepts
from stocktake.analysis import text as textlib
from stocktake.analysis.framework import ItemSpec

NAME_WEIGHT = 0.45
COVER_WEIGHT = 0.35
CONCEPT_WEIGHT = 0.2
THRESHOLD = 0.3
MARGIN = 0.05

# Acronyms of the field's bodies, written out before scoring (matched case-sensitively,
# longest first; "/" and "&" inside them as printed).
ACRONYMS: tuple[tuple[str, str], ...] = (
    ("NHSE/I", "NHS England and Improvement"),
    ("NHSE&I", "NHS England and Improvement"),
    ("NHS E/I", "NHS England and Improvement"),
    ("NHS E&I", "NHS England and Improvement"),
    ("NHSEI", "NHS England and Improvement"),
    ("NHSE", "NHS England"),
    ("NHSI", "NHS Improvement"),
    ("DHSC", "Department of Health and Social Care"),
    ("DH", "Department of Health"),
    ("CQC", "Care Quality Commission"),
    ("PHE", "Public Health England"),
    ("UKHSA", "UK Health Security Agency"),
    ("ICSs", "integrated care systems"),
    ("ICS", "integrated care system"),
    ("ICBs", "integrated care boards"),
    ("ICB", "integrated care board"),
    ("CCGs", "clinical commissioning groups"),
    ("CCG", "clinical commissioning group"),
    ("PCNs", "primary care networks"),
    ("PCN", "primary care network"),
    ("VCSE", "voluntary community and social enterprise sector"),
    ("LA", "local authority"),
    ("LAs", "local authorities"),
    ("IT", "information technology digital"),
    ("HR", "human resources workforce"),
    ("EDI", "equality diversity and inclusion"),
    ("ED&I", "equality diversity and inclusion"),
    ("QI", "quality improvement"),
)
_ACRONYM = re.compile("|".join(rf"(?<![A-Za-z]){re.escape(a)}(?![A-Za-z])"
                               for a, _ in sorted(ACRONYMS, key=lambda p: -len(p[0]))))
_EXPANSION = dict(ACRONYMS)

# Words that headings start with and that say nothing of the topic.
HEADING_WORDS = frozenset(textlib.stem(w) for w in """
    develop developing strengthen strengthening ensure ensuring enhance enhancing build building
    make making create creating deliver delivering promote promoting embed embedding establish
    establishing maintain maintaining recommendation recommendations section chapter part
    annex appendix key area areas further future need needs better new approach theme
    """.split())

_NUMBERING = re.compile(
    r"^\s*(?:(?:section|chapter|part|theme)\s+)?(?:[0-9]{1,2}(?:\.[0-9]{1,2})*|[a-z]|[ivx]{1,4})"
    r"[.):]?\s+(?=\S)", re.IGNORECASE)


def normalise(heading: str) -> str:
    """The heading with numbering out and acronyms written out."""
    text = " ".join(heading.replace("\u00a0", " ").split())
    text = _NUMBERING.sub("", text, count=1)
    text = _ACRONYM.sub(lambda m: f" {_EXPANSION[m.group(0)]} ", text)
    return " ".join(text.replace("&", " and ").split())


def _stems(text: str) -> set[str]:
    return {t for t in textlib.tokens(normalise(text)) if t != "|" and t not in HEADING_WORDS}


@dataclass(frozen=True)
class HeadingMatch:
    key: str | None  # the theme's key, or None when no theme is close enough
    score: float  # the best theme's score, 0..1 (shown to people as a guide)


class HeadingMatcher:
    """Scores headings against themes; build once per framework, then :meth:`match` each."""

    def __init__(self, themes: Sequence[ItemSpec]):
        self.themes = list(themes)
        self._names = [_stems(t.name) for t in self.themes]
        self._bags = [_stems(t.text) for t in self.themes]
        count = len(self.themes)
        frequency: dict[str, int] = {}
        for bag in self._bags:
            for stem in bag:
                frequency[stem] = frequency.get(stem, 0) + 1
        self._idf = {s: math.log(1 + count / f) for s, f in frequency.items()}
        self._unseen = math.log(1 + count)  # a word no theme uses: as rare as can be
        self._concepts = concepts.activations([normalise(t.text) for t in self.themes]) \
            if self.themes else []

    def _weight(self, stems: set[str]) -> float:
        return sum(self._idf.get(s, self._unseen) for s in stems)

    def scores(self, heading: str) -> list[tuple[str, float]]:
        """Each theme's key and score for ``heading``, best first."""
        words = _stems(heading)
        if not words or not self.themes:
            return []
        mine = concepts.activations([normalise(heading)])[0]
        heading_weight = self._weight(words)
        out = []
        for theme, name, bag, theirs in zip(self.themes, self._names, self._bags,
                                            self._concepts, strict=True):
            name_share = self._weight(name & words) / self._weight(name) if name else 0.0
            cover = self._weight(words & bag) / heading_weight
            score = NAME_WEIGHT * name_share + COVER_WEIGHT * cover \
                + CONCEPT_WEIGHT * _cosine(mine, theirs)
            out.append((theme.key, round(score, 4)))
        return sorted(out, key=lambda pair: -pair[1])

    def match(self, heading: str | None) -> HeadingMatch:
        ranked = self.scores(heading or "")
        if not ranked:
            return HeadingMatch(None, 0.0)
        key, best = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if best >= THRESHOLD and best - runner_up >= MARGIN:
            return HeadingMatch(key, best)
        return HeadingMatch(None, best)


def _cosine(a: dict[int, float], b: dict[int, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(w * b.get(c, 0.0) for c, w in a.items())
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0
