"""The findings list's filters as one query: the web list uses it, and the CLI and
the coming API can too.

Callers scope first and pass the findings the user may see (``Finding.objects
.visible_to(access)``); every step here only narrows that queryset, so nothing
outside it can come back. The theme step stands alone (:func:`_with_theme`): it
uses the counting rule of :mod:`stocktake.assess.themes`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import QuerySet

from stocktake.assess.themes import with_theme, without_theme

NONE = "none"  # the domain or theme value for "no domain" / "not coded to a theme"


@dataclass(frozen=True)
class FindingFilters:
    """What to narrow findings to; an empty value leaves that filter off."""

    domain: str = ""  # a domain key, or NONE
    theme: str = ""  # a theme key, or NONE
    organisation: int | None = None  # an organisation id: it and everything below it
    polarity: str = ""
    text: str = ""  # a case-insensitive substring of the finding's text

    @classmethod
    def from_values(cls, values: Mapping[str, str]) -> FindingFilters:
        """From the list's query-string names (``q`` is the text), already validated."""
        organisation = values.get("organisation") or ""
        return cls(domain=values.get("domain") or "", theme=values.get("theme") or "",
                   organisation=int(organisation) if organisation else None,
                   polarity=values.get("polarity") or "", text=values.get("q") or "")


def filter_findings(findings: QuerySet, filters: FindingFilters, *, tree,
                    themes: Iterable) -> QuerySet:
    """``findings`` (already scoped) narrowed by ``filters``.

    ``tree`` answers ``descendants(organisation_id)``; ``themes`` are the review's
    Theme rows (a theme key is looked up among them; an unknown key matches nothing).
    """
    narrowed = findings
    if filters.domain:
        narrowed = (narrowed.filter(domain__isnull=True) if filters.domain == NONE
                    else narrowed.filter(domain__key=filters.domain))
    if filters.organisation is not None:
        narrowed = narrowed.filter(organisation_id__in=tree.descendants(filters.organisation))
    if filters.polarity:
        narrowed = narrowed.filter(polarity=filters.polarity)
    if filters.text:
        narrowed = narrowed.filter(text__icontains=filters.text)
    if filters.theme:
        narrowed = _with_theme(narrowed, filters.theme, themes)
    return narrowed


def _with_theme(narrowed: QuerySet, theme: str, themes: Iterable) -> QuerySet:
    """The theme step: findings counted under ``theme`` (or under none, for NONE), as a
    subquery over the counting rule of :mod:`stocktake.assess.themes`."""
    if theme == NONE:
        return without_theme(narrowed)
    theme_id = next((t.id for t in themes if t.key == theme), None)
    if theme_id is None:
        return narrowed.none()
    return with_theme(narrowed, theme_id)
