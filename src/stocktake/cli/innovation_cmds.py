"""`innovation`: the innovations register from the command line (list, log, import, export,
golden threads). The command line acts as the system (no user's scope): it sees and logs
for every organisation, as an administrator would."""

from __future__ import annotations

from pathlib import Path

import click

from stocktake.cli.context import data_dir_option, ensure_migrated, friendly_errors, setup_django
from stocktake.cli.org_cmds import find_organisation

OUTCOMES = ["undecided", "retain", "adapt", "reject"]


def _ready(data_dir) -> None:
    setup_django(data_dir)
    ensure_migrated()


def _filters(tree, organisation, theme, thread, outcome, search):
    from stocktake.reviews.models import Theme
    from stocktake.track.innovation_queries import Filters
    from stocktake.track.models import GoldenThread

    org = find_organisation(tree, organisation) if organisation else None
    theme_id = thread_id = None
    if theme:
        found = Theme.objects.filter(key=theme).first() or Theme.objects.filter(
            name__iexact=theme).first()
        if found is None:
            raise click.ClickException(f"No theme with the key or name {theme!r}")
        theme_id = found.pk
    if thread:
        found = GoldenThread.objects.filter(name__iexact=thread).first()
        if found is None:
            raise click.ClickException(f"No golden thread called {thread!r}; see "
                                       "`stocktake innovation threads`")
        thread_id = found.pk
    return Filters(organisation=org.id if org else None, theme=theme_id, thread=thread_id,
                   outcome=outcome or "", q=" ".join(search.split()))


def filter_options(command):
    for option in reversed([
        click.option("--organisation", default="", help="Only this organisation (name, acronym "
                     "or alias) and those below it."),
        click.option("--theme", default="", help="Only innovations coded to this theme (key "
                     "or name)."),
        click.option("--thread", default="", help="Only this golden thread (its name)."),
        click.option("--outcome", type=click.Choice(OUTCOMES), help="Only this decision."),
        click.option("--search", default="", help="Only innovations whose words include these."),
    ]):
        command = option(command)
    return command


def _shown(organisation, theme, thread, outcome, search):
    from stocktake.reviews.orgtree import OrgTree
    from stocktake.track import innovation_queries as queries
    from stocktake.track.models import Innovation

    tree = OrgTree.load()
    filters = _filters(tree, organisation, theme, thread, outcome, search)
    return queries.rows(queries.filtered(Innovation.objects.all(), filters, tree))


@click.group()
def innovation():
    """The innovations register: new ways of working logged by organisations at any time.

    Wherever a command takes an organisation, its full name, acronym, an alias or
    "Full Name (ACR)" will do.
    """


@innovation.command("list")
@data_dir_option
@filter_options
@friendly_errors
def innovation_list(data_dir, organisation, theme, thread, outcome, search):
    """List innovations, newest first: id, organisation, title, themes, thread and decision."""
    _ready(data_dir)
    shown = 0
    for item in _shown(organisation, theme, thread, outcome, search).iterator(chunk_size=500):
        shown += 1
        themes = ", ".join(t.name for t in item.themes.all()) or "not coded"
        thread_name = item.golden_thread.name if item.golden_thread else "no thread"
        click.echo(f"{item.pk}\t{item.organisation.name}\t{item.title}\t{themes}\t"
                   f"{thread_name}\t{item.get_outcome_display()}")
    if not shown:
        click.echo("No innovations match." if (organisation or theme or thread or outcome
                                               or search)
                   else "The register is empty; add with `stocktake innovation log`.")


