"""`report-text`: what people write in the report, from scripts (the Write pages' twin).

The summary narrative, each theme's narrative and the method note (Markdown, sanitised
as in the browser), the summary observations and each theme's chosen evidence. Every
change goes through the same actions as the web pages and is audited as the command line.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from stocktake.cli.context import (
    data_dir_option,
    ensure_migrated,
    friendly_errors,
    get_review,
    setup_django,
)


def _ready(data_dir):
    setup_django(data_dir)
    ensure_migrated()


def _everything(review):
    """The command line's access: it sees the whole review, as the report does."""
    from stocktake.reviews.permissions import Access

    return Access(user_id=None, review_id=review.pk, published=review.is_published,
                  superuser=True)


def _theme(review, key: str):
    theme = review.framework.themes.filter(key=key).first()
    if theme is None:
        keys = ", ".join(review.framework.themes.order_by("position").values_list("key", flat=True))
        raise click.ClickException(f"No theme {key!r} in {review.slug}'s framework (themes: {keys})")
    return theme


def _part(review, summary: bool, method: bool, theme_key: str | None):
    """(kind, theme, name) of the one text chosen by --summary, --method or --theme."""
    from stocktake.report.models import TextKind

    if summary + method + (theme_key is not None) != 1:
        raise click.UsageError("Give exactly one of --summary, --method or --theme KEY")
    if summary:
        return TextKind.SUMMARY, None, "the summary"
    if method:
        return TextKind.METHOD, None, "the method note"
    theme = _theme(review, theme_key)
    return TextKind.THEME, theme, f"the narrative for {theme.name}"


part_options = [
    click.option("--summary", is_flag=True, help="The summary's opening narrative."),
    click.option("--method", is_flag=True, help="The note added to the method appendix."),
    click.option("--theme", "theme_key", metavar="KEY", help="A theme's narrative (its key)."),
]


def _with_part_options(func):
    for option in reversed(part_options):
        func = option(func)
    return func


@click.group("report-text")
def report_text():
    """What people write in the report: narratives, summary observations, chosen evidence.

    Narratives are Markdown (headings, lists, links, bold); any HTML is dropped. The
    built report shows them at once (`stocktake report`, the Report tab).
    """


@report_text.command("status")
@data_dir_option
@click.argument("slug")
@friendly_errors
def text_status(data_dir, slug):
    """Each part of the report and how far it has got, one per line."""
    _ready(data_dir)
    from stocktake.report import writing

    review = get_review(slug)
    written = writing.texts_written(review)
    observations = len(writing.summary_observations(review))
    click.echo(f"summary\t{'written' if 'summary' in written else 'not written'}\t"
               f"{observations} observation{'s' if observations != 1 else ''}")
    for row in writing.theme_statuses(review, _everything(review)):
        evidence = f"{row.chosen_count} chosen" if row.chosen_count else "suggested"
        click.echo(f"{row.key}\t{'written' if row.narrative_written else 'not written'}\t"
                   f"evidence {evidence}\t{row.recommendation_count} recommendations\t{row.name}")
    click.echo(f"method\t{'written' if 'method' in written else 'not written'}")


@report_text.command("show")
@data_dir_option
@click.argument("slug")
@_with_part_options
@friendly_errors
def text_show(data_dir, slug, summary, method, theme_key):
    """Print a narrative as written (Markdown); nothing when none is written."""
    _ready(data_dir)
    from stocktake.report import writing

    review = get_review(slug)
    kind, theme, _name = _part(review, summary, method, theme_key)
    stored = writing.report_text(review, kind, theme)
    if stored is not None and stored.source:
        click.echo(stored.source)


@report_text.command("set")
@data_dir_option
@click.argument("slug")
@_with_part_options
@click.option("--file", "path", required=True, type=click.Path(dir_okay=False, path_type=Path,
              allow_dash=True), help="The Markdown to store (UTF-8); - reads standard input. "
              "An empty file clears the narrative.")
@friendly_errors
def text_set(data_dir, slug, summary, method, theme_key, path):
    """Replace a narrative with the Markdown in --file."""
    try:
        source = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"Cannot read {path}: {exc}") from None
    _ready(data_dir)
    from stocktake.report.actions import builder

    review = get_review(slug)
    kind, theme, name = _part(review, summary, method, theme_key)
    stored = builder.save_report_text(review=review, kind=kind, theme=theme, source=source,
                                      by=None)
    state = "cleared" if not stored.source else f"saved ({len(stored.source):,} characters)"
    click.echo(f"{name[:1].upper()}{name[1:]} of {review.slug} {state}.")


@report_text.group("summary")
def summary_group():
    """The summary observations: list, draft from the analysis, add, remove."""


@summary_group.command("list")
@data_dir_option
@click.argument("slug")
@friendly_errors
def summary_list(data_dir, slug):
    """Number, theme key and text of each observation, in order; with each theme's reach."""
    _ready(data_dir)
    from stocktake.report import writing

    review = get_review(slug)
    reach = {o.key: writing.reach(o) for o in writing.theme_observations(review)}
    rows = writing.summary_observations(review)
    for number, row in enumerate(rows, start=1):
        key = row.theme.key if row.theme_id else "-"
        extra = f"\t{reach[key]}" if key in reach else ""
        click.echo(f"{number}\t{key}\t{row.text}{extra}")
    if not rows:
        click.echo("No summary observations yet; draft some with "
                   f"`stocktake report-text summary draft {slug}`.")


@summary_group.command("draft")
@data_dir_option
@click.argument("slug")
@friendly_errors
def summary_draft(data_dir, slug):
    """Add an observation for each consistent message not yet in the summary."""
    _ready(data_dir)
    from stocktake.report import writing
    from stocktake.report.actions import builder

    review = get_review(slug)
    added = builder.draft_summary_observations(
        review=review, observations=writing.theme_observations(review), by=None)
    for row in added:
        click.echo(f"Drafted: {row.text}")
    click.echo(f"{len(added)} observation{'s' if len(added) != 1 else ''} drafted.")


