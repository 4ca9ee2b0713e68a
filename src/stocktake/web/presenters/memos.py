"""Memos for the pages: rows with their subject, author and links; the CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from stocktake.assess.models import MemoKind
from stocktake.reviews.orgtree import OrgTree
from stocktake.web.presenters.labels import format_date
from stocktake.web.presenters.links import finding_url, findings_url, with_query

PAGE_SIZE = 25


@dataclass(frozen=True)
class MemoRow:
    id: int
    text: str
    kind: str
    about: str  # "Finding 12", a theme's or organisation's name, "The review"
    about_href: str
    author: str
    written: str
    changed: str  # "" unless edited since it was written
    revision: int
    edit_href: str
    delete_href: str


def person(user) -> str:
    if user is None:
        return "Someone no longer here"
    return user.get_full_name() or user.get_username()


def _when(value) -> str:
    local = timezone.localtime(value)
    return f"{format_date(local)} at {local:%H:%M}"


def about(memo, *, slug: str, tree: OrgTree) -> tuple[str, str]:
    """What a memo is about, as (text, link)."""
    if memo.kind == MemoKind.FINDING:
        return f"Finding {memo.finding_id}", finding_url(slug, memo.finding_id)
    if memo.kind == MemoKind.THEME:
        return f"Theme: {memo.theme.name}", findings_url(slug, theme=memo.theme.key)
    if memo.kind == MemoKind.ORGANISATION:
        return (
            tree.name(memo.organisation_id),
            reverse("organisation", kwargs={"org_id": memo.organisation_id}),
        )
    return "The review", reverse("memos", kwargs={"slug": slug}) + "#review-memos"


def memo_rows(memos: Iterable, *, slug: str, tree: OrgTree, back: str = "") -> list[MemoRow]:
    rows = []
    for memo in memos:
        text, href = about(memo, slug=slug, tree=tree)
        edited = memo.revision > 1
        params = {"next": back} if back else None
        rows.append(
            MemoRow(
                id=memo.pk,
                text=memo.text,
                kind=MemoKind(memo.kind).label,
                about=text,
                about_href=href,
                author=person(memo.author),
                written=_when(memo.created_at),
                changed=(
                    f"{_when(memo.updated_at)} by {person(memo.updated_by)}" if edited else ""
                ),
                revision=memo.revision,
                edit_href=with_query(
                    reverse("memo_edit", kwargs={"slug": slug, "memo_id": memo.pk}), params
                ),
                delete_href=with_query(
                    reverse("memo_delete", kwargs={"slug": slug, "memo_id": memo.pk}), params
                ),
            )
        )
    return rows


@dataclass(frozen=True)
class MemoPanel:
    """The memos about one subject and the form to add one, on that subject's page."""

    heading: str
    rows: list[MemoRow]
    action: str  # where the add form posts
    about: str  # the form's hidden subject: "finding", "theme", "organisation" or "review"
    subject_id: int | None
    back: str  # where to come back to after adding
    field_id: str
    anchor: str = "memos"  # the section's id


def memo_panel(
    memos: Iterable,
    *,
    slug: str,
    tree: OrgTree,
    about: str,
    subject_id: int | None,
    back: str,
    heading: str,
    anchor: str = "memos",
) -> MemoPanel:
    """``anchor``: the section's id (several panels on one page need their own)."""
    return MemoPanel(
        heading=heading,
        rows=memo_rows(memos, slug=slug, tree=tree, back=back),
        action=reverse("memo_add", kwargs={"slug": slug}),
        about=about,
        subject_id=subject_id,
        back=back,
        field_id=f"{anchor}-text",
        anchor=anchor,
    )


# -- export ----------------------------------------------------------------------------------

# A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = [
    "id",
    "kind",
    "about",
    "finding_id",
    "theme",
    "organisation",
    "text",
    "author",
    "written_at",
    "changed_at",
    "changed_by",
    "revision",
]


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def memos_csv(memos: Iterable, *, slug: str, tree: OrgTree) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for memo in memos:
        writer.writerow(
            [
                _cell(v)
                for v in (
                    memo.pk,
                    memo.kind,
                    about(memo, slug=slug, tree=tree)[0],
                    memo.finding_id,
                    memo.theme.key if memo.theme else "",
                    tree.name(memo.organisation_id) if memo.organisation_id else "",
                    memo.text,
                    person(memo.author),
                    timezone.localtime(memo.created_at).isoformat(),
                    timezone.localtime(memo.updated_at).isoformat(),
                    person(memo.updated_by),
                    memo.revision,
                )
            ]
        )
    return out.getvalue()
