"""The report's examples appendix: best practice, by domain, system and title."""

from __future__ import annotations

from stocktake.collect.personal_data import hide_flagged
from stocktake.report.data import ExampleRow
from stocktake.report.queries import reportable_examples
from stocktake.reviews.models import Review
from stocktake.reviews.orgtree import OrgTree


def example_rows(review: Review, domains, systems: OrgTree) -> tuple[ExampleRow, ...]:
    domain_position = {d.pk: d.position for d in domains}
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
            ),
        ))
    return tuple(row for _, row in sorted(rows, key=lambda pair: pair[0]))
