"""Agreement between coders: Cohen's kappa, Krippendorff's alpha and percentage agreement.

Plain Python (no Django, no NumPy needed): the inputs are small — a double-coded
sample is tens to a few hundred findings.

- :func:`cohen_kappa` — two coders, nominal labels, every unit coded by both
  (Cohen 1960): ``(p_o - p_e) / (1 - p_e)``, where ``p_e`` comes from each
  coder's own label distribution. Agrees with scikit-learn's
  ``cohen_kappa_score`` (a test checks).
- :func:`krippendorff_alpha` — any number of coders, nominal labels, missing
  values allowed (Krippendorff 2011, "Computing Krippendorff's alpha-reliability"):
  ``1 - D_o / D_e`` from the coincidence matrix of pairable values.
- :func:`percent_agreement` — the share of units on which every coder gave the same label.
- :func:`theme_agreement` — the per-theme view of multi-label coding: each
  (unit, theme) is a yes/no decision; kappa, alpha and percentage agreement per
  theme and pooled over every theme.

Where a statistic is undefined (no units; every coder used one label only, so
chance agreement is 1) the functions return ``None`` rather than a misleading 0 or 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import permutations

Label = Hashable


def cohen_kappa(first: Sequence[Label], second: Sequence[Label]) -> float | None:
    """Cohen's kappa for two coders' labels of the same units, in the same order."""
    if len(first) != len(second):
        raise ValueError("both coders must label the same units")
    n = len(first)
    if n == 0:
        return None
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    counts_a, counts_b = Counter(first), Counter(second)
    expected = sum(counts_a[label] * counts_b[label] for label in counts_a) / (n * n)
    if expected == 1:
        return None  # both coders used the same single label: kappa is undefined
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(units: Sequence[Sequence[Label | None]]) -> float | None:
    """Krippendorff's alpha (nominal) for ``units``: each a list of coders' labels, None if missing.

    Units with fewer than two labels are not pairable and are left out, as the
    method says. None when nothing is pairable or only one label was ever used.
    """
    coincidences: Counter = Counter()
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for a, b in permutations(range(m), 2):
            coincidences[(values[a], values[b])] += 1 / (m - 1)
    total = sum(coincidences.values())
    if total == 0:
        return None
    marginals: Counter = Counter()
    for (a, _b), weight in coincidences.items():
        marginals[a] += weight
    disagreement_observed = sum(w for (a, b), w in coincidences.items() if a != b)
    disagreement_expected = sum(
        marginals[a] * marginals[b] for a in marginals for b in marginals if a != b
    ) / (total - 1)
    if disagreement_expected == 0:
        return None
    return 1 - disagreement_observed / disagreement_expected


def percent_agreement(units: Sequence[Sequence[Label | None]]) -> float | None:
    """The share of units (coded by two or more coders) where all gave the same label."""
    compared = [[v for v in unit if v is not None] for unit in units]
    compared = [values for values in compared if len(values) >= 2]
    if not compared:
        return None
    return sum(len(set(values)) == 1 for values in compared) / len(compared)


@dataclass(frozen=True)
class Agreement:
    """Agreement on one yes/no decision (a theme) or pooled over several."""

    units: int  # units (or unit × theme decisions, pooled) coded by every coder compared
    percent: float | None
    kappa: float | None  # Cohen's, when exactly two coders
    alpha: float | None  # Krippendorff's, any number of coders
    both_yes: int = 0  # units every coder coded to the theme
    disagreements: int = 0


def _agreement(rows: list[list[bool]], coders: int) -> Agreement:
    kappa = None
    if coders == 2 and rows:
        kappa = cohen_kappa([r[0] for r in rows], [r[1] for r in rows])
    return Agreement(
        units=len(rows), percent=percent_agreement(rows), kappa=kappa,
        alpha=krippendorff_alpha(rows), both_yes=sum(all(r) for r in rows),
        disagreements=sum(len(set(r)) > 1 for r in rows),
    )


def theme_agreement(
    decisions: Mapping[Hashable, Sequence[frozenset]], themes: Sequence[Hashable]
) -> tuple[dict[Hashable, Agreement], Agreement]:
    """Per-theme and pooled agreement of multi-label coding.

    ``decisions`` maps each unit (a finding) to one set of themes per coder, in
    the same coder order for every unit; only units coded by every coder count.
    Each (unit, theme) is one yes/no decision.
    """
    coders = max((len(sets) for sets in decisions.values()), default=0)
    complete = [sets for sets in decisions.values() if len(sets) == coders]
    per_theme: dict[Hashable, Agreement] = {}
    pooled: list[list[bool]] = []
    for theme in themes:
        rows = [[theme in chosen for chosen in sets] for sets in complete]
        per_theme[theme] = _agreement(rows, coders)
        pooled.extend(rows)
    return per_theme, _agreement(pooled, coders)


def strength(value: float | None) -> str:
    """Landis and Koch's (1977) words for a kappa, the convention reviewers expect."""
    if value is None:
        return "not defined"
    if value < 0:
        return "poor"
    for bound, words in ((0.2, "slight"), (0.4, "fair"), (0.6, "moderate"), (0.8, "substantial")):
        if value <= bound:
            return words
    return "almost perfect"
