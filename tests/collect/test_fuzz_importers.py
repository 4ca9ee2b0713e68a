"""Fuzzing every importer: whatever the bytes, only InputError (one line, naming the file) escapes."""

import io
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stocktake.analysis.errors import InputError
from stocktake.collect.importers import extract
from stocktake.collect.importers.columns import read_header
from stocktake.collect.importers.loose import merge_rows

PDF = (Path(__file__).parent / "fixtures" / "pdf" / "gullhaven-submission.pdf").read_bytes()
SUFFIXES = [".docx", ".xlsx", ".csv", ".tsv", ".txt", ".md", ".html", ".pdf"]
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _only_input_errors(path: Path) -> None:
    try:
        extract(path, max_bytes=2_000_000).to_dict()
    except InputError as exc:
        message = str(exc)
        assert message.startswith(f"{path.name}: ") and "\n" not in message


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes(tmp_path, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    _only_input_errors(path)


@FUZZ
@given(members=st.dictionaries(
    st.sampled_from(["word/document.xml", "xl/workbook.xml", "[Content_Types].xml", "EncryptedPackage",
                     "xl/worksheets/sheet1.xml", "word/styles.xml", "_rels/.rels"]),
    st.one_of(st.binary(max_size=300), st.sampled_from([
        b"<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'>"
        b"<w:body><w:p><w:r><w:t>Governance</w:t></w:r></w:p></w:body></w:document>",
        b"<workbook/>", b"<?xml version='1.0'?><Types/>", b""])), max_size=5),
    suffix=st.sampled_from([".docx", ".xlsx"]))
def test_zip_packages_with_weird_parts(tmp_path, members, suffix):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    path = tmp_path / f"weird{suffix}"
    path.write_bytes(buffer.getvalue())
    _only_input_errors(path)


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(PDF)), flips=st.lists(
    st.tuples(st.integers(min_value=0, max_value=len(PDF) - 1), st.integers(0, 255)), max_size=8))
def test_damaged_pdfs(tmp_path, cut, flips):
    data = bytearray(PDF[:cut] if cut > 20 else PDF)
    for position, value in flips:
        if position < len(data):
            data[position] = value
    path = tmp_path / "damaged.pdf"
    path.write_bytes(bytes(data))
    _only_input_errors(path)


CELLS = st.sampled_from([
    "", "", "", "Carrowfold Royal Infirmary NHS", "Foundation Trust", "Gullhaven Hospice", "People",
    "Governance", "Estates", "<ul><li>One thing</li>", "<li>another</li></ul>", "• a. • b.",
    "1. First. 2. Second.", "- dash item", "* star item", "continued text", "Ends here.",
    "Organisation", "Domain", "Key findings", "Example", "Synopsis", "Recommendation", "7",
    "Page 3 of 9", "Microsoft Word Document", "x" * 300, "<br>", "&amp;", "\u00a0",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELLS, min_size=0, max_size=6), max_size=25),
       furniture=st.lists(st.sampled_from(["", "Page 2 of 4", "Contents", "4.3 Partner findings",
                                           "Embedded file: a.xlsx", "Foundation Trust"]), max_size=5))
def test_tab_separated_exports(tmp_path, rows, furniture):
    lines = ["\t".join(row) for row in rows]
    for index, line in enumerate(furniture):
        lines.insert((index * 7) % (len(lines) + 1), line)
    path = tmp_path / "export.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    _only_input_errors(path)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.lists(CELLS, max_size=5), min_size=1, max_size=20),
       breaks=st.lists(st.booleans(), max_size=20))
def test_row_merging_never_loses_or_invents_text(rows, breaks):
    header = ["Organisation", "Domain", "Key findings"]
    width = max([3] + [len(r) for r in rows])
    merged = merge_rows([header] + rows, read_header(header), 1, width, [False] + breaks)
    before = sorted(w for row in rows for cell in row for w in cell.split())
    after = sorted(w for _, row in merged for cell in row for w in cell.split())
    assert after == before
