"""Consensus across systems: who raised each theme, and what is consistent or distinctive.

The definitions (the report uses them too, through :func:`pattern_of`)
---------------------------------------------------------------------
Let S be the number of systems that took part (distinct non-empty ``system``
values in the input) and s the number of systems with at least one finding in
a theme (framework theme or emergent theme — a *message*).

- **consistent**: S ≥ 2 and s ≥ ⌈:data:`CONSISTENT_SHARE` × S⌉ (all or nearly
  all systems: with 0.8, 4 of 5, 8 of 10, 12 of 15);
- **distinctive**: S ≥ 2, 1 ≤ s ≤ :data:`DISTINCTIVE_MAX` (one or two systems)
  and s ≤ S / 2;
- **shared**: raised, but neither of the above (also everything when S < 2);
- **not_raised**: s = 0.

A finding belongs to a framework theme when the theme *applies* to it: its top
theme, plus any other theme scoring ≥ ``threshold`` (the coder's
``APPLIES_THRESHOLD``), or as given by the caller's own assignments.

Quotes are the findings most typical of the theme (cosine to its TF-IDF
centroid, shorter than ``QUOTE_MIN_CHARS`` counting less), at most one per
organisation while other organisations remain, new systems first.

Per system, :func:`system_profiles` gives the terms distinctive to its
findings against every other system's (class-based TF-IDF, words of its own
and its organisations' names left out), findings that carry them, the
distinctive messages it shares in and the consistent ones it did not raise.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from stocktake.analysis import text as textlib
from stocktake.analysis.emergent import distinctive_terms, readable_terms

CONSISTENT_SHARE = 0.8
DISTINCTIVE_MAX = 2
# A consistent message is raised in each of those systems by at least this
# many findings: one stray sentence does not make a system's message.
MIN_FINDINGS_PER_SYSTEM = 2
QUOTES = 3
QUOTE_MIN_CHARS = 60
SYSTEM_TERMS = 8
SYSTEM_EXAMPLES = 3

CONSISTENT = "consistent"
DISTINCTIVE = "distinctive"
SHARED = "shared"
NOT_RAISED = "not_raised"


def classify(system_count: int, total_systems: int, *, consistent_share: float = CONSISTENT_SHARE,
             distinctive_max: int = DISTINCTIVE_MAX) -> str:
    """Consistent (all or nearly all systems), distinctive (one or two), shared or not raised.

    With fewer than two systems taking part, nothing is consistent or distinctive.
    """
    if system_count <= 0:
        return NOT_RAISED
    if total_systems >= 2 and system_count >= math.ceil(consistent_share * total_systems - 1e-9):
        return CONSISTENT
    if total_systems >= 2 and system_count <= distinctive_max and system_count <= total_systems / 2:
        return DISTINCTIVE
    return SHARED


def pattern_of(system_counts: Mapping[str, int], total_systems: int, *,
               consistent_share: float = CONSISTENT_SHARE,
               distinctive_max: int = DISTINCTIVE_MAX,
               min_findings: int = MIN_FINDINGS_PER_SYSTEM) -> str:
    """The pattern of a message from how many of its findings each system gave.

    As :func:`classify` on the systems that mention it, except that a message
    is *consistent* only when enough systems raise it with at least
    ``min_findings`` findings each; otherwise it is *shared*. Findings from
    organisations outside any system (the empty name) raise a message too: with
    no system among them it is *shared*, never *not raised*.
    """
    mentioned = [s for s, n in system_counts.items() if s and n > 0]
    pattern = classify(len(mentioned), total_systems, consistent_share=consistent_share,
                       distinctive_max=distinctive_max)
    if pattern == NOT_RAISED and any(n > 0 for n in system_counts.values()):
        return SHARED
    if pattern == CONSISTENT:
        strong = [s for s in mentioned if system_counts[s] >= min_findings]
        if classify(len(strong), total_systems, consistent_share=consistent_share,
                    distinctive_max=distinctive_max) != CONSISTENT:
            return SHARED
    return pattern


@dataclass(frozen=True)
class Message:
    """A theme (framework or emergent) and who raised it."""

    key: str
    name: str
    source: str  # "framework" or "emergent"
    members: list[int]  # positions of its findings in the input
    systems: tuple[str, ...]  # sorted
    organisation_count: int
    pattern: str
    total_systems: int
    quotes: list[int] = field(default_factory=list)  # positions, in display order

    @property
    def finding_count(self) -> int:
        return len(self.members)

    @property
    def system_count(self) -> int:
        return len(self.systems)


@dataclass(frozen=True)
class SystemProfile:
    system: str
    finding_count: int
    organisation_count: int
    terms: list[tuple[str, float]]  # distinctive terms, best first
    examples: list[int]  # positions of findings carrying those terms
    distinctive: list[str]  # keys of distinctive messages this system raised
    consistent_missing: list[str]  # keys of consistent messages it did not raise


def _clean(values: Sequence | None, n: int) -> list[str]:
    if values is None:
        return [""] * n
    if len(values) != n:
        raise ValueError("systems and organisations must be as long as texts")
    return [str(v or "").strip() for v in values]


def applied_themes(results, threshold: float | None = None) -> list[list[str]]:
    """Theme keys that apply to each :class:`~stocktake.analysis.coder.CodeResult`."""
    return [[key for key, _ in (r.applies() if threshold is None else r.applies(threshold))]
            for r in results]


def applied_from_matrix(probs: np.ndarray, keys: Sequence[str], threshold: float) -> list[list[str]]:
    """The same from a findings × themes probability matrix (top theme always applies)."""
    probs = np.asarray(probs)
    if not len(probs):
        return []
    top = probs.argmax(axis=1)
    mask = probs >= threshold
    mask[np.arange(len(probs)), top] = True
    out: list[list[str]] = [[] for _ in range(len(probs))]
    rows, cols = np.nonzero(mask)
    order = np.lexsort((-probs[rows, cols], rows))
    for r, c in zip(rows[order], cols[order]):
        out[r].append(keys[c])
    return out


def members_by_key(assignments: Sequence[Iterable[str]], keys: Sequence[str]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {k: [] for k in keys}
    for position, assigned in enumerate(assignments):
        for key in assigned:
            if key in groups:
                groups[key].append(position)
    return groups


def consensus(
    groups: Sequence[tuple[str, str, Sequence[int]]], *, texts: Sequence[str],
    systems: Sequence[str | None] | None = None,
    organisations: Sequence[str | None] | None = None, matrix: sp.spmatrix | None = None,
    source: str = "framework", quotes: int = QUOTES,
    consistent_share: float = CONSISTENT_SHARE, distinctive_max: int = DISTINCTIVE_MAX,
    min_findings: int = MIN_FINDINGS_PER_SYSTEM,
) -> list[Message]:
    """Who raised each message: ``groups`` are ``(key, name, member positions)``.

    ``matrix`` (unit TF-IDF rows of ``texts``) lets quotes be the most typical
    findings; without it, quotes prefer length and order.
    """
    n = len(texts)
    systems_, orgs = _clean(systems, n), _clean(organisations, n)
    total = len({s for s in systems_ if s})
    X = sp.csr_matrix(matrix) if matrix is not None else None
    out = []
    for key, name, members in groups:
        members = sorted(int(m) for m in members)
        raised = tuple(sorted({systems_[m] for m in members} - {""}))
        out.append(Message(
            key=key, name=name, source=source, members=members, systems=raised,
            organisation_count=len({orgs[m] for m in members} - {""}),
            pattern=pattern_of(Counter(systems_[m] for m in members), total,
                               consistent_share=consistent_share, distinctive_max=distinctive_max,
                               min_findings=min_findings),
            total_systems=total,
            quotes=pick_quotes(members, texts=texts, systems=systems_, organisations=orgs,
                               matrix=X, limit=quotes),
        ))
    return out


def pick_quotes(members: Sequence[int], *, texts, systems, organisations, matrix=None,
                limit: int = QUOTES) -> list[int]:
    """Typical findings from different organisations (and systems), deterministically."""
    members = np.asarray(sorted(members), dtype=np.int64)
    if not len(members) or limit <= 0:
        return []
    if matrix is not None:
        rows = matrix[members]
        centroid = np.asarray(rows.sum(axis=0)).ravel()
        typical = rows @ (centroid / max(float(np.linalg.norm(centroid)), 1e-12))
        typical = np.asarray(typical).ravel()
    else:
        typical = np.ones(len(members))
    lengths = np.array([min(1.0, len(texts[m]) / QUOTE_MIN_CHARS) for m in members])
    merit = np.round(typical * lengths, 6)
    ranked = members[np.lexsort((members, -merit))]
    chosen: list[int] = []
    for prefer_new_system in (True, False):
        for position in ranked:
            if len(chosen) >= limit:
                return chosen
            org, system = organisations[position], systems[position]
            if position in chosen or (org and org in {organisations[c] for c in chosen}):
                continue
            if prefer_new_system and system and system in {systems[c] for c in chosen}:
                continue
            chosen.append(int(position))
    for position in ranked:  # fewer organisations than quotes: fill with the most typical
        if len(chosen) >= limit:
            break
        if int(position) not in chosen:
            chosen.append(int(position))
    return chosen


def _name_stems(names: Iterable[str]) -> frozenset[str]:
    return frozenset(textlib.stem(w) for name in names for w in textlib.words(name))


def system_profiles(
    texts: Sequence[str], *, systems: Sequence[str | None],
    organisations: Sequence[str | None] | None = None, matrix: sp.spmatrix, names: Sequence[str],
    messages: Sequence[Message] = (), terms: int = SYSTEM_TERMS,
) -> list[SystemProfile]:
    """What is distinctive to each system compared with the others (systems sorted by name)."""
    n = len(texts)
    systems_, orgs = _clean(systems, n), _clean(organisations, n)
    B = sp.csr_matrix(matrix, copy=True)
    B.data[:] = 1.0
    df_all = np.asarray(B.sum(axis=0)).ravel()
    names = np.asarray(names, dtype=object)
    bigram = np.array([" " in str(t) for t in names], dtype=bool)
    profiles = []
    for system in sorted({s for s in systems_ if s}):
        members = [i for i, s in enumerate(systems_) if s == system]
        own_orgs = sorted({orgs[i] for i in members} - {""})
        exclude = _name_stems([system, *own_orgs])
        stemmed = distinctive_terms(B, members, df_all, n, names, bigram, limit=2 * terms,
                                    exclude=exclude, min_count=min(2, len(members)))
        examples = _term_examples(B, members, stemmed, names, orgs)
        profiles.append(SystemProfile(
            system=system, finding_count=len(members), organisation_count=len(own_orgs),
            terms=readable_terms(stemmed, [texts[i] for i in members[:2000]])[:terms],
            examples=examples,
            distinctive=[m.key for m in messages
                         if m.pattern == DISTINCTIVE and system in m.systems],
            consistent_missing=[m.key for m in messages
                                if m.pattern == CONSISTENT and system not in m.systems],
        ))
    return profiles


def _term_examples(B, members, stemmed, names, orgs, limit: int = SYSTEM_EXAMPLES) -> list[int]:
    if not stemmed:
        return []
    column = {str(t): j for j, t in enumerate(names)}
    cols = [column[t] for t, _ in stemmed if t in column]
    weights = np.array([s for t, s in stemmed if t in column])
    carried = np.asarray(B[members][:, cols] @ weights).ravel()
    order = np.lexsort((np.asarray(members), -np.round(carried, 6)))
    picked, seen = [], set()
    for strict in (True, False):
        for r in order:
            if len(picked) >= limit or carried[r] <= 0:
                break
            position = members[r]
            if position in picked or (strict and orgs[position] and orgs[position] in seen):
                continue
            picked.append(position)
            seen.add(orgs[position])
    return picked
