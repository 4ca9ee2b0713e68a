"""The report's summary of method, and the warnings shown to whoever prepares it."""

from __future__ import annotations

from stocktake.core.text import plural
from stocktake.report.build.recommendations import numbering_warnings
from stocktake.report.data import Method, Participation, RecommendationItem, ThemeSection


def method_summary(taking_part: Participation, method: Method, *, theme_count: int) -> str:
    findings = taking_part.finding_count
    coded = method.findings_coded
    summary = [
        f"{plural(taking_part.submitted_count, 'organisation')} in "
        f"{plural(taking_part.system_count, 'system')} sent "
        f"{plural(taking_part.submissions_submitted, 'submission')}, from which "
        f"{plural(findings, 'finding')} {'was' if findings == 1 else 'were'} drawn.",
        f"Each finding was coded against the {plural(theme_count, 'theme')} of the "
        f"{method.framework_name} framework; {plural(coded, 'finding')} "
        f"{'was' if coded == 1 else 'were'} coded to at least one theme.",
    ]
    run = method.latest_run
    if run is not None:
        summary.append(
            f"Automated analysis ({run.backend}, seed {run.seed}) suggested themes; "
            f"reviewers checked {plural(method.findings_reviewed, 'finding')}."
        )
    elif method.findings_reviewed:
        summary.append(f"Reviewers coded {plural(method.findings_reviewed, 'finding')}.")
    return " ".join(summary)


def warnings_for(sections: list[ThemeSection], further: tuple[RecommendationItem, ...], *,
                 finding_count: int) -> tuple[str, ...]:
    ordered = [r for s in sections for r in s.recommendations] + list(further)
    warnings = numbering_warnings([r.number for r in ordered])
    if not finding_count:
        warnings.append("No submitted findings yet: the report has nothing to summarise.")
    return tuple(warnings)
