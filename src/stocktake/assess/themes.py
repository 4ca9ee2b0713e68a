"""Which themes a finding counts towards: the one rule the dashboard, the
findings filter, the finding page, the report and the export all use.

A finding counts towards a theme when

1. a reviewer coded it to the theme (a human code with ``applies=True``), or
2. the theme is the finding's top machine suggestion (a machine code of rank
   0) and no reviewer rejected it (no human code for the same theme with
   ``applies=False``).

Lower-ranked machine suggestions never count on their own. Findings with no
counted theme are left out of the results (use ``.get(pk, set())``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from stocktake.assess.models import Code, CodeOrigin


def _get(code: Any, name: str):
    return code[name] if isinstance(code, Mapping) else getattr(code, name)


def counted_themes(codes: Iterable[Any]) -> dict[int, set[int]]:
    """Map each finding id to the theme ids it counts towards (no database access).

    ``codes`` are Code objects or ``.values()`` rows with ``finding_id``,
    ``theme_id``, ``origin``, ``applies`` and ``rank``.
    """
    confirmed: dict[int, set[int]] = defaultdict(set)
    rejected: dict[int, set[int]] = defaultdict(set)
    suggested: dict[int, set[int]] = defaultdict(set)
    for code in codes:
        finding_id, theme_id = _get(code, "finding_id"), _get(code, "theme_id")
        origin, applies = _get(code, "origin"), _get(code, "applies")
        if origin == CodeOrigin.HUMAN:
            (confirmed if applies else rejected)[finding_id].add(theme_id)
        elif origin == CodeOrigin.MACHINE and _get(code, "rank") == 0:
            suggested[finding_id].add(theme_id)
    result: dict[int, set[int]] = {}
    for finding_id in set(confirmed) | set(suggested):
        themes = confirmed[finding_id] | (suggested[finding_id] - rejected[finding_id])
        if themes:
            result[finding_id] = themes
    return result


def findings_with_theme(counted: Mapping[int, set[int]], theme_id: int) -> set[int]:
    return {finding_id for finding_id, themes in counted.items() if theme_id in themes}


def theme_assignments(findings: QuerySet | Iterable) -> dict[int, set[int]]:
    """:func:`counted_themes` for the given findings, fetching their codes in one query.

    A queryset is used as a subquery (no list of ids sent to the database); the codes are
    read as tuples, the rule applied as in :func:`counted_themes`.
    """
    if isinstance(findings, QuerySet):
        codes = Code.objects.filter(finding_id__in=findings.order_by().values("pk"))
    else:
        ids = [f.pk for f in findings]
        if not ids:
            return {}
        codes = Code.objects.filter(finding_id__in=ids)
    rows = codes.values_list("finding_id", "theme_id", "origin", "applies", "rank")
    result: dict[int, set[int]] = {}
    rejected: set[tuple[int, int]] = set()
    suggested: list[tuple[int, int]] = []
    human, machine = CodeOrigin.HUMAN.value, CodeOrigin.MACHINE.value
    for finding_id, theme_id, origin, applies, rank in rows.iterator(chunk_size=10_000):
        if origin == human:
            if applies:
                result.setdefault(finding_id, set()).add(theme_id)
            else:
                rejected.add((finding_id, theme_id))
        elif origin == machine and rank == 0:
            suggested.append((finding_id, theme_id))
    for finding_id, theme_id in suggested:
        if (finding_id, theme_id) not in rejected:
            result.setdefault(finding_id, set()).add(theme_id)
    return result


def _rejected():
    return Code.objects.filter(finding_id=OuterRef("finding_id"), theme_id=OuterRef("theme_id"),
                               origin=CodeOrigin.HUMAN, applies=False)


COUNTS = Q(origin=CodeOrigin.HUMAN, applies=True) | (
    Q(origin=CodeOrigin.MACHINE, rank=0) & ~Exists(_rejected()))


def counted_codes(findings: QuerySet) -> QuerySet:
    """The codes of ``findings`` that make them count towards a theme, in SQL.

    The same rule as :func:`counted_themes` (a test checks they agree); a finding
    confirmed by a reviewer *and* suggested by the machine has two such codes, so
    count ``finding_id`` distinct.
    """
    return Code.objects.filter(COUNTS, finding__in=findings)


def with_theme(findings: QuerySet, theme_id: int) -> QuerySet:
    """``findings`` that count towards the theme (one subquery, not one probe per finding)."""
    return findings.filter(pk__in=Code.objects.filter(COUNTS, theme_id=theme_id)
                           .values("finding_id"))


def without_theme(findings: QuerySet) -> QuerySet:
    """``findings`` that count towards no theme ("not coded")."""
    return findings.exclude(pk__in=Code.objects.filter(COUNTS).values("finding_id"))
