"""A health-and-care concept lexicon that widens a theme's own words (plain Python, no Django).

A framework describes a theme in a sentence or two of abstract words
("supporting the health and wellbeing of staff"); submissions say concrete
things ("wobble rooms", "OH referrals", "burnout"). ``concepts.yaml`` (shipped
with the package, written by the stocktake team) lists topic clusters of the
field: each concept is a set of terms, from the words a framework author would
use to the jargon of submissions.

A concept is *activated* by an item (a theme or a domain) when any of its terms
occurs in the item's name, description or keywords. The item's vector is then
widened with the activated concepts' terms (see ``coder._Space``), each concept
weighted by how many of its terms the item used and by how few of the
framework's items activate it: a concept that every theme touches says nothing
about which theme a finding belongs to.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from stocktake.analysis import text as textlib

LEXICON_PATH = Path(__file__).with_name("concepts.yaml")


@dataclass(frozen=True)
class Concept:
    name: str
    terms: tuple[str, ...]


@lru_cache(maxsize=1)
def load_concepts(path: str | None = None) -> tuple[Concept, ...]:
    data = yaml.safe_load(Path(path or LEXICON_PATH).read_text(encoding="utf-8")) or []
    return tuple(Concept(str(entry["concept"]), tuple(str(t) for t in entry["terms"]))
                 for entry in data)


@lru_cache(maxsize=1)
def _term_stems() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Per concept, each term as a tuple of stems (stop words out, no expansions)."""
    out = []
    for concept in load_concepts():
        stems = (tuple(textlib.tokens(term, expand=False)) for term in concept.terms)
        out.append(tuple(s for s in stems if s))
    return tuple(out)


def _contains(sequence: list[str], term: tuple[str, ...]) -> bool:
    if len(term) == 1:
        return term[0] in sequence
    n = len(term)
    return any(tuple(sequence[i:i + n]) == term for i in range(len(sequence) - n + 1))


def activations(item_texts: Sequence[str]) -> list[dict[int, float]]:
    """For each item text, {concept index: weight} of the concepts it activates.

    The weight is ``matched terms × log(1 + items / items activating the concept)``,
    then scaled so an item's weights sum to 1.
    """
    lexicon = _term_stems()
    matched: list[dict[int, int]] = []
    for item_text in item_texts:
        sequence = textlib.tokens(item_text, expand=False)
        present = set(sequence)
        counts = {}
        for c, terms in enumerate(lexicon):
            hits = sum(1 for term in terms if term[0] in present and _contains(sequence, term))
            if hits:
                counts[c] = hits
        matched.append(counts)
    spread = {}
    for counts in matched:
        for c in counts:
            spread[c] = spread.get(c, 0) + 1
    n = len(item_texts)
    out = []
    for counts in matched:
        raw = {c: hits * math.log(1 + n / spread[c]) for c, hits in counts.items()}
        total = sum(raw.values())
        out.append({c: w / total for c, w in raw.items()} if total else {})
    return out


@lru_cache(maxsize=1)
def concept_documents() -> tuple[list[str], ...]:
    """Each concept's terms as one analysed document (no bigrams across terms)."""
    docs = []
    for concept in load_concepts():
        toks: list[str] = []
        for term in concept.terms:
            toks.extend(textlib.tokens(term))
            toks.append("|")
        docs.append(textlib.ngrams(toks))
    return tuple(docs)
