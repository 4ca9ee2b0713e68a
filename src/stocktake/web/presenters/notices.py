"""Notices: the messages a POST left for the next page, read in one place.

Views add them with ``django.contrib.messages``; layout.html shows them at the top
of every full page (one notification banner each) through :func:`notices`, a
Jinja global. Reading them marks them shown, so only full pages read them:
HTMX partials and POST handlers leave them for the page that follows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages


@dataclass(frozen=True)
class Notice:
    text: str
    success: bool  # a success banner; anything else is an "Important" one
    # Where a page that shows notices beside its forms puts it (the message's
    # ``extra_tags``, e.g. "polarity" on the finding page); "" for the page's top.
    place: str = ""
    error: bool = False


def notices(request) -> list[Notice]:
    """The request's notices; reading them again in the same request gives the same list."""
    if request is None:
        return []
    return [Notice(text=str(m), success=m.level == messages.SUCCESS, place=m.extra_tags or "",
                   error=m.level == messages.ERROR)
            for m in messages.get_messages(request)]
