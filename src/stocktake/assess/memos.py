"""Reading memos (read-only; the changes are ``assess.actions.add_memo`` and its siblings).

Every function starts from ``Memo.objects.visible_to(access)``: memos are the review's
leads' and reviewers' notes, hidden from every other role.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from stocktake.assess.models import Memo, MemoKind
from stocktake.reviews.permissions import Access

RECENT = 5  # memos the dashboard shows


@dataclass(frozen=True)
class MemoFilters:
    kind: str = ""  # a MemoKind value
    author: int | None = None  # a user id
    text: str = ""  # a case-insensitive substring


def memos(access: Access) -> QuerySet:
    return Memo.objects.visible_to(access).select_related(
        "finding", "theme", "organisation", "author", "updated_by"
    )


def filter_memos(access: Access, filters: MemoFilters) -> QuerySet:
    """The memos page: newest change first, narrowed by kind, author and text."""
    rows = memos(access)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.author is not None:
        rows = rows.filter(author_id=filters.author)
    if filters.text:
        rows = rows.filter(text__icontains=filters.text)
    return rows.order_by("-updated_at", "-id")


def memos_about(access: Access, *, finding=None, theme=None, organisation=None) -> list[Memo]:
    """The memos about one finding, theme or organisation, oldest first (a conversation)."""
    rows = memos(access)
    if finding is not None:
        rows = rows.filter(kind=MemoKind.FINDING, finding=finding)
    elif theme is not None:
        rows = rows.filter(kind=MemoKind.THEME, theme=theme)
    elif organisation is not None:
        rows = rows.filter(kind=MemoKind.ORGANISATION, organisation=organisation)
    else:
        rows = rows.filter(kind=MemoKind.REVIEW)
    return list(rows.order_by("created_at", "id"))


def recent_memos(access: Access, limit: int = RECENT) -> tuple[list[Memo], int]:
    """The newest memos of any kind and how many there are in all."""
    rows = memos(access)
    return list(rows.order_by("-updated_at", "-id")[:limit]), rows.count()


def memo(access: Access, memo_id: int) -> Memo | None:
    return memos(access).filter(pk=memo_id).first()


def authors(access: Access) -> list:
    """The people who wrote the review's memos, by name."""
    ids = memos(access).order_by().values_list("author_id", flat=True).distinct()
    users = get_user_model().objects.filter(pk__in=ids)
    return sorted(users, key=lambda u: (u.get_full_name() or u.get_username()).lower())
