"""Reviewer coding controls on the finding page, and the "Review next" list."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from stocktake.analysis.calibration import calibrated, has_map
from stocktake.assess.models import CodeOrigin
from stocktake.collect.models import Polarity
from stocktake.reviews.orgtree import OrgTree
from stocktake.web.presenters.labels import origin_label, polarity_tag
from stocktake.web.presenters.links import finding_address, finding_url


def code_url(slug: str, finding_id: int) -> str:
    return finding_address("finding_code", slug, finding_id)


def polarity_url(slug: str, finding_id: int) -> str:
    return finding_address("finding_polarity", slug, finding_id)


@dataclass(frozen=True)
class CodingControls:
    """What a lead or reviewer can do in the finding page's coding panel."""

    action: str  # POST a theme decision here
    polarity_action: str
    add_items: list[dict]  # NHS.UK select items: themes no reviewer has decided on yet
    polarity_items: list[dict]
    polarity: str  # "Challenge (stated in the source)"
    messages: list[str]
    error: str


def coding_controls(*, slug: str, finding_id: int, themes: Sequence, decided: Iterable[str],
                    polarity: str, polarity_origin: str, messages: Sequence[str] = (),
                    error: str = "") -> CodingControls:
    """``themes`` are the framework's Theme objects in order; ``decided`` the keys of themes a
    reviewer has already decided on for this finding. Retired themes are not offered (what
    already names them keeps them)."""
    decided = set(decided)
    add_items = [{"value": "", "text": "Select a theme"}] + [
        {"value": t.key, "text": t.name} for t in themes
        if t.key not in decided and not getattr(t, "retired", False)
    ]
    polarity_items = [{"value": value, "text": label, "selected": value == polarity}
                      for value, label in Polarity.choices]
    return CodingControls(
        action=code_url(slug, finding_id),
        polarity_action=polarity_url(slug, finding_id),
        add_items=add_items if len(add_items) > 1 else [],
        polarity_items=polarity_items,
        polarity=f"{polarity_tag(polarity)['text']} ({origin_label(polarity_origin).lower()})",
        messages=list(messages),
        error=error,
    )


# -- review next -----------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    theme_key: str
    theme: str
    score: str
    right: str = ""  # top suggestion: how often one with this score was right (calibrated)


@dataclass(frozen=True)
class NextRow:
    id: int
    text: str
    href: str
    organisation: str
    candidates: list[Candidate]  # the top two machine suggestions, best first
    margin: str  # how far apart they are: small means the machine is unsure
    action: str


def _right(code) -> str:
    """How often a top suggestion with this score from this backend was right, or ""."""
    backend = code.analysis_run.backend if code.analysis_run_id else None
    if not has_map(backend):
        return ""
    return f"{round(100 * calibrated(code.score or 0, backend=backend))}%"


def next_rows(findings: Sequence, *, codes: Iterable, slug: str, tree: OrgTree) -> list[NextRow]:
    """Rows in the order of ``findings``; ``codes`` their machine codes (theme selected)."""
    by_finding: dict[int, list] = defaultdict(list)
    for code in codes:
        if code.origin == CodeOrigin.MACHINE:
            by_finding[code.finding_id].append(code)
    rows = []
    for finding in findings:
        top = sorted(by_finding.get(finding.id, []), key=lambda c: (c.rank, -(c.score or 0)))[:2]
        scores = [c.score or 0.0 for c in top] + [0.0, 0.0]
        rows.append(NextRow(
            id=finding.id, text=finding.text, href=finding_url(slug, finding.id),
            organisation=tree.name_with_system(finding.organisation_id),
            candidates=[Candidate(c.theme.key, c.theme.name, f"{c.score or 0:.2f}",
                                  _right(c) if i == 0 else "")
                        for i, c in enumerate(top)],
            margin=f"{scores[0] - scores[1]:.2f}" if top else "No suggestion",
            action=code_url(slug, finding.id),
        ))
    return rows
