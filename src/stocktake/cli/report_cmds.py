"""`stocktake report`: write the report in any format; list its published versions.

``stocktake report SLUG --format docx --output board.docx`` is short for
``stocktake report write SLUG …``; the older ``stocktake report --review SLUG -o FOLDER``
still writes ``FOLDER/index.html``.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from stocktake.cli.context import (
    data_dir_option,
    ensure_migrated,
    friendly_errors,
    get_review,
    setup_django,
)

FORMAT_KEYS = ("html", "docx", "pdf", "data", "qdpx")  # stocktake.report.formats.FORMATS


class _WriteByDefault(click.Group):
    """A group whose first argument, unless it names a subcommand, goes to ``write``."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["write", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_WriteByDefault)
def report():
    """Write the review's report (`stocktake report SLUG --format F --output PATH`), or list
    its published versions (`stocktake report versions SLUG`).

    `stocktake report SLUG …` is short for `stocktake report write SLUG …`.
    """


def progress_printer(label: str):
    """progress(done, total, step) printing one line to stderr per step, with the time."""
    started = time.monotonic()

    def progress(done: int, total: int, step: str) -> None:
        click.echo(f"{label}: {done}/{total} {step} ({time.monotonic() - started:.1f} s)",
                   err=True)

    return progress


@report.command("write")
@data_dir_option
@click.argument("slug", required=False)
@click.option("--review", "review_option", metavar="SLUG",
              help="Slug of the review (the older spelling of SLUG).")
@click.option("--format", "fmt", type=click.Choice(FORMAT_KEYS),
              help="html (a standalone page), docx (Word), pdf, data (a zip of CSV, XLSX and "
                   "JSON) or qdpx (REFI-QDA project). Without it: the HTML page as "
                   "FOLDER/index.html.")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="The file to write (with --format) [default: DATA_DIR/report/SLUG/"
                   "SLUG-report-draft.EXT]; without --format, the folder for index.html "
                   "[default: DATA_DIR/report/SLUG].")
@friendly_errors
def write(data_dir, slug, review_option, fmt, output):
    """Write the review's draft report in one format, with progress on stderr."""
    if slug and review_option and slug != review_option:
        raise click.UsageError(f"Two reviews named: {slug!r} and --review {review_option!r}")
    slug = slug or review_option
    if not slug:
        raise click.UsageError("Give the review's slug: stocktake report SLUG --format html")
    resolved = setup_django(data_dir)
    ensure_migrated()
    review = get_review(slug)
    if fmt is None:
        _write_folder(review, output or resolved / "report" / slug)
        return

    from stocktake.report import formats
    from stocktake.report.build import build_report

    spec = formats.get(fmt)
    target = output or resolved / "report" / slug / spec.filename(slug)
    if target.is_dir():
        target = target / spec.filename(slug)
    if reason := formats.unavailable_reason(fmt):
        raise click.ClickException(reason)
    data = None
    if spec.source == "data":
        started = time.monotonic()
        click.echo(f"Building the report of {slug}…", err=True)
        data = build_report(review)
        click.echo(f"Built the report: {data.participation.finding_count:,} findings "
                   f"({time.monotonic() - started:.1f} s)", err=True)
    formats.write(fmt, review=review, data=data, path=target, progress=progress_printer(fmt))
    click.echo(f"Wrote {target}")
    for warning in (data.warnings if data else ()):
        click.echo(f"Warning: {warning}", err=True)


def _write_folder(review, folder: Path) -> None:
    from stocktake.core.models import AuditEvent
    from stocktake.report.actions import write_report

    path = write_report(review=review, directory=folder, by=None)
    click.echo(f"Wrote {path}")
    written = AuditEvent.objects.filter(review=review, verb="report.written").first()
    for warning in written.details.get("warnings", []):  # recorded by write_report
        click.echo(f"Warning: {warning}", err=True)


@report.command("versions")
@data_dir_option
@click.argument("slug")
@friendly_errors
def versions(data_dir, slug):
    """List the published versions of a review's report and their stored files."""
    setup_django(data_dir)
    ensure_migrated()
    review = get_review(slug)

    from django.utils import timezone

    from stocktake.report.models import ReportVersion

    rows = ReportVersion.objects.filter(review=review).order_by("number")
    if not rows:
        click.echo(f"{slug} has no published version yet.")
        return
    for version in rows:
        when = timezone.localtime(version.published_at).strftime("%Y-%m-%d %H:%M")
        click.echo(f"Version {version.number}\t{version.status}\t{when}"
                   + (f"\tcorrection: {version.change_note}" if version.change_note else ""))
        if version.override_reason:
            count = sum(1 for c in version.open_checks if c.get("severity", "open") == "open")
            click.echo(f"  published with {count} open check{'s' if count != 1 else ''}: "
                       f"{version.override_reason}")
        if version.message:
            click.echo(f"  {version.message}")
        for key, entry in sorted(version.files.items()):
            click.echo(f"  {key}\t{entry['size']:,} bytes\tsha256 {entry['sha256'][:16]}…\t"
                       f"{entry['path']}")
