"""`import` and `export`: moving review material in and out (`report`: report_cmds.py)."""

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


def _max_bytes() -> int:
    from stocktake.config import env_int

    return env_int("STOCKTAKE_MAX_UPLOAD_MB", 50) * 1024 * 1024


def _dry_run(paths: list[Path], as_json: bool, mapping) -> None:
    """Extract without touching any database; print the structure (docs/import-format.md)."""
    from stocktake.analysis.errors import InputError
    from stocktake.collect.importers import expand_paths, extract

    merged: dict[str, list] = {
        "organisations": [], "findings": [], "examples": [], "recommendations": [], "problems": []
    }
    seen_orgs: set[tuple] = set()
    for path in expand_paths(paths):
        try:
            data = extract(path, max_bytes=_max_bytes(), mapping=mapping).to_dict()
        except InputError as exc:
            merged["problems"].append({"file": path.name, "location": "", "message": str(exc)})
            continue
        for org in data["organisations"]:
            if (org["name"], org["system"]) not in seen_orgs:
                seen_orgs.add((org["name"], org["system"]))
                merged["organisations"].append(org)
        for key in ("findings", "examples", "recommendations", "problems"):
            merged[key].extend(data[key])
    if as_json:
        json.dump(merged, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _summary(merged)
    if merged["problems"] and not (merged["findings"] or merged["examples"] or merged["recommendations"]):
        sys.exit(1)


def _summary(merged: dict) -> None:
    click.echo(
        f"Would import {len(merged['findings'])} findings, {len(merged['examples'])} examples "
        f"and {len(merged['recommendations'])} recommendations from "
        f"{len({o['name'] for o in merged['organisations']})} organisations."
    )
    for problem in merged["problems"]:
        where = f"{problem['file']}, {problem['location']}" if problem["location"] else problem["file"]
        message = problem["message"]
        click.echo(f"  problem: {message if message.startswith(problem['file']) else f'{where}: {message}'}")


@click.command("import")
@data_dir_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--review", "slug", help="Slug of the review to import into (not needed with --dry-run).")
@click.option("--dry-run", is_flag=True, help="Only extract and show what would be imported; "
              "needs no database.")
@click.option("--json", "as_json", is_flag=True, help="With --dry-run: print the structure as one "
              "JSON object (see docs/import-format.md).")
@click.option("--mapping", "mapping_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML or JSON file saying what the columns of tables hold "
              "(see docs/import-format.md; the upload preview saves one).")
@click.option("--organisation", "organisation_name", help="Who the files are from, for rows that "
              "name neither an organisation nor a system (name, short name or alias).")
@click.option("--same-as", "same_as", multiple=True, metavar="'NAME=REGISTER NAME'",
              help="A name the files give is this organisation of the register (repeatable): "
              "for a name the register probably holds, or any other.")
@click.option("--new", "new_names", multiple=True, metavar="NAME",
              help="Add this name the files give as a new organisation although the register "
              "has a likely match for it (repeatable).")
@click.option("--force", is_flag=True, help="With `import undo`: also remove the work that "
              "depends on the import (theme decisions, links from recommendations, progress).")
@friendly_errors
def import_(data_dir, paths, slug, dry_run, as_json, mapping_file, organisation_name, same_as,
            new_names, force):
    """Import submission documents (files or folders) into a review.

    Reads Word, Excel, CSV/TSV, PDF, HTML, Markdown and text files. Each file
    imports completely or not at all; a file imported before (same content)
    is skipped. A name that is probably an organisation of the register (a near
    spelling, its initials) but does not match it refuses its file until
    --same-as or --new says which it is. The run is one import batch, whose number is printed:
    `stocktake import undo BATCH` removes everything it brought in (refused
    while other work depends on it, unless --force).
    """
    from stocktake.collect.importers import load_mapping

    if paths and str(paths[0]) == "undo" and not paths[0].exists():
        _undo(data_dir, paths[1:], force)
        return
    missing = next((p for p in paths if not p.exists()), None)
    if missing is not None:
        raise click.BadParameter(f"Path '{missing}' does not exist.", param_hint="'PATHS...'")

    mapping = load_mapping(mapping_file) if mapping_file else None
    if dry_run:
        _dry_run(list(paths), as_json, mapping)
        return
    if as_json:
        raise click.UsageError("--json goes with --dry-run")
    if not slug:
        raise click.UsageError("--review SLUG is required (or use --dry-run)")
    setup_django(data_dir)
    ensure_migrated()
    review = get_review(slug)
    _import(review, list(paths), mapping, organisation_name,
            same_as=_same_as(review, same_as), new_names=set(new_names))


def _fallback_organisation(review, name: str | None):
    from stocktake.reviews.models import Organisation
    from stocktake.reviews.orgtree import OrgTree

    if not name:
        return None
    found = OrgTree.load().resolve(name, within=review.region_id)
    if found is None:
        raise click.ClickException(f"--organisation {name!r}: no such organisation in the "
                                   "review's region")
    return Organisation.objects.get(pk=found.id)


def _same_as(review, pairs) -> dict:
    """--same-as 'NAME=REGISTER NAME' options as {name in the file: organisation}."""
    from stocktake.reviews.models import Organisation
    from stocktake.reviews.orgtree import OrgTree

    chosen, tree = {}, None
    for pair in pairs:
        given, sep, register_name = pair.partition("=")
        if not sep or not given.strip() or not register_name.strip():
            raise click.BadParameter(f"{pair!r}: write it as 'NAME IN THE FILE=REGISTER NAME'",
                                     param_hint="'--same-as'")
        tree = tree or OrgTree.load()
        found = tree.resolve(register_name.strip(), within=review.region_id)
        if found is None:
            likely = tree.likely_match(register_name.strip(), within=review.region_id)
            hint = f"; did you mean {likely.name!r}?" if likely is not None else (
                "; see `stocktake org list`")
            raise click.BadParameter(f"{register_name.strip()!r}: no such organisation in the "
                                     f"review's region{hint}", param_hint="'--same-as'")
        chosen[given.strip()] = Organisation.objects.get(pk=found.id)
    return chosen


def _import(review, paths: list[Path], mapping, organisation_name: str | None = None, *,
            same_as: dict | None = None, new_names: set[str] | None = None) -> None:
    from stocktake.collect.actions import start_import_batch
    from stocktake.collect.importers import expand_paths
    from stocktake.track.importing import import_paths

    organisation = _fallback_organisation(review, organisation_name)
    files = expand_paths(paths)
    if not files:
        raise click.ClickException("No supported files found in the given paths")
    batch = start_import_batch(review=review, by=None)

    def pages(path: Path, done: int, total: int) -> None:  # a scanned PDF's text recognition
        end = "\n" if done == total else ""
        click.echo(f"\r  {path.name}: recognising text, page {done} of {total}", nl=False,
                   err=True)
        click.echo(end, nl=False, err=True)

    with click.progressbar(length=len(files), label="Importing", file=sys.stderr) as bar:
        results = import_paths(review=review, paths=files, by=None, mapping=mapping,
                               organisation=organisation, batch=batch,
                               progress=lambda *_: bar.update(1), page_progress=pages,
                               organisations=same_as or {}, new_organisations=new_names or set())
    failed = 0
    for result in results:
        if result.ok:
            click.echo(f"  {result.message}")
            for problem in result.problems:
                click.echo(f"    problem: {problem}")
        else:
            click.echo(f"Error: {result.message}", err=True)
            failed += 1
    if any(r.ok and r.created for r in results):
        click.echo(f"Import batch {batch.pk}: undo it with `stocktake import undo {batch.pk}`")
    if failed:
        sys.exit(1)


def _undo(data_dir, args, force: bool) -> None:
    from stocktake.collect.models import ImportBatch
    from stocktake.track.imports.actions import DependentWork, undo_import

    if len(args) != 1 or not str(args[0]).isdigit():
        raise click.UsageError("Give the import batch's number: stocktake import undo BATCH [--force]")
    setup_django(data_dir)
    ensure_migrated()
    batch = ImportBatch.objects.filter(pk=int(str(args[0]))).first()
    if batch is None:
        raise click.ClickException(f"No import batch {args[0]}")
    try:
        plan = undo_import(batch=batch, by=None, confirm_dependents=force)
    except DependentWork as exc:
        raise click.ClickException(f"{exc} Add --force to undo it anyway.") from None
    click.echo(f"Undid import batch {batch.pk}: removed " + ", ".join(plan.removes))


@click.command()
@data_dir_option
@click.option("--review", "slug", required=True, help="Slug of the review.")
@click.option("--format", "fmt", type=click.Choice(["json", "findings-jsonl", "framework-yaml"]),
              default="json", show_default=True,
              help="json: the whole review (version 2, docs/data-pack.md; `stocktake review "
              "load` loads it); findings-jsonl: submitted findings as the input of "
              "`stocktake code`; framework-yaml: the review's framework.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write [default: standard output].")
@friendly_errors
def export(data_dir, slug, fmt, output):
    """Export a review (submitted material only) as JSON, JSONL or YAML."""
    setup_django(data_dir)
    ensure_migrated()
    review = get_review(slug)

    from stocktake.report.datapack.files import write_json
    from stocktake.report.export import export_findings_jsonl, export_review
    from stocktake.reviews.frameworks import spec_for

    def write(fp):
        if fmt == "json":  # one finding, example or recommendation a line
            write_json(export_review(review), fp)
        elif fmt == "findings-jsonl":
            export_findings_jsonl(review, fp)
        else:
            fp.write(spec_for(review.framework).to_yaml())

    if output is None:
        write(sys.stdout)
        return
    if not output.parent.is_dir():
        raise click.ClickException(f"Cannot write {output}: folder {output.parent} does not exist")
    tmp = output.with_name(f".{output.name}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as fp:
            write(fp)
        tmp.replace(output)
    finally:
        tmp.unlink(missing_ok=True)
    click.echo(f"Wrote {output}", err=True)


@click.command()
@data_dir_option
@click.option("--review", "slug", required=True, help="Slug of the review.")
@click.option("--backend", default=None,
              help="Analysis backend: tfidf (no model download), semantic or ensemble "
              "[default: ensemble where `stocktake[semantic]` and a model are installed, "
              "else tfidf].")
@click.option("--seed", default=0, show_default=True, type=int,
              help="Seed, recorded with the run so it can be reproduced.")
@friendly_errors
def analyse(data_dir, slug, backend, seed):
    """Code every finding of a review to themes, domains and polarity.

    Machine suggestions are replaced; reviewers' codes and polarity stated in
    the source are never changed. The run is recorded with its settings. Then each
    finding's similar findings are worked out, if findings changed since they last were
    (the finding page's "Similar practice in other organisations").
    """
    setup_django(data_dir)
    ensure_migrated()
    review = get_review(slug)

    from stocktake.analysis.backends import get_backend
    from stocktake.assess.actions import analyse_review
    from stocktake.collect.similarity.actions import compute_similar_findings
    from stocktake.collect.similarity.queries import progress

    get_backend(backend)  # an unknown or uninstalled backend fails before any work starts
    with click.progressbar(length=review.findings.count(), label="Analysing findings") as bar:
        run = analyse_review(review=review, by=None, backend=backend, seed=seed,
                             progress=lambda done, _total: bar.update(done - bar.pos))
    if run.status != run.Status.DONE:  # cancelled from the web while it worked
        raise click.ClickException(f"Run {run.pk} stopped: {run.message}")
    click.echo(f"Coded {run.finding_count} findings with the {run.backend!r} backend (run {run.pk}).")
    if not progress(review.pk)[0]:
        count = compute_similar_findings(review_id=review.pk, by=None)
        click.echo(f"Worked out the similar findings of {count} findings.")
