"""Zip bombs are refused from the sizes in the ZIP directory, before anything is unpacked."""

import io
import zipfile

import pytest

from stocktake.collect.importers import FileTooLarge, extract


def _package(path, main_part: str, big: int):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, b"<" + b" " * big + b"/>")  # compresses about 1000:1
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize("name, part", [("bomb.docx", "word/document.xml"),
                                        ("bomb.xlsx", "xl/workbook.xml")])
def test_a_part_that_unpacks_hundreds_of_times_larger_is_refused(tmp_path, name, part):
    path = _package(tmp_path / name, part, 20 * 1024 * 1024)
    assert path.stat().st_size < 100_000
    with pytest.raises(FileTooLarge) as info:
        extract(path)
    assert str(info.value).startswith(f"{name}: part '{part}' unpacks to 20 MB") and "zip bomb" in str(info.value)


def test_a_package_unpacking_beyond_the_limit_is_refused(tmp_path):
    path = _package(tmp_path / "big.docx", "word/document.xml", 3 * 1024 * 1024)
    with pytest.raises(FileTooLarge, match="unpacks to far more data"):
        extract(path, max_bytes=100_000)


def test_too_many_parts(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for n in range(5001):
            archive.writestr(f"junk/{n}", "")
    path = tmp_path / "many.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(FileTooLarge, match="holds 5002 parts"):
        extract(path)
