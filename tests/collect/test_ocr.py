"""Scanned PDFs: text recognition with tesseract, page by page with progress; without tesseract,
one clear message naming the install (never an empty import)."""

from __future__ import annotations

import shutil

import pytest
from PIL import Image, ImageDraw, ImageFont

from stocktake.collect import importers
from stocktake.collect.importers import NoTextLayer, ocr

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="tesseract is not installed (apt-get install tesseract-ocr)")

@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test recognises its scans itself (the cache is tested on its own)."""
    ocr._cache.clear()
    yield
    ocr._cache.clear()


PAGES = [
    ["Submission from Ashby General Hospital", "", "Key achievements",
     "- Staff rest hubs stayed open every night.", "- Video clinics replaced outpatient visits."],
    ["Challenges", "- Daily data requests duplicated local reporting."],
]


def scanned_pdf(path, pages=PAGES):
    """An image-only PDF: each page's lines drawn into a picture, no text layer."""
    font = ImageFont.load_default(size=36)
    images = []
    for lines in pages:
        image = Image.new("L", (1650, 1100), 255)  # a part of an A4 page at 150 dpi
        draw = ImageDraw.Draw(image)
        for row, line in enumerate(lines):
            draw.text((100, 100 + row * 70), line, fill=0, font=font)
        images.append(image)
    images[0].save(path, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return path


def test_a_generated_scan_has_no_text_layer(tmp_path):
    assert ocr.without_text(scanned_pdf(tmp_path / "scan.pdf"))


@needs_tesseract
def test_a_scanned_pdf_is_read_by_text_recognition_page_by_page(tmp_path):
    seen = []
    extraction = importers.extract(scanned_pdf(tmp_path / "scan.pdf"),
                                   progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]
    texts = " ".join(f.text for f in extraction.findings).lower()
    for words in ("rest hubs", "video clinics", "data requests duplicated"):
        assert words in texts
    assert {f.organisation for f in extraction.findings} == {"Ashby General Hospital"}
    assert any(f.location.startswith("page 2 (recognised text)") for f in extraction.findings)


def test_without_tesseract_the_message_names_the_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(NoTextLayer) as caught:
        importers.extract(scanned_pdf(tmp_path / "scan.pdf"))
    message = str(caught.value)
    assert message.startswith("scan.pdf: the PDF has no text layer (a scanned document)")
    assert "apt-get install tesseract-ocr" in message


@needs_tesseract
def test_a_page_that_takes_too_long_is_skipped_and_named(tmp_path, monkeypatch):
    import subprocess

    calls = []

    def slow_then_fine(image, **kwargs):
        calls.append(kwargs["timeout"])
        if len(calls) == 1:
            raise subprocess.TimeoutExpired("tesseract", kwargs["timeout"])
        return "Challenges\n- Daily data requests duplicated local reporting.\n"

    monkeypatch.setattr(ocr, "read_image", slow_then_fine)
    problems = []
    pages = ocr.recognise_pdf(scanned_pdf(tmp_path / "scan.pdf"), "scan.pdf",
                              problem=lambda where, what: problems.append((where, what)))
    assert pages[0] == "" and "data requests" in pages[1]
    assert problems == [("page 1", "text recognition took longer than 120 s; the page was skipped")]


@needs_tesseract
def test_a_scan_with_no_words_says_so(tmp_path):
    with pytest.raises(NoTextLayer, match="text recognition found no text in it"):
        importers.extract(scanned_pdf(tmp_path / "blank.pdf", pages=[[]]))


@needs_tesseract
def test_the_same_scan_is_recognised_once(tmp_path, monkeypatch):
    path = scanned_pdf(tmp_path / "scan.pdf")
    first = ocr.recognise_pdf(path, "scan.pdf")
    monkeypatch.setattr(ocr, "read_image", lambda *a, **k: pytest.fail("read again"))
    seen = []
    again = ocr.recognise_pdf(path, "scan.pdf", progress=lambda d, t: seen.append((d, t)))
    assert again == first and seen == [(1, 2), (2, 2)]
