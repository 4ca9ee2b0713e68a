"""The report's examples appendix: best practice, by domain, system and title."""

from __future__ import annotations

from stocktake.collect.models import Example
from stocktake.collect.personal_data import hide_flagged
from stocktake.report.data import ExampleRow
from stocktake.report.queries import reportable_examples
from stocktake.reviews.models import Review
from stocktake.reviews.orgtree import OrgTree


def _also_from(review: Review) -> dict[int, list[str]]:
    """For each example others were merged into, their organisations' names (once each)."""
    found: dict[int, list[str]] = {}
    merged = (Example.objects.filter(review=review, merged_into__isnull=False,
                                     organisation__isnull=False)
              .order_by("organisation__name").values_list("merged_into_id", "organisation__name"))
    for kept, name in merged:
        names = found.setdefault(kept, [])
        if name not in names:
            names.append(name)
    return found


def example_rows(review: Review, domains, systems: OrgTree) -> tuple[ExampleRow, ...]:
    domain_position = {d.pk: d.position for d in domains}
    also_from = _also_from(review)
    rows = []
    for ex in hide_flagged(reportable_examples(review)):  # undecided personal data replaced
        rows.append((
            (ex.domain_id is None, domain_position.get(ex.domain_id, 0),
             systems.system_name(ex.organisation_id), ex.title.lower(), ex.pk),
            ExampleRow(
                domain=ex.domain.name if ex.domain else "",
                system=systems.system_name(ex.organisation_id),
                organisation=ex.organisation.name if ex.organisation else "",
                title=ex.title, synopsis=ex.synopsis, id=ex.pk,
                merged_count=getattr(ex, "merged_count", 0),
                also_from=tuple(name for name in also_from.get(ex.pk, ())
                                if not ex.organisation or name != ex.organisation.name),
            ),
        ))
    return tuple(row for _, row in sorted(rows, key=lambda pair: pair[0]))
