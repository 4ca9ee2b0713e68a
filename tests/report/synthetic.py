"""Report data made in memory, of any size, for the renderers' tests and their timing.

No database: :func:`synthetic_report` fills every part of
:class:`~stocktake.report.data.ReportData` (narratives with lists and links,
quotes with sources, recommendations with owners, contacts, due dates and
citations, examples with merged duplicates, case studies, a published version).
"""

from __future__ import annotations

import datetime as dt

from stocktake.analysis.consensus import CONSISTENT, DISTINCTIVE, SHARED
from stocktake.report.data import (
    CaseStudyItem,
    Citation,
    ExampleRow,
    FrameworkEntry,
    Method,
    OrganisationRow,
    Participation,
    Quote,
    RecommendationItem,
    ReportData,
    RunInfo,
    SummaryItem,
    ThemeObservation,
    ThemeSection,
)

NARRATIVE = (
    "<h3>What changed</h3><p>Systems worked <strong>together</strong> and <em>fast</em>; "
    "see <a href=\"https://example.org/guide\" rel=\"noopener noreferrer\">the guide</a>.</p>"
    "<ul><li>One shared control room</li><li>Daily calls<ul><li>weekends too</li></ul></li></ul>"
    "<ol start=\"3\"><li>Third point</li><li>Fourth point</li></ol>"
    "<blockquote><p>We never closed.</p></blockquote><p>Code <code>A&amp;E</code> line<br>"
    "break.</p>"
)


def synthetic_report(*, themes: int = 6, systems: int = 4, recommendations: int = 12,
                     examples: int = 20, case_studies: int = 2, version: int | None = 2,
                     status: str = "tracking") -> ReportData:
    system_names = tuple(f"System {s + 1} Integrated Care System" for s in range(systems))
    organisations = tuple(
        OrganisationRow(name=f"Trust {s + 1}-{o + 1}", short_name=f"T{s + 1}{o + 1}",
                        system=name, submitted=True, finding_count=10 + o, invited=True)
        for s, name in enumerate(system_names) for o in range(2))
    participation = Participation(
        organisations=organisations, invited_count=len(organisations),
        submitted_count=len(organisations), submissions_submitted=len(organisations),
        systems=system_names, finding_count=100_000)
    per_theme = max(1, recommendations // max(themes, 1))
    number = 0
    observations, sections = [], []
    for t in range(themes):
        key = f"theme-{t + 1}"
        raised = system_names[:1 + t % systems]
        obs = ThemeObservation(
            key=key, name=f"Theme {t + 1}: working across the system", anchor=f"theme-{key}",
            systems=raised, organisation_count=2 * len(raised), finding_count=50 * (t + 1),
            pattern=(CONSISTENT, DISTINCTIVE, SHARED)[t % 3], total_systems=systems)
        recs = []
        for _ in range(per_theme if t < themes - 1 else recommendations - number):
            number += 1
            recs.append(RecommendationItem(
                number=number, text=f"Recommendation text {number}: agree one shared plan.",
                owner=f"Trust {number % 5 + 1}", status="open", status_label="Open",
                section="", theme_key=key, lead_contact=f"Lead {number}",
                due_date=dt.date(2026, 1 + number % 12, 1),
                citations=tuple(Citation(finding_id=number * 10 + c,
                                         text=f"Cited finding {c} for {number}.",
                                         organisation="Trust 1", source="returns.docx, row 4")
                                for c in range(7))))
        quotes = tuple(Quote(finding_id=t * 100 + q, text=f"Quote {q} about theme {t + 1}.",
                             organisation="Trust 1", system=system_names[0],
                             polarity="achievement", polarity_label="Achievement",
                             domain="People", source="returns.docx, table 2 row 4",
                             chosen=bool(q % 2))
                       for q in range(3))
        observations.append(obs)
        sections.append(ThemeSection(
            position=t + 1, key=key, name=obs.name, description="What this theme covers.",
            anchor=obs.anchor, observation=obs,
            polarity_counts={"achievement": 20 + t, "challenge": 30 - t % 30},
            narrative=(f"Raised in {len(raised)} systems.",), quotes=quotes,
            recommendations=tuple(recs), narrative_html=NARRATIVE if t % 2 == 0 else "",
            system_counts=tuple((name, 10 * (i + 1) + t) for i, name in enumerate(raised))))
    rows = tuple(ExampleRow(domain=f"Domain {e % 7}", system=system_names[e % systems],
                            organisation=f"Trust {e % 9}", title=f"Example {e + 1}",
                            synopsis="a short synopsis of what was done and why it helped.",
                            id=e + 1, merged_count=e % 3)
                 for e in range(examples))
    method = Method(
        framework_name="System learning review", framework_description="Six domains.",
        domains=(FrameworkEntry("people", "People", "Staff."),),
        themes=tuple(FrameworkEntry(o.key, o.name, "A theme.") for o in observations),
        human_codes=10, human_rejections=1, machine_codes=20, machine_best=15,
        findings_coded=90_000, findings_reviewed=5_000, findings_uncoded=10_000,
        latest_run=RunInfo("tfidf", 7, "Done", dt.datetime(2026, 2, 1, 9, 0), {}),
        session_count=4, template="12 submissions through the web form.",
        note_html="<p>Reviewers met <strong>weekly</strong>.</p>")
    return ReportData(
        title="Northmere winter learning review", slug="northmere", scope="Winter 2025.",
        opens_on=dt.date(2025, 11, 1), closes_on=dt.date(2026, 1, 31), status=status,
        status_label=status.capitalize(), region="Northmere region",
        generated_on=dt.date(2026, 3, 3), method_summary="A summary of the method.",
        participation=participation, observations=tuple(observations),
        theme_sections=tuple(sections), further_recommendations=(), examples=rows,
        method=method, summary_html=NARRATIVE,
        summary_observations=tuple(SummaryItem(text=f"Observation {i}.", theme_key=o.key,
                                               theme_name=o.name, anchor=o.anchor,
                                               systems=o.systems, organisation_count=3,
                                               total_systems=systems)
                                   for i, o in enumerate(observations[:5])),
        case_studies=tuple(CaseStudyItem(title=f"Case study {c + 1}", person="A ward sister",
                                         organisation="Trust 1", text="First.\n\nSecond.",
                                         anchor=f"case-study-{c + 1}")
                           for c in range(case_studies)),
        version=version, published_on=dt.date(2026, 3, 3) if version else None,
        change_note="Corrected recommendation 4's owner." if version else "")
