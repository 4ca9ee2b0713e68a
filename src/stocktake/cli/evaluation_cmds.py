"""`evaluation`: an innovation's measures, feedback, decision and spread from the command line.

The same actions as the web pages (track.actions.evaluation), run as whoever owns the
database (``by=None``). Lists are tab-separated, one item per line.
"""

from __future__ import annotations

from pathlib import Path

import click

from stocktake.cli.context import data_dir_option, ensure_migrated, friendly_errors, setup_django


def _ready(data_dir) -> None:
    setup_django(data_dir)
    ensure_migrated()


def _innovation(innovation_id: int):
    from stocktake.track.models import Innovation

    found = Innovation.objects.select_related("organisation").filter(pk=innovation_id).first()
    if found is None:
        raise click.ClickException(f"No innovation {innovation_id}; see `stocktake innovation "
                                   "list`")
    return found


def _measure(measure_id: int):
    from stocktake.track.models import Measure

    found = Measure.objects.select_related("innovation").filter(pk=measure_id).first()
    if found is None:
        raise click.ClickException(f"No measure {measure_id}; see `stocktake evaluation measure "
                                   "list INNOVATION_ID`")
    return found


def _organisation(name: str):
    from stocktake.cli.org_cmds import find_organisation
    from stocktake.reviews.models import Organisation
    from stocktake.reviews.orgtree import OrgTree

    return Organisation.objects.get(pk=find_organisation(OrgTree.load(), name).pk)


@click.group()
def evaluation():
    """An innovation's evaluation (measures and their charts, feedback), its decision
    (retain, adapt or reject) and its spread to other organisations.

    Innovations are named by their id (`stocktake innovation list`); organisations by
    full name, acronym or another name.
    """


@evaluation.group()
def measure():
    """Measures of an innovation: add, list, enter values from CSV and chart them."""


@measure.command("add")
@data_dir_option
@click.argument("innovation_id", type=int)
@click.option("--name", required=True, help="What is counted.")
@click.option("--kind", required=True, type=click.Choice(["performance", "finance", "quality"]))
@click.option("--unit", default="", help="days, £, %, …")
@click.option("--baseline", type=float, default=None, help="The value before the change.")
@click.option("--target", type=float, default=None)
@click.option("--lower-is-better", is_flag=True, help="Lower values are better (waits, costs).")
@click.option("--baseline-points", type=int, default=None,
              help="The centre line from this many first points (the time before the change).")
@friendly_errors
def measure_add(data_dir, innovation_id, name, kind, unit, baseline, target, lower_is_better,
                baseline_points):
    """Add a measure to an innovation; prints its id."""
    _ready(data_dir)
    from stocktake.track.actions import evaluation as actions

    made = actions.add_measure(innovation=_innovation(innovation_id), name=name, kind=kind,
                               unit=unit, baseline=baseline, target=target,
                               higher_is_better=not lower_is_better,
                               baseline_points=baseline_points, by=None)
    click.echo(f"Measure {made.pk} added: {made.name}")


@measure.command("list")
@data_dir_option
@click.argument("innovation_id", type=int)
@friendly_errors
def measure_list(data_dir, innovation_id):
    """List an innovation's measures: id, kind, name, unit, number of values."""
    _ready(data_dir)
    rows = _innovation(innovation_id).measures.all()
    for m in rows:
        click.echo(f"{m.pk}\t{m.kind}\t{m.name}\t{m.unit}\t{m.values.count()}")
    if not rows:
        click.echo("No measures yet; add one with `stocktake evaluation measure add`.")


@measure.command("values")
@data_dir_option
@click.argument("measure_id", type=int)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Read the file and report problems; store nothing.")
@friendly_errors
def measure_values(data_dir, measure_id, path, check):
    """Enter a measure's values from a CSV file of date,value[,note] rows (all or nothing).

    A date given twice in the file is refused; a date the measure already has takes the
    file's value, and the dates replaced are listed."""
    _ready(data_dir)
    from stocktake.track.actions import evaluation as actions
    from stocktake.track.values_csv import parse_values

    found = _measure(measure_id)
    parsed = parse_values(path.read_bytes())
    if parsed.problems:
        for line in parsed.problems:
            click.echo(line, err=True)
        raise click.ClickException(f"{len(parsed.problems)} problem(s) in {path.name}; nothing "
                                   "was stored")
    if check:
        click.echo(f"{len(parsed.rows)} values read; nothing stored (--check).")
        return
    outcome = actions.record_values(measure=found, rows=parsed.rows, by=None, channel="cli")
    click.echo(f"{outcome.added} added, {len(outcome.replaced)} replaced"
               + (": " + ", ".join(d.isoformat() for d in outcome.replaced)
                  if outcome.replaced else ""))


