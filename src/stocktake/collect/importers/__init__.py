"""Reading submissions into findings: plain Python, no Django.

``extract(path)`` detects the format (by content first, then by name), reads the
file and returns an :class:`Extraction` of organisations, findings, examples,
recommendations and the problems met on the way. A file that cannot be read at
all raises an :class:`~stocktake.analysis.errors.InputError` subclass whose one-line
message names the file and the problem.

Adding a format: write a module with ``read(path, extraction, matcher, *, mapping=None)`` (usually
by turning the file into :class:`~.blocks.Block` items for :class:`~.assemble.Assembler`,
or rows for :func:`~.tables.read_table`) and register it in ``READERS`` below.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from stocktake.analysis.errors import InputError
from stocktake.analysis.framework import default_framework
from stocktake.collect.importers import docx, html, pdf, sheets, text
from stocktake.collect.importers.columns import ROLE_CHOICES, role_choices, table_plan
from stocktake.collect.importers.errors import (
    CorruptFile,
    EmptyFile,
    EncryptedFile,
    FileTooLarge,
    ImportInputError,
    NoTextLayer,
    UnsupportedFormat,
)
from stocktake.collect.importers.mapping import Mapping, load_mapping, parse_mapping
from stocktake.collect.importers.matching import DomainMatcher
from stocktake.collect.importers.model import (
    RESPONSE_STATUSES,
    ColumnPlan,
    ExtractedApproach,
    ExtractedCaseStudy,
    ExtractedExample,
    ExtractedFinding,
    ExtractedRecommendation,
    ExtractedResponse,
    Extraction,
    OrgRef,
    Problem,
    TablePlan,
)

__all__ = [
    "SUPPORTED_SUFFIXES", "extract", "expand_paths", "detect_format", "default_domains", "DomainMatcher",
    "Extraction", "ExtractedExample", "ExtractedFinding", "ExtractedRecommendation", "OrgRef",
    "ExtractedResponse", "ExtractedCaseStudy", "ExtractedApproach", "RESPONSE_STATUSES",
    "Problem", "ImportInputError", "CorruptFile", "EmptyFile", "EncryptedFile", "FileTooLarge",
    "UnsupportedFormat", "NoTextLayer", "Mapping", "load_mapping", "parse_mapping",
    "ROLE_CHOICES", "role_choices", "table_plan", "TablePlan", "ColumnPlan",
]

Reader = Callable[..., Extraction]  # (path, extraction, matcher, *, mapping=None)

# format -> (reader, suffixes, what to call it in messages)
READERS: dict[str, tuple[Reader, tuple[str, ...], str]] = {
    "docx": (docx.read, docx.SUFFIXES, "Word document"),
    "xlsx": (sheets.read_xlsx, sheets.XLSX_SUFFIXES, "Excel workbook"),
    "csv": (sheets.read_delimited, sheets.CSV_SUFFIXES, "CSV file"),
    "markdown": (text.read, (".md", ".markdown"), "Markdown file"),
    "text": (text.read, (".txt", ".text"), "text file"),
    "html": (html.read, html.SUFFIXES, "web page"),
    "pdf": (pdf.read, pdf.SUFFIXES, "PDF file"),
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(s for _, suffixes, _ in READERS.values() for s in suffixes)

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_RATIO = 20  # a package that unpacks to more than this times the limit is refused
MAX_MEMBER_RATIO = 200  # a part compressed more than 200:1 …
BOMB_MEMBER_BYTES = 8 * 1024 * 1024  # … that unpacks to more than this is a zip bomb
MAX_MEMBERS = 5000

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LEGACY = {".doc": "an old Word .doc file; save it as .docx",
           ".xls": "an old Excel .xls file; save it as .xlsx",
           ".rtf": "a rich-text file; save it as .docx",
           ".odt": "an OpenDocument text file; save it as .docx",
           ".ods": "an OpenDocument spreadsheet; save it as .xlsx",
           ".pptx": "a PowerPoint file; copy its text into a .txt or .docx file"}


@lru_cache(maxsize=1)
def default_domains() -> tuple[tuple[str, str], ...]:
    """The (key, name) pairs of the default framework's domains."""
    return tuple((d.key, d.name) for d in default_framework().domains)


def _a(what: str) -> str:
    return f"{'an' if what[:1].lower() in 'aeiou' else 'a'} {what}"


def _format_by_suffix(suffix: str) -> str | None:
    return next((fmt for fmt, (_, suffixes, _) in READERS.items() if suffix in suffixes), None)


