"""The packages of src/stocktake form layers; imports only go down (ARCHITECTURE.md, "Layers").

Built from the source's syntax trees, every import counted (module level and
inside functions): a package may import its own modules and those of lower
layers, never a higher one, so there is no cycle between packages. Imports
inside functions are kept for the command line, which defers setting up
Django on purpose; anywhere else they would only hide a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "stocktake"

# Lowest first. A module's layer is that of its package (stocktake.<package>);
# collect.importers is a library of its own, below the apps.
LAYERS = [
    {"analysis", "collect.importers", "config"},  # libraries: plain Python, no app
    {"core"},
    {"reviews"},
    {"collect"},
    {"assess"},
    {"reflection"},
    {"report"},
    {"track"},
    {"web", "cli", "example_review", "settings", "urls", "wsgi", "__main__"},
]
LIBRARIES = {"analysis", "collect.importers"}
DEFERRED_IMPORTS_ALLOWED = PACKAGE / "cli"  # defers setting up Django until a command needs it
# Imports inside functions still to go, each with the change that removes it.
DEFERRED_IMPORTS_TO_GO: set[str] = set()


def unit_of(module: str) -> str | None:
    """The layered unit of a dotted module name inside stocktake, else None."""
    parts = module.split(".")
    if parts[0] != "stocktake" or len(parts) < 2:
        return None
    if parts[1:3] == ["collect", "importers"]:
        return "collect.importers"
    return parts[1]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []

    def visit(node, in_function: bool):
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = package[:len(package) - child.level + 1] if child.level else []
                module = ".".join(base + ([child.module] if child.module else []))
                found.append((module, child.lineno, in_function))
                # "from stocktake.report import actions" imports stocktake.report.actions
                found.extend((f"{module}.{alias.name}", child.lineno, in_function)
                             for alias in child.names)
            visit(child, nested)

    visit(tree, False)
    return found


def edges(paths=None) -> list[tuple[str, str, Path, int, bool]]:
    """(from unit, to unit, file, line, inside a function) for each import between units."""
    result = []
    for path in paths or sorted(PACKAGE.rglob("*.py")):
        source = unit_of(module_name(path))
        for module, line, in_function in imports_of(path):
            target = unit_of(module)
            if target and source and target != source and _is_module(module):
                result.append((source, target, path, line, in_function))
    return result


def _is_module(dotted: str) -> bool:
    """Whether a dotted name is a module or package of the source (not a name inside one)."""
    base = SRC.joinpath(*dotted.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def layer(unit: str) -> int:
    for index, units in enumerate(LAYERS):
        if unit in units:
            return index
    raise AssertionError(f"stocktake.{unit} is in no layer of tests/test_layers.py; add it")


def upward(found) -> list[str]:
    return [f"{path.relative_to(SRC)}:{line}: {source} imports {target} (a higher layer)"
            for source, target, path, line, _ in found if layer(target) > layer(source)]


def cycles(found) -> list[list[str]]:
    graph: dict[str, set[str]] = {}
    for source, target, *_ in found:
        graph.setdefault(source, set()).add(target)
    loops, seen = [], set()

    def walk(node, trail):
        if node in trail:
            loops.append(trail[trail.index(node):] + [node])
            return
        if node in seen:
            return
        seen.add(node)
        for nxt in sorted(graph.get(node, ())):
            walk(nxt, trail + [node])

    for start in sorted(graph):
        walk(start, [])
    return loops


def test_every_package_is_in_a_layer():
    units = {unit_of(module_name(p)) for p in PACKAGE.rglob("*.py")} - {None}
    for unit in units:
        layer(unit)


def test_imports_only_go_down_the_layers():
    assert upward(edges()) == []


def test_there_is_no_cycle_between_packages():
    assert cycles(edges()) == []


def test_the_libraries_import_no_app():
    found = [f"{path.relative_to(SRC)}:{line}: {source} imports {target}"
             for source, target, path, line, _ in edges()
             if source in LIBRARIES and target not in LIBRARIES]
    assert found == []


def test_no_function_level_import_of_stocktake_outside_the_cli():
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(SRC).as_posix()
        if DEFERRED_IMPORTS_ALLOWED in path.parents or name in DEFERRED_IMPORTS_TO_GO:
            continue
        found |= {f"{name}:{line}" for module, line, in_function in imports_of(path)
                  if in_function and module.startswith("stocktake")}
    assert sorted(found) == []


def test_the_checks_catch_a_cycle_and_an_upward_import(tmp_path):
    # collect importing report, as it once did, is upward; with report -> collect a cycle.
    found = [("collect", "report", SRC / "x.py", 1, False), ("report", "collect", SRC / "y.py", 2, True)]
    assert upward(found) == ["x.py:1: collect imports report (a higher layer)"]
    assert cycles(found) == [["collect", "report", "collect"]]
