"""Finding organisations by any of their names (queries, no state changes)."""

from __future__ import annotations

import re

from stocktake.reviews.models import Organisation, OrganisationAlias

_SUFFIXES = re.compile(
    r"\b(nhs|foundation|trust|ft|the|and|&|of|for|limited|ltd|cic)\b", re.IGNORECASE
)


def normalise_name(name: str) -> str:
    """A form of an organisation's name that ignores case, punctuation and filler words."""
    text = name.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    stripped = _SUFFIXES.sub(" ", text)
    stripped = " ".join(stripped.split())
    return stripped or " ".join(text.split())


def resolve_organisation(name: str, *, within: Organisation | None = None) -> Organisation | None:
    """The organisation called ``name`` (full name, short name or alias), or None.

    With ``within``, only organisations below that one are considered.
    """
    wanted = normalise_name(name)
    if not wanted:
        return None
    candidates = Organisation.objects.all()
    if within is not None:
        from stocktake.reviews.permissions import descendant_ids

        candidates = candidates.filter(id__in=descendant_ids({within.pk}))
    for org in candidates.only("id", "name", "short_name", "level", "parent_id"):
        if normalise_name(org.name) == wanted or (
            org.short_name and normalise_name(org.short_name) == wanted
        ):
            return org
    alias = (
        OrganisationAlias.objects.filter(normalised=wanted, organisation__in=candidates)
        .select_related("organisation")
        .first()
    )
    return alias.organisation if alias else None
