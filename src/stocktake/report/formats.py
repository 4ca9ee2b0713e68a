"""Every format the report is published in, and how to write each one to a file.

One registry for the CLI (``stocktake report --format``), the publish worker (the
frozen files of a version) and the report page's downloads. The HTML, Word and PDF
files are rendered from one :class:`~stocktake.report.data.ReportData` (the same
data gives the same report in each); the data pack and the REFI-QDA project are
written from the review itself.

Renderers are imported when first used (``importlib``), so a build without one (a
renderer not installed, or a module missing from this checkout) still offers
the others and says plainly which format is not available.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stocktake.core.errors import InvalidInput
from stocktake.report.data import ReportData

# progress(done, total, label): what the data pack's writers call as they go.
Progress = Callable[[int, int, str], None] | None


class FormatUnavailable(InvalidInput):
    """The format's renderer is not part of this build."""


@dataclass(frozen=True)
class Format:
    key: str
    label: str  # "Word document"
    extension: str
    content_type: str
    module: str
    function: str
    # "data": function(ReportData) -> bytes (or str); "review": function(review, path, progress=)
    source: str
    cheap: bool = False  # fast enough to make on demand in a web request at any size

    def filename(self, slug: str, version: int | None = None) -> str:
        suffix = f"-v{version}" if version else "-draft"
        return f"{slug}-report{suffix}.{self.extension}"


FORMATS: dict[str, Format] = {f.key: f for f in (
    Format("html", "Web page (HTML)", "html", "text/html; charset=utf-8",
           "stocktake.report.render.html", "render_html", "data", cheap=True),
    Format("docx", "Word document (DOCX)", "docx",
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "stocktake.report.render.docx", "render_docx", "data"),
    Format("pdf", "PDF", "pdf", "application/pdf",
           "stocktake.report.render.pdf", "render_pdf", "data"),
    Format("data", "Data pack (CSV, XLSX and JSON in a zip)", "zip", "application/zip",
           "stocktake.report.datapack", "write_data_pack", "review"),
    Format("qdpx", "REFI-QDA project (QDPX)", "qdpx", "application/zip",
           "stocktake.report.datapack", "write_qdpx", "review"),
)}

NOT_AVAILABLE = "format not available in this build"


def get(key: str) -> Format:
    try:
        return FORMATS[key]
    except KeyError:
        raise InvalidInput(f"Unknown report format {key!r}: choose one of "
                           f"{', '.join(FORMATS)}") from None


def _renderer(fmt: Format) -> Callable:
    """The format's function, imported now; FormatUnavailable when this build lacks it."""
    try:
        if importlib.util.find_spec(fmt.module) is None:
            raise ModuleNotFoundError(fmt.module)
        module = importlib.import_module(fmt.module)
    except ImportError as exc:  # the module, or a library it needs, is not installed
        raise FormatUnavailable(f"{fmt.label}: {NOT_AVAILABLE} ({exc})") from None
    function = getattr(module, fmt.function, None)
    if function is None:
        raise FormatUnavailable(f"{fmt.label}: {NOT_AVAILABLE} "
                                f"({fmt.module} has no {fmt.function})")
    return function


def unavailable_reason(key: str) -> str:
    """"" when the format can be written here, else why not."""
    try:
        _renderer(get(key))
    except FormatUnavailable as exc:
        return str(exc)
    return ""


def available() -> tuple[str, ...]:
    return tuple(key for key in FORMATS if not unavailable_reason(key))


def needs_data(keys) -> bool:
    """Whether any of these formats is rendered from built report data."""
    return any(FORMATS[k].source == "data" for k in keys)


def review_document(review) -> dict:
    """The whole review as the data pack's JSON document, read once for every format made
    from it (the data pack and the REFI-QDA project): at 100,000 findings reading it is
    most of their time."""
    module = importlib.import_module("stocktake.report.datapack")
    return module.review_document(review)


def write(key: str, *, review, data: ReportData | None, path: Path,
          progress: Progress = None, document: dict | None = None) -> Path:
    """Write the report in format ``key`` to ``path`` (replaced only once complete).

    ``data``: the built report (needed for html, docx and pdf); ``document``: the review
    document (:func:`review_document`) for the formats made from the review, read here
    when not given; ``progress(done, total, label)`` is called as the work goes on.
    """
    fmt = get(key)
    function = _renderer(fmt)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt.source == "review":
        extra = {"document": document} if document is not None else {}
        function(review, path, progress=progress, **extra)
        return path
    if data is None:
        raise InvalidInput(f"{fmt.label} is rendered from the built report: pass its data")
    if progress is not None:
        progress(0, 1, f"rendering {fmt.label}")
    content = function(data)
    if isinstance(content, str):
        content = content.encode("utf-8")
    _write_atomically(path, content)
    if progress is not None:
        progress(1, 1, f"rendered {fmt.label}")
    return path


def render_bytes(key: str, data: ReportData) -> bytes:
    """A format rendered from report data, in memory (html, docx, pdf)."""
    fmt = get(key)
    if fmt.source != "data":
        raise InvalidInput(f"{fmt.label} is written from the review, not from report data")
    content = _renderer(fmt)(data)
    return content.encode("utf-8") if isinstance(content, str) else content


def _write_atomically(path: Path, content: bytes) -> None:
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
