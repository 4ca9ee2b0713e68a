"""Unusable files raise one-line InputErrors that name the file; never a raw traceback."""

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stocktake.analysis.errors import InputError
from stocktake.collect.importers import (
    CorruptFile,
    EmptyFile,
    EncryptedFile,
    FileTooLarge,
    ImportInputError,
    UnsupportedFormat,
    extract,
)
from tests.collect.conftest import SUBMISSIONS


def _raises(path, error=InputError, **kwargs) -> str:
    with pytest.raises(error) as info:
        extract(path, **kwargs)
    message = str(info.value)
    assert message.startswith(f"{path.name}: ") and "\n" not in message
    return message


@pytest.mark.parametrize("name", ["empty.docx", "empty.txt", "empty.xlsx", "empty.csv"])
def test_empty_files(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    assert "empty" in _raises(path, EmptyFile)


def test_junk_bytes_named_docx(tmp_path):
    path = tmp_path / "junk.docx"
    path.write_bytes(b"\x13\x37junk" * 100)
    assert "not a Word document" in _raises(path, CorruptFile)


def test_truncated_docx(tmp_path):
    data = (SUBMISSIONS / "velbrook-teaching-hospitals.docx").read_bytes()
    path = tmp_path / "truncated.docx"
    path.write_bytes(data[: len(data) // 2])
    assert "damaged or incomplete" in _raises(path, CorruptFile)


def test_truncated_xlsx(tmp_path):
    data = (SUBMISSIONS / "northmere-partner-findings.xlsx").read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(data[:3000])
    _raises(path, CorruptFile)


def test_zip_with_broken_document_xml(tmp_path):
    path = tmp_path / "broken.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><unclosed>")
    path.write_bytes(buffer.getvalue())
    assert "cannot be read" in _raises(path, CorruptFile)


def test_zip_that_is_neither_word_nor_excel(tmp_path):
    path = tmp_path / "archive.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    path.write_bytes(buffer.getvalue())
    assert "ZIP archive" in _raises(path, CorruptFile)


@pytest.mark.parametrize("name, words", [
    ("old.doc", "old Word"), ("tool.exe", "not supported"), ("noextension", "not supported"),
])
def test_wrong_or_unsupported_extensions(tmp_path, name, words):
    path = tmp_path / name
    path.write_bytes(b"some bytes that are not a document")
    assert words in _raises(path, UnsupportedFormat)


def test_text_named_pdf(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"some bytes that are not a document")
    assert "is not a PDF file" in _raises(path, CorruptFile)


def test_broken_pdf_bytes_renamed_docx(tmp_path):
    path = tmp_path / "renamed.docx"
    path.write_bytes(b"%PDF-1.7\n...")
    assert "the PDF file cannot be read" in _raises(path, CorruptFile)


def test_password_protected_office_file(tmp_path):
    path = tmp_path / "locked.xlsx"
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200 + "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(ole + b"\x00" * 100)
    assert "password" in _raises(path, EncryptedFile)


def test_binary_data_named_txt(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes(b"\x00\x01\x02binary" * 50)
    assert "not a text file" in _raises(path, CorruptFile)


def test_too_big(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"Governance\n- a finding\n" * 100)
    assert "MB" in _raises(path, FileTooLarge, max_bytes=1000)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ImportInputError, match="no such file"):
        extract(tmp_path / "missing.docx")
    with pytest.raises(ImportInputError, match="folder"):
        extract(tmp_path)


def test_xlsx_named_docx_is_read_by_content_with_a_problem(tmp_path):
    path = tmp_path / "misnamed.docx"
    path.write_bytes((SUBMISSIONS / "northmere-partner-findings.xlsx").read_bytes())
    x = extract(path)
    assert x.format == "xlsx" and len(x.findings) == 59
    assert "the name says a Word document but the content is an Excel workbook" in x.problems[0].message


def test_text_without_anything_recognisable_reports_a_problem(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello\n\njust some words\n", encoding="utf-8")
    x = extract(path)
    assert x.findings == [] and "no findings found" in x.problems[-1].message


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=600))
def test_text_importer_only_ever_raises_input_error(tmp_path, text):
    path = tmp_path / "fuzz.txt"
    path.write_text(text, encoding="utf-8", newline="")
    try:
        extraction = extract(path)
    except InputError:
        return
    extraction.to_dict()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.sampled_from([
    "", "2.1 Governance", "Key achievements:", "• a bullet", "- another", "Page 2 of 9",
    "PEOPLE", "Organisation: Gullhaven Hospice", "a\tb\tc", "| x | y |", "Contents ..... 4",
    "Challenges", "1. numbered item.", "Recommendations", "3. Do something better.",
    "Example\tSynopsis", "continued text without a full stop",
]), max_size=40))
def test_text_importer_on_structured_noise(tmp_path, lines):
    path = tmp_path / "noise.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        extract(path).to_dict()
    except InputError:
        pass
