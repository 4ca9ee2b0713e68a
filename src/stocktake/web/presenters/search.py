"""Search results for the page: one row per hit, its snippet with the matched words marked.

Each source (``assess/search/sources.py``) is drawn by one function here, ``ROWS[key]``:
what it is, where it links, the line under it. A source with no function (one a newer
app registered) still shows, as its text and kind, without a link.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.urls import reverse

from stocktake.assess.search.sources import SOURCES, Item
from stocktake.assess.search.terms import Snippet, Terms, highlight
from stocktake.reviews.orgtree import OrgTree
from stocktake.web.presenters.labels import polarity_tag
from stocktake.web.presenters.links import finding_url, findings_url


@dataclass(frozen=True)
class SearchRow:
    kind: str  # "Finding", "Submission", "Memo", …
    title: str
    href: str
    snippet: Snippet
    meta: str
    polarity: dict | None = None
    similar_href: str = ""  # a finding's similar findings, on its page
    draft: bool = False


def _parts(*values: str) -> str:
    return " · ".join(v for v in values if v)


def _finding(item: Item, *, slug: str, tree: OrgTree, snippet: Snippet) -> SearchRow:
    href = finding_url(slug, item.id)
    return SearchRow(
        "Finding",
        f"Finding {item.id}",
        href,
        snippet,
        _parts(
            tree.name(item.organisation_id),
            item.details.get("domain", ""),
            item.details.get("section", ""),
        ),
        polarity=polarity_tag(item.details["polarity"]),
        similar_href=href + "#similar",
    )


def _section(item: Item, *, slug: str, tree: OrgTree, snippet: Snippet) -> SearchRow:
    href = reverse(
        "submission_form", kwargs={"slug": slug, "participant_id": item.details["participant_id"]}
    )
    return SearchRow(
        "Submission",
        f"{tree.name(item.organisation_id)}: submission",
        href,
        snippet,
        _parts(item.details.get("domain", "") or "No domain", item.details.get("section", "")),
        draft=item.details.get("draft", False),
    )


def _memo(item: Item, *, slug: str, tree: OrgTree, snippet: Snippet) -> SearchRow:
    details = item.details
    kind = details["kind"]
    if kind == "finding":
        about, href = f"finding {details['finding_id']}", finding_url(slug, details["finding_id"])
    elif kind == "theme":
        about, href = (
            f"the theme “{details['theme']}”",
            findings_url(slug, theme=details["theme_key"]),
        )
    elif kind == "organisation":
        about = tree.name(details["organisation"])
        href = reverse("organisation", kwargs={"org_id": details["organisation"]})
    else:
        about, href = "the review", reverse("memos", kwargs={"slug": slug})
    return SearchRow(
        "Memo", f"Memo about {about}", href + "#memos", snippet, _parts(details.get("author", ""))
    )


ROWS: dict[str, Callable[..., SearchRow]] = {
    "finding": _finding,
    "section": _section,
    "memo": _memo,
}


def search_rows(
    found: Sequence[tuple[object, Item]], *, terms: Terms, slug: str, tree: OrgTree
) -> list[SearchRow]:
    rows = []
    for _hit, item in found:
        snippet = highlight(item.text, terms)
        draw = ROWS.get(item.key)
        if draw is None:
            source = SOURCES.get(item.key)
            rows.append(SearchRow(source.label if source else item.key, "", "", snippet, ""))
        else:
            rows.append(draw(item, slug=slug, tree=tree, snippet=snippet))
    return rows


def kind_choices(sources) -> list[tuple[str, str]]:
    return [(source.key, source.label) for source in sources]