@innovation.command("log")
@data_dir_option
@click.option("--organisation", required=True, help="Whose innovation it is.")
@click.option("--title", required=True, help="A few words naming it.")
@click.option("--what-changed", required=True, help="What is done now that was not before.")
@click.option("--unit", default="", help="Business unit, team or service.")
@click.option("--place", default="", help="Place or site.")
@click.option("--since", default="", help="When it started: 2024-03, 03/2024 or March 2024.")
@click.option("--lead", default="", help="Who leads it (a name or role).")
@click.option("--lead-email", default="", help="The lead's email address.")
@click.option("--benefits", default="", help="Benefits seen.")
@click.option("--risks", default="", help="Risks seen.")
@click.option("--support", default="", help="Support needed.")
@click.option("--review", "review_slug", default="", help="The review it belongs to (slug).")
@friendly_errors
def innovation_log(data_dir, organisation, title, what_changed, unit, place, since, lead,
                   lead_email, benefits, risks, support, review_slug):
    """Log one innovation; it is coded to the framework's themes at once."""
    _ready(data_dir)
    from stocktake.reviews.models import Review
    from stocktake.reviews.orgtree import OrgTree
    from stocktake.track import actions
    from stocktake.track.innovation_import import parse_month

    org = find_organisation(OrgTree.load(), organisation)
    started = parse_month(since) if since else None
    if since and started is None:
        raise click.BadParameter(f"{since!r} is not a month (write it like 2024-03 or "
                                 "March 2024)", param_hint="--since")
    review = None
    if review_slug:
        review = Review.objects.filter(slug=review_slug).first()
        if review is None:
            raise click.BadParameter(f"No review {review_slug!r}", param_hint="--review")
    made = actions.log_innovation(
        organisation=org, title=title, what_changed=what_changed, unit=unit, place=place,
        started_on=started, lead_name=lead, lead_email=lead_email, benefits=benefits,
        risks=risks, support_needed=support, review=review, source="cli", by=None)
    themes = ", ".join(t.name for t in made.themes.all()) or "none"
    click.echo(f"Logged innovation {made.pk}: {made.title} ({org.name}); themes: {themes}.")


@innovation.command("import")
@data_dir_option
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Only check the file and list its problems.")
@friendly_errors
def innovation_import(data_dir, path, check):
    """Import innovations from a CSV file or an Excel workbook (all rows or none).

    Columns are recognised by their header words (organisation, unit or team, place,
    title, what changed, since, lead, email, benefits, risks, support); each problem is
    listed with its row number and nothing is imported until there are none.
    """
    _ready(data_dir)
    from stocktake.reviews.orgtree import OrgTree
    from stocktake.track import actions
    from stocktake.track.innovation_import import read_plan

    plan = read_plan(path.read_bytes(), path.name, tree=OrgTree.load())
    for column in plan.columns:
        click.echo(f"Column {column.header!r}: {column.label.lower()}")
    if plan.problems:
        for line in plan.problems:
            click.echo(line, err=True)
        raise click.ClickException(f"{len(plan.problems)} problem(s) in {path.name}; nothing "
                                   "was imported")
    if check:
        click.echo(f"{len(plan.rows)} innovation(s) ready to import; nothing was imported "
                   "(--check).")
        return
    made = actions.import_innovations(plan=plan, by=None, coding="now")
    click.echo(f"Imported {len(made)} innovation(s) from {path.name}, coded to themes.")


@innovation.command("export")
@data_dir_option
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@filter_options
@friendly_errors
def innovation_export(data_dir, path, organisation, theme, thread, outcome, search):
    """Write the register (or the innovations the filters pick) to PATH: .csv or .xlsx."""
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise click.BadParameter("PATH must end .csv or .xlsx", param_hint="PATH")
    _ready(data_dir)
    from stocktake.web.presenters import innovations as present

    shown = list(_shown(organisation, theme, thread, outcome, search))
    if path.suffix.lower() == ".xlsx":
        path.write_bytes(present.as_xlsx(shown))
    else:
        path.write_text(present.as_csv(shown), encoding="utf-8")
    click.echo(f"Wrote {len(shown)} innovation(s) to {path}.")


@innovation.command("threads")
@data_dir_option
@click.argument("organisation")
@click.option("--suggest", is_flag=True, help="Ask the analysis for threads first (replaces "
              "the unconfirmed suggestions; confirmed threads stay).")
@friendly_errors
def innovation_threads(data_dir, organisation, suggest):
    """List the golden threads of ORGANISATION's register with their innovations."""
    _ready(data_dir)
    from stocktake.reviews.orgtree import OrgTree
    from stocktake.track import actions
    from stocktake.track.models import GoldenThread

    org = find_organisation(OrgTree.load(), organisation)
    if suggest:
        made = actions.suggest_golden_threads(organisation=org, by=None)
        click.echo(f"{len(made)} thread(s) suggested.")
    threads = GoldenThread.objects.filter(organisation=org).prefetch_related("innovations")
    if not threads:
        click.echo(f"{org.name} has no golden threads; suggest some with --suggest.")
    for thread in threads:
        state = "confirmed" if thread.confirmed else "suggested"
        click.echo(f"{thread.name} ({state}, {thread.innovations.count()} innovations)")
        for item in thread.innovations.all():
            click.echo(f"  {item.pk}\t{item.title}")
