"""Labelled statements for measuring and training the analysis (plain Python, no Django).

Four sets, each a framework and statements coded by hand to a primary theme
(plus any others that also apply), a domain and a polarity. None is a real
review document; all were written for stocktake:

- ``builtin``: 126 short statements written by the stocktake team against the
  built-in framework (``default_framework.yaml``), 14 per theme;
- ``pandemic``, ``winter``, ``vaccination``: 273, 279 and 240 statements in the
  register of real submissions (session notes, board-paper prose, PDF-export
  fragments, acronyms, typos), each against its own framework of 9, 8 and 7
  themes whose descriptions have no keyword lists. They were written by
  separate authors who never saw the coder, its vocabulary or its lexicons, and
  who were asked not to reuse the wording of the theme descriptions.

A fifth set, ``mentalhealth`` (:data:`HELD_OUT`), was written the same way
after every constant had been fixed, and was measured once: nothing was tuned
or trained on it.

The polarity model (:mod:`stocktake.analysis.polarity_model`) is trained on
the four sets of :data:`SETS`; its agreement is always measured on a set it was
not trained on (``benchmarks/quality.py``). The theme coder learns nothing from
them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from stocktake.analysis.framework import FrameworkSpec, default_framework, load_framework

HERE = Path(__file__).parent
SETS = ("builtin", "pandemic", "winter", "vaccination")
# Sets that nothing was tuned or trained on: measured once, after the constants were fixed.
HELD_OUT = ("mentalhealth",)


@dataclass(frozen=True)
class LabelledSet:
    name: str
    framework: FrameworkSpec
    rows: tuple[dict, ...]  # id, text, theme, also, domain, polarity (+ organisation, system)


def _rows(path: Path) -> tuple[dict, ...]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            row.setdefault("also", [])
            rows.append(row)
    return tuple(rows)


def load_set(name: str) -> LabelledSet:
    if name not in SETS + HELD_OUT:
        raise ValueError(f"unknown labelled set {name!r}; sets are: "
                         f"{', '.join(SETS + HELD_OUT)}")
    if name == "builtin":
        return LabelledSet(name, default_framework(), _rows(HERE / "builtin.jsonl"))
    return LabelledSet(name, load_framework(HERE / name / "framework.yaml"),
                       _rows(HERE / name / "findings.jsonl"))


def all_rows(names=SETS) -> list[dict]:
    return [row for name in names for row in load_set(name).rows]