def detect_format(path: Path, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The reader to use for ``path`` (a key of READERS); raises ImportInputError if none fits."""
    name = name or path.name
    suffix = Path(name).suffix.lower()
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(1024)
    except FileNotFoundError:
        raise ImportInputError(name, "no such file") from None
    except IsADirectoryError:
        raise ImportInputError(name, "is a folder, not a file") from None
    except OSError as exc:
        raise ImportInputError(name, f"cannot be read ({exc.strerror or exc})") from None
    if path.is_dir():
        raise ImportInputError(name, "is a folder, not a file")
    if size == 0:
        raise EmptyFile(name, "the file is empty (0 bytes)")
    if size > max_bytes:
        raise FileTooLarge(name, f"the file is {size / 1048576:.1f} MB; the most accepted is "
                                 f"{max_bytes / 1048576:.0f} MB")
    by_suffix = _format_by_suffix(suffix)
    if head.startswith(_OLE):
        with path.open("rb") as handle:
            body = handle.read(min(size, 4 * 1024 * 1024))
        if "EncryptedPackage".encode("utf-16-le") in body:
            raise EncryptedFile(name, "the file is password-protected; remove the password and import it again")
        raise UnsupportedFormat(name, "is an old Office (.doc or .xls) file; save it as .docx or .xlsx")
    if head.startswith(b"%PDF") or (by_suffix == "pdf" and b"%PDF-" in head):
        return "pdf"
    if head.startswith(b"PK"):
        return _zip_format(path, name, suffix, max_bytes)
    if by_suffix == "pdf":
        # One colon per message: the file name's ("fake.pdf: is not a PDF file; …").
        raise CorruptFile(name, "is not a PDF file; it does not start with a PDF header (was it "
                                "renamed from another format?)")
    if by_suffix in ("docx", "xlsx"):
        raise CorruptFile(name, f"is not {_a(READERS[by_suffix][2])}; its content is not an Office "
                                f"package (was it renamed from another format?)")
    if by_suffix is None:
        reason = _LEGACY.get(suffix)
        supported = ", ".join(SUPPORTED_SUFFIXES)
        if reason:
            raise UnsupportedFormat(name, f"is {reason}")
        raise UnsupportedFormat(name, f"files ending {suffix or '(no extension)'!r} are not "
                                      f"supported; use one of {supported}")
    return by_suffix


def _zip_format(path: Path, name: str, suffix: str, max_bytes: int) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        what = READERS.get(_format_by_suffix(suffix) or "", (None, (), "file"))[2]
        raise CorruptFile(name, f"the {what} is damaged or incomplete (its ZIP package cannot "
                                f"be opened); save it again and re-import") from None
    _check_unpacked_sizes(members, name, max_bytes)
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "EncryptedPackage" in names:
        raise EncryptedFile(name, "the file is password-protected; remove the password and import it again")
    raise CorruptFile(name, "is a ZIP archive but not a Word (.docx) or Excel (.xlsx) file")


def _check_unpacked_sizes(members: list[zipfile.ZipInfo], name: str, max_bytes: int) -> None:
    """Refuse zip bombs from the sizes in the ZIP directory, before anything is unpacked."""
    if len(members) > MAX_MEMBERS:
        raise FileTooLarge(name, f"the package holds {len(members)} parts; a document has far fewer "
                                 "(a zip bomb?); refused")
    if sum(m.file_size for m in members) > max_bytes * MAX_UNPACKED_RATIO:
        raise FileTooLarge(name, "unpacks to far more data than a submission could hold (a zip "
                                 "bomb?); refused")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > BOMB_MEMBER_BYTES and ratio > MAX_MEMBER_RATIO:
            raise FileTooLarge(name, f"part {member.filename!r} unpacks to {member.file_size // 1048576} MB "
                                     f"from {member.compress_size} bytes (a zip bomb?); refused")


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders replaced by the supported files in them (sorted, no hidden files)."""
    files: list[Path] = []
    for item in paths:
        item = Path(item)
        if item.is_dir():
            files.extend(sorted(p for p in item.iterdir() if p.is_file()
                                and not p.name.startswith((".", "~$"))
                                and p.suffix.lower() in SUPPORTED_SUFFIXES))
        else:
            files.append(item)
    return files


def extract(
    path: str | Path, *, domains: Iterable[tuple[str, str]] | None = None, name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES, mapping: Mapping | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Extraction:
    """Read one file. ``domains``: the framework's (key, name) pairs (default framework if None);
    ``name``: the file name to report (defaults to the path's name); ``mapping``: what the
    columns of its tables hold, where their headers do not say (see :mod:`.mapping`);
    ``progress(done, total)``: pages read so far, for long work (a scanned PDF's text
    recognition, :mod:`.ocr`)."""
    path = Path(path)
    name = name or path.name
    fmt = detect_format(path, name=name, max_bytes=max_bytes)
    matcher = DomainMatcher(default_domains() if domains is None else domains)
    extraction = Extraction(file=name, format=fmt)
    expected = _format_by_suffix(Path(name).suffix.lower())
    if expected not in (fmt, None) and {expected, fmt} & {"docx", "xlsx", "pdf"}:
        extraction.problem("", f"the name says {_a(READERS[expected][2])} but the content is "
                               f"{_a(READERS[fmt][2])}; read by its content")
    reader = READERS[fmt][0]
    extra = {"progress": progress} if progress is not None and fmt == "pdf" else {}
    try:
        return reader(path, extraction, matcher, mapping=mapping, **extra)
    except InputError:
        raise
    except MemoryError:
        raise FileTooLarge(name, "too large to read into memory") from None
    except Exception as exc:  # noqa: BLE001 - library errors on damaged files become one line
        detail = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise CorruptFile(name, f"the {READERS[fmt][2]} cannot be read ({detail})") from None
