"""Text recognition for scanned PDFs: each page rendered, then read by Debian's tesseract.

A PDF with no text layer (a scan) is read page by page: pypdfium2 (installed with
pdfplumber) renders the page to a greyscale image at ``DPI``, and the ``tesseract``
program (``apt-get install tesseract-ocr``) reads it, with a time limit per page
(``PAGE_TIMEOUT`` seconds). ``progress(done, total)`` is called after each page so the
command line and the web can show how far it has got. The text of the last few scans is
kept in memory by the file's hash, so the import after an upload preview does not
recognise the pages again. Without tesseract the file is
refused with one line saying how to install it: never an empty import.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from stocktake.collect.importers.errors import NoTextLayer

DPI = 300  # tesseract reads best at 300 dots per inch
PAGE_TIMEOUT = 120  # seconds for one page before it is skipped
LANGUAGE = "eng"
INSTALL = "apt-get install tesseract-ocr"

Progress = Callable[[int, int], None]

# The recognised pages of the last few scans, by the file's SHA-256: the upload preview and
# the import that follows read the same file, and recognition is the slow part. Text only.
CACHED_FILES = 8
_cache: OrderedDict[str, list[str]] = OrderedDict()
_cache_lock = threading.Lock()


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tesseract() -> str | None:
    """The tesseract program on PATH, or None when it is not installed."""
    return shutil.which("tesseract")


def missing_message() -> str:
    return ("the PDF has no text layer (a scanned document) and reading it needs text "
            f"recognition, which is not installed: install tesseract (`{INSTALL}`) and import "
            "it again, or paste the text into a .txt file")


def without_text(path: Path) -> bool:
    """Whether no page of the PDF has any text (a scan): a quick look with pypdfium2, so a
    scan is not laid out line by line first. False when pypdfium2 cannot open it (the PDF
    reader then says what is wrong)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return False
    try:
        for index in range(len(document)):
            page = document[index]
            text = page.get_textpage()
            try:
                if text.get_text_range().strip():
                    return False
            finally:
                text.close()
                page.close()
        return len(document) > 0
    finally:
        document.close()


def render_pages(path: Path, *, dpi: int = DPI):
    """Each page of the PDF as a greyscale PIL image, one at a time (with the page count)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        total = len(document)
        for index in range(total):
            page = document[index]
            try:
                bitmap = page.render(scale=dpi / 72, grayscale=True)
                yield index + 1, total, bitmap.to_pil()
            finally:
                page.close()
    finally:
        document.close()


def read_image(image, *, program: str, timeout: float = PAGE_TIMEOUT,
               language: str = LANGUAGE, dpi: int = DPI) -> str:
    """The text tesseract recognises in one PIL image (raises subprocess.TimeoutExpired)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one page at a time, no thread storm
    done = subprocess.run(
        [program, "stdin", "stdout", "-l", language, "--dpi", str(dpi)],
        input=buffer.getvalue(), capture_output=True, timeout=timeout, check=False, env=env)
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(detail[-1] if detail else f"tesseract exited with {done.returncode}")
    return done.stdout.decode("utf-8", "replace")


def recognise_pdf(path: Path, name: str, *, progress: Progress | None = None,
                  page_timeout: float = PAGE_TIMEOUT,
                  problem: Callable[[str, str], None] | None = None) -> list[str]:
    """The recognised text of each page of a scanned PDF ("" for a page that failed).

    Raises :class:`NoTextLayer` naming the install when tesseract is absent, and when no
    page gave any text. ``problem(location, message)`` hears of each page skipped.
    """
    program = tesseract()
    if program is None:
        raise NoTextLayer(name, missing_message())
    key = f"{_digest(Path(path))}:{LANGUAGE}:{DPI}"
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
    if cached is not None:
        for number in range(1, len(cached) + 1):
            if progress is not None:
                progress(number, len(cached))
        return list(cached)
    pages: list[str] = []
    skipped = False
    for number, total, image in render_pages(path):
        try:
            pages.append(read_image(image, program=program, timeout=page_timeout))
        except subprocess.TimeoutExpired:
            pages.append("")
            skipped = True
            if problem:
                problem(f"page {number}", f"text recognition took longer than "
                                          f"{page_timeout:g} s; the page was skipped")
        except (RuntimeError, OSError) as exc:
            pages.append("")
            skipped = True
            if problem:
                problem(f"page {number}", f"text recognition failed ({exc}); the page was skipped")
        if progress is not None:
            progress(number, total)
    if not any(text.strip() for text in pages):
        raise NoTextLayer(name, "the PDF has no text layer (a scanned document) and text "
                                "recognition found no text in it")
    if not skipped:  # a page that failed may work next time: not kept
        with _cache_lock:
            _cache[key] = list(pages)
            while len(_cache) > CACHED_FILES:
                _cache.popitem(last=False)
    return pages


def page_text(pages: list[str]) -> tuple[str, list[str]]:
    """The pages as one text for the text reader (a page-number line between pages, as the
    PDF reader writes), and each line's location."""
    lines: list[str] = []
    where: list[str] = []
    for number, text in enumerate(pages, start=1):
        for line_number, line in enumerate(text.splitlines(), start=1):
            lines.append(line.rstrip())
            where.append(f"page {number} (recognised text), line {line_number}")
        lines += ["", f"Page {number}"]
        where += [f"page {number}"] * 2
    return "\n".join(lines), where
