"""Writing the data pack's files: CSV, the XLSX workbook, JSON, and atomic replacement."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from stocktake.report.datapack.tables import TABLES, Table
from stocktake.report.datapack.xlsx import Workbook

# A spreadsheet reads a cell starting with one of these as a formula (CSV injection):
# CSV cells that start so get a leading apostrophe (XLSX cells are stored as text).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(table: Table, document: dict, fp: IO[str]) -> int:
    """One table as CSV (UTF-8, a header row, RFC 4180 quoting); returns the rows written."""
    writer = csv.writer(fp, lineterminator="\r\n")
    writer.writerow(table.header)
    count = 0
    for row in table.rows(document):
        writer.writerow([_safe(value) for value in row])
        count += 1
    return count


def csv_bytes(table: Table, document: dict) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # a byte-order mark, so that Excel reads the file as UTF-8
    write_csv(table, document, out)
    return out.getvalue().encode("utf-8")


def write_csv_entry(pack: zipfile.ZipFile, name: str, table: Table, document: dict) -> int:
    """One table as a CSV file in the zip, streamed (with the byte-order mark Excel wants)."""
    with pack.open(name, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="",
                                                       write_through=False) as fp:
        fp.write("\ufeff")
        return write_csv(table, document, fp)


def write_xlsx(document: dict, fp: IO[bytes], *, progress=None) -> None:
    """Every table as a sheet of one workbook, streamed (:mod:`.xlsx`); text cells are
    stored as text, so nothing in them is ever run as a formula."""
    workbook = Workbook(fp)
    for index, table in enumerate(TABLES):
        workbook.add_sheet(table.name, table.header, table.rows(document))
        if progress is not None:
            progress(index + 1, len(TABLES), f"sheet {table.name}")
    workbook.close()


def json_chunks(document: dict) -> Iterator[str]:
    """The document as JSON text, in pieces: one line per finding, example and
    recommendation, so that a diff between two exports shows what changed (and each
    piece goes through the C encoder)."""
    yield "{\n"
    items = list(document.items())
    for index, (key, value) in enumerate(items):
        end = ",\n" if index < len(items) - 1 else "\n"
        head = json.dumps(key, ensure_ascii=False)
        if isinstance(value, list) and value:
            yield f" {head}: [\n"
            last = len(value) - 1
            for number, row in enumerate(value):
                yield "  " + json.dumps(row, ensure_ascii=False) + (",\n" if number < last else "\n")
            yield f" ]{end}"
        else:
            yield f" {head}: {json.dumps(value, ensure_ascii=False)}{end}"
    yield "}\n"


def json_bytes(document: dict) -> bytes:
    return "".join(json_chunks(document)).encode("utf-8")


def write_json(document: dict, fp: IO[str]) -> None:
    """The document as JSON (see :func:`json_chunks`), written in batches."""
    batch: list[str] = []
    for chunk in json_chunks(document):
        batch.append(chunk)
        if len(batch) >= 2000:
            fp.write("".join(batch))
            batch = []
    fp.write("".join(batch))


@contextlib.contextmanager
def replacing(path: Path):
    """A binary file to write that replaces ``path`` only once it is complete.

    The file is written beside ``path`` and moved over it at the end; on any error it
    is removed and ``path`` is left as it was (nothing half-written).
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"Cannot write {path}: folder {path.parent} does not exist")
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
