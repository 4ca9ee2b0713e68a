import re

import pytest

from stocktake.analysis.consensus import classify
from stocktake.assess.themes import (
    theme_assignments,
)
from stocktake.collect.models import Polarity
from stocktake.report import actions as report_actions
from stocktake.report.build import (
    build_report,
    select_quotes,
)
from stocktake.report.data import (
    CONSISTENT,
    DISTINCTIVE,
    NOT_RAISED,
    SHARED,
    Quote,
)
from stocktake.report.queries import (
    reportable_findings,
)
from stocktake.report.render import (
    render_report_html,
)
from tests.report.codes import human
from tests.report.htmlcheck import check


def test_theme_assignments_follow_human_then_machine_rule(coded, themes):
    video, hubs, data = coded.findings["ashby"]
    (draft,) = coded.findings["bracken"]
    everything = theme_assignments(coded.review.findings.all())
    assert everything[video.pk] == {themes["technology"].pk}  # rank 1 does not count
    assert everything[hubs.pk] == {themes["staff-wellbeing"].pk}  # machine rejected by a human
    assert everything[data.pk] == {themes["regional-relationship"].pk}
    assert everything[draft.pk] == {themes["inequalities-vulnerable"].pk}
    # The report's own queryset leaves the draft out.
    assert draft.pk not in theme_assignments(reportable_findings(coded.review))
    # A reviewer rejecting the only counted theme leaves the finding with none: no entry.
    human(video, themes["technology"], applies=False)
    assert video.pk not in theme_assignments([video, hubs])
    assert theme_assignments([]) == {}


def test_report_data_uses_only_submitted_findings(coded, themes):
    data = build_report(coded.review)
    assert data.title == "Winter 2025 learning review"
    assert data.participation.finding_count == 3
    assert data.participation.invited_count == 0  # added as participants, never invited
    assert data.participation.submitted_count == 1
    assert data.participation.systems == ("Northfold Integrated Care System",)
    sections = {s.key: s for s in data.theme_sections}
    assert sections["inequalities-vulnerable"].observation.finding_count == 0
    assert sections["technology"].observation.finding_count == 1
    assert sections["technology"].polarity_counts[Polarity.ACHIEVEMENT] == 1
    assert [q.text[:5] for q in sections["staff-wellbeing"].quotes] == ["Staff"]
    assert data.method.human_codes == 2
    assert data.method.human_rejections == 1
    assert data.method.machine_codes == 4
    assert data.method.latest_run.backend == "tfidf"
    assert data.method.latest_run.seed == 7
    assert [e.title for e in data.examples] == [
        "Virtual outpatient clinic", "Round-the-clock rest hubs",
    ]


def test_report_html_has_title_sections_in_order_and_no_drafts(coded):
    html = render_report_html(coded.review)
    assert "Winter 2025 learning review" in html
    assert "DRAFT-ONLY" not in html
    keys = [t.key for t in coded.framework.themes.order_by("position")]
    positions = [html.index(f'id="theme-{key}"') for key in keys]
    assert positions == sorted(positions)
    assert html.index('id="theme-regional-relationship"') < html.index(
        'id="further-recommendations"') < html.index('id="appendix-examples"')


def test_examples_appendix_is_a_table(coded):
    html = render_report_html(coded.review)
    appendix = html[html.index('id="appendix-examples"'):html.index('id="appendix-method"')]
    assert "<caption id=\"table-examples\">" in appendix and "role=\"region\"" in appendix
    headers = re.findall(r'<th scope="col">([^<]+)</th>', appendix)
    assert headers == ["Domain", "System", "Example", "Synopsis"]
    assert "Virtual outpatient clinic" in appendix
    assert "Clinical and Quality Processes" in appendix
    assert "Northfold Integrated Care System" in appendix


def test_recommendations_out_of_reading_order_are_flagged_then_renumbered(coded):
    # The world numbers the regional recommendation (last theme) before staff wellbeing.
    data = build_report(coded.review)
    assert [r.number for r in data.recommendations] == [2, 1, 3]
    assert any("reading order" in w for w in data.warnings)

    changes = report_actions.renumber_recommendations(
        review=coded.review, by=coded.users["lena"]
    )
    assert changes == {1: 2, 2: 1}
    data = build_report(coded.review)
    assert [r.number for r in data.recommendations] == [1, 2, 3]
    assert data.warnings == ()
    assert data.further_recommendations[0].text.startswith("Publish the review")

    html = render_report_html(coded.review)
    start = html.index('id="theme-full-system-working"')
    body = html[start:html.index('id="recommendations-list"')]
    assert re.findall(r"Recommendation (\d+)</span>", body) == ["1", "2", "3"]
    assert body.index("Keep the rest hubs") < body.index("Agree one regional data request")


