"""URLs the pages link to, built in one place."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from stocktake.assess.finding_filters import NONE  # noqa: F401 - the list's "none" value

# The filters the findings list understands, in the order they appear in a URL.
FINDING_FILTERS = ("domain", "theme", "organisation", "polarity", "q")


def with_query(base: str, params: dict | None = None) -> str:
    """``base`` with the non-empty ``params`` as its query string, in a stable order."""
    pairs = [(k, v) for k, v in (params or {}).items() if v not in (None, "")]
    return f"{base}?{urlencode(pairs)}" if pairs else base


def review_url(slug: str) -> str:
    return reverse("review", kwargs={"slug": slug})


def findings_url(slug: str, **filters) -> str:
    ordered = {name: filters.get(name) for name in FINDING_FILTERS if filters.get(name) is not None}
    extra = {k: v for k, v in filters.items() if k not in FINDING_FILTERS}
    return with_query(reverse("findings", kwargs={"slug": slug}), {**ordered, **extra})


def finding_url(slug: str, finding_id: int) -> str:
    return reverse("finding", kwargs={"slug": slug, "finding_id": finding_id})


def recommendation_url(slug: str, number: int) -> str:
    return reverse("recommendations", kwargs={"slug": slug}) + f"#recommendation-{number}"
