"""The analysis library is plain Python: nothing in it may import Django."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import stocktake.analysis

PACKAGE = Path(stocktake.analysis.__file__).parent
MODULES = sorted(
    "stocktake.analysis" + ("." + p.stem if p.stem != "__init__" else "")
    for p in PACKAGE.glob("*.py")
)


def test_no_module_mentions_django_or_the_apps():
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith("django"), f"{path.name} imports {name}"
                if name.startswith("stocktake"):
                    assert name.startswith("stocktake.analysis"), f"{path.name} imports {name}"


def test_every_module_imports_without_django():
    code = (
        "import importlib, json, sys\n"
        f"for name in {MODULES!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'django')))\n"
    )
    env_free = {"PYTHONPATH": str(PACKAGE.parent.parent), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env_free, check=True)
    assert json.loads(out.stdout) == []
    assert len(MODULES) >= 6
