"""Emergent theme labels against people's: the table in docs/quality.md ("Emergent theme labels").

For each cluster of ``analysis/labelled/emergent_labels.jsonl`` (findings of a labelled
set, grouped by the emergent clustering at seed 0, named by a person), prints the label
``analysis/phrases.py`` gives, the slash-joined terms emergent themes had before, the
person's label, and whether the new label shares a word (stemmed) with the person's.

    PYTHONPATH=src .venv/bin/python benchmarks/emergent_labels.py
"""

from __future__ import annotations

from stocktake.analysis.emergent import emergent_themes
from stocktake.analysis.labelled import load_set
from stocktake.analysis.phrases import label_quality, labelled_clusters


def main() -> None:
    clusters = labelled_clusters()
    results = label_quality(clusters)
    print("| Set | Findings | Label | Before | A person's label | Shares a word |")
    print("|---|---:|---|---|---|---|")
    old = {}
    for name in sorted({c.set for c in clusters}):
        rows = load_set(name).rows
        found = emergent_themes([r["text"] for r in rows], include_all=True, seed=0)
        for theme in found.themes:
            ids = tuple(sorted(rows[m]["id"] for m in theme.members))
            old[name, ids] = theme.label
    for cluster, result in zip(clusters, results, strict=True):
        before = old.get((cluster.set, tuple(sorted(cluster.members))), "")
        print(
            f"| {cluster.set} | {len(cluster.members)} | {result.label} | {before} | "
            f"{cluster.human} | {'yes' if result.shares_word else 'no'} |"
        )
    shared = sum(r.shares_word for r in results)
    inside = sum(r.in_text for r in results)
    print(
        f"\n{len(results)} clusters: label shares a word with a person's in {shared} "
        f"({shared / len(results):.0%}); label found in the findings' own text in {inside}."
    )


if __name__ == "__main__":
    main()
