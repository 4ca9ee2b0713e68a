"""`stocktake cycle`: stocktake cycles from the command line (and a daily cron for reminders).

The same actions as the cycle pages, run as whoever owns the database (``by=None``).
Emails go through Django's email backend (``EMAIL_*`` settings); their links start with
``--base-url`` (or ``STOCKTAKE_BASE_URL``), the address people open stocktake at.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from stocktake.cli.context import (
    data_dir_option,
    ensure_migrated,
    friendly_errors,
    get_review,
    setup_django,
)

slug_argument = click.argument("slug")
base_url_option = click.option(
    "--base-url", envvar="STOCKTAKE_BASE_URL", required=True, metavar="URL",
    help="The address people open stocktake at, for the links in the emails, e.g. "
         "https://stocktake.example.nhs.uk [env: STOCKTAKE_BASE_URL].")


def _ready(data_dir, slug: str):
    setup_django(data_dir)
    ensure_migrated()
    return get_review(slug)


def _cycle(review, number: int | None):
    from stocktake.track.models import StocktakeCycle

    cycles = StocktakeCycle.objects.filter(review=review)
    found = (cycles.filter(number=number).first() if number is not None
             else cycles.filter(status="open").order_by("-number").first())
    if found is None:
        which = f"cycle {number}" if number is not None else "open cycle"
        raise click.ClickException(f"{review.slug} has no {which}; see "
                                   f"`stocktake cycle list {review.slug}`")
    return found


def _link_for(base_url: str):
    from django.urls import reverse

    base = base_url.rstrip("/")
    if not base.startswith(("https://", "http://")):
        raise click.BadParameter("Give the full address, starting https://",
                                param_hint="--base-url")
    return lambda token: base + reverse("cycle_link", kwargs={"token": token})


def _print_sent(result) -> None:
    for name in result.sent:
        click.echo(f"sent\t{name}")
    for label, names in (("answered", result.answered), ("already asked", result.already),
                         ("no contact", result.no_contact), ("links stopped", result.stopped)):
        for name in names:
            click.echo(f"{label}\t{name}")
    for line in result.failed:
        click.echo(f"failed\t{line}", err=True)
    if result.failed:
        raise SystemExit(1)


@click.group()
def cycle():
    """Stocktake cycles: follow-ups of a published review, compared side by side.

    Start a cycle (it carries over every recommendation and innovation), email each owner
    organisation a personal link, remind those with items not updated, close it, and
    compare any two cycles (or a cycle with the publication, 0).
    """


@cycle.command("list")
@data_dir_option
@slug_argument
@friendly_errors
def list_(data_dir, slug):
    """List the review's cycles: number, state, opens, deadline, items updated, title."""
    review = _ready(data_dir, slug)
    from django.db.models import Count, Q

    for c in review.stocktake_cycles.annotate(
            items=Count("entries"), updated=Count("entries", filter=Q(entries__updates__gt=0))
    ).order_by("number"):
        click.echo(f"{c.number}\t{c.status}\t{c.opens_on}\t{c.deadline}\t"
                   f"{c.updated}/{c.items} updated\t{c.title}")


