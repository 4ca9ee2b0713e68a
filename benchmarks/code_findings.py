"""Time `stocktake code` on 100,000 realistic findings: the whole process, JSONL in and out.

    .venv/bin/python benchmarks/code_findings.py [--n 100000] [--backend tfidf] [--examples 27]

Generates the findings (benchmarks/findings_data.py, seeded), runs the command
as a subprocess and reports wall-clock time and the child's peak RSS
(resource.getrusage(RUSAGE_CHILDREN)). Target: < 30 s and < 2 GB on 2 cores.
Results go in docs/performance.md under "Assess: stocktake code".
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from findings_data import generate, write_jsonl  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORK = ROOT / "src" / "stocktake" / "analysis" / "default_framework.yaml"
LABELLED = ROOT / "src" / "stocktake" / "analysis" / "labelled" / "builtin.jsonl"


def write_examples(path: Path, per_theme: int) -> Path:
    counts: dict[str, int] = {}
    with path.open("w", encoding="utf-8") as fp:
        for line in LABELLED.read_text().splitlines():
            row = json.loads(line)
            if row["id"] % 2 == 1 and counts.get(row["theme"], 0) < per_theme:
                counts[row["theme"]] = counts.get(row["theme"], 0) + 1
                fp.write(json.dumps({"text": row["text"], "theme": row["theme"],
                                     "domain": row["domain"]}) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--backend", default="tfidf")
    parser.add_argument("--examples-per-theme", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        findings = write_jsonl(generate(args.n, seed=0), tmp / "findings.jsonl")
        command = [sys.executable, "-m", "stocktake", "code", "--framework", str(FRAMEWORK),
                   "--input", str(findings), "--backend", args.backend,
                   "--output", str(tmp / "out.jsonl")]
        if args.examples_per_theme:
            command += ["--examples", str(write_examples(tmp / "coded.jsonl",
                                                         args.examples_per_theme))]
        started = time.perf_counter()
        subprocess.run(command, check=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
        elapsed = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_kb, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
        lines = sum(1 for _ in (tmp / "out.jsonl").open())
    print(f"{args.n} findings, backend {args.backend}, {args.examples_per_theme} examples per "
          f"theme: {elapsed:.1f} s wall clock ({cpu:.1f} s CPU), peak RSS {peak_kb / 1024:.0f} MB, "
          f"{lines} lines out, {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
