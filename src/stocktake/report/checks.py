"""What is still incomplete before the report is published: the publish checks (read only).

Each check is counted in the database (aggregates and ``Exists`` subqueries), so
a review of 100,000 findings is checked in well under a second; only the quote
check reads findings, and only those of themes whose quotes the report suggests
itself and that include a finding no reviewer has coded.

A check that finds something is *open*. Open checks of severity ``"open"`` make
publishing need a reason (``report.actions.publish_report``); ``"info"`` ones
are only shown. ``fix`` names the page where it is put right (a URL name that
the web layer resolves; a page missing from a build is left unlinked).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length

from stocktake.assess.models import Code, CodeOrigin
from stocktake.assess.themes import counted_codes
from stocktake.collect.models import (
    Finding,
    PersonalDataFlag,
    PersonalDataStatus,
    SubmissionStatus,
)
from stocktake.collect.personal_data import pending_flags, shown_text
from stocktake.core.text import plural
from stocktake.report.build.texts import chosen_quotes
from stocktake.report.build.themes import length_score, select_quotes
from stocktake.report.data import QUOTES_PER_THEME
from stocktake.report.models import CaseStudy, ReportText, TextKind
from stocktake.report.queries import reportable_examples, reportable_findings
from stocktake.reviews.models import Organisation, Review
from stocktake.reviews.orgtree import OrgTree

OPEN, INFO = "open", "info"


@dataclass(frozen=True)
class Check:
    """One publish check's result: ``count`` things found (0: passed)."""

    code: str
    title: str
    count: int
    message: str  # what was found, in a sentence ("" when it passed)
    fix: str  # URL name of the page to put it right
    fix_text: str
    severity: str = OPEN

    @property
    def passed(self) -> bool:
        return self.count == 0

    @property
    def blocks(self) -> bool:
        """Open and not merely for information: publishing then needs a reason."""
        return self.count > 0 and self.severity == OPEN

    def snapshot(self) -> dict:
        """What a version records of it (``ReportVersion.open_checks``)."""
        return {k: v for k, v in asdict(self).items()
                if k in ("code", "count", "message", "severity")}


def _unowned(review: Review) -> Check:
    count = review.recommendations.filter(owner__isnull=True).count()
    return Check(
        code="recommendations_without_owner", title="Recommendations have an owner", count=count,
        message=(f"{plural(count, 'recommendation')} {'has' if count == 1 else 'have'} "
                 "no owner organisation.") if count else "",
        fix="report_recommendations", fix_text="Set owners")


def _uncited(review: Review) -> Check:
    count = review.recommendations.filter(findings__isnull=True).count()
    return Check(
        code="recommendations_without_evidence", title="Recommendations cite evidence",
        count=count,
        message=(f"{plural(count, 'recommendation')} {'cites' if count == 1 else 'cite'} "
                 "no finding as evidence.") if count else "",
        fix="report_recommendations", fix_text="Cite findings")


def _without_narrative(review: Review) -> Check:
    written = ReportText.objects.filter(review=review, kind=TextKind.THEME,
                                        theme_id=OuterRef("pk")).exclude(html="")
    missing = list(review.framework.themes.filter(~Exists(written))
                   .order_by("position", "id").values_list("name", flat=True))
    count = len(missing)
    shown = ", ".join(missing[:5]) + (f" and {count - 5} more" if count > 5 else "")
    return Check(
        code="themes_without_narrative", title="Every theme has a narrative", count=count,
        message=(f"{plural(count, 'theme')} {'has' if count == 1 else 'have'} no narrative: "
                 f"{shown}.") if count else "",
        fix="report_write", fix_text="Write narratives")


def _human_code():
    return Code.objects.filter(finding_id=OuterRef("pk"), origin=CodeOrigin.HUMAN)


@dataclass(frozen=True)
class _Candidate:
    """What :func:`select_quotes` ranks a finding by, read as one row of a query."""

    finding_id: int
    organisation: str
    system: str
    polarity: str
    length: int  # of the text as the report shows it (undecided personal data replaced)


