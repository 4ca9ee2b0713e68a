"""The data pack: one zip of the review's tables (CSV and XLSX), its JSON document and a
README.txt saying what each file holds."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

from stocktake.report.datapack.document import FORMAT, VERSION, Progress, review_document
from stocktake.report.datapack.files import replacing, write_csv_entry, write_json, write_xlsx
from stocktake.report.datapack.tables import TABLES
from stocktake.reviews.models import Review

SCHEMA_NAME = f"stocktake-review-v{VERSION}.schema.json"


def _now() -> tuple[int, int, int, int, int, int]:
    return time.localtime()[:6]


def readme(document: dict) -> str:
    review = document["review"]
    lines = [
        f"Data pack: {review['title']} ({review['slug']})",
        f"Exported {document['exported_at']} by {document['generator']}.",
        "",
        "Only submitted material is here. Personal data that no review lead has decided on",
        "is replaced by a placeholder such as [NHS number] or [Name]. People who coded",
        "findings are named by their role in the review (lead, reviewer), never by name.",
        "",
        "Files",
        "",
        f"review.json          The whole review: format {FORMAT!r}, version {VERSION},",
        f"                     described by the JSON Schema {SCHEMA_NAME}",
        "                     (in stocktake's docs/schema/). `stocktake review load",
        "                     review.json` loads it into another database.",
        "review.xlsx          The four tables below, one sheet each.",
    ]
    for table in TABLES:
        lines.append(f"{table.name + '.csv':<20} {table.title[0].upper()}{table.title[1:]}.")
    lines += [
        "",
        "CSV files are UTF-8 (with a byte-order mark, so that Excel reads them as such),",
        "comma-separated, with a header row. Lists in one cell are separated by '; '. A",
        "cell that would start with =, +, -, @ or a tab starts with an apostrophe instead,",
        "so that no spreadsheet runs it as a formula.",
        "",
        "Columns",
        "",
    ]
    for table in TABLES:
        lines.append(f"{table.name}: {', '.join(table.header)}")
    lines += [
        "",
        "A finding counts under a theme when a reviewer coded it to the theme, or when the",
        "theme is the analysis's first suggestion and no reviewer rejected it (the 'themes'",
        "column). The codes table lists every decision and suggestion behind that.",
        "",
    ]
    return "\n".join(lines)


def write_data_pack(review: Review, path, *, progress: Progress = None,
                    document: dict | None = None) -> Path:
    """Write the review's data pack (a zip) to ``path``, replacing it only once complete.

    ``progress``: called as ``progress(done, total, label)`` as the work goes on.
    ``document``: the review's document (:func:`review_document`) when the caller has it
    already (making several formats at once), else it is read here.
    """
    path = Path(path)
    total = 6 + 2 * len(TABLES)  # the document's 5 parts, the JSON, each CSV, each sheet

    def step(done: int, label: str) -> None:
        if progress is not None:
            progress(done, total, label)

    if document is None:
        document = review_document(
            review, progress=lambda done, _total, label: step(done, f"reading {label}"))
    else:
        step(5, "read")
    with replacing(path) as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED,
                                                    compresslevel=1) as pack:
        pack.writestr("README.txt", readme(document))
        with pack.open("review.json", "w") as raw, io.TextIOWrapper(raw, encoding="utf-8") as fp:
            write_json(document, fp)
        step(6, "review.json")
        for index, table in enumerate(TABLES):
            write_csv_entry(pack, f"{table.name}.csv", table, document)
            step(7 + index, f"{table.name}.csv")
        # The workbook is itself a zip: stored as it is, not compressed again.
        with pack.open(zipfile.ZipInfo("review.xlsx", _now()), "w") as raw:
            write_xlsx(document, raw, progress=lambda done, _total, label: step(
                6 + len(TABLES) + done, label))
    return path
