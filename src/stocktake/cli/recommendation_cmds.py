"""`recommendation`: the report's recommendations from the command line, as the builder
page edits them (the same actions, so the same numbering rule and audit trail)."""

from __future__ import annotations

import datetime as dt

import click

from stocktake.cli.context import (
    data_dir_option,
    ensure_migrated,
    friendly_errors,
    get_review,
    setup_django,
)


def _ready(data_dir) -> None:
    setup_django(data_dir)
    ensure_migrated()


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-03-31",
                                 param_hint="'--due'") from None


def _recommendation(review, number: str):
    """The review's recommendation ``number``: its number, or its label as printed ("3.1")."""
    recs = review.recommendations.select_related("theme", "owner")
    found = recs.filter(number=int(number)).first() if number.isdigit() else None
    found = found or recs.filter(label=number).first()
    if found is None:
        raise click.ClickException(f"{review.slug} has no recommendation {number}; "
                                   f"see `stocktake recommendation list {review.slug}`")
    return found


def _theme(review, key: str | None, no_theme: bool, *, required: bool = False):
    """(given, theme): whether a theme was given, and which (None: no theme)."""
    if key is not None and no_theme:
        raise click.UsageError("Give --theme or --no-theme, not both")
    if no_theme:
        return True, None
    if key is None:
        if required:
            raise click.UsageError("Say where to move it: --up, --down, --theme KEY or --no-theme")
        return False, None
    theme = review.framework.themes.filter(key=key).first()
    if theme is None:
        keys = ", ".join(review.framework.themes.order_by("position").values_list("key", flat=True))
        raise click.BadParameter(f"{key!r} is not a theme of this review's framework "
                                 f"(themes: {keys})", param_hint="'--theme'")
    return True, theme


def _owner(name: str | None):
    from stocktake.cli.org_cmds import find_organisation
    from stocktake.reviews.orgtree import OrgTree

    return find_organisation(OrgTree.load(), name) if name else None


