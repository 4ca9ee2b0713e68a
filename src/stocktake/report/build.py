"""Building the report's data from the database (a presenter: no HTML here)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.utils import timezone

from stocktake.analysis.consensus import classify as analysis_classify
from stocktake.analysis.consensus import pattern_of
from stocktake.assess.models import AnalysisRun, Code, CodeOrigin
from stocktake.assess.themes import theme_assignments
from stocktake.collect.models import Finding, Polarity, SubmissionStatus
from stocktake.core.text import lower_first, plural  # noqa: F401 - plural also used by callers
from stocktake.report.data import (
    CONSISTENT,
    CONSISTENT_SHARE,
    DISTINCTIVE,
    DISTINCTIVE_MAX,
    QUOTE_IDEAL_MAX,
    QUOTES_PER_THEME,
    ExampleRow,
    FrameworkEntry,
    Method,
    OrganisationRow,
    Participation,
    Quote,
    RecommendationItem,
    ReportData,
    RunInfo,
    ThemeObservation,
    ThemeSection,
)
from stocktake.report.queries import (
    reportable_examples,
    reportable_findings,
)
from stocktake.reviews.models import Review
from stocktake.reviews.orgtree import OrgTree

# --------------------------------------------------------------------------- helpers


def classify(system_count: int, total_systems: int, *, consistent_share: float = CONSISTENT_SHARE,
             distinctive_max: int = DISTINCTIVE_MAX) -> str:
    """Consistent (all or nearly all systems), distinctive (one or two), shared or not raised.

    With fewer than two systems taking part, nothing is consistent or distinctive.
    The definition lives in :func:`stocktake.analysis.consensus.classify`.
    """
    return analysis_classify(system_count, total_systems, consistent_share=consistent_share,
                             distinctive_max=distinctive_max)




def _count_phrase(count: int, singular: str) -> str:
    return f"no {singular}s" if count == 0 else plural(count, singular)


def join_names(names: Iterable[str]) -> str:
    names = list(names)
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _length_score(text: str) -> int:
    """Longer quotes say more, up to QUOTE_IDEAL_MAX characters; beyond it they lose ground."""
    length = len(text)
    return length if length <= QUOTE_IDEAL_MAX else 2 * QUOTE_IDEAL_MAX - length


def select_quotes(candidates: list[Quote], limit: int = QUOTES_PER_THEME) -> tuple[Quote, ...]:
    """Pick up to ``limit`` diverse quotes, deterministically.

    Greedy: each pick prefers, in order, an organisation not quoted yet, a
    polarity (achievement or challenge) not shown yet, a system not quoted
    yet, a length close to the ideal, and finally the earliest finding.
    """
    chosen: list[Quote] = []
    remaining = sorted(candidates, key=lambda q: q.finding_id)
    while remaining and len(chosen) < limit:
        orgs = {q.organisation for q in chosen}
        systems = {q.system for q in chosen}
        polarities = {q.polarity for q in chosen}

        def key(q: Quote):
            new_polarity = (
                q.polarity in (Polarity.ACHIEVEMENT, Polarity.CHALLENGE)
                and q.polarity not in polarities
            )
            return (
                q.organisation not in orgs,
                new_polarity,
                q.system not in systems,
                _length_score(q.text),
                -q.finding_id,
            )

        best = max(remaining, key=key)
        chosen.append(best)
        remaining.remove(best)
    return tuple(chosen)


def _recommendation_item(rec) -> RecommendationItem:
    return RecommendationItem(
        number=rec.number, text=rec.text, owner=rec.owner.name if rec.owner else "",
        status=rec.status, status_label=rec.get_status_display(), section=rec.section,
    )


def _narrative(name: str, obs: ThemeObservation, counts: Counter) -> tuple[str, ...]:
    if obs.finding_count == 0:
        theme = lower_first(name) if name else "this theme"
        return (f"No submitted findings were coded to {theme}.",)
    achievements = counts.get(Polarity.ACHIEVEMENT, 0)
    challenges = counts.get(Polarity.CHALLENGE, 0)
    other = obs.finding_count - achievements - challenges
    if achievements or challenges:
        parts = [_count_phrase(achievements, "achievement"),
                 _count_phrase(challenges, "challenge")]
        if other:
            parts.append(f"{other} mixed or neutral")
    else:
        parts = ["none was clearly an achievement or a challenge"]
    where = plural(obs.organisation_count, "organisation")
    if obs.total_systems == 1 and obs.system_count == 1:
        where += " in the one system that took part"
    elif obs.total_systems and obs.system_count == obs.total_systems:
        where += f" in all {obs.total_systems} systems"
    elif obs.total_systems:
        where += f" in {obs.system_count} of {obs.total_systems} systems"
    sentences = [
        f"{plural(obs.finding_count, 'finding')} from {where} "
        f"{'was' if obs.finding_count == 1 else 'were'} coded to this theme: "
        f"{join_names(parts)}."
    ]
    if obs.pattern == CONSISTENT:
        every = "every system" if obs.system_count == obs.total_systems else "nearly every system"
        sentences.append(f"This was a consistent message, raised by {every} that took part.")
    elif obs.pattern == DISTINCTIVE:
        sentences.append(f"This was distinctive to {join_names(obs.systems)}.")
    elif obs.systems:
        sentences.append(f"Systems involved: {join_names(obs.systems)}.")
    if achievements and challenges:
        lead = "Achievements outnumbered challenges" if achievements > challenges else (
            "Challenges outnumbered achievements" if challenges > achievements
            else "Achievements and challenges were reported in equal measure"
        )
        sentences.append(f"{lead}.")
    return tuple(sentences)


def _numbering_warnings(numbers: list[int]) -> list[str]:
    warnings = []
    if numbers != sorted(numbers):
        warnings.append(
            "Recommendation numbers do not follow the report's reading order "
            f"({', '.join(map(str, numbers))}); renumber them so they run on through the report."
        )
    if sorted(numbers) != list(range(1, len(numbers) + 1)):
        warnings.append("Recommendation numbers have gaps or do not start at 1.")
    return warnings


def _latest_run(review: Review) -> RunInfo | None:
    runs = AnalysisRun.objects.filter(review=review).order_by("-created_at", "-id")
    run = runs.filter(status=AnalysisRun.Status.DONE).first() or runs.first()
    if run is None:
        return None
    return RunInfo(
        backend=run.backend, seed=run.seed, status=run.get_status_display(),
        created_at=run.created_at, parameters=dict(run.parameters or {}),
    )


# --------------------------------------------------------------------------- build



def build_report(
    review: Review, *, quotes_per_theme: int = QUOTES_PER_THEME,
    consistent_share: float = CONSISTENT_SHARE, distinctive_max: int = DISTINCTIVE_MAX,
) -> ReportData:
    """Everything the report shows, computed from the database (submitted material only)."""
    tree = OrgTree.load()
    framework = review.framework
    themes = list(framework.themes.order_by("position", "id"))
    domains = list(framework.domains.order_by("position", "id"))

    findings = list(reportable_findings(review))
    assignments = theme_assignments(findings)

    # Participation
    submitted_orgs: set[int] = set()
    submissions_submitted = 0
    for org_id in review.submissions.filter(status=SubmissionStatus.SUBMITTED).values_list(
        "participant__organisation_id", flat=True
    ):
        submitted_orgs.add(org_id)
        submissions_submitted += 1
    findings_per_org = Counter(f.organisation_id for f in findings)
    rows = []
    for participant in review.participants.select_related("organisation"):
        org = participant.organisation
        rows.append(OrganisationRow(
            name=org.name, short_name=org.short_name, system=tree.system_name(org.pk),
            submitted=org.pk in submitted_orgs, finding_count=findings_per_org.get(org.pk, 0),
        ))
    rows.sort(key=lambda r: (r.system == "", r.system, r.name))
    taking_part = sorted({r.system for r in rows if r.submitted and r.system}
                         | {tree.system_name(f.organisation_id) for f in findings} - {""})
    total_systems = len(taking_part)
    participation = Participation(
        organisations=tuple(rows), invited_count=len(rows), submitted_count=len(submitted_orgs),
        submissions_submitted=submissions_submitted, systems=tuple(taking_part),
        finding_count=len(findings),
    )

    # Per theme
    by_theme: dict[int, list[Finding]] = {t.pk: [] for t in themes}
    for finding in findings:
        for theme_id in assignments.get(finding.pk, ()):
            if theme_id in by_theme:
                by_theme[theme_id].append(finding)

    recommendations = list(
        review.recommendations.select_related("owner", "theme").order_by("number", "id")
    )
    recs_by_theme: dict[int, list] = {t.pk: [] for t in themes}
    further = []
    for rec in recommendations:
        if rec.theme_id in recs_by_theme:
            recs_by_theme[rec.theme_id].append(rec)
        else:
            further.append(rec)

    observations, sections = [], []
    for position, theme in enumerate(themes, start=1):
        theme_findings = by_theme[theme.pk]
        theme_systems = sorted({tree.system_name(f.organisation_id) for f in theme_findings} - {""})
        obs = ThemeObservation(
            key=theme.key, name=theme.name, anchor=f"theme-{theme.key}",
            systems=tuple(theme_systems),
            organisation_count=len({f.organisation_id for f in theme_findings}),
            finding_count=len(theme_findings),
            pattern=pattern_of(
                Counter(tree.system_name(f.organisation_id) for f in theme_findings),
                total_systems, consistent_share=consistent_share, distinctive_max=distinctive_max),
            total_systems=total_systems,
        )
        counts = Counter(f.polarity for f in theme_findings)
        quotes = select_quotes([
            Quote(
                finding_id=f.pk, text=f.text, organisation=f.organisation.name,
                system=tree.system_name(f.organisation_id), polarity=f.polarity,
                polarity_label=f.get_polarity_display(), domain=f.domain.name if f.domain else "",
            )
            for f in theme_findings
        ], quotes_per_theme)
        observations.append(obs)
        sections.append(ThemeSection(
            position=position, key=theme.key, name=theme.name, description=theme.description,
            anchor=obs.anchor, observation=obs,
            polarity_counts={p: counts.get(p, 0) for p in Polarity.values},
            narrative=_narrative(theme.name, obs, counts), quotes=quotes,
            recommendations=tuple(_recommendation_item(r) for r in recs_by_theme[theme.pk]),
        ))

    # Examples appendix
    domain_position = {d.pk: d.position for d in domains}
    example_rows = []
    for ex in reportable_examples(review):
        example_rows.append((
            (ex.domain_id is None, domain_position.get(ex.domain_id, 0),
             tree.system_name(ex.organisation_id), ex.title.lower(), ex.pk),
            ExampleRow(
                domain=ex.domain.name if ex.domain else "",
                system=tree.system_name(ex.organisation_id),
                organisation=ex.organisation.name if ex.organisation else "",
                title=ex.title, synopsis=ex.synopsis,
            ),
        ))
    examples = tuple(row for _, row in sorted(example_rows, key=lambda pair: pair[0]))

    # Method appendix
    finding_ids = [f.pk for f in findings]
    code_counts = Counter(
        (origin, applies, rank == 0)
        for origin, applies, rank in Code.objects.filter(finding_id__in=finding_ids)
        .values_list("origin", "applies", "rank")
    )
    human_codes = sum(n for (o, a, _), n in code_counts.items() if o == CodeOrigin.HUMAN and a)
    human_rejections = sum(
        n for (o, a, _), n in code_counts.items() if o == CodeOrigin.HUMAN and not a
    )
    machine_codes = sum(n for (o, _, _), n in code_counts.items() if o == CodeOrigin.MACHINE)
    machine_best = sum(n for (o, _, b), n in code_counts.items() if o == CodeOrigin.MACHINE and b)
    findings_reviewed = (
        Code.objects.filter(finding_id__in=finding_ids, origin=CodeOrigin.HUMAN)
        .values("finding_id").distinct().count()
    )
    findings_coded = sum(1 for pk in finding_ids if assignments.get(pk))
    latest_run = _latest_run(review)
    method = Method(
        framework_name=framework.name, framework_description=framework.description,
        domains=tuple(FrameworkEntry(d.key, d.name, d.description) for d in domains),
        themes=tuple(FrameworkEntry(t.key, t.name, t.description) for t in themes),
        human_codes=human_codes, human_rejections=human_rejections,
        machine_codes=machine_codes, machine_best=machine_best,
        findings_coded=findings_coded, findings_reviewed=findings_reviewed,
        findings_uncoded=len(findings) - findings_coded, latest_run=latest_run,
    )

    summary = [
        f"{plural(participation.submitted_count, 'organisation')} in "
        f"{plural(total_systems, 'system')} sent "
        f"{plural(submissions_submitted, 'submission')}, from which "
        f"{plural(len(findings), 'finding')} {'was' if len(findings) == 1 else 'were'} drawn.",
        f"Each finding was coded against the {plural(len(themes), 'theme')} of the "
        f"{framework.name} framework; {plural(findings_coded, 'finding')} "
        f"{'was' if findings_coded == 1 else 'were'} coded to at least one theme.",
    ]
    if latest_run is not None:
        summary.append(
            f"Automated analysis ({latest_run.backend}, seed {latest_run.seed}) suggested themes; "
            f"reviewers checked {plural(findings_reviewed, 'finding')}."
        )
    elif findings_reviewed:
        summary.append(f"Reviewers coded {plural(findings_reviewed, 'finding')}.")

    ordered = [r for s in sections for r in s.recommendations] + [
        _recommendation_item(r) for r in further
    ]
    warnings = _numbering_warnings([r.number for r in ordered])
    if not findings:
        warnings.append("No submitted findings yet: the report has nothing to summarise.")

    return ReportData(
        title=review.title, slug=review.slug, scope=review.scope, opens_on=review.opens_on,
        closes_on=review.closes_on, status=review.status, status_label=review.get_status_display(),
        region=review.region.name if review.region else "", generated_on=timezone.localdate(),
        method_summary=" ".join(summary), participation=participation,
        observations=tuple(observations), theme_sections=tuple(sections),
        further_recommendations=tuple(_recommendation_item(r) for r in further),
        examples=examples, method=method, warnings=tuple(warnings),
    )


# --------------------------------------------------------------------------- HTML

