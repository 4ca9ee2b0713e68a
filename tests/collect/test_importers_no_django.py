"""The importers are plain Python: nothing in stocktake.collect.importers imports Django."""

import ast
from pathlib import Path

import stocktake.collect.importers as importers

FORBIDDEN = ("django", "stocktake.collect.models", "stocktake.collect.importing",
             "stocktake.collect.actions", "stocktake.reviews", "stocktake.core", "stocktake.web")


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_no_module_of_the_importers_imports_django():
    folder = Path(importers.__file__).parent
    offenders = [f"{path.name}: {name}" for path in sorted(folder.rglob("*.py"))
                 for name in _imports(path) if name.startswith(FORBIDDEN)]
    assert offenders == []
