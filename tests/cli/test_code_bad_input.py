"""`stocktake code` on bad input: one clear message with file and line, exit 1, no output file."""

import json

import pytest
from click.testing import CliRunner

from stocktake.analysis.framework import DEFAULT_FRAMEWORK_PATH
from stocktake.cli import main

GOOD = {"id": "a", "text": "Staff rest hubs offered psychological support."}
FRAMEWORK_OK = DEFAULT_FRAMEWORK_PATH.read_text()


def invoke(tmp_path, *, framework=None, findings=None, examples=None, extra=()):
    fw = tmp_path / "fw.yaml"
    fw.write_text(FRAMEWORK_OK if framework is None else framework)
    src = tmp_path / "findings.jsonl"
    src.write_text("\n".join(json.dumps(GOOD) if r is None else r
                             for r in (findings if findings is not None else [None])) + "\n")
    args = ["code", "--framework", str(fw), "--input", str(src), "--output",
            str(tmp_path / "out.jsonl"), *extra]
    if examples is not None:
        ex = tmp_path / "coded.jsonl"
        ex.write_text("\n".join(examples) + "\n")
        args += ["--examples", str(ex)]
    return CliRunner().invoke(main, args)


def assert_failed_cleanly(result, tmp_path, *fragments):
    assert result.exit_code == 1, result.output
    message = result.output.strip()
    assert message.startswith("Error: ") and len(message.splitlines()) == 1, message
    for fragment in fragments:
        assert fragment in message, message
    assert not (tmp_path / "out.jsonl").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.jsonl")]


@pytest.mark.parametrize("findings, fragments", [
    (['{"id": "a", "text": "ok"}', '{"id": "b", "text": '], ["findings.jsonl:2:", "not valid JSON"]),
    (['{"text": "no id"}'], ["findings.jsonl:1:", "no 'id'"]),
    (['{"id": "a"}'], ["findings.jsonl:1:", "no 'text'"]),
    (['{"id": "a", "text": "   "}'], ["findings.jsonl:1:", "'text' is empty"]),
    (['{"id": "a", "text": 3}'], ["findings.jsonl:1:", "'text' must be a string"]),
    (['["a", "b"]'], ["findings.jsonl:1:", "expected a JSON object"]),
    (['{"id": "a", "text": "x"}', '', '{"id": "a", "text": "y"}'],
     ["findings.jsonl:3:", "duplicate id 'a' (first on line 1)"]),
    ([""], ["findings.jsonl: no findings"]),
])
def test_bad_findings(tmp_path, findings, fragments):
    assert_failed_cleanly(invoke(tmp_path, findings=findings), tmp_path, *fragments)


@pytest.mark.parametrize("framework, fragments", [
    ("name: X\nthemes:\n  - key: a\n    name: A\n  - key: a\n    name: B\n",
     ["fw.yaml:5:", "duplicate theme key 'a'"]),
    ("name: X\nthemes:\n  - name: A\n", ["fw.yaml:3:", "has no 'key'"]),
    ("name: X\ndomains: []\n", ["fw.yaml:1:", "no 'themes'"]),
    ("name: X\nthemes: []\n", ["fw.yaml:1:", "'themes' is empty"]),
    ("themes:\n  - key: a\n    name: A\n", ["fw.yaml:1:", "no 'name'"]),
    ("name: [unclosed\n", ["fw.yaml:2:", "not valid YAML"]),
])
def test_bad_framework(tmp_path, framework, fragments):
    assert_failed_cleanly(invoke(tmp_path, framework=framework), tmp_path, *fragments)


def test_example_naming_an_unknown_theme(tmp_path):
    examples = ['{"text": "Video clinics", "theme": "technology"}',
                '{"text": "Rest hubs", "theme": "wellbeing-of-staff"}']
    assert_failed_cleanly(invoke(tmp_path, examples=examples), tmp_path, "coded.jsonl:2:",
                          "theme 'wellbeing-of-staff' is not in framework", "staff-wellbeing")


@pytest.mark.parametrize("examples, fragments", [
    (['{"text": "x", "domain": "nowhere"}'], ["coded.jsonl:1:", "domain 'nowhere'"]),
    (['{"text": "x"}'], ["coded.jsonl:1:", "needs a 'theme' or a 'domain'"]),
    (['{"theme": "technology"}'], ["coded.jsonl:1:", "no 'text'"]),
])
def test_other_bad_examples(tmp_path, examples, fragments):
    assert_failed_cleanly(invoke(tmp_path, examples=examples), tmp_path, *fragments)


def test_unknown_backend_and_missing_files(tmp_path):
    assert_failed_cleanly(invoke(tmp_path, extra=["--backend", "bert"]), tmp_path,
                          "unknown analysis backend 'bert'", "tfidf")
    assert_failed_cleanly(invoke(tmp_path, extra=["--model", "x"]), tmp_path,
                          "--model applies to the semantic and ensemble backends")
    result = CliRunner().invoke(main, ["code", "--framework", str(tmp_path / "none.yaml"),
                                       "--input", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 1 and "none.yaml: no such file" in result.output


def test_failure_while_writing_leaves_no_file(tmp_path, monkeypatch):
    from stocktake.analysis import jsonl

    def broken(fp, rows, results):
        fp.write("partial line\n")
        raise OSError("disk full")

    monkeypatch.setattr(jsonl, "write_results", broken)
    result = invoke(tmp_path)
    assert result.exit_code != 0
    assert list(p.name for p in tmp_path.iterdir() if "out" in p.name) == []


def test_existing_output_is_kept_when_coding_fails(tmp_path):
    (tmp_path / "out.jsonl").write_text("previous\n")
    result = invoke(tmp_path, findings=['{"id": 1}'])
    assert result.exit_code == 1
    assert (tmp_path / "out.jsonl").read_text() == "previous\n"
