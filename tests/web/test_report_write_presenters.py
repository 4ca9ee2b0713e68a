"""The writing pages' presenters, without the database."""

from __future__ import annotations

from types import SimpleNamespace

from stocktake.report.data import ThemeObservation
from stocktake.web.presenters import report_write as present


def _obs(key="tech", systems=("A", "B"), orgs=3, findings=5, total=4):
    return ThemeObservation(key=key, name=key.title(), anchor=f"theme-{key}", systems=systems,
                            organisation_count=orgs, finding_count=findings, pattern="shared",
                            total_systems=total)


def test_reach_in_the_reports_words_and_short():
    assert present.reach(_obs()) == "Raised in 2 of 4 systems, by 3 organisations"
    assert present.reach(None) == ""
    assert present.short_reach(_obs()) == "2 of 4 systems, 3 organisations"
    assert present.short_reach(_obs(systems=(), orgs=0, findings=0)) == "Not raised"
    assert present.short_reach(_obs(total=0, orgs=1)) == "1 organisation"


def test_observation_rows_know_their_ends_and_reach():
    theme = SimpleNamespace(key="tech", name="Tech")
    rows = [SimpleNamespace(pk=1, text="One", theme_id=7, theme=theme, revision=2),
            SimpleNamespace(pk=2, text="Two", theme_id=None, theme=None, revision=1)]
    first, second = present.observation_rows(rows, [_obs()])
    assert (first.first, first.last, second.first, second.last) == (True, False, False, True)
    assert first.reach.startswith("Raised in 2 of 4") and first.theme == "Tech"
    assert second.reach == "" and second.theme == ""


def test_text_editor_starts_empty_or_from_the_stored_text():
    assert present.TextEditor.of(None) == present.TextEditor(source="", revision=0)
    stored = SimpleNamespace(source="**x**", revision=3, html="<p><strong>x</strong></p>")
    editor = present.TextEditor.of(stored)
    assert (editor.source, editor.revision, editor.saved_html) == (
        "**x**", 3, "<p><strong>x</strong></p>")


def test_theme_items_offer_no_theme_first():
    themes = [SimpleNamespace(pk=4, name="Tech"), SimpleNamespace(pk=5, name="Place")]
    items = present.theme_items(themes, 5)
    assert items[0]["value"] == "" and not items[0]["selected"]
    assert [i["selected"] for i in items[1:]] == [False, True]
