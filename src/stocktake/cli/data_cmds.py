"""`import`, `export` and `report`: moving review material in and out."""

from __future__ import annotations

import json
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


def _dry_run(paths: list[Path], as_json: bool) -> None:
    """Extract without touching any database; print the structure."""
    from stocktake.analysis.errors import InputError
    from stocktake.collect.importers import expand_paths, extract

    merged: dict[str, list] = {
        "organisations": [], "findings": [], "examples": [], "recommendations": [], "problems": []
    }
    for path in expand_paths(paths):
        try:
            data = extract(path).to_dict()
        except InputError as exc:
            merged["problems"].append({"file": str(path), "location": "", "message": str(exc)})
            continue
        for key in merged:
            merged[key].extend(data.get(key, []))
    if as_json:
        json.dump(merged, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        click.echo(
            f"Would import {len(merged['findings'])} findings, {len(merged['examples'])} examples "
            f"and {len(merged['recommendations'])} recommendations from "
            f"{len({o['name'] for o in merged['organisations']})} organisations."
        )
        for problem in merged["problems"]:
            click.echo(f"  problem: {problem['file']} {problem['location']}: {problem['message']}")
    if merged["problems"] and not merged["findings"]:
        sys.exit(1)


@click.command("import")
@data_dir_option
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--review", "slug", help="Slug of the review to import into (not needed with --dry-run).")
@click.option("--dry-run", is_flag=True, help="Only extract and show what would be imported; "
              "needs no database.")
@click.option("--json", "as_json", is_flag=True, help="With --dry-run: print the structure as JSON.")
@friendly_errors
def import_(data_dir, paths, slug, dry_run, as_json):
    """Import submission documents (files or folders) into a review.

    Each file imports completely or not at all; a file imported before
    (same content) is skipped.
    """
    if dry_run:
        _dry_run(list(paths), as_json)
        return
    if as_json:
        raise click.UsageError("--json goes with --dry-run")
    if not slug:
        raise click.UsageError("--review SLUG is required (or use --dry-run)")
    setup_django(data_dir)
    ensure_migrated()
    review = get_review(slug)

    from stocktake.collect.importers import expand_paths
    from stocktake.collect.importing import import_paths

    files = expand_paths(list(paths))
    if not files:
        raise click.ClickException("no supported files found in the given paths")
    with click.progressbar(length=len(files), label="Importing") as bar:
        results = import_paths(review=review, paths=files, user=None,
                               progress=lambda *_: bar.update(1))
    failed = 0
    for result in results:
        if result.ok:
            click.echo(f"  {result.message}")
        else:
            click.echo(f"Error: {result.message}", err=True)
            failed += 1
    if failed:
        sys.exit(1)


@click.command()
@data_dir_option
@click.option("--review", "slug", required=True, help="Slug of the review.")
@click.option("--format", "fmt", type=click.Choice(["json", "findings-jsonl", "framework-yaml"]),
              default="json", show_default=True,
              help="json: the whole review; findings-jsonl: submitted findings as the input of "
              "`stocktake code`; framework-yaml: the review's framework.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write [default: standard output].")
@friendly_errors
def export(data_dir, slug, fmt, output):
    """Export a review (submitted material only) as JSON, JSONL or YAML."""
    setup_django(data_dir)
    ensure_migrated()
    review = get_review(slug)

    from stocktake.report.export import export_findings_jsonl, export_review
    from stocktake.reviews.frameworks import spec_for

    def write(fp):
        if fmt == "json":
            json.dump(export_review(review), fp, ensure_ascii=False, indent=2)
            fp.write("\n")
        elif fmt == "findings-jsonl":
            export_findings_jsonl(review, fp)
        else:
            fp.write(spec_for(review.framework).to_yaml())

    if output is None:
        write(sys.stdout)
        return
    tmp = output.with_name(f".{output.name}.tmp")
    with tmp.open("w", encoding="utf-8") as fp:
        write(fp)
    tmp.replace(output)
    click.echo(f"Wrote {output}", err=True)


@click.command()
@data_dir_option
@click.option("--review", "slug", required=True, help="Slug of the review.")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for index.html [default: DATA_DIR/report/SLUG].")
@friendly_errors
def report(data_dir, slug, output):
    """Write the review's report as a standalone HTML page."""
    resolved = setup_django(data_dir)
    ensure_migrated()
    review = get_review(slug)

    from stocktake.report.actions import write_report

    path = write_report(review=review, directory=output or resolved / "report" / slug, user=None)
    click.echo(f"Wrote {path}")


@click.command()
@data_dir_option
@click.option("--review", "slug", required=True, help="Slug of the review.")
@click.option("--backend", default="tfidf", show_default=True,
              help="Analysis backend (tfidf needs no model download).")
@click.option("--seed", default=0, show_default=True, type=int,
              help="Seed, recorded with the run so it can be reproduced.")
@friendly_errors
def analyse(data_dir, slug, backend, seed):
    """Code every finding of a review to themes, domains and polarity.

    Machine suggestions are replaced; reviewers' codes and polarity stated in
    the source are never changed. The run is recorded with its settings.
    """
    setup_django(data_dir)
    ensure_migrated()
    review = get_review(slug)

    from stocktake.analysis.backends import get_backend
    from stocktake.assess.actions import analyse_review

    get_backend(backend)  # an unknown or uninstalled backend fails before any work starts
    with click.progressbar(length=review.findings.count(), label="Analysing findings") as bar:
        run = analyse_review(review=review, user=None, backend=backend, seed=seed,
                             progress=lambda done, _total: bar.update(done - bar.pos))
    click.echo(f"Coded {run.finding_count} findings with the {run.backend!r} backend (run {run.pk}).")