def quoted_finding_ids(review: Review, *, quotes_per_theme: int = QUOTES_PER_THEME) -> set[int]:
    """The findings the built report shows as quotes and that no reviewer has coded.

    Chosen quotes (``EvidenceQuote``) of submitted findings; for a theme with none chosen,
    the report's own suggestion (:func:`stocktake.report.build.themes.select_quotes`, on the
    same candidates, ranked by the same fields). Worked out only for themes counting a
    finding with machine codes alone (otherwise every suggestion is reviewed), and from
    rows of (id, organisation, polarity, length of text), never whole findings.
    """
    findings = reportable_findings(review)
    unreviewed = findings.filter(~Exists(_human_code()))
    chosen = chosen_quotes(review)
    found = set(unreviewed.filter(pk__in=[pk for ids in chosen.values() for pk in ids])
                .values_list("pk", flat=True))
    reviewed = set(Code.objects.filter(finding__review=review, origin=CodeOrigin.HUMAN)
                   .values_list("finding_id", flat=True))
    suggesting = {t.pk for t in review.framework.themes.all()} - {
        pk for pk, ids in chosen.items() if ids}
    # Every (theme, finding) the report counts, with what the suggestion ranks: one query.
    rows = (counted_codes(findings).filter(theme_id__in=suggesting).order_by()
            .values_list("theme_id", "finding_id", "finding__organisation_id",
                         "finding__polarity", Length("finding__text")))
    by_theme: dict[int, dict[int, tuple]] = {}
    for theme_id, pk, org_id, polarity, length in rows.iterator(chunk_size=10_000):
        by_theme.setdefault(theme_id, {})[pk] = (org_id, polarity, length)
    tree = OrgTree.load()
    names = dict(Organisation.objects.filter(findings__review=review).distinct()
                 .values_list("pk", "name"))
    shown = _shown_lengths(review)
    for candidates in by_theme.values():
        if reviewed.issuperset(candidates):
            continue  # every suggestion would be a reviewed finding
        picked = select_quotes(
            _contenders(candidates, names, tree, shown, quotes_per_theme), quotes_per_theme,
            length=lambda c: c.length)
        found |= {q.finding_id for q in picked} - reviewed
    return found


def _contenders(candidates: dict[int, tuple], names, tree, shown, limit: int) -> list[_Candidate]:
    """The candidates :func:`select_quotes` could pick: the best ``limit`` of each group of
    the same organisation, system and polarity (within a group its preferences are equal,
    so it takes them in order of length, then id). Exact, and a few hundred, not thousands."""
    groups: dict[tuple, list[_Candidate]] = {}
    for pk, (org_id, polarity, length) in candidates.items():
        candidate = _Candidate(finding_id=pk, organisation=names.get(org_id, ""),
                               system=tree.system_name(org_id), polarity=polarity,
                               length=shown.get(pk, length))
        groups.setdefault((candidate.organisation, candidate.system, polarity), []).append(
            candidate)
    kept = []
    for group in groups.values():
        group.sort(key=lambda c: (-length_score(c.length), c.finding_id))
        kept += group[:limit]
    return kept


def _shown_lengths(review: Review) -> dict[int, int]:
    """The shown length of each finding whose text has undecided personal data (replaced
    by placeholders in the report, which changes its length)."""
    pending = pending_flags(findings=PersonalDataFlag.objects.filter(
        review=review, status=PersonalDataStatus.FLAGGED, finding__isnull=False)
        .values_list("finding_id", flat=True).distinct(), review_id=review.pk)
    ids = {key[1] for key in pending if key[0] == "finding"}
    return {pk: len(shown_text(text, pending.get(("finding", pk, "text"), ())))
            for pk, text in Finding.objects.filter(pk__in=ids).values_list("pk", "text")}


def _machine_quotes(review: Review) -> Check:
    count = len(quoted_finding_ids(review))
    return Check(
        code="quotes_with_machine_codes_only", title="Quoted evidence is reviewed", count=count,
        message=(f"{plural(count, 'quoted finding')} {'is' if count == 1 else 'are'} coded only "
                 f"by the machine: no reviewer has confirmed {'its' if count == 1 else 'their'} "
                 "themes.") if count else "",
        fix="report_write", fix_text="Review the quotes")


def _personal_data(review: Review) -> Check:
    examples = reportable_examples(review).values("pk")
    studies = CaseStudy.objects.filter(review=review, consent_recorded=True,
                                       excluded=False).values("pk")
    count = (PersonalDataFlag.objects.filter(review=review, status=PersonalDataStatus.FLAGGED)
             .filter(Q(finding__submission__status=SubmissionStatus.SUBMITTED)
                     | Q(example__in=examples) | Q(recommendation__review=review)
                     | Q(case_study__in=studies)).count())
    return Check(
        code="personal_data_undecided", title="Personal data is redacted or kept", count=count,
        message=(f"{plural(count, 'item')} of flagged personal data in the report's findings, "
                 f"examples, recommendations and case studies {'is' if count == 1 else 'are'} "
                 "not yet redacted or kept.") if count else "",
        fix="personal_data", fix_text="Decide on personal data")


def _consent(review: Review) -> Check:
    count = CaseStudy.objects.filter(review=review, consent_recorded=False,
                                     excluded=False).count()
    return Check(
        code="case_studies_without_consent", title="Case studies have consent", count=count,
        message=(f"{plural(count, 'case study', 'case studies')} {'is' if count == 1 else 'are'} "
                 "stored without consent recorded and will not be published.") if count else "",
        fix="report_appendix", fix_text="Record consent", severity=INFO)


CHECKS = (_unowned, _uncited, _without_narrative, _machine_quotes, _personal_data, _consent)


def publish_checks(review: Review) -> tuple[Check, ...]:
    """Every publish check of the review, in the order the publish page lists them."""
    return tuple(check(review) for check in CHECKS)


def blocking(checks) -> tuple[Check, ...]:
    """The open checks that make publishing need a reason."""
    return tuple(c for c in checks if c.blocks)
