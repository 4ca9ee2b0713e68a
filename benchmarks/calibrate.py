"""Fit the calibration of shown scores (src/stocktake/analysis/calibration.json).

    .venv/bin/python benchmarks/calibrate.py [--backends tfidf,ensemble]

Codes each development set of src/stocktake/analysis/labelled zero-shot with
each backend (domains with the domain model trained on the other sets), fits an
isotonic map from the top score to the share right for themes and for domains
(stocktake.analysis.calibration.fit) and writes it under the backend's name. A
backend whose extra is not installed keeps its earlier map. The held-out set
is not used; benchmarks/quality.py reports reliability on it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from stocktake.analysis import calibration, evaluation  # noqa: E402
from stocktake.analysis.backends import get_backend  # noqa: E402
from stocktake.analysis.errors import InputError  # noqa: E402
from stocktake.analysis.labelled import SETS, load_set  # noqa: E402


def fit_backend(backend: str) -> dict:
    points = {"themes": ([], []), "domains": ([], [])}
    for name in SETS:
        labelled = load_set(name)
        result = evaluation.agreement(
            labelled.framework, labelled.rows, backend=backend,
            domains=evaluation.domain_model_for(name),
        )
        points["themes"][0].extend(result.scores)
        points["themes"][1].extend(result.right)
        points["domains"][0].extend(result.domain_scores)
        points["domains"][1].extend(result.domain_right)
    data = {"fitted_on": list(SETS)}
    for kind, (scores, right) in points.items():
        data[kind] = calibration.fit(scores, right)
        error, _ = calibration.reliability(scores, right)
        print(f"{backend} {kind}: {len(scores)} statements, raw ECE on the fitting sets "
              f"{error:.3f}")
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="tfidf,ensemble")
    args = parser.parse_args()
    data = json.loads(calibration.PATH.read_text(encoding="utf-8"))
    for backend in (b for b in args.backends.split(",") if b):
        try:
            get_backend(backend)
        except InputError as exc:
            print(f"skipping {backend}: {exc}", file=sys.stderr)
            continue
        data[backend] = fit_backend(backend)
    calibration.PATH.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {calibration.PATH}")


if __name__ == "__main__":
    main()
