"""The publish page and the report's downloads, as plain rows for the templates."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from stocktake.report import formats
from stocktake.report.checks import Check
from stocktake.report.models import ReportVersion, VersionStatus
from stocktake.web.presenters.links import review_address


@dataclass(frozen=True)
class CheckRow:
    title: str
    count: int
    message: str
    passed: bool
    info: bool
    href: str  # "" where the page to fix it is not part of this build
    link_text: str


# Pages a check links to that need more than seeing the publish page.
FIX_NEEDS = {"personal_data": "manage_review"}


def check_rows(checks: tuple[Check, ...], slug: str, access) -> tuple[CheckRow, ...]:
    """The checks as rows, each linked to where it is fixed when this user may open that."""
    rows = []
    for check in checks:
        try:
            href = review_address(check.fix, slug)
        except NoReverseMatch:  # a builder page not in this checkout
            href = ""
        if (needed := FIX_NEEDS.get(check.fix)) and not access.has(needed):
            href = ""
        rows.append(CheckRow(title=check.title, count=check.count, message=check.message,
                             passed=check.passed, info=check.severity == "info", href=href,
                             link_text=check.fix_text))
    return tuple(rows)


@dataclass(frozen=True)
class Download:
    label: str
    href: str
    size: str = ""  # "1.2 MB"; "" when made on demand


@dataclass(frozen=True)
class VersionRow:
    number: int
    published_on: str
    heading: str  # "Version 2, published 6 December 2026 — correction: …"
    change_note: str
    status: str
    status_label: str
    message: str
    downloads: tuple[Download, ...]
    may_retry: bool
    override_reason: str
    open_checks: tuple[str, ...]


def _date(value) -> str:
    return f"{value.day} {value:%B %Y}"


def file_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def version_heading(version: ReportVersion, local_date) -> str:
    heading = f"Version {version.number}, published {_date(local_date)}"
    if version.change_note:
        note = " ".join(version.change_note.split())
        heading += f" — correction: {note[:120]}{'…' if len(note) > 120 else ''}"
    return heading


def version_row(version: ReportVersion, slug: str, *, local_date, may_retry: bool) -> VersionRow:
    downloads = tuple(
        Download(label=formats.FORMATS[key].label,
                 href=reverse("report_version_file",
                              kwargs={"slug": slug, "number": version.number, "fmt": key}),
                 size=file_size(version.files[key]["size"]))
        for key in formats.FORMATS if key in version.files
    ) if version.status == VersionStatus.READY else ()
    return VersionRow(
        number=version.number, published_on=_date(local_date),
        heading=version_heading(version, local_date), change_note=version.change_note,
        status=version.status, status_label=version.get_status_display(),
        message=version.message, downloads=downloads, may_retry=may_retry,
        override_reason=version.override_reason,
        open_checks=tuple(c.get("message", "") for c in version.open_checks or ()
                          if c.get("severity", "open") == "open"))


def draft_downloads(slug: str) -> tuple[Download, ...]:
    """The draft in each format this build can make, made when the link is followed."""
    return tuple(
        Download(label=formats.FORMATS[key].label,
                 href=reverse("report_draft_file", kwargs={"slug": slug, "fmt": key}))
        for key in formats.available())
