"""The data pack's tables, as rows of the review document (:mod:`.document`).

Four tables, the same in CSV and in the XLSX workbook: findings, codes, examples and
recommendations. Each is a header and a generator of rows of plain values (str, int,
float, None), so a writer streams them without holding a second copy of the review.
Lists (a finding's themes, a recommendation's cited findings) are joined with "; ".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Callable

SEPARATOR = "; "


@dataclass(frozen=True)
class Table:
    name: str  # the CSV file's stem and the worksheet's title
    title: str  # for README.txt
    header: tuple[str, ...]
    rows: Callable[[dict], Iterator[tuple]]

    def count(self, document: dict) -> int:
        return sum(1 for _ in self.rows(document))


def _joined(values) -> str:
    return SEPARATOR.join(str(v) for v in values)


def _finding_rows(doc: dict) -> Iterator[tuple]:
    for f in doc["findings"]:
        yield (f["id"], f["organisation"], f["system"], f["domain"], f["section"], f["polarity"],
               f["polarity_origin"], _joined(f["themes"]), f["text"], f["source"]["file"],
               f["source"]["location"])


def _code_rows(doc: dict) -> Iterator[tuple]:
    runs = {run["id"]: run for run in doc["analysis_runs"]}
    for f in doc["findings"]:
        for code in f["human_codes"]:
            yield (f["id"], code["theme"], "human", "applies" if code["applies"] else "rejected",
                   None, None, code["decided_by"], code["confirmed_at"], "", None)
        for code in f["machine_codes"]:
            run = runs.get(code["analysis_run"])
            yield (f["id"], code["theme"], "machine", "suggested", code["rank"], code["score"],
                   "analysis", run["finished_at"] if run else None, code["explanation"],
                   run["backend"] if run else None)


def _example_rows(doc: dict) -> Iterator[tuple]:
    for e in doc["examples"]:
        in_appendix = not e["excluded"] and e["merged_into"] is None
        yield (e["id"], e["domain"], e["organisation"], e["system"], e["title"], e["synopsis"],
               "yes" if in_appendix else "no", e["excluded_reason"], e["merged_into"],
               e["source"]["file"], e["source"]["location"])


def _recommendation_rows(doc: dict) -> Iterator[tuple]:
    for r in doc["recommendations"]:
        yield (r["number"], r["label"] or str(r["number"]), r["text"], r["theme"], r["section"],
               r["owner"], r["lead_contact"], r["due_date"], r["status"],
               _joined(r["findings"]), len(r["progress"]), len(r["responses"]))


TABLES = (
    Table("findings", "one row per submitted finding",
          ("finding_id", "organisation", "system", "domain", "section", "polarity",
           "polarity_origin", "themes", "text", "source_file", "source_location"),
          _finding_rows),
    Table("codes", "one row per code: a reviewer's decision (human) or a suggestion of the "
          "analysis (machine), finding × theme",
          ("finding_id", "theme", "origin", "decision", "rank", "score", "decided_by",
           "decided_at", "explanation", "backend"),
          _code_rows),
    Table("examples", "one row per best-practice example (those left out of the report's "
          "appendix, or merged into another as duplicates, say so)",
          ("example_id", "domain", "organisation", "system", "title", "synopsis", "in_appendix",
           "excluded_reason", "merged_into", "source_file", "source_location"),
          _example_rows),
    Table("recommendations", "one row per numbered recommendation",
          ("number", "label", "text", "theme", "section", "owner", "lead_contact", "due_date",
           "status", "cited_finding_ids", "progress_updates", "responses"),
          _recommendation_rows),
)
