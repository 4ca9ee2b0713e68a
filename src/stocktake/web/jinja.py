"""The Jinja2 environment for every page: NHS.UK macros, url(), static(), notices(), csrf."""

from __future__ import annotations

from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from stocktake.web import macro_memo
from stocktake.web.presenters.notices import notices


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options) -> Environment:
    loader = options.pop("loader")
    options["undefined"] = ChainableUndefined
    env = Environment(
        loader=ChoiceLoader([loader, macro_memo.MemoLoader(), PackageLoader("nhsuk_frontend_jinja")]),
        **options,
    )
    env.globals.update({"static": static, "url": url, "notices": notices})
    macro_memo.install(env)
    return env
