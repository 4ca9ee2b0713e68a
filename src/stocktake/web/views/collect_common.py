"""What the collect pages share: the review's navigation and capability checks."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied

from stocktake.web.presenters.navigation import collect_sections, review_nav


def nav(review, access, current: str):
    return review_nav(review, current, show_report=access.sees_all_submitted,
                      show_coding=access.has("code_findings"), collect=collect_sections(access))


def require(access, capability: str) -> None:
    """403 for members whose role does not allow this (non-members already got a 404)."""
    if not access.has(capability):
        raise PermissionDenied(f"You do not have permission to {capability.replace('_', ' ')}")


def notices(request) -> list[str]:
    """Messages left by the last POST (shown once, in a notification banner)."""
    return [str(m) for m in messages.get_messages(request)]
