"""The memoised NHS.UK components draw exactly what the package's macros draw."""

from __future__ import annotations

import pytest
from django.template import engines
from jinja2 import ChainableUndefined, Environment, PackageLoader
from markupsafe import Markup

from stocktake.web import macro_memo

PACKAGE = Environment(loader=PackageLoader("nhsuk_frontend_jinja"), autoescape=True,
                      undefined=ChainableUndefined)

CALLS = [
    ("select", "select", {"id": "org", "name": "org", "label": {"text": "Organisation"},
                          "items": [{"value": "", "text": "Any", "selected": True},
                                    {"value": "1", "text": "A & B <Trust>", "selected": False}],
                          "errorMessage": None}),
    ("select", "select", {"id": "org", "name": "org", "label": {"text": "Organisation"},
                          "items": [{"value": "1", "text": "A", "selected": True}],
                          "errorMessage": "Select an organisation"}),
    ("tag", "tag", {"text": "Challenge", "classes": "nhsuk-tag--orange"}),
    ("tag", "tag", {"html": Markup("<b>bold</b>")}),
    ("tag", "tag", {"text": "<b>bold</b>"}),
    ("button", "button", {"text": "Apply filters", "classes": "nhsuk-u-margin-bottom-3"}),
    ("label", "label", {"text": "Theme", "for": "theme"}),
    ("input", "input", {"id": "q", "name": "q", "label": {"text": "Text"}, "value": "x",
                        "spellcheck": False}),
    ("pagination", "pagination", {"previous": {"href": "?page=1"}, "next": {"href": "?page=3"}}),
    ("radios", "radios", {"idPrefix": "status", "name": "status",
                          "fieldset": {"legend": {"text": "Status"}},
                          "items": [{"value": "a", "text": "Agreed", "checked": True},
                                    {"value": "b", "text": "In <progress>", "checked": False}],
                          "errorMessage": {"text": "Choose a status"}}),
    ("checkboxes", "checkboxes", {"idPrefix": "overdue", "name": "overdue",
                                  "classes": "nhsuk-checkboxes--small",
                                  "items": [{"value": "1", "text": "Overdue only",
                                             "checked": False}]}),
]


def draw(environment: Environment, component: str, macro: str, params) -> str:
    source = (f'{{% from "nhsuk/components/{component}/macro.jinja" import {macro} %}}'
              f"{{{{ {macro}(params) }}}}")
    return environment.from_string(source).render(params=params)


@pytest.mark.parametrize(("component", "macro", "params"), CALLS)
def test_memoised_component_draws_what_the_package_draws(component, macro, params):
    ours = engines["jinja2"].env
    assert component in macro_memo.MEMOISED
    expected = draw(PACKAGE, component, macro, params)
    assert draw(ours, component, macro, params) == expected  # drawn, then kept
    assert draw(ours, component, macro, params) == expected  # from the memo


def test_markup_and_text_with_the_same_characters_are_kept_apart():
    ours = engines["jinja2"].env
    as_html = draw(ours, "tag", "tag", {"text": Markup("<b>x</b>")})
    as_text = draw(ours, "tag", "tag", {"text": "<b>x</b>"})
    assert "<b>x</b>" in as_html and "&lt;b&gt;" in as_text


def test_parameters_it_cannot_key_are_drawn_without_the_memo():
    ours = engines["jinja2"].env
    memo = ours.globals["render_component"]
    before = len(memo._markup)
    params = {"text": "Done", "attributes": {"data-x": object()}}
    assert "Done" in draw(ours, "button", "button", params)
    assert len(memo._markup) == before


def test_a_call_block_is_drawn_by_the_package_template():
    ours = engines["jinja2"].env
    source = ('{% from "nhsuk/components/tag/macro.jinja" import tag %}'
              '{% call tag({"classes": "x"}) %}inside{% endcall %}')
    assert "inside" in ours.from_string(source).render()


def test_the_memo_keeps_a_bounded_number_of_drawings():
    memo = macro_memo.ComponentMemo(engines["jinja2"].env, entries=3)
    for n in range(10):
        memo("nhsuk/components/tag/template.jinja", {"text": str(n)})
    assert len(memo._markup) == 3


def test_keys_tell_apart_what_renders_differently():
    values = ["1", 1, 1.0, True, None, Markup("1"), ["1"], ["1", "2"], [["1"]],
              {"a": "1"}, {"a": 1}, {"a": ["1"]}, ["d", ["a", "1"]], "l", ["l"], [None], []]
    keys = [macro_memo._key(v) for v in values]
    assert len(set(keys)) == len(values)  # every value above renders differently
    assert macro_memo._key(("1", "2")) == macro_memo._key(["1", "2"])  # these render alike


def test_a_keyed_list_is_keyed_and_drawn_like_a_list():
    ours = engines["jinja2"].env
    items = [{"value": "1", "text": "A & B", "selected": True}, {"value": "2", "text": "C"}]
    params = {"id": "o", "name": "o", "label": {"text": "O"}, "items": items}
    assert macro_memo._key(macro_memo.Keyed(items)) == macro_memo._key(items)
    plain = draw(PACKAGE, "select", "select", params)
    assert draw(ours, "select", "select", {**params, "items": macro_memo.Keyed(items)}) == plain


def _rows(*pairs):
    return [{"key": {"text": k}, "value": {"text": v}} for k, v in pairs]


SUMMARY_LISTS = [
    {"rows": []},
    {"rows": _rows(("Organisation", "Ashby General"))},
    {"rows": _rows(("Organisation", "A & B <Trust> \"quoted\" 'single'"), ("System", "Not in a system"),
                   ("Domain", "  padded text\t "), ("Section", "Key achievements"),
                   ("Polarity", "Challenge (machine)"), ("Source", "report.docx"),
                   ("Location", "Page 3, paragraph 2"))},
    {"rows": _rows(("Unicode", "Ŵelsh café\u00a0– “quotes”"), ("Markers", "stocktakeslot0x"))},
    # not plain: each drawn by the package's template as it is
    {"rows": _rows(("Several", "first line\nsecond line"))},
    {"rows": _rows(("Empty", ""))},
    {"rows": _rows(("Spaces", "   "))},
    {"rows": [{"key": {"text": "Html"}, "value": {"html": Markup("<b>bold</b>")}}]},
    {"rows": [{"key": {"text": "Markup"}, "value": {"text": Markup("<b>bold</b>")}}]},
    {"rows": [{"key": "A string key", "value": "A string value"}]},
    {"rows": _rows(("With", "classes")), "classes": "nhsuk-u-margin-bottom-0"},
    {"rows": [{"key": {"text": "Name"}, "value": {"text": "Sam"},
               "actions": {"items": [{"href": "#", "text": "Change"}]}}]},
    {"rows": _rows(("No", "border")), "border": False},
]


@pytest.mark.parametrize("params", SUMMARY_LISTS)
def test_summary_lists_draw_what_the_package_draws(params):
    ours = engines["jinja2"].env
    expected = draw(PACKAGE, "summary-list", "summaryList", params)
    assert draw(ours, "summary-list", "summaryList", params) == expected
    assert draw(ours, "summary-list", "summaryList", params) == expected  # from a skeleton


def test_only_plain_summary_lists_are_filled_into_a_skeleton():
    assert macro_memo.plain_rows({"rows": _rows(("a", " b "))}) == ["a", "b"]
    for params in SUMMARY_LISTS[4:]:
        assert macro_memo.plain_rows(params) is None, params
