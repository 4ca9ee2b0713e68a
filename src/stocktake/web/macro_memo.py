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
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from jinja2 import BaseLoader, Environment, TemplateNotFound, Undefined
from markupsafe import Markup

PREFIX = "nhsuk/components/"
# Components whose parameters repeat from request to request (not tables or
# summary lists, which carry a page's own content).
MEMOISED = {
    "back-link": "backLink", "breadcrumb": "breadcrumb", "button": "button",
    "error-message": "errorMessage", "footer": "footer", "header": "header",
    "heading": "heading", "hint": "hint", "input": "input", "label": "label",
    "pagination": "pagination", "select": "select", "skip-link": "skipLink", "tag": "tag",
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


class MemoLoader(BaseLoader):
    """Serves the memoised components' ``macro.jinja``; every other name falls through."""

    def get_source(self, environment, template):
        parts = template.split("/")
        if (template.startswith(PREFIX) and len(parts) == 4 and parts[3] == "macro.jinja"
                and parts[2] in MEMOISED):
            source = MACRO % {"name": MEMOISED[parts[2]],
                              "template": f"{PREFIX}{parts[2]}/template.jinja"}
            return source, None, lambda: True
        raise TemplateNotFound(template)


def install(environment: Environment) -> None:
    """Give ``environment`` the memo the generated macros call."""
    environment.globals["render_component"] = ComponentMemo(environment)
