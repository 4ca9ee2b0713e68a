"""The writing pages' read side agrees with the built report: each theme's reach counted in
SQL, one theme's facts and suggested quotes; and choosing several quotes at once."""

from __future__ import annotations

import pytest

from stocktake.core.errors import InvalidInput
from stocktake.report import writing
from stocktake.report.actions.writing import choose_quotes
from stocktake.report.build import build_report
from stocktake.report.models import EvidenceQuote


@pytest.mark.parametrize("which", ["coded", "five_systems"])
def test_reach_counted_in_sql_is_the_reports(request, which):
    fixture = request.getfixturevalue(which)
    review = fixture if which == "five_systems" else fixture.review
    built = build_report(review).observations
    assert writing.theme_observations(review) == list(built)
    assert any(o.finding_count for o in built)


def test_one_themes_facts_and_suggestions_are_the_reports(five_systems, coded, themes):
    for review in (five_systems, coded.review):
        built = {s.key: s for s in build_report(review).theme_sections}
        for key in ("full-system-working", "technology", "staff-wellbeing", "workforce"):
            if key not in themes:
                continue
            section = writing.theme_section(review, themes[key])
            assert section.narrative == built[key].narrative
            assert section.observation == built[key].observation
            assert section.quotes == built[key].quotes


def test_choose_quotes_keeps_order_and_refuses_drafts_whole(coded, themes):
    lena = coded.users["lena"]
    video, hubs, _ = coded.findings["ashby"]
    (draft,) = coded.findings["bracken"]
    theme = themes["technology"]
    with pytest.raises(InvalidInput, match="not from a submitted submission"):
        choose_quotes(review=coded.review, theme=theme, findings=[video, draft], by=lena)
    assert not EvidenceQuote.objects.filter(theme=theme).exists()  # all or nothing
    with pytest.raises(InvalidInput, match="at least one"):
        choose_quotes(review=coded.review, theme=theme, findings=[], by=lena)
    choose_quotes(review=coded.review, theme=theme, findings=[hubs, video], by=lena)
    assert list(EvidenceQuote.objects.filter(theme=theme).values_list("finding_id", flat=True)
                ) == [hubs.pk, video.pk]
