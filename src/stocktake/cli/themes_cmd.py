"""`stocktake themes`: emergent themes and cross-system consensus from a FINDINGS.jsonl file.

Needs no database. The JSON it prints is documented in docs/analysis-cli.md
("stocktake themes"); ``SCHEMA`` names its version.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from stocktake.cli.context import friendly_errors

if TYPE_CHECKING:
    from stocktake.analysis.jsonl import FindingRow

SCHEMA = "stocktake.themes/1"


def read_findings(path: Path) -> list[FindingRow]:
    """FINDINGS.jsonl rows (``id`` defaults to the line number); organisation and system as
    stripped strings, empty when not given."""
    from stocktake.analysis import jsonl  # numpy and the library load only when a command runs

    return [replace(row, organisation=(row.organisation or "").strip(),
                    system=(row.system or "").strip())
            for row in jsonl.read_findings(path, ids_optional=True)]


def _write(payload: dict, output: Path | None) -> None:
    """The JSON to stdout, or to ``output`` whole or not at all."""
    from stocktake.analysis import jsonl

    with jsonl.atomic_output(output, sys.stdout) as stream:
        stream.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


@click.command("themes")
@click.option("--input", "input_path", required=True, type=click.Path(path_type=Path),
              help="FINDINGS.jsonl: one {\"id\", \"text\", \"organisation\", \"system\"} per line.")
@click.option("--framework", "framework_path", type=click.Path(path_type=Path),
              help="FRAMEWORK.yaml: code findings to its themes, report consensus per theme and "
              "cluster only the findings that fit no theme well. Without it every finding is "
              "clustered.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Random seed; the same input and seed give the same output.")
@click.option("--all", "include_all", is_flag=True,
              help="Cluster every finding, not only those that fit no framework theme well.")
@click.option("--fit-threshold", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="A finding whose top theme score is below this fits no theme well.")
@click.option("--min-size", type=click.IntRange(min=1), default=3, show_default=True,
              help="Smallest emergent theme kept (findings in smaller clusters are left out).")
@click.option("--max-themes", type=click.IntRange(min=2), default=30, show_default=True,
              help="Most emergent themes to consider (the number is chosen by silhouette).")
@click.option("--themes", "n_themes", type=click.IntRange(min=1), default=None,
              help="Exactly this many clusters instead of choosing automatically.")
@click.option("--duplicates", is_flag=True,
              help="Also list near-duplicate pairs of findings.")
@click.option("--duplicate-threshold", type=click.FloatRange(0.5, 1), default=0.9,
              show_default=True, help="Cosine similarity at which two findings are near-duplicates.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the JSON here (written whole or not at all) instead of stdout.")
@friendly_errors
def themes(input_path, framework_path, seed, include_all, fit_threshold, min_size, max_themes,
           n_themes, duplicates, duplicate_threshold, output):
    """Emergent themes and cross-system consensus, as JSON (no database needed).

    Clusters findings into labelled emergent themes, and says per theme how
    many systems and organisations raised it, whether it is consistent across
    systems or distinctive to one or two, with representative quotes; plus
    what is distinctive to each system. See docs/analysis-cli.md.
    """
    from stocktake.analysis.framework import load_framework
    from stocktake.cli.themes_json import build_payload

    framework = load_framework(framework_path) if framework_path else None
    rows = read_findings(input_path)
    payload = build_payload(
        rows, framework=framework, seed=seed, include_all=include_all,
        fit_threshold=fit_threshold, min_size=min_size, k_max=max_themes, k=n_themes,
        duplicate_threshold=duplicate_threshold if duplicates else None,
    )
    payload = {"schema": SCHEMA, **payload}
    _write(payload, output)
