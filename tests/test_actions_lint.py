"""State changes only in actions: no model writes in src/ or tests/ outside ``actions`` modules.

The check reads every Python file of ``src/`` and ``tests/`` (with :mod:`ast`, not
regular expressions) and fails on a call of a model-writing method anywhere but
an ``actions`` module (a file named ``actions.py``, or a module inside an
``actions/`` package), a ``migrations/`` folder, or an entry of ``ALLOWED``.

What counts as a write, and how non-model objects are told apart (without types,
an AST cannot know what ``x`` in ``x.save()`` is):

- ``bulk_create``, ``bulk_update``, ``get_or_create``, ``update_or_create`` and their
  async forms (``abulk_create``…) are flagged however they are called: nothing
  else we use has methods of those names.
- ``create``, ``save``, ``update``, ``delete`` and their async forms (``acreate``,
  ``asave``, ``aupdate``, ``adelete``) are flagged when called with **no positional
  argument**. Django's own take none — ``objects.create(**fields)``,
  ``queryset.update(**fields)``, ``instance.save(update_fields=…)``,
  ``instance.delete()``, ``form.save()`` — while the look-alikes we use all take
  one: ``dict.update(other)``, ``set.update(items)``, ``hashlib.update(data)``,
  a progress bar's ``update(1)``, python-docx's and openpyxl's
  ``document.save(path)``, Django storage's ``save(name, content)`` and
  ``delete(name)``. So ``dict.update(key=value)`` is flagged too: write
  ``d.update({...})`` or ``d |= {...}`` instead — except on the few receivers
  named in ``NOT_MODELS``, known dicts (a form field's ``error_messages``).

Not checked: many-to-many ``set``/``add``/``remove``/``clear`` (``set.add`` is
everywhere), raw SQL, and writes through a method name kept in a variable.

``mark_published`` (the status half of publishing) may be called only by
``report.actions.publish_report``, so nothing reaches *tracking* without
agreeing the draft recommendations; that is checked here too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("src", "tests")

ANY_CALL = {"bulk_create", "bulk_update", "get_or_create", "update_or_create"}
NO_POSITIONAL = {"create", "save", "update", "delete"}
ANY_CALL |= {f"a{name}" for name in ANY_CALL}
NO_POSITIONAL |= {f"a{name}" for name in NO_POSITIONAL}
# Receivers (the last name before the call) known not to be models or querysets.
NOT_MODELS = {"error_messages"}

# Writes allowed outside actions modules: "path" (a whole file) or "path::function".
# Keep it short; move code into an action rather than add an entry.
ALLOWED = {
    # The audit recorder: actions call it, inside their own transaction, to write their event.
    "src/stocktake/core/audit.py":
        "writes the AuditEvent of the calling action",
    # django-tasks' queue table, which no action of ours writes: these two helpers simulate
    # a queue that lost a task and a worker that died holding one, to test recovery.
    "tests/assess/test_recovery.py::queue_lost_its_tasks":
        "simulates the task queue losing its rows (a crash), to test recovery",
    "tests/assess/test_recovery.py::worker_died_holding_the_task":
        "simulates a worker that took a task and died, to test recovery",
}


def is_actions_module(path: Path) -> bool:
    return path.name == "actions.py" or "actions" in path.parent.parts


def is_write(call: ast.Call) -> bool:
    if not isinstance(call.func, ast.Attribute):
        return False
    name, receiver = call.func.attr, call.func.value
    if getattr(receiver, "attr", getattr(receiver, "id", None)) in NOT_MODELS:
        return False
    return name in ANY_CALL or (name in NO_POSITIONAL and not call.args)


class _Writes(ast.NodeVisitor):
    """Collects (line, function, call) for each write, with its innermost enclosing function."""

    def __init__(self):
        self.found: list[tuple[int, str, str]] = []
        self.stack: list[str] = []

    def _function(self, node):
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def visit_Call(self, node: ast.Call):
        if is_write(node):
            self.found.append((node.lineno, self.stack[-1] if self.stack else "",
                               ast.unparse(node.func)))
        self.generic_visit(node)


def writes_in(source: str) -> list[tuple[int, str, str]]:
    visitor = _Writes()
    visitor.visit(ast.parse(source))
    return visitor.found


def python_files():
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or is_actions_module(relative):
                continue
            yield relative


def offences() -> tuple[list[str], set[str]]:
    """Writes outside actions not in ALLOWED, and the ALLOWED entries that were used."""
    found, used = [], set()
    for relative in python_files():
        for line, function, call in writes_in((ROOT / relative).read_text(encoding="utf-8")):
            for key in (relative.as_posix(), f"{relative.as_posix()}::{function}"):
                if key in ALLOWED:
                    used.add(key)
                    break
            else:
                found.append(f"{relative}:{line} in {function or '<module>'}: {call}()")
    return found, used


def test_no_model_writes_outside_actions():
    found, _ = offences()
    assert not found, (
        "State changes belong in an `actions` module (DEVELOPERS.md, docs/adr/0002); "
        "call an action instead of:\n  " + "\n  ".join(found)
    )


def test_every_allowed_entry_is_still_needed_and_explained():
    _, used = offences()
    assert set(ALLOWED) == used, f"stale ALLOWED entries: {sorted(set(ALLOWED) - used)}"
    assert all(reason.strip() for reason in ALLOWED.values())


@pytest.mark.parametrize("source", [
    "Review.objects.create(title='x')",
    "review.recommendations.create(number=1)",
    "Finding.objects.filter(pk=1).update(text='x')",
    "finding.save()",
    "finding.save(update_fields=['text'])",
    "form.save()",
    "Code.objects.all().delete()",
    "code.delete()",
    "Code.objects.bulk_create(rows)",
    "Code.objects.bulk_update(rows, ['score'])",
    "Alias.objects.get_or_create(name='x')",
    "Code.objects.update_or_create(finding=f, defaults={})",
    "await Review.objects.acreate(title='x')",
    "await review.asave()",
    "await qs.aupdate(status='x')",
    "await review.adelete()",
    "await Code.objects.abulk_create(rows)",
    "await Code.objects.aget_or_create(pk=1)",
    "settings.update(debug=True)",  # a dict updated by keyword: write d.update({...})
])
def test_writes_are_flagged(source):
    assert writes_in(f"async def f():\n    {source}\n")


@pytest.mark.parametrize("source", [
    "fields.error_messages.update({'required': 'Enter it'})",
    "self.fields['seed'].error_messages.update(required='Enter a seed')",
    "seen.update(items)",
    "digest.update(chunk)",
    "bar.update(1)",
    "document.save(path)",
    "workbook.save(buffer)",
    "default_storage.save(name, content)",
    "default_storage.delete(name)",
    "Review.objects.filter(slug='x').exists()",
    "save()",
    "update(a=1)",
])
def test_look_alikes_are_not_flagged(source):
    assert writes_in(source + "\n") == []


def test_actions_modules_and_packages_are_recognised():
    assert is_actions_module(Path("src/stocktake/reviews/actions.py"))
    assert is_actions_module(Path("src/stocktake/reviews/actions/status.py"))
    assert not is_actions_module(Path("src/stocktake/reviews/transactions.py"))
    assert not is_actions_module(Path("src/stocktake/web/views/reviews.py"))


def test_only_publish_report_marks_a_review_published():
    callers = []
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)
                        and getattr(node.func, "attr", getattr(node.func, "id", "")) == "mark_published"):
                    callers.append(path.relative_to(ROOT).as_posix())
    # One call, inside the report app's actions package (publish_report).
    assert len(callers) == 1 and callers[0].startswith("src/stocktake/report/actions/")
