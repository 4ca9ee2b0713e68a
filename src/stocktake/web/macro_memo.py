"""NHS.UK component macros, rendered once per distinct set of parameters.

The NHS.UK Jinja components are general and slow: the select macro calls
``nhsukAttributes`` for each of its options, so the findings filter's 200
organisations cost several milliseconds a request, and the header, buttons and
tags are drawn afresh on every page. The output of a component depends only on
its ``params``, so :class:`MemoLoader` serves each ``nhsuk/components/<name>/macro.jinja``
listed in :data:`MEMOISED` as a macro that hands its ``params`` to
:func:`render_component`, which keeps the rendered markup (in this process, at
most :data:`ENTRIES` of them, least recently used dropped first) under a key
built from the parameters' values and types. Parameters it cannot key (any
object but str, Markup, numbers, booleans, None, undefined, lists and dicts)
render without the memo; a ``{% call %}`` block renders through the package's
template as before. The markup is the package's own, byte for byte.

Summary lists carry a page's own content, so memoising them whole would rarely
hit; yet the package's macro costs about a millisecond for seven rows. For the
plain kind (rows of one-line text keys and values, nothing else)
:class:`SummaryLists` renders the package's template once per number of rows
with a marker in each slot and fills the slots with each page's escaped text; any
other summary list renders through the package's template.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

from jinja2 import BaseLoader, Environment, TemplateNotFound, Undefined
from markupsafe import Markup, escape

PREFIX = "nhsuk/components/"
# Components whose parameters repeat from request to request (not tables or
# summary lists, which carry a page's own content).
MEMOISED = {
    "back-link": "backLink", "breadcrumb": "breadcrumb", "button": "button",
    "checkboxes": "checkboxes", "error-message": "errorMessage", "footer": "footer",
    "header": "header", "heading": "heading", "hint": "hint", "input": "input",
    "label": "label", "pagination": "pagination", "radios": "radios", "select": "select",
    "skip-link": "skipLink", "tag": "tag",
}
ENTRIES = 4096
MACRO = """{%% macro %(name)s(params = {}) %%}
  {%%- if caller -%%}{%%- include "%(template)s" -%%}
  {%%- else -%%}{{ render_component("%(template)s", params) }}{%%- endif -%%}
{%% endmacro %%}"""


class Keyed(list):
    """A list of parameters keyed once, when made (a view keeps one, say a select's
    hundreds of options, and hands it to the macro on many requests): never change it."""

    def __init__(self, items=()):
        super().__init__(items)
        self.memo_key = ("l", *[_key(v) for v in self])


class Unkeyable(Exception):
    """A parameter the memo cannot tell apart from another by value."""


def _key(value):
    """A hashable stand-in for ``value`` that tells apart what renders differently.

    Plain strings stand for themselves and None for itself; everything else is a
    tuple tagged by its kind (so ``1``, ``1.0``, ``True``, ``"1"`` and ``Markup("1")``
    differ). The common kinds are tested by exact type first: a select's hundreds of
    options are keyed on every request."""
    kind = type(value)
    if kind is str or value is None:
        return value
    if kind is dict:
        return ("d", *[(k, _key(v)) for k, v in value.items()])
    if kind is list:
        return ("l", *[_key(v) for v in value])
    if kind is Keyed:
        return value.memo_key
    if kind is bool:
        return ("b", value)
    return _other_key(value)


def _other_key(value):
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, Markup):
        return ("m", str(value))
    if isinstance(value, str | int | float):
        return (type(value).__name__, value)
    if isinstance(value, Undefined):
        return ("u",)
    if isinstance(value, dict):
        return ("d", *[(k, _key(v)) for k, v in value.items()])
    if isinstance(value, list | tuple):
        return ("l", *[_key(v) for v in value])
    raise Unkeyable(type(value).__name__)


class ComponentMemo:
    """Rendered components by template and parameters (thread-safe, bounded)."""

    def __init__(self, environment: Environment, entries: int = ENTRIES):
        self.environment = environment
        self.entries = entries
        self._markup: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, template: str, params) -> Markup:
        try:
            key = (template, _key(params))
        except Unkeyable:
            return self._render(template, params)
        with self._lock:
            markup = self._markup.get(key)
            if markup is not None:
                self._markup.move_to_end(key)
                return markup
        markup = self._render(template, params)
        with self._lock:
            self._markup[key] = markup
            while len(self._markup) > self.entries:
                self._markup.popitem(last=False)
        return markup

    def _render(self, template: str, params) -> Markup:
        return Markup(self.environment.get_template(template).render(params=params))


SUMMARY_LIST = f"{PREFIX}summary-list/template.jinja"
SUMMARY_MACRO = """{%% macro summaryList(params = {}) %%}
  {%%- if caller -%%}{%%- include "%(template)s" -%%}
  {%%- else -%%}{{ render_summary_list(params) }}{%%- endif -%%}
{%% endmacro %%}""" % {"template": SUMMARY_LIST}
_SLOT = re.compile(r"stocktakeslot(\d+)x")


def plain_rows(params) -> list[str] | None:
    """The texts of a plain summary list (key, value, key, value …), each as the package's
    ``trim`` leaves it; None when anything else is asked for (classes, actions, html,
    Markup, an empty text or one of several lines, which the package indents)."""
    if type(params) is not dict or set(params) != {"rows"} or type(params["rows"]) is not list:
        return None
    texts = []
    for row in params["rows"]:
        if type(row) is not dict or set(row) != {"key", "value"}:
            return None
        for part in (row["key"], row["value"]):
            if type(part) is not dict or set(part) != {"text"} or type(part["text"]) is not str:
                return None
            text = part["text"].strip()
            if not text or text.splitlines() != [text]:
                return None
            texts.append(text)
    return texts


class SummaryLists:
    """Summary lists drawn by the package's template: the plain kind from a skeleton per
    number of rows (the package's own markup with a marker in each slot), filled with
    the escaped texts; anything else rendered as the package renders it."""

    def __init__(self, environment: Environment):
        self.environment = environment
        self._skeletons: dict[int, list[str]] = {}
        self._lock = threading.Lock()

    def __call__(self, params) -> Markup:
        texts = plain_rows(params)
        if texts is None:
            return self._render(params)
        parts = self._skeleton(len(texts) // 2)
        out = [parts[0]]
        for text, between in zip(texts, parts[1:]):
            out.append(escape(text))
            out.append(between)
        return Markup("".join(out))

    def _skeleton(self, rows: int) -> list[str]:
        with self._lock:
            parts = self._skeletons.get(rows)
        if parts is None:
            slots = [{"key": {"text": f"stocktakeslot{2 * n}x"},
                      "value": {"text": f"stocktakeslot{2 * n + 1}x"}} for n in range(rows)]
            pieces = _SLOT.split(str(self._render({"rows": slots})))
            if [int(n) for n in pieces[1::2]] != list(range(2 * rows)):
                raise RuntimeError("the summary list template no longer shows each text once")
            parts = pieces[0::2]
            with self._lock:
                self._skeletons[rows] = parts
        return parts

    def _render(self, params) -> Markup:
        return Markup(self.environment.get_template(SUMMARY_LIST).render(params=params))


class MemoLoader(BaseLoader):
    """Serves the memoised components' ``macro.jinja`` and the summary list's; every other
    name falls through."""

    def get_source(self, environment, template):
        parts = template.split("/")
        if (template.startswith(PREFIX) and len(parts) == 4 and parts[3] == "macro.jinja"
                and parts[2] in MEMOISED):
            source = MACRO % {"name": MEMOISED[parts[2]],
                              "template": f"{PREFIX}{parts[2]}/template.jinja"}
            return source, None, lambda: True
        if template == f"{PREFIX}summary-list/macro.jinja":
            return SUMMARY_MACRO, None, lambda: True
        raise TemplateNotFound(template)


def install(environment: Environment) -> None:
    """Give ``environment`` the memo and the summary lists the generated macros call."""
    environment.globals["render_component"] = ComponentMemo(environment)
    environment.globals["render_summary_list"] = SummaryLists(environment)