def test_html_is_well_formed_and_accessible(coded):
    html = render_report_html(coded.review)
    assert html.startswith("<!DOCTYPE html>")
    result = check(html)
    assert result.errors == []
    assert result.stack == []
    assert result.html_lang == "en-GB"  # British English, as in the Word and PDF files
    levels = [level for level, _ in result.headings]
    assert levels.count(1) == 1 and levels[0] == 1
    for previous, current in zip(levels, levels[1:]):
        assert current <= previous + 1, f"heading jumps from h{previous} to h{current}"
    assert result.tables >= 3
    assert set(result.table_first_child) == {"caption"}
    assert result.th_without_scope == 0
    assert result.external == []
    assert len(result.ids) == len(set(result.ids)), "ids must be unique"
    for href in result.links:
        assert href.startswith("#") and href[1:] in result.ids, href
    contents = html[html.index('id="contents-heading"'):html.index("</nav>")]
    for key in [t.key for t in coded.framework.themes.all()]:
        assert f'href="#theme-{key}"' in contents


def test_html_escapes_text(coded, domains):
    from stocktake.collect import actions as collect_actions

    collect_actions.add_example(
        review=coded.review, title="<script>alert(1)</script> & more", by=coded.users["lena"],
        domain=domains["governance"],
    )
    html = render_report_html(coded.review)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def test_empty_review_renders(world):
    from stocktake.reviews import actions as review_actions

    review = review_actions.create_review(
        title="Nothing yet", slug="nothing-yet", framework=world.framework,
        by=world.users["lena"],
    )
    data = build_report(review)
    assert data.participation.finding_count == 0
    assert any("No submitted findings" in w for w in data.warnings)
    assert check(render_report_html(review)).errors == []


def test_consistent_and_distinctive_classification(five_systems):
    data = build_report(five_systems)
    patterns = {o.key: (o.system_count, o.pattern) for o in data.observations}
    assert data.participation.system_count == 5
    assert patterns["full-system-working"] == (5, CONSISTENT)
    assert patterns["focus-on-place"] == (4, CONSISTENT)
    assert patterns["innovation-spread"] == (3, SHARED)
    assert patterns["technology"] == (2, DISTINCTIVE)
    assert patterns["staff-wellbeing"] == (1, DISTINCTIVE)
    assert patterns["new-workforce"] == (0, NOT_RAISED)
    assert [o.key for o in data.consistent] == ["full-system-working", "focus-on-place"]
    assert [o.key for o in data.distinctive] == ["technology", "staff-wellbeing"]

    html = render_report_html(five_systems)
    summary = html[html.index('id="summary"'):html.index('id="theme-full-system-working"')]
    consistent = summary[summary.index("Consistent messages"):summary.index("Distinctive messages")]
    assert "Full system working" in consistent and "A focus on place" in consistent
    assert "Continuous innovation" not in consistent
    section = next(s for s in data.theme_sections if s.key == "staff-wellbeing")
    assert any("distinctive to System 1 ICS" in sentence for sentence in section.narrative)


@pytest.mark.parametrize(
    ("raised", "total", "expected"),
    [
        (0, 5, NOT_RAISED),
        (1, 1, SHARED),  # one system alone: nothing to compare with
        (2, 2, CONSISTENT),
        (1, 2, DISTINCTIVE),
        (2, 3, SHARED),
        (3, 3, CONSISTENT),
        (10, 12, CONSISTENT),
        (9, 12, SHARED),
        (2, 12, DISTINCTIVE),
        (3, 12, SHARED),
    ],
)
def test_classify(raised, total, expected):
    assert classify(raised, total) == expected


def test_one_stray_finding_per_system_is_not_a_consistent_message():
    from stocktake.analysis.consensus import pattern_of

    every_system_once = {f"S{i}": 1 for i in range(5)}
    assert pattern_of(every_system_once, 5) == SHARED
    assert pattern_of({**every_system_once, "S0": 3, "S1": 2, "S2": 2, "S3": 2}, 5) == CONSISTENT
    assert pattern_of({"S0": 1}, 5) == DISTINCTIVE  # distinctiveness needs no minimum


def _quote(pk, org, polarity=Polarity.ACHIEVEMENT, length=100, system=None):
    return Quote(
        finding_id=pk, text="x" * length, organisation=org, system=system or f"{org} system",
        polarity=polarity, polarity_label=polarity, domain="",
    )


def test_select_quotes_prefers_diversity_and_is_deterministic():
    candidates = [
        _quote(1, "A", length=200),
        _quote(2, "A", length=300),
        _quote(3, "B", length=150),
        _quote(4, "C", Polarity.CHALLENGE, length=120),
        _quote(5, "D", length=2000),  # far too long
    ]
    chosen = select_quotes(candidates, 3)
    assert [q.finding_id for q in chosen] == [2, 4, 3]
    assert select_quotes(list(reversed(candidates)), 3) == chosen
    assert select_quotes(candidates, 10)[-1].finding_id == 1  # a second quote from A comes last
    assert select_quotes([], 3) == ()
