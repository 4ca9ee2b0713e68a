"""What the report's writing pages read (read only; the changes are in ``actions.builder``).

Each theme's reach (who raised it) is counted in SQL, without building the whole
report, by the same rules as :func:`stocktake.report.build.build_report` (a test
checks they agree); one theme's facts and suggested quotes reuse the report's own
theme builder on that theme's findings alone. Findings are reached through
``visible_to(access)``: a writer sees only what their role lets them see.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from stocktake.analysis.consensus import CONSISTENT_SHARE, DISTINCTIVE_MAX, pattern_of
from stocktake.assess.themes import counted_codes, theme_assignments, with_theme
from stocktake.collect.models import Finding, SubmissionStatus
from stocktake.collect.personal_data import hide_flagged
from stocktake.report.build.sources import source_of
from stocktake.report.build.themes import theme_parts
from stocktake.report.data import QUOTES_PER_THEME, SummaryItem, ThemeObservation, ThemeSection
from stocktake.report.models import (
    EvidenceQuote,
    Recommendation,
    ReportText,
    SummaryObservation,
    TextKind,
)
from stocktake.report.queries import reportable_findings
from stocktake.reviews.models import Review, Theme
from stocktake.reviews.orgtree import OrgTree
from stocktake.reviews.permissions import Access


@dataclass(frozen=True)
class ThemeStatus:
    """A theme's line on the writing index: how far its section has got."""

    position: int
    key: str
    name: str
    observation: ThemeObservation
    narrative_written: bool
    chosen_count: int
    recommendation_count: int


@dataclass(frozen=True)
class ChosenQuote:
    """A finding chosen as a theme's evidence, as the writing page shows it."""

    id: int  # the EvidenceQuote's
    finding_id: int
    text: str
    organisation: str
    system: str
    polarity: str
    source: str  # "returns.docx, table 2 row 4" ("" when typed in)
    in_report: bool  # False once its submission is no longer submitted: the report drops it


def reach(obs: ThemeObservation | None) -> str:
    """"Raised in 5 of 6 systems, by 23 organisations" (the report's own words; "" for none)."""
    if obs is None:
        return ""
    return SummaryItem(text="", theme_key=obs.key, systems=obs.systems,
                       organisation_count=obs.organisation_count,
                       total_systems=obs.total_systems).reach


def themes_of(review: Review) -> list[Theme]:
    """The framework's themes, in its order."""
    return list(review.framework.themes.order_by("position", "id"))


def theme_by_key(review: Review, key: str) -> Theme | None:
    return review.framework.themes.filter(key=key).first()


def _total_systems(review: Review, findings: QuerySet, systems: OrgTree) -> int:
    """Systems taking part, as the report counts them: those of organisations that submitted,
    and those findings came from."""
    orgs = set(review.submissions.filter(status=SubmissionStatus.SUBMITTED)
               .values_list("participant__organisation_id", flat=True))
    orgs |= set(findings.order_by().values_list("organisation_id", flat=True).distinct())
    return len({systems.system_name(org) for org in orgs} - {""})


def theme_observations(review: Review, themes: list[Theme] | None = None, *,
                       systems: OrgTree | None = None) -> list[ThemeObservation]:
    """Each theme's reach and pattern, as the report's observations say (counted in SQL)."""
    themes = themes_of(review) if themes is None else themes
    systems = systems or OrgTree.load()
    findings = reportable_findings(review).order_by()
    per_org: dict[int, Counter] = defaultdict(Counter)  # theme id -> organisation -> findings
    for theme_id, org_id, n in (counted_codes(findings)
                                .values_list("theme_id", "finding__organisation_id")
                                .annotate(n=Count("finding_id", distinct=True)).order_by()):
        per_org[theme_id][org_id] += n
    total = _total_systems(review, findings, systems)
    result = []
    for theme in themes:
        orgs = per_org.get(theme.pk, Counter())
        by_system: Counter = Counter()
        for org_id, n in orgs.items():
            by_system[systems.system_name(org_id)] += n
        result.append(ThemeObservation(
            key=theme.key, name=theme.name, anchor=f"theme-{theme.key}",
            systems=tuple(sorted(set(by_system) - {""})), organisation_count=len(orgs),
            finding_count=sum(orgs.values()),
            pattern=pattern_of(by_system, total, consistent_share=CONSISTENT_SHARE,
                               distinctive_max=DISTINCTIVE_MAX),
            total_systems=total,
        ))
    return result


