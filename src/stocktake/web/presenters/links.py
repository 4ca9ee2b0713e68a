"""URLs the pages link to, built in one place."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote_plus

from django.urls import get_script_prefix, get_urlconf, reverse

from stocktake.assess.finding_filters import NONE  # noqa: F401 - the list's "none" value

# The filters the findings list understands, in the order they appear in a URL.
FINDING_FILTERS = ("domain", "theme", "organisation", "polarity", "q")


def with_query(base: str, params: dict | None = None) -> str:
    """``base`` with the non-empty ``params`` as its query string, in a stable order
    (what ``urllib.parse.urlencode`` writes, without its generality: a dashboard draws
    hundreds of these)."""
    query = "&".join(f"{quote_plus(str(k))}={quote_plus(str(v))}"
                     for k, v in (params or {}).items() if v not in (None, ""))
    return f"{base}?{query}" if query else base


@lru_cache(maxsize=1024)
def _reversed(name: str, slug: str, prefix: str, urlconf) -> str:
    return reverse(name, kwargs={"slug": slug}, urlconf=urlconf)


def review_address(name: str, slug: str) -> str:
    """``reverse(name, kwargs={"slug": slug})``, kept: a page links to the same few
    addresses of its review hundreds of times (the script prefix and URLconf are part
    of the key, so a different mount point gets its own)."""
    return _reversed(name, slug, get_script_prefix(), get_urlconf())


def review_url(slug: str) -> str:
    return review_address("review", slug)


def findings_url(slug: str, **filters) -> str:
    ordered = {name: filters[name] for name in FINDING_FILTERS if filters.get(name) is not None}
    extra = {k: v for k, v in filters.items() if k not in FINDING_FILTERS}
    return with_query(review_address("findings", slug), {**ordered, **extra})


_ANY_ID = 918273645  # stands for the id in a finding's address, reversed once per review


@lru_cache(maxsize=256)
def _finding_address(name: str, slug: str, prefix: str, urlconf) -> tuple[str, str]:
    address = reverse(name, kwargs={"slug": slug, "finding_id": _ANY_ID}, urlconf=urlconf)
    before, _, after = address.rpartition(str(_ANY_ID))
    return before, after


def finding_address(name: str, slug: str, finding_id: int) -> str:
    """``reverse(name, kwargs={"slug": slug, "finding_id": finding_id})``, the rest of the
    address reversed once per review (a list links to dozens of findings)."""
    before, after = _finding_address(name, slug, get_script_prefix(), get_urlconf())
    return f"{before}{int(finding_id)}{after}"


@lru_cache(maxsize=256)
def _id_address(name: str, id_name: str, slug: str, prefix: str, urlconf) -> tuple[str, str]:
    kwargs = {id_name: _ANY_ID, **({"slug": slug} if slug else {})}
    before, _, after = reverse(name, kwargs=kwargs, urlconf=urlconf).rpartition(str(_ANY_ID))
    return before, after


def id_address(name: str, id_name: str, value: int, *, slug: str = "") -> str:
    """``reverse(name, kwargs={id_name: value})`` (with the review's ``slug``, if given),
    the rest of the address reversed once (a register links to dozens of rows)."""
    before, after = _id_address(name, id_name, slug, get_script_prefix(), get_urlconf())
    return f"{before}{int(value)}{after}"


def finding_url(slug: str, finding_id: int) -> str:
    return finding_address("finding", slug, finding_id)


def recommendation_url(slug: str, number: int) -> str:
    return reverse("recommendations", kwargs={"slug": slug}) + f"#recommendation-{number}"
