"""Reading comments from pasted lines and CSV, Excel and text files."""

from __future__ import annotations

from stocktake.track.feedback_file import MAX_COMMENTS, from_file, from_lines


def test_lines_and_csv_columns():
    assert from_lines("  One \n\nTwo  words\n").texts == ["One", "Two words"]
    assert from_lines("\n").problem.startswith("There are no comments")
    csv = "Who,Comment\nnurse,Quicker\nporter,\ncarer,\"Less travel, less worry\"\n".encode()
    assert from_file("f.csv", csv, column="comment").texts == ["Quicker", "Less travel, less worry"]
    assert from_file("f.csv", csv).texts == ["Who", "nurse", "porter", "carer"]
    assert from_file("f.csv", csv, column="Text").problem == (
        "There is no column called “Text”; the columns are “Who”, “Comment”")
    assert from_file("f.txt", b"a\nb\n").texts == ["a", "b"]


def test_bad_files_get_one_clear_message():
    assert from_file("f.xlsx", b"not a zip").problem.startswith("The file could not be read")
    assert from_file("f.pdf", b"%PDF").problem.startswith("Choose a CSV")
    assert from_file("f.csv", b"\xff\xfe").problem.startswith("The file is not UTF-8")
    many = "\n".join(f"comment {n}" for n in range(MAX_COMMENTS + 1)).encode()
    assert "at most" in from_file("f.txt", many).problem
