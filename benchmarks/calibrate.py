"""Fit the calibration of shown scores (src/stocktake/analysis/calibration.json).

    .venv/bin/python benchmarks/calibrate.py

Codes each development set of src/stocktake/analysis/labelled zero-shot with
the default backend (domains with the domain model trained on the other sets),
fits an isotonic map from the top score to the share right for themes and for
domains (stocktake.analysis.calibration.fit) and writes it. The held-out set is
not used; benchmarks/quality.py reports reliability on it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from stocktake.analysis import calibration, evaluation  # noqa: E402
from stocktake.analysis.labelled import SETS, load_set  # noqa: E402


def main() -> None:
    points = {"themes": ([], []), "domains": ([], [])}
    for name in SETS:
        labelled = load_set(name)
        result = evaluation.agreement(
            labelled.framework, labelled.rows, domains=evaluation.domain_model_for(name)
        )
        points["themes"][0].extend(result.scores)
        points["themes"][1].extend(result.right)
        points["domains"][0].extend(result.domain_scores)
        points["domains"][1].extend(result.domain_right)
    data = {"fitted_on": list(SETS)}
    for kind, (scores, right) in points.items():
        data[kind] = calibration.fit(scores, right)
        error, _ = calibration.reliability(scores, right)
        print(f"{kind}: {len(scores)} statements, raw ECE on the fitting sets {error:.3f}")
    calibration.PATH.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {calibration.PATH}")


if __name__ == "__main__":
    main()
