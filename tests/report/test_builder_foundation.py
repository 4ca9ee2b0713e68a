"""The report builder's stored parts reach the built report: narratives, observations,
chosen evidence, citations, case studies, charts; and their actions' rules."""

from __future__ import annotations

import pytest

from stocktake.core.errors import EditConflict, InvalidInput
from stocktake.core.richtext import to_html, to_text
from stocktake.report import actions as report_actions
from stocktake.report.actions import builder
from stocktake.report.build import build_report
from stocktake.report.models import ReportText, TextKind


def test_narrative_markdown_is_rendered_and_sanitised():
    html = to_html("# Findings\n\nA **strong** <script>alert(1)</script> "
                   "[bad](javascript:alert(1)) [good](https://www.nhs.uk)\n\n- one\n- two")
    assert "<h3>Findings</h3>" in html  # a typed heading sits under the report's h2
    assert "<script>" not in html and "javascript:" not in html.replace("(javascript:", "")
    assert 'href="https://www.nhs.uk"' in html and "<li>one</li>" in html
    # Typed HTML is never applied: it prints as the text typed (as the editor's hint says).
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert to_text(html).startswith("Findings A strong")


def test_theme_narrative_reaches_its_section_and_edits_never_overwrite(coded, themes):
    lena, ravi = coded.users["lena"], coded.users["ravi"]
    text = builder.save_report_text(review=coded.review, kind=TextKind.THEME,
                                    theme=themes["technology"], source="Video *worked*.",
                                    by=lena, expected_revision=0)
    section = next(s for s in build_report(coded.review).theme_sections if s.key == "technology")
    assert section.narrative_html == "<p>Video <em>worked</em>.</p>"
    builder.save_report_text(review=coded.review, kind=TextKind.THEME, theme=themes["technology"],
                             source="Second", by=ravi, expected_revision=text.revision)
    with pytest.raises(EditConflict):  # lena's form still shows revision 1
        builder.save_report_text(review=coded.review, kind=TextKind.THEME,
                                 theme=themes["technology"], source="Third", by=lena,
                                 expected_revision=text.revision)
    assert ReportText.objects.get(pk=text.pk).source == "Second"
    with pytest.raises(InvalidInput):
        builder.save_report_text(review=coded.review, kind=TextKind.THEME, source="x", by=lena)


def test_chosen_quotes_replace_the_suggestion_in_order(coded, themes):
    lena = coded.users["lena"]
    video, hubs, _data = coded.findings["ashby"]
    theme = themes["technology"]
    builder.choose_quote(review=coded.review, theme=theme, finding=hubs, by=lena)
    second = builder.choose_quote(review=coded.review, theme=theme, finding=video, by=lena)
    builder.move_quote(quote=second, offset=-1, by=lena)
    section = next(s for s in build_report(coded.review).theme_sections if s.key == "technology")
    assert [q.finding_id for q in section.quotes] == [video.pk, hubs.pk]
    assert all(q.chosen for q in section.quotes)
    (draft,) = coded.findings["bracken"]  # a draft submission's finding never shows
    builder.choose_quote(review=coded.review, theme=theme, finding=draft, by=lena)
    section = next(s for s in build_report(coded.review).theme_sections if s.key == "technology")
    assert draft.pk not in [q.finding_id for q in section.quotes]


def test_summary_observations_count_their_theme_and_recommendations_cite(coded, themes):
    lena = coded.users["lena"]
    builder.add_summary_observation(review=coded.review, text="Video came to stay.",
                                    theme=themes["technology"], by=lena)
    builder.add_summary_observation(review=coded.review, text="A free-standing message.", by=lena)
    video, hubs, _ = coded.findings["ashby"]
    rec = report_actions.create_recommendation(
        review=coded.review, text="Keep video clinics.", by=lena, theme=themes["technology"],
        findings=[video, hubs])
    report_actions.update_recommendation(recommendation=rec, by=lena, lead_contact="Head of OP")
    data = build_report(coded.review)
    first, second = data.summary_observations
    assert first.text == "Video came to stay." and first.organisation_count == 1
    assert first.reach.startswith("Raised in 1 of")
    assert second.reach == ""
    item = next(r for r in data.recommendations if r.number == rec.number)
    assert [c.finding_id for c in item.citations] == sorted([video.pk, hubs.pk]) or \
        {c.finding_id for c in item.citations} == {video.pk, hubs.pk}
    assert item.lead_contact == "Head of OP" and item.theme_key == "technology"


def test_charts_come_from_the_sections(coded):
    data = build_report(coded.review)
    heat = data.heatmap
    assert heat.themes == tuple(s.name for s in data.theme_sections)
    assert len(heat.counts) == len(heat.themes)
    assert sum(map(sum, heat.counts)) >= 1
    assert sum(b.achievements + b.challenges + b.other for b in data.balance) == sum(
        s.observation.finding_count for s in data.theme_sections)
