"""Generated documentation stays in step with the code."""

from pathlib import Path

from stocktake.reviews.workflow import mermaid_diagram

ROOT = Path(__file__).resolve().parents[1]


def test_architecture_shows_the_current_transitions_table():
    assert mermaid_diagram() in (ROOT / "ARCHITECTURE.md").read_text()


def test_cli_reference_is_regenerated(monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "scripts" / "cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs" / "cli.md").read_text() == module.render(), "run `make docs`"


def test_every_dependency_has_a_comment_saying_why():
    import tomllib

    text = (ROOT / "pyproject.toml").read_text()
    deps = tomllib.loads(text)["project"]
    names = deps["dependencies"] + deps["optional-dependencies"]["dev"]
    lines = text.splitlines()
    for name in names:
        index = next(i for i, line in enumerate(lines) if line.strip().startswith(f'"{name}"'))
        assert lines[index - 1].strip().startswith("#"), f"{name} needs a comment saying why"
