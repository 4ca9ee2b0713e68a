"""`code`: the analysis library on files alone — no database, no Django set-up.

The reference for the formats and what the scores mean is docs/analysis-cli.md.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from stocktake.cli.context import friendly_errors

FILE = click.Path(dir_okay=False, path_type=Path)


@click.command("code")
@click.option("--framework", "framework_path", required=True, type=FILE,
              help="FRAMEWORK.yaml: name, domains and themes (key, name, description, keywords).")
@click.option("--input", "input_path", required=True, type=FILE,
              help="FINDINGS.jsonl: one {\"id\", \"text\", \"organisation\", \"system\"} per line.")
@click.option("--examples", "examples_path", type=FILE,
              help="CODED.jsonl: reviewer-confirmed {\"text\", \"theme\" and/or \"domain\"} lines "
              "the coder learns from.")
@click.option("--backend", default=None,
              help="tfidf (offline, no model), semantic or ensemble (tfidf + semantic; both need "
              "`pip install stocktake[semantic]` and a local model) [default: ensemble where "
              "those are installed, else tfidf].")
@click.option("--model", help="semantic and ensemble: sentence-transformers model name or local "
              "folder, loaded offline [default: $STOCKTAKE_SEMANTIC_MODEL].")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=0.2, show_default=True,
              help="Score from which a theme other than the top one is explained as applying.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed for reproducible runs.")
@click.option("--output", "-o", "output_path", type=FILE,
              help="OUT.jsonl to write (replaced only when complete) [default: standard output].")
@friendly_errors
def code(framework_path, input_path, examples_path, backend, model, threshold, seed,
         output_path):
    """Code findings in a JSONL file to a framework's themes, domains and polarity.

    Writes one line per finding, in input order: every theme with its score
    (best first), the best domain, the polarity and a short explanation.
    Needs no database; nothing is downloaded.
    """
    from stocktake.analysis.backends import default_backend, get_backend
    from stocktake.analysis.errors import InputError
    from stocktake.analysis.framework import load_framework
    from stocktake.analysis.jsonl import atomic_output, read_examples, read_findings, write_results

    backend = backend or default_backend()
    factory = get_backend(backend)  # an unknown or uninstalled backend fails before any work
    options = {"workers": min(2, os.cpu_count() or 1)}
    if model:
        if not getattr(factory, "takes_model", False):
            raise InputError(f"--model applies to the semantic and ensemble backends, "
                             f"not {backend!r}")
        options["model"] = model
    framework = load_framework(framework_path)
    examples = read_examples(examples_path, framework) if examples_path else []
    rows = read_findings(input_path)
    coder = factory(framework, seed=seed, **options)
    coder.fit_examples(examples)
    texts = [row.text for row in rows]
    coded = coder.fit(texts).code_arrays(texts, threshold=threshold)
    with atomic_output(output_path, sys.stdout) as fp:
        write_results(fp, rows, coded)
    if output_path is not None:
        click.echo(f"Coded {len(rows)} findings with the {backend!r} backend into {output_path}",
                   err=True)