@summary_group.command("add")
@data_dir_option
@click.argument("slug")
@click.argument("text")
@click.option("--theme", "theme_key", metavar="KEY", help="The theme it comes from (its reach "
              "is counted from the theme's findings).")
@friendly_errors
def summary_add(data_dir, slug, text, theme_key):
    """Add an observation at the end of the summary."""
    _ready(data_dir)
    from stocktake.report.actions import builder

    review = get_review(slug)
    theme = _theme(review, theme_key) if theme_key else None
    builder.add_summary_observation(review=review, text=text, theme=theme, by=None)
    click.echo(f"Added observation {review.summary_observations.count()}.")


@summary_group.command("remove")
@data_dir_option
@click.argument("slug")
@click.argument("number", type=click.IntRange(min=1))
@friendly_errors
def summary_remove(data_dir, slug, number):
    """Remove observation NUMBER (as `summary list` numbers them)."""
    _ready(data_dir)
    from stocktake.report import writing
    from stocktake.report.actions import builder

    review = get_review(slug)
    rows = writing.summary_observations(review)
    if number > len(rows):
        raise click.ClickException(f"{review.slug} has {len(rows)} summary observations; "
                                   f"there is no number {number}")
    builder.delete_summary_observation(observation=rows[number - 1], by=None)
    click.echo(f"Removed observation {number}: {rows[number - 1].text}")


@report_text.group("evidence")
def evidence_group():
    """A theme's chosen evidence: list, add findings, keep the suggestion, remove."""


def _findings(review, ids):
    from stocktake.collect.models import Finding

    found = {f.pk: f for f in Finding.objects.filter(review=review, pk__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise click.ClickException(f"No finding {', '.join(missing)} in {review.slug}")
    return [found[i] for i in ids]


@evidence_group.command("list")
@data_dir_option
@click.argument("slug")
@click.option("--theme", "theme_key", metavar="KEY", required=True)
@friendly_errors
def evidence_list(data_dir, slug, theme_key):
    """The theme's chosen quotes in order (finding id, organisation, text); else the report's
    own suggestion, marked as such."""
    _ready(data_dir)
    from stocktake.report import writing

    review = get_review(slug)
    theme = _theme(review, theme_key)
    chosen = writing.chosen_evidence(_everything(review), theme)
    for row in chosen:
        note = "" if row.in_report else "\t(not in the report: not submitted)"
        click.echo(f"{row.finding_id}\t{row.organisation}\t{row.text}{note}")
    if not chosen:
        quotes = writing.theme_section(review, theme).quotes
        click.echo("None chosen; the report suggests:" if quotes else
                   "None chosen, and no submitted finding counts towards this theme.")
        for quote in quotes:
            click.echo(f"{quote.finding_id}\t{quote.organisation}\t{quote.text}")


@evidence_group.command("add")
@data_dir_option
@click.argument("slug")
@click.option("--theme", "theme_key", metavar="KEY", required=True)
@click.option("--finding", "finding_ids", type=int, multiple=True, required=True,
              help="A submitted finding's id (repeat for more, in the order to show them).")
@friendly_errors
def evidence_add(data_dir, slug, theme_key, finding_ids):
    """Choose findings as the theme's evidence, after those already chosen."""
    _ready(data_dir)
    from stocktake.report.actions.writing import choose_quotes

    review = get_review(slug)
    theme = _theme(review, theme_key)
    quotes = choose_quotes(review=review, theme=theme, findings=_findings(review, finding_ids),
                           by=None)
    click.echo(f"{theme.name}: {len(quotes)} finding{'s' if len(quotes) != 1 else ''} chosen "
               f"({theme.evidence_quotes.count()} in all).")


@evidence_group.command("keep-suggested")
@data_dir_option
@click.argument("slug")
@click.option("--theme", "theme_key", metavar="KEY", required=True)
@friendly_errors
def evidence_keep(data_dir, slug, theme_key):
    """Choose the quotes the report suggests today, so they no longer change with the data."""
    _ready(data_dir)
    from stocktake.report import writing
    from stocktake.report.actions.writing import choose_quotes

    review = get_review(slug)
    theme = _theme(review, theme_key)
    if theme.evidence_quotes.exists():
        raise click.ClickException(f"{theme.name} already has evidence chosen; the report "
                                   "suggests quotes only while none is")
    ids = [q.finding_id for q in writing.theme_section(review, theme).quotes]
    if not ids:
        raise click.ClickException(f"No submitted finding counts towards {theme.name} yet")
    choose_quotes(review=review, theme=theme, findings=_findings(review, ids), by=None)
    click.echo(f"{theme.name}: kept findings {', '.join(map(str, ids))}.")


@evidence_group.command("remove")
@data_dir_option
@click.argument("slug")
@click.option("--theme", "theme_key", metavar="KEY", required=True)
@click.option("--finding", "finding_id", type=int, required=True)
@friendly_errors
def evidence_remove(data_dir, slug, theme_key, finding_id):
    """Take a finding out of the theme's evidence (the finding itself is unchanged)."""
    _ready(data_dir)
    from stocktake.report.actions import builder

    review = get_review(slug)
    theme = _theme(review, theme_key)
    quote = theme.evidence_quotes.filter(finding_id=finding_id).first()
    if quote is None:
        raise click.ClickException(f"Finding {finding_id} is not in {theme.name}'s evidence")
    builder.remove_quote(quote=quote, by=None)
    click.echo(f"{theme.name}: finding {finding_id} removed from the evidence.")
