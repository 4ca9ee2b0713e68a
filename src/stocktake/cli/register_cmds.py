"""`register`: the recommendations register of a review as a file."""

from __future__ import annotations

from pathlib import Path

import click

from stocktake.cli.context import (
    data_dir_option,
    ensure_migrated,
    friendly_errors,
    get_review,
    setup_django,
)


@click.group()
def register():
    """The recommendations register: owners, due dates, status, RAG and every update."""


@register.command("export")
@data_dir_option
@click.argument("slug")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write: .csv (one row per update) or .xlsx (sheets of "
                   "recommendations, status per system and updates).")
@friendly_errors
def export(data_dir, slug, output):
    """Write review SLUG's recommendations register, with the full history of updates."""
    suffix = output.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise click.BadParameter(f"{output.name} must end .csv or .xlsx", param_hint="'--output'")
    setup_django(data_dir)
    ensure_migrated()
    from django.utils import timezone

    from stocktake.reviews.orgtree import OrgTree
    from stocktake.track.register_export import register_csv, register_xlsx

    review = get_review(slug)
    tree, today = OrgTree.load(), timezone.localdate()
    if suffix == ".csv":
        output.write_text(register_csv(review, tree=tree, today=today), encoding="utf-8")
    else:
        output.write_bytes(register_xlsx(review, tree=tree, today=today))
    count = review.recommendations.count()
    click.echo(f"Wrote {count} recommendation{'' if count == 1 else 's'} to {output}.")