@measure.command("chart")
@data_dir_option
@click.argument("measure_id", type=int)
@click.option("--svg", "svg_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the chart as an SVG file.")
@friendly_errors
def measure_chart(data_dir, measure_id, svg_path):
    """A measure's run chart (XmR from 15 points): centre line, limits and signals in words."""
    _ready(data_dir)
    from stocktake.web.presenters import runchart_svg

    found = _measure(measure_id)
    points = [runchart_svg.Point(v.on, v.value, v.note) for v in found.values.all()]
    view = runchart_svg.build(points, name=found.name, unit=found.unit, target=found.target,
                              higher_is_better=found.higher_is_better,
                              baseline_points=found.baseline_points)
    if view is None:
        raise click.ClickException(f"Measure {measure_id} has no values yet")
    click.echo(view.summary)
    click.echo(view.centre_label)
    if view.limits_label:
        click.echo(view.limits_label)
    for line in view.signals or ("No signal: the points vary as chance would.",):
        click.echo(line)
    if svg_path:
        svg_path.write_text(str(runchart_svg.with_id(view, f"chart-{found.pk}")),
                            encoding="utf-8")
        click.echo(f"Chart written to {svg_path}")


@evaluation.command("feedback")
@data_dir_option
@click.argument("innovation_id", type=int)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", required=True, type=click.Choice(["staff", "service_user"]))
@click.option("--column", default="", help="The comment column's heading (CSV or Excel).")
@friendly_errors
def feedback(data_dir, innovation_id, path, source, column):
    """Import feedback comments (a CSV or Excel column, or a text file one a line)."""
    _ready(data_dir)
    from stocktake.track import feedback_file
    from stocktake.track.actions import evaluation as actions

    comments = feedback_file.from_file(path.name, path.read_bytes(), column=column)
    if comments.problem:
        raise click.ClickException(comments.problem)
    made = actions.add_feedback(innovation=_innovation(innovation_id), source=source,
                                texts=comments.texts, by=None, channel="import")
    counts: dict[str, int] = {}
    for f in made:
        counts[f.polarity] = counts.get(f.polarity, 0) + 1
    click.echo(f"{len(made)} comments added: "
               + ", ".join(f"{n} {p}" for p, n in sorted(counts.items())))


@evaluation.command("decide")
@data_dir_option
@click.argument("innovation_id", type=int)
@click.option("--outcome", required=True,
              type=click.Choice(["retain", "adapt", "reject", "undecided"]))
@click.option("--rationale", required=True, help="Why (required).")
@click.option("--framework", "framework_id", type=int, default=None,
              help="A decision framework's id [default: the default framework].")
@click.option("--score", "scores", multiple=True, metavar="KEY=N",
              help="A criterion's score, 0-5 (repeat): benefit, risks, cost, equity, "
                   "experience, support in the default framework.")
@friendly_errors
def decide(data_dir, innovation_id, outcome, rationale, framework_id, scores):
    """Record a decision on an innovation (kept as history; the latest is its outcome)."""
    _ready(data_dir)
    from stocktake.track.actions import evaluation as actions
    from stocktake.track.models import DecisionFramework

    framework = None
    if framework_id is not None:
        framework = DecisionFramework.objects.filter(pk=framework_id).first()
        if framework is None:
            raise click.ClickException(f"No decision framework {framework_id}")
    given = {}
    for item in scores:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.ClickException(f"--score {item!r}: write it as KEY=N, e.g. benefit=4")
        given[key.strip()] = {"score": value.strip()}
    made = actions.decide(innovation=_innovation(innovation_id), outcome=outcome,
                          rationale=rationale, framework=framework, scores=given, by=None)
    click.echo(f"Decision {made.pk}: {made.get_outcome_display()}")


@evaluation.command("adopt")
@data_dir_option
@click.argument("innovation_id", type=int)
@click.option("--organisation", required=True, help="The organisation that took it up.")
@click.option("--status", required=True,
              type=click.Choice(["adopted", "adapted", "considering", "declined"]))
@click.option("--note", default="")
@friendly_errors
def adopt(data_dir, innovation_id, organisation, status, note):
    """Record (or change) another organisation's adoption of an innovation."""
    _ready(data_dir)
    from stocktake.track.actions import evaluation as actions

    adoption, created = actions.record_adoption(
        innovation=_innovation(innovation_id), organisation=_organisation(organisation),
        status=status, note=note, by=None)
    click.echo(f"{adoption.organisation.name}: {adoption.get_status_display().lower()} "
               f"({'recorded' if created else 'updated'})")


@evaluation.command("spread")
@data_dir_option
@click.argument("innovation_id", type=int)
@friendly_errors
def spread(data_dir, innovation_id):
    """List an innovation's adoptions: organisation, status, note."""
    _ready(data_dir)
    rows = _innovation(innovation_id).adoptions.select_related("organisation")
    for a in rows:
        click.echo(f"{a.organisation.name}\t{a.status}\t{' '.join(a.note.split())}")
    if not rows:
        click.echo("No adoptions recorded.")
