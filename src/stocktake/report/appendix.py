"""The best-practice appendix as the report builder curates it (read-only).

The examples the report will print (:func:`stocktake.report.queries.reportable_examples`)
in report order — domain, system, title —, what was merged into each, those left out,
and the pairs that look like duplicates of each other.

Likely duplicates come from :mod:`stocktake.analysis.duplicate_titles` (normalised words,
TF-IDF cosine, an exact search without an n × n matrix: 2,000 examples take well under a
second, benchmarks/example_duplicates.py); pairs in the same domain and system come first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q

from stocktake.analysis import duplicate_titles
from stocktake.collect.models import Example, SubmissionStatus
from stocktake.report.queries import reportable_examples
from stocktake.reviews.models import Review
from stocktake.reviews.orgtree import OrgTree


@dataclass(frozen=True)
class DuplicatePair:
    first: int  # example ids, first < second
    second: int
    score: float  # the higher of the two cosines, 0–1
    same_domain: bool
    same_system: bool


def report_order(examples: Sequence[Example], tree: OrgTree) -> list[Example]:
    """``examples`` as the report prints them: by domain (in framework order, then those
    without one), system, title."""
    return sorted(examples, key=lambda e: (
        e.domain_id is None, e.domain.position if e.domain_id else 0,
        tree.system_name(e.organisation_id), e.title.casefold(), e.pk))


def appendix_examples(review: Review, tree: OrgTree) -> list[Example]:
    """The examples the report will print, in its order (domain and organisation selected)."""
    return report_order(list(reportable_examples(review)), tree)


def left_out_examples(review: Review):
    """Examples a reviewer left out of the appendix (submitted material only), by title."""
    return (Example.objects.filter(review=review, excluded=True, merged_into__isnull=True)
            .filter(Q(submission__isnull=True) | Q(submission__status=SubmissionStatus.SUBMITTED))
            .select_related("domain", "organisation").order_by("title", "id"))


def merged_into(review: Review, kept_ids: Sequence[int]) -> dict[int, list[Example]]:
    """The examples merged into each of ``kept_ids`` (by id), oldest first."""
    found: dict[int, list[Example]] = defaultdict(list)
    rows = (Example.objects.filter(review=review, merged_into_id__in=list(kept_ids))
            .select_related("organisation").order_by("id"))
    for example in rows:
        found[example.merged_into_id].append(example)
    return found


def likely_duplicates(examples: Sequence[Example], tree: OrgTree, *,
                      limit: int = duplicate_titles.MAX_PAIRS) -> list[DuplicatePair]:
    """Pairs of ``examples`` whose titles, or titles and synopses, are near-identical:
    same domain and system first, then the most alike."""
    found = duplicate_titles.likely_duplicates([e.title for e in examples],
                                               [e.synopsis for e in examples], limit=limit)
    pairs = []
    for (a, b), score in found.items():
        first, second = sorted((examples[a], examples[b]), key=lambda e: e.pk)
        pairs.append(DuplicatePair(
            first=first.pk, second=second.pk, score=score,
            same_domain=first.domain_id == second.domain_id,
            same_system=tree.system_name(first.organisation_id)
            == tree.system_name(second.organisation_id)))
    pairs.sort(key=lambda p: (not p.same_domain, not p.same_system, -p.score, p.first, p.second))
    return pairs[:limit]


def duplicates_by_example(pairs: Sequence[DuplicatePair]) -> dict[int, list[tuple[int, float]]]:
    """For each example id, the ids it may duplicate with their scores, most alike first."""
    found: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for pair in pairs:
        found[pair.first].append((pair.second, pair.score))
        found[pair.second].append((pair.first, pair.score))
    for matches in found.values():
        matches.sort(key=lambda m: (-m[1], m[0]))
    return found
