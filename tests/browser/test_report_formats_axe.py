"""The standalone HTML report with every part filled (narratives, charts, recommendations
with citations, appendices) passes axe (WCAG 2.2 AA) on screen, and its charts scale."""

from __future__ import annotations

import pytest

from stocktake.report.render.html import render_html
from tests.browser.test_journeys import axe_violations, browser  # noqa: F401 - fixture
from tests.report.synthetic import synthetic_report

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-journeys")]


@pytest.mark.parametrize("version", [None, 2])
def test_full_report_passes_axe(browser, version):  # noqa: F811 - the fixture
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_content(render_html(synthetic_report(themes=4, systems=5, version=version,
                                                  status="reporting")))
    assert axe_violations(page) == []
    for ident in ("chart-heatmap", "chart-balance"):
        box = page.locator(f"svg[aria-labelledby^='{ident}-title']").bounding_box()
        assert box and box["width"] <= 1280
    context.close()
