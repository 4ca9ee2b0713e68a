"""The report's method appendix: the framework, how findings were coded, the latest run."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q

from stocktake.assess.models import AnalysisRun, Code, CodeOrigin
from stocktake.collect.models import Submission, SubmissionStatus
from stocktake.core.text import join_names, plural
from stocktake.reflection.models import ReflectionSession, SessionFinding, SessionStatus
from stocktake.report.data import FrameworkEntry, Method, RunInfo
from stocktake.report.queries import reportable_findings
from stocktake.reviews.models import Review


def latest_run(review: Review) -> RunInfo | None:
    runs = AnalysisRun.objects.filter(review=review).order_by("-created_at", "-id")
    run = runs.filter(status=AnalysisRun.Status.DONE).first() or runs.first()
    if run is None:
        return None
    return RunInfo(
        backend=run.backend, seed=run.seed, status=run.get_status_display(),
        created_at=run.created_at, parameters=dict(run.parameters or {}),
    )


def how_submitted(review: Review) -> str:
    """How submissions reached the review, in words (the template and routes used)."""
    rows = (Submission.objects.filter(review=review, status=SubmissionStatus.SUBMITTED)
            # a reflection session's findings are not a submission (counted as sessions)
            .exclude(pk__in=SessionFinding.objects.filter(session__review=review)
                     .values("finding__submission_id"))
            .values_list("source_document__format", flat=True))
    formats = Counter(fmt or "" for fmt in rows)
    typed = formats.pop("", 0)
    parts = []
    if typed:
        parts.append(f"{plural(typed, 'submission')} through the web form, which asks the "
                     "framework's questions domain by domain")
    if formats:
        listed = join_names([f"{n} {FORMAT_NAMES.get(fmt, fmt.upper())}"
                             for fmt, n in sorted(formats.items())])
        parts.append(f"{plural(sum(formats.values()), 'submission')} as documents ({listed}), "
                     "many on the review's Word template generated from the framework")
    return (join_names(parts)[:1].upper() + join_names(parts)[1:] + ".") if parts else ""


FORMAT_NAMES = {"docx": "Word", "xlsx": "Excel", "pdf": "PDF", "txt": "text", "csv": "CSV",
                "html": "web page", "md": "Markdown"}


def method_appendix(review: Review, themes, domains, findings, assignments, *,
                    note_html: str = "") -> Method:
    framework = review.framework
    # Counted in the database over the reportable findings (a subquery, not a list of ids).
    counts = Code.objects.filter(
        finding_id__in=reportable_findings(review).order_by().values("pk")).aggregate(
        human_codes=Count("pk", filter=Q(origin=CodeOrigin.HUMAN, applies=True)),
        human_rejections=Count("pk", filter=Q(origin=CodeOrigin.HUMAN, applies=False)),
        machine_codes=Count("pk", filter=Q(origin=CodeOrigin.MACHINE)),
        machine_best=Count("pk", filter=Q(origin=CodeOrigin.MACHINE, rank=0)),
        findings_reviewed=Count("finding_id", filter=Q(origin=CodeOrigin.HUMAN), distinct=True),
    )
    human_codes, human_rejections = counts["human_codes"], counts["human_rejections"]
    machine_codes, machine_best = counts["machine_codes"], counts["machine_best"]
    findings_reviewed = counts["findings_reviewed"]
    findings_coded = sum(1 for f in findings if assignments.get(f.pk))
    return Method(
        framework_name=framework.name, framework_description=framework.description,
        domains=tuple(FrameworkEntry(d.key, d.name, d.description) for d in domains),
        themes=tuple(FrameworkEntry(t.key, t.name, t.description) for t in themes),
        human_codes=human_codes, human_rejections=human_rejections,
        machine_codes=machine_codes, machine_best=machine_best,
        findings_coded=findings_coded, findings_reviewed=findings_reviewed,
        findings_uncoded=len(findings) - findings_coded, latest_run=latest_run(review),
        template=how_submitted(review), note_html=note_html,
        session_count=ReflectionSession.objects.filter(
            review=review, status=SessionStatus.HELD).count(),
    )
