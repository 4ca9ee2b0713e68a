"""Reading FINDINGS.jsonl and CODED.jsonl, writing OUT.jsonl (plain Python, no Django).

FINDINGS.jsonl, one JSON object per line::

    {"id": "...", "text": "...", "organisation": "... (optional)", "system": "... (optional)"}

CODED.jsonl (reviewer-confirmed examples), one per line, a theme and/or a domain::

    {"text": "...", "theme": "<theme key>", "domain": "<domain key>"}

Blank lines are skipped. Every problem is an :class:`InputError` naming the
file and line. Output is written to a temporary file beside the target and
moved into place only when complete, so a failure never leaves a partial file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from stocktake.analysis.base import Example
from stocktake.analysis.errors import InputError
from stocktake.analysis.framework import FrameworkSpec


@dataclass(frozen=True)
class FindingRow:
    id: str | int
    text: str
    organisation: str | None = None
    system: str | None = None
    line: int = 0


def _lines(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line of a JSONL file."""
    try:
        fp = path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a JSONL file") from None
    with fp:
        for number, raw in enumerate(fp, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise InputError(f"{path}:{number}: not UTF-8 text") from None
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: not valid JSON ({exc.msg}, column "
                                 f"{exc.colno})") from None
            if not isinstance(data, dict):
                raise InputError(f"{path}:{number}: expected a JSON object, "
                                 f"got {type(data).__name__}")
            yield number, data


def _text(data: dict, where: str) -> str:
    text = data.get("text")
    if text is None:
        raise InputError(f"{where}: no 'text'")
    if not isinstance(text, str):
        raise InputError(f"{where}: 'text' must be a string, got {type(text).__name__}")
    if not text.strip():
        raise InputError(f"{where}: 'text' is empty")
    return text


def _optional(data: dict, key: str, where: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    raise InputError(f"{where}: '{key}' must be a string, got {type(value).__name__}")


def read_findings(path: str | Path, *, ids_optional: bool = False) -> list[FindingRow]:
    """The findings of a FINDINGS.jsonl file, in file order; InputError on any bad line.

    With ``ids_optional`` a finding without an ``id`` takes its line number.
    """
    path = Path(path)
    rows: list[FindingRow] = []
    seen: dict = {}
    for number, data in _lines(path):
        where = f"{path}:{number}"
        identifier = data.get("id", number if ids_optional else None)
        if identifier is None or identifier == "":
            raise InputError(f"{where}: no 'id'")
        if isinstance(identifier, bool) or not isinstance(identifier, (str, int)):
            raise InputError(f"{where}: 'id' must be a string or a whole number")
        if identifier in seen:
            raise InputError(f"{where}: duplicate id {identifier!r} (first on line "
                             f"{seen[identifier]})")
        seen[identifier] = number
        rows.append(FindingRow(identifier, _text(data, where), _optional(data, "organisation", where),
                               _optional(data, "system", where), number))
    if not rows:
        raise InputError(f"{path}: no findings (the file is empty)")
    return rows


def read_examples(path: str | Path, framework: FrameworkSpec) -> list[Example]:
    """Confirmed examples of a CODED.jsonl file, checked against ``framework``."""
    path = Path(path)
    themes = [t.key for t in framework.themes]
    domains = [d.key for d in framework.domains]
    examples = []
    for number, data in _lines(path):
        where = f"{path}:{number}"
        text = _text(data, where)
        theme, domain = _optional(data, "theme", where), _optional(data, "domain", where)
        if theme is None and domain is None:
            raise InputError(f"{where}: an example needs a 'theme' or a 'domain'")
        for kind, value, known in (("theme", theme, themes), ("domain", domain, domains)):
            if value is not None and value not in known:
                raise InputError(
                    f"{where}: {kind} {value!r} is not in framework {framework.key!r}; "
                    f"{kind}s are: {', '.join(known) or '(none)'}")
        examples.append(Example(text, theme, domain))
    return examples


@contextmanager
def atomic_output(path: str | Path | None, stdout: IO[str]):
    """Yield a text stream: ``stdout`` when ``path`` is None, else a temporary file beside
    ``path`` that replaces it only if the block succeeds (removed otherwise)."""
    if path is None:
        yield stdout
        stdout.flush()
        return
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"{path}: folder {directory} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fp:
            yield fp
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_results(fp: IO[str], rows: list[FindingRow], coded) -> int:
    """One OUT.jsonl line per finding, in input order (see docs/analysis-cli.md).

    ``coded`` is a :class:`~stocktake.analysis.base.Coded` (the fast path: lines are
    formatted from the arrays, scores rounded to 4 places in one numpy call) or a
    list of :class:`~stocktake.analysis.base.CodeResult`. Both give the same text
    (numpy and Python may round an exact half of the fifth decimal differently).
    """
    if isinstance(coded, list):
        lines = (_dumps(result.to_dict(row.id)) for row, result in zip(rows, coded, strict=True))
    else:
        if len(coded) != len(rows):
            raise ValueError("one coded row per finding expected")
        lines = _lines_from_arrays(rows, coded)
    buffer: list[str] = []
    for line in lines:
        buffer.append(line)
        if len(buffer) >= 5000:
            fp.write("\n".join(buffer) + "\n")
            buffer.clear()
    if buffer:
        fp.write("\n".join(buffer) + "\n")
    return len(rows)


_dumps = json.JSONEncoder(ensure_ascii=False).encode


def _lines_from_arrays(rows: list[FindingRow], coded) -> Iterator[str]:
    order, d_order = coded.theme_order(), coded.domain_order()
    scores = np.take_along_axis(coded.themes, order, axis=1).round(4)
    keys = coded.theme_keys
    head = [f'{{"key": {_dumps(k)}, "score": ' for k in keys]
    if d_order is not None:
        d_best = d_order[:, 0]
        d_scores = coded.domains[np.arange(len(rows)), d_best].round(4).tolist()
        d_head = [f'{{"key": {_dumps(k)}, "score": ' for k in coded.domain_keys]
    for i, row in enumerate(rows):
        ranked = order[i].tolist()
        themes = ", ".join(head[j] + repr(v) + "}" for j, v in zip(ranked, scores[i].tolist()))
        domain = "null" if d_order is None else d_head[d_best[i]] + repr(d_scores[i]) + "}"
        explanation = coded.explanation(i, [keys[j] for j in ranked])
        yield (f'{{"id": {_dumps(row.id)}, "themes": [{themes}], "domain": {domain}, '
               f'"polarity": {_dumps(coded.polarities[i])}, "explanation": {_dumps(explanation)}}}')