def theme_statuses(review: Review, access: Access) -> list[ThemeStatus]:
    """Every theme's line on the writing index, in the framework's order."""
    themes = themes_of(review)
    written = set(ReportText.objects.filter(review=review, kind=TextKind.THEME)
                  .exclude(source="").values_list("theme_id", flat=True))
    chosen = Counter(EvidenceQuote.objects.filter(review=review)
                     .values_list("theme_id", flat=True))
    recs = Counter(Recommendation.objects.visible_to(access).exclude(theme=None)
                   .values_list("theme_id", flat=True))
    return [
        ThemeStatus(position=position, key=theme.key, name=theme.name, observation=obs,
                    narrative_written=theme.pk in written, chosen_count=chosen[theme.pk],
                    recommendation_count=recs[theme.pk])
        for position, (theme, obs) in enumerate(
            zip(themes, theme_observations(review, themes), strict=True), start=1)
    ]


def theme_section(review: Review, theme: Theme) -> ThemeSection:
    """The theme's section as the report builds it today: the facts it writes itself and the
    quotes it would suggest (recommendations left out: see :func:`theme_recommendations`)."""
    systems = OrgTree.load()
    findings = reportable_findings(review)
    theme_findings = hide_flagged(with_theme(findings, theme.pk))
    _observations, (section,) = theme_parts(
        [theme], theme_findings, theme_assignments(theme_findings), systems, {theme.pk: []},
        total_systems=_total_systems(review, findings, systems),
        quotes_per_theme=QUOTES_PER_THEME, consistent_share=CONSISTENT_SHARE,
        distinctive_max=DISTINCTIVE_MAX)
    return section


def theme_recommendations(access: Access, theme: Theme) -> list[Recommendation]:
    return list(Recommendation.objects.visible_to(access).filter(theme=theme)
                .select_related("owner").order_by("number", "id"))


def report_text(review: Review, kind: str, theme: Theme | None = None) -> ReportText | None:
    """The stored narrative of this kind (and theme), or None before anyone wrote one."""
    return ReportText.objects.filter(review=review, kind=kind, theme=theme).first()


def texts_written(review: Review) -> set[str]:
    """Which of the summary and the method note have been written ("summary", "method")."""
    return set(ReportText.objects.filter(review=review, theme=None).exclude(source="")
               .values_list("kind", flat=True))


def summary_observations(review: Review) -> list[SummaryObservation]:
    return list(SummaryObservation.objects.filter(review=review).select_related("theme")
                .order_by("position", "id"))


def chosen_evidence(access: Access, theme: Theme) -> list[ChosenQuote]:
    """The theme's chosen quotes, in order, for findings this user may see (flagged personal
    data replaced as it would be for them)."""
    rows = list(EvidenceQuote.objects.filter(
        theme=theme, finding__in=Finding.objects.visible_to(access)).order_by("position", "id"))
    findings = {f.pk: f for f in hide_flagged(
        Finding.objects.visible_to(access).filter(pk__in=[r.finding_id for r in rows])
        .select_related("organisation", "source_document", "submission"), access)}
    systems = OrgTree.load()
    return [
        ChosenQuote(id=row.pk, finding_id=f.pk, text=f.text, organisation=f.organisation.name,
                    system=systems.system_name(f.organisation_id),
                    polarity=f.get_polarity_display(), source=source_of(f),
                    in_report=f.submission.status == SubmissionStatus.SUBMITTED)
        for row in rows if (f := findings.get(row.finding_id)) is not None
    ]


def evidence_candidates(access: Access, theme: Theme, *, text: str = "",
                        polarity: str = "") -> QuerySet[Finding]:
    """The theme's submitted findings this user may see, whose text contains ``text`` (and of
    ``polarity``, if given), in the report's order (organisation, then place in its
    submission)."""
    findings = Finding.objects.visible_to(access).filter(
        review_id=access.review_id, submission__status=SubmissionStatus.SUBMITTED)
    if text:
        findings = findings.filter(text__icontains=text)
    if polarity:
        findings = findings.filter(polarity=polarity)
    return (with_theme(findings, theme.pk)
            .select_related("organisation", "source_document")
            .order_by("organisation__name", "position", "id"))


def chosen_finding_ids(theme: Theme) -> set[int]:
    return set(EvidenceQuote.objects.filter(theme=theme).values_list("finding_id", flat=True))


def reportable_finding(access: Access, finding_id: int) -> Finding | None:
    """A submitted finding of the review this user may see (what may become evidence)."""
    return (Finding.objects.visible_to(access)
            .filter(review_id=access.review_id, submission__status=SubmissionStatus.SUBMITTED,
                    pk=finding_id).first())


def summary_observation(review: Review, observation_id: int) -> SummaryObservation | None:
    return SummaryObservation.objects.filter(review=review, pk=observation_id).first()


def evidence_quote(theme: Theme, quote_id: int) -> EvidenceQuote | None:
    return (EvidenceQuote.objects.filter(theme=theme, pk=quote_id)
            .select_related("theme", "review").first())