@cycle.command()
@data_dir_option
@slug_argument
@click.option("--title", required=True, help="The cycle's title, e.g. \"Stocktake, spring 2027\".")
@click.option("--opens", "opens_on", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The date it opens (YYYY-MM-DD) [default: today].")
@click.option("--deadline", type=click.DateTime(["%Y-%m-%d"]), required=True,
              help="The deadline for owners' updates (YYYY-MM-DD).")
@click.option("--reminders-from", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The first day `remind --all-open` reminds owners (YYYY-MM-DD) "
                   "[default: the day it opens].")
@click.option("--note", default="", help="What this stocktake is for.")
@friendly_errors
def start(data_dir, slug, title, opens_on, deadline, reminders_from, note):
    """Start the next cycle of review SLUG, carrying over its recommendations and innovations."""
    review = _ready(data_dir, slug)
    from django.utils import timezone

    from stocktake.track.actions import start_cycle

    made = start_cycle(review=review, title=title,
                       opens_on=opens_on.date() if opens_on else timezone.localdate(),
                       deadline=deadline.date(), note=note, by=None,
                       reminders_from=reminders_from.date() if reminders_from else None)
    click.echo(f"Started cycle {made.number} of {slug} with {made.entries.count()} items.")


@cycle.command()
@data_dir_option
@slug_argument
@click.argument("number", type=int, required=False)
@base_url_option
@friendly_errors
def send(data_dir, slug, number, base_url):
    """Email each owner organisation not yet asked in cycle NUMBER (default: the open one)."""
    review = _ready(data_dir, slug)
    from stocktake.track.cycle_requests import send_requests

    _print_sent(send_requests(cycle=_cycle(review, number), by=None,
                              link_for=_link_for(base_url)))


@cycle.command()
@data_dir_option
@click.argument("slug", required=False)
@click.argument("number", type=int, required=False)
@click.option("--all-open", is_flag=True,
              help="Remind in every review's open cycle (for a daily cron) instead of one.")
@click.option("--after", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Do nothing before this date (YYYY-MM-DD): remind only once it has come.")
@click.option("--every", type=click.IntRange(min=1), default=None, metavar="DAYS",
              help="Leave out organisations sent a link less than DAYS days ago.")
@base_url_option
@friendly_errors
def remind(data_dir, slug, number, all_open, after, every, base_url):
    """Remind owner organisations with items not yet updated: a new personal link each.

    A cron can call `stocktake cycle remind --all-open --every 7` daily; with --all-open a
    cycle whose reminder date (set by its lead) has not come yet is left out.
    """
    if bool(slug) == all_open:
        raise click.UsageError("Give a review's SLUG, or --all-open")
    setup_django(data_dir)
    ensure_migrated()
    from django.utils import timezone

    from stocktake.track.cycle_requests import remind as send_reminders
    from stocktake.track.cycle_requests import reminders_due
    from stocktake.track.models import StocktakeCycle

    if after is not None and timezone.localdate() < after.date():
        click.echo(f"Nothing sent: reminders start on {after.date()}.")
        return
    cycles = (list(StocktakeCycle.objects.filter(status="open").select_related("review"))
              if all_open else [_cycle(get_review(slug), number)])
    every_delta = dt.timedelta(days=every) if every else None
    for found in cycles:
        if all_open:
            click.echo(f"# {found.review.slug} cycle {found.number}")
            if not reminders_due(found, timezone.localdate()):
                click.echo(f"Nothing sent: reminders start on {found.reminders_from}.")
                continue
        _print_sent(send_reminders(cycle=found, by=None, link_for=_link_for(base_url),
                                   every=every_delta))


@cycle.command()
@data_dir_option
@slug_argument
@click.argument("number", type=int, required=False)
@friendly_errors
def close(data_dir, slug, number):
    """Close cycle NUMBER (default: the open one): its standing is kept, its links end."""
    review = _ready(data_dir, slug)
    from stocktake.track.actions import close_cycle

    closed = close_cycle(cycle=_cycle(review, number), by=None)
    click.echo(f"Closed cycle {closed.number} of {slug}.")


def _comparison(review, number: int, before: int | None):
    from stocktake.reviews.permissions import Access
    from stocktake.track.cycle_compare import cycles_visible_to
    from stocktake.track.cycle_queries import choose_before, compare

    everything = Access(user_id=None, review_id=review.pk, published=review.is_published,
                        superuser=True)
    visible = cycles_visible_to(everything, review)
    found = _cycle(review, number)
    return compare(everything, found, choose_before(found, visible, before), page=None)


@cycle.command("compare")
@data_dir_option
@slug_argument
@click.argument("number", type=int)
@click.option("--before", type=int, default=None,
              help="The cycle to compare with (0: the publication) [default: the one before].")
@click.option("--format", "fmt", type=click.Choice(["summary", "csv", "xlsx"]), default="summary",
              show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (required for xlsx) instead of printing.")
@friendly_errors
def compare_(data_dir, slug, number, before, fmt, output):
    """Compare cycle NUMBER with an earlier one: the summary, or every item as CSV or XLSX."""
    review = _ready(data_dir, slug)
    from stocktake.track.cycle_export import comparison_csv, comparison_xlsx

    comparison = _comparison(review, number, before)
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError("--format xlsx needs --output FILE")
        themes = {t.pk: t.name for t in review.framework.themes.all()}
        output.write_bytes(comparison_xlsx(comparison, theme_names=themes))
        click.echo(f"Wrote {output}")
        return
    if fmt == "csv":
        text = comparison_csv(comparison)
    else:
        s, inn = comparison.summary, comparison.innovation_summary
        lines = [f"Cycle {number} compared with {comparison.before.phrase}",
                 f"recommendation items\t{s.items}", f"changed\t{s.changed}",
                 f"newly complete\t{s.improved}", f"with new evidence\t{s.with_evidence}",
                 *[f"{b or 'not there'} -> {n}\t{count}" for b, n, count in s.transitions],
                 f"innovations\t{inn.items}", f"innovations changed\t{inn.changed}",
                 f"adoptions\t{inn.adoptions_before} -> {inn.adoptions_now}"]
        text = "\n".join(lines) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}")


@cycle.command()
@data_dir_option
@slug_argument
@click.argument("number", type=int)
@click.option("--before", type=int, default=None,
              help="The cycle to compare with (0: the publication) [default: the one before].")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf", "docx"]), default="html",
              show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write.")
@friendly_errors
def report(data_dir, slug, number, before, fmt, output):
    """Write the stocktake report of cycle NUMBER (HTML, PDF or Word)."""
    review = _ready(data_dir, slug)
    from django.utils import timezone

    from stocktake.track.cycle_requests import owner_progress
    from stocktake.track.stocktake_report import (
        build_stocktake,
        render_stocktake_docx,
        render_stocktake_html,
        render_stocktake_pdf,
    )

    comparison = _comparison(review, number, before)
    themes = {t.pk: t.name for t in review.framework.themes.all()}
    data = build_stocktake(comparison, theme_names=themes,
                           owners=owner_progress(comparison.cycle), today=timezone.localdate())
    if fmt == "html":
        output.write_text(render_stocktake_html(data), encoding="utf-8")
    elif fmt == "pdf":
        output.write_bytes(render_stocktake_pdf(data))
    else:
        output.write_bytes(render_stocktake_docx(data))
    click.echo(f"Wrote {output}")