def _findings(review, ids: tuple[int, ...]) -> list:
    found = {f.pk: f for f in review.findings.filter(pk__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise click.ClickException(f"{review.slug} has no finding {', '.join(missing)}")
    return [found[i] for i in ids]


def _line(rec) -> str:
    owner = rec.owner.name if rec.owner_id else "no owner"
    due = rec.due_date.isoformat() if rec.due_date else "no due date"
    cited = rec.findings.count()
    return (f"{rec.shown_number:>4}  {rec.status:<14} {owner} · {due} · "
            f"{cited} cited  {rec.text[:70]}")


@click.group()
def recommendation():
    """The report's recommendations: list, add, edit, move, cite findings, delete.

    Numbers run on through the report (theme sections in the framework's order, then
    the further recommendations with no theme); until the report is published, every
    addition, move and deletion renumbers them. Once published they are frozen: new
    ones take the next number, nothing is renumbered, and none can be deleted.
    NUMBER is a recommendation's number, or its label as a document printed it.
    """


@recommendation.command("list")
@data_dir_option
@click.argument("slug")
@friendly_errors
def recommendation_list(data_dir, slug):
    """List the recommendations of review SLUG by section, as the report reads them."""
    _ready(data_dir)
    from stocktake.report.recommendation_queries import (
        grouped_recommendations,
        numbers_frozen,
        themes_in_order,
    )

    review = get_review(slug)
    groups = grouped_recommendations(
        review.recommendations.select_related("owner", "theme"), themes_in_order(review))
    if not groups:
        click.echo(f"{slug} has no recommendations yet.")
    for group in groups:
        click.echo(f"{group.name}" + (f" [{group.key}]" if group.key else ""))
        for rec in group.recommendations:
            click.echo(_line(rec))
    if numbers_frozen(review):
        click.echo("The report is published: numbers are frozen.")


@recommendation.command("add")
@data_dir_option
@click.argument("slug")
@click.argument("text")
@click.option("--theme", "theme_key", metavar="KEY", help="The theme's key (see `stocktake "
              "framework export`); without one it is a further recommendation.")
@click.option("--owner", help="Owner organisation: name, acronym or alias in the register.")
@click.option("--lead-contact", default="", help="Who leads the work at the owner.")
@click.option("--due", help="Due date, like 2026-03-31.")
@click.option("--cite", "cite", type=int, multiple=True, metavar="FINDING_ID",
              help="A finding to cite as evidence (repeat for more).")
@friendly_errors
def recommendation_add(data_dir, slug, text, theme_key, owner, lead_contact, due, cite):
    """Add a recommendation with TEXT to review SLUG, at the end of its theme's section."""
    due_date = _date(due)
    _ready(data_dir)
    from stocktake.report.actions.recommendations import add_recommendation

    review = get_review(slug)
    _, theme = _theme(review, theme_key, False)
    rec = add_recommendation(review=review, text=text, by=None, theme=theme,
                             owner=_owner(owner), lead_contact=lead_contact, due_date=due_date,
                             findings=_findings(review, cite))
    click.echo(f"Added recommendation {rec.shown_number}.")


@recommendation.command("edit")
@data_dir_option
@click.argument("slug")
@click.argument("number")
@click.option("--text", help="Its new wording.")
@click.option("--theme", "theme_key", metavar="KEY", help="Move it to this theme's section.")
@click.option("--no-theme", is_flag=True, help="Move it to the further recommendations.")
@click.option("--owner", help="Owner organisation: name, acronym or alias in the register.")
@click.option("--no-owner", is_flag=True, help="Remove its owner.")
@click.option("--lead-contact", help="Who leads the work at the owner ('' to clear).")
@click.option("--due", help="Due date, like 2026-03-31.")
@click.option("--no-due", is_flag=True, help="Remove its due date.")
@friendly_errors
def recommendation_edit(data_dir, slug, number, text, theme_key, no_theme, owner, no_owner,
                        lead_contact, due, no_due):
    """Change recommendation NUMBER of review SLUG; only the options given change."""
    if owner and no_owner:
        raise click.UsageError("Give --owner or --no-owner, not both")
    if due and no_due:
        raise click.UsageError("Give --due or --no-due, not both")
    due_date = _date(due)
    _ready(data_dir)
    from stocktake.report.actions.recommendations import edit_recommendation

    review = get_review(slug)
    rec = _recommendation(review, number)
    changes: dict = {}
    if text is not None:
        changes["text"] = text
    given, theme = _theme(review, theme_key, no_theme)
    if given:
        changes["theme"] = theme
    if owner or no_owner:
        changes["owner"] = _owner(owner)
    if lead_contact is not None:
        changes["lead_contact"] = lead_contact
    if due or no_due:
        changes["due_date"] = due_date
    if not changes:
        raise click.UsageError("Nothing to change: give --text, --theme, --owner, "
                               "--lead-contact or --due (or their --no- forms)")
    was = rec.shown_number
    rec = edit_recommendation(recommendation=rec, by=None, **changes)
    moved = f"; it is now recommendation {rec.shown_number}" if rec.shown_number != was else ""
    click.echo(f"Saved recommendation {was}{moved}.")


@recommendation.command("move")
@data_dir_option
@click.argument("slug")
@click.argument("number")
@click.option("--up", "direction", flag_value="up", help="One place up within its section.")
@click.option("--down", "direction", flag_value="down", help="One place down within its section.")
@click.option("--theme", "theme_key", metavar="KEY", help="To the end of this theme's section.")
@click.option("--no-theme", is_flag=True, help="To the end of the further recommendations.")
@friendly_errors
def recommendation_move(data_dir, slug, number, direction, theme_key, no_theme):
    """Move recommendation NUMBER of review SLUG up, down or to another section."""
    if direction and (theme_key is not None or no_theme):
        raise click.UsageError("Move it up or down, or to another theme: not both")
    _ready(data_dir)
    from stocktake.report.actions.recommendations import move_recommendation, move_to_theme

    review = get_review(slug)
    rec = _recommendation(review, number)
    was = rec.shown_number
    if direction:
        rec = move_recommendation(recommendation=rec, direction=direction, by=None)
    else:
        _, theme = _theme(review, theme_key, no_theme, required=True)
        rec = move_to_theme(recommendation=rec, theme=theme, by=None)
    click.echo(f"Moved recommendation {was}: it is now recommendation {rec.shown_number}"
               + (f" under {rec.theme.name}." if rec.theme_id else
                  " among the further recommendations."))


@recommendation.command("cite")
@data_dir_option
@click.argument("slug")
@click.argument("number")
@click.argument("finding_ids", type=int, nargs=-1, required=True)
@friendly_errors
def recommendation_cite(data_dir, slug, number, finding_ids):
    """Cite submitted findings (FINDING_IDS) as evidence for recommendation NUMBER."""
    _ready(data_dir)
    from stocktake.report.actions.recommendations import cite_finding

    review = get_review(slug)
    rec = _recommendation(review, number)
    added = sum(cite_finding(recommendation=rec, finding=f, by=None)
                for f in _findings(review, finding_ids))
    click.echo(f"Recommendation {rec.shown_number}: {added} finding{'s' if added != 1 else ''} "
               f"cited, {rec.findings.count()} in all.")


@recommendation.command("uncite")
@data_dir_option
@click.argument("slug")
@click.argument("number")
@click.argument("finding_ids", type=int, nargs=-1, required=True)
@friendly_errors
def recommendation_uncite(data_dir, slug, number, finding_ids):
    """Stop citing findings (FINDING_IDS) for recommendation NUMBER."""
    _ready(data_dir)
    from stocktake.report.actions.recommendations import uncite_finding

    review = get_review(slug)
    rec = _recommendation(review, number)
    removed = sum(uncite_finding(recommendation=rec, finding=f, by=None)
                  for f in _findings(review, finding_ids))
    click.echo(f"Recommendation {rec.shown_number}: {removed} finding"
               f"{'s' if removed != 1 else ''} no longer cited, {rec.findings.count()} left.")


@recommendation.command("delete")
@data_dir_option
@click.argument("slug")
@click.argument("number")
@click.option("--yes", is_flag=True, help="Delete without asking.")
@friendly_errors
def recommendation_delete(data_dir, slug, number, yes):
    """Delete recommendation NUMBER of review SLUG (only before the report is published);
    the others are renumbered."""
    _ready(data_dir)
    from stocktake.report.actions.recommendations import delete_recommendation

    review = get_review(slug)
    rec = _recommendation(review, number)
    if not yes and not click.confirm(f"Delete recommendation {rec.shown_number}: "
                                     f"{rec.text[:60]!r}?", default=False):
        raise click.ClickException("Nothing deleted")
    number = delete_recommendation(recommendation=rec, by=None)
    click.echo(f"Deleted recommendation {number}; the others were renumbered.")
