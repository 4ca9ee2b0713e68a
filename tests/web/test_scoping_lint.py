"""Every query a view makes on review material is scoped to what the user may see.

The rule, checked here by reading the source of every module in
``src/stocktake/web/views/`` with :mod:`ast` (no imports, no database):

1. A scoped model – ``Finding``, ``Submission``, ``Example``,
   ``Recommendation``, ``Code``, ``Invitation`` (it holds contacts' emails) –
   may only appear as the start of a
   ``<Model>.objects…`` chain. Passing the class itself around
   (``get_object_or_404(Finding, pk=…)``), ``_default_manager`` and
   ``_base_manager`` are refused, because they skip the manager chain this
   lint reads. Imports (``as`` aliases included) and ``module.Finding`` are
   recognised.
2. The chain – the attribute lookups and calls that follow
   ``<Model>.objects`` in the same expression – must call ``.visible_to(``.
   ``Finding.objects.visible_to(access).filter(…)`` and
   ``Finding.objects.filter(…).visible_to(access)`` both pass;
   ``Prefetch("findings", queryset=Finding.objects.visible_to(access))`` is
   how to scope a related lookup.
3. ``Code`` has no ``visible_to``: its chain must instead filter by a keyword
   ``finding=`` or ``finding__in=`` whose value is scoped – an expression that
   itself calls ``.visible_to(``, or a local name every assignment of which
   (in the same function) is such an expression or is derived from another
   scoped name (``findings = findings.filter(…)``). A function parameter is
   never scoped: fetch codes where the findings were fetched.

How to satisfy it: start every query on review material with
``X.objects.visible_to(access)`` (``access`` from ``access_for``), and fetch
codes with ``Code.objects.filter(finding__in=<those findings>)``.

What it does not see: related managers (``finding.codes.all()``,
``recommendation.findings.all()``) and raw SQL. Views reach related material
through ``Prefetch(..., queryset=X.objects.visible_to(access))`` or a scoped
``X.objects`` query instead; reviewers watch for the rest.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

VIEWS = Path(__file__).resolve().parents[2] / "src" / "stocktake" / "web" / "views"
SCOPED_MODELS = {"Finding", "Submission", "Example", "Recommendation", "Code", "Invitation"}
FINDING_KEYWORDS = {"finding", "finding__in"}
BYPASSES = {"_default_manager", "_base_manager"}


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _calls_visible_to(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr == "visible_to"
        for n in ast.walk(node)
    )


def _chain_root(node: ast.AST) -> ast.AST:
    """``a.b(c).d`` -> ``a``: follow .value of attributes and .func of calls down."""
    while True:
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            return node


class _Linter:
    def __init__(self, source: str, path: str):
        self.path = path
        self.tree = ast.parse(source)
        self.parent: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parent[child] = node
        self.aliases = self._model_aliases()
        self.annotations = self._annotation_nodes()
        self.problems: list[Problem] = []

    def _model_aliases(self) -> dict[str, str]:
        """Local names bound to scoped models by ``from … import Model [as alias]``."""
        aliases = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom):
                for name in node.names:
                    if name.name in SCOPED_MODELS:
                        aliases[name.asname or name.name] = name.name
        return aliases

    def _annotation_nodes(self) -> set[ast.AST]:
        found: set[ast.AST] = set()
        for node in ast.walk(self.tree):
            annotations = []
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                annotations.append(node.returns)
                args = node.args
                every = args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]
                for arg in every:
                    if arg is not None:
                        annotations.append(arg.annotation)
            elif isinstance(node, ast.AnnAssign):
                annotations.append(node.annotation)
            for annotation in annotations:
                if annotation is not None:
                    found.update(ast.walk(annotation))
        return found

    def _model_of(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.Name) and node.id in self.aliases:
            return self.aliases[node.id]
        if isinstance(node, ast.Attribute) and node.attr in SCOPED_MODELS:
            return node.attr
        return None

    def _enclosing_function(self, node: ast.AST) -> ast.AST:
        while node in self.parent:
            node = self.parent[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                return node
        return self.tree

    def _scoped_names(self, scope: ast.AST) -> set[str]:
        """Names in ``scope`` whose every assignment is a scoped expression."""
        assigned: dict[str, list[ast.AST | None]] = {}
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    for name in ast.walk(target):
                        if isinstance(name, ast.Name):
                            # Unpacking makes the value unknowable: treat as unscoped.
                            value = node.value if isinstance(target, ast.Name) else None
                            assigned.setdefault(name.id, []).append(value)
            elif (isinstance(node, (ast.AnnAssign, ast.NamedExpr))
                  and isinstance(node.target, ast.Name)):
                assigned.setdefault(node.target.id, []).append(node.value)
            elif isinstance(node, (ast.AugAssign, ast.For, ast.AsyncFor, ast.comprehension)):
                for name in ast.walk(node.target):
                    if isinstance(name, ast.Name):
                        assigned.setdefault(name.id, []).append(None)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    for name in ast.walk(item.optional_vars or ast.Pass()):
                        if isinstance(name, ast.Name):
                            assigned.setdefault(name.id, []).append(None)
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            for arg in ast.walk(scope.args):
                if isinstance(arg, ast.arg):
                    assigned.setdefault(arg.arg, []).append(None)

        scoped = {name for name, values in assigned.items()
                  if any(v is not None and _calls_visible_to(v) for v in values)}
        changed = True
        while changed:
            changed = False
            for name in list(scoped):
                ok = all(v is not None and self._is_scoped(v, scoped) for v in assigned[name])
                if not ok:
                    scoped.discard(name)
                    changed = True
        return scoped

    def _is_scoped(self, value: ast.AST, scoped_names: set[str]) -> bool:
        if _calls_visible_to(value):
            return True
        root = _chain_root(value)
        return isinstance(root, ast.Name) and root.id in scoped_names

    def _chain(self, start: ast.AST) -> list[ast.AST]:
        """``start`` and the attribute lookups and calls that follow it."""
        chain, node = [start], start
        while node in self.parent:
            up = self.parent[node]
            if (isinstance(up, ast.Attribute) and up.value is node) or (
                isinstance(up, ast.Call) and up.func is node
            ):
                chain.append(up)
                node = up
            else:
                break
        return chain

    def run(self) -> list[Problem]:
        for node in ast.walk(self.tree):
            model = self._model_of(node)
            if model is None or node in self.annotations:
                continue
            if isinstance(node, ast.Name) and isinstance(self.parent.get(node), ast.ImportFrom):
                continue
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                continue
            up = self.parent.get(node)
            if not (isinstance(up, ast.Attribute) and up.value is node and up.attr == "objects"):
                how = f"{model}.{up.attr}" if isinstance(up, ast.Attribute) else model
                self._report(node, f"{how} used outside a {model}.objects…visible_to(access) chain")
                continue
            chain = self._chain(up)
            if any(isinstance(n, ast.Attribute) and n.attr == "visible_to" for n in chain):
                continue
            if model == "Code" and self._code_chain_scoped(chain):
                continue
            if model == "Code":
                self._report(node, "Code.objects chain must filter by finding= or finding__in= "
                                   "findings fetched with .visible_to(access)")
            else:
                self._report(node, f"{model}.objects chain without .visible_to(access)")
        return self.problems

    def _code_chain_scoped(self, chain: list[ast.AST]) -> bool:
        scoped_names = self._scoped_names(self._enclosing_function(chain[0]))
        for node in chain:
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if (keyword.arg in FINDING_KEYWORDS
                            and self._is_scoped(keyword.value, scoped_names)):
                        return True
        return False

    def _report(self, node: ast.AST, message: str) -> None:
        self.problems.append(Problem(self.path, node.lineno, message))


def lint_source(source: str, path: str = "<string>") -> list[Problem]:
    return _Linter(textwrap.dedent(source), path).run()


def test_every_view_query_is_scoped():
    modules = sorted(VIEWS.rglob("*.py"))
    assert modules, f"no view modules found under {VIEWS}"
    problems = [p for module in modules
                for p in lint_source(module.read_text(), str(module.relative_to(VIEWS.parent)))]
    assert not problems, "Unscoped queries in views:\n" + "\n".join(map(str, problems))


def test_the_views_really_use_the_scoped_models():
    """Guard against the lint passing because it stopped recognising anything."""
    text = "\n".join(m.read_text() for m in VIEWS.rglob("*.py"))
    for model in SCOPED_MODELS:
        assert f"{model}.objects" in text


GOOD = [
    """
    from stocktake.collect.models import Finding
    def view(request, access):
        return Finding.objects.visible_to(access).filter(polarity="challenge").count()
    """,
    """
    from stocktake.collect.models import Finding
    def view(request, access):
        return Finding.objects.filter(polarity="challenge").visible_to(access)
    """,
    """
    from stocktake.assess.models import Code
    from stocktake.collect.models import Finding
    def view(request, access):
        findings = Finding.objects.visible_to(access)
        findings = findings.filter(domain__key="people")
        return list(Code.objects.filter(finding__in=findings).values("theme_id"))
    """,
    """
    from django.shortcuts import get_object_or_404
    from stocktake.assess.models import Code
    from stocktake.collect.models import Finding
    def view(request, access, pk):
        finding = get_object_or_404(Finding.objects.visible_to(access), pk=pk)
        return Code.objects.filter(finding=finding).select_related("theme")
    """,
    """
    from stocktake.assess.models import Code
    from stocktake.collect.models import Finding
    def view(request, access):
        return Code.objects.filter(finding__in=Finding.objects.visible_to(access))
    """,
    """
    from django.db.models import Prefetch
    from stocktake.collect.models import Finding
    from stocktake.report.models import Recommendation
    def view(request, access):
        return Recommendation.objects.visible_to(access).prefetch_related(
            Prefetch("findings", queryset=Finding.objects.visible_to(access)))
    """,
    """
    from stocktake.collect.models import Finding
    def helper(findings: "QuerySet[Finding]") -> Finding:
        return findings.first()
    """,
]

BAD = {
    "unscoped filter": """
        from stocktake.collect.models import Finding
        def view(request):
            return Finding.objects.filter(review__slug="x")
        """,
    "unscoped all": """
        from stocktake.collect.models import Submission
        def view(request):
            return Submission.objects.all().count()
        """,
    "manager kept for later": """
        from stocktake.collect.models import Example
        def view(request, access):
            manager = Example.objects
            return manager.visible_to(access)
        """,
    "class handed to a shortcut": """
        from django.shortcuts import get_object_or_404
        from stocktake.collect.models import Finding
        def view(request, pk):
            return get_object_or_404(Finding, pk=pk)
        """,
    "default manager": """
        from stocktake.report.models import Recommendation
        def view(request, access):
            return Recommendation._default_manager.all()
        """,
    "alias import": """
        from stocktake.collect.models import Finding as F
        def view(request):
            return F.objects.all()
        """,
    "module attribute": """
        from stocktake.collect import models
        def view(request):
            return models.Finding.objects.all()
        """,
    "codes of every finding": """
        from stocktake.assess.models import Code
        def view(request):
            return Code.objects.filter(theme__key="people")
        """,
    "codes filtered by a parameter": """
        from stocktake.assess.models import Code
        def view(request, findings):
            return Code.objects.filter(finding__in=findings)
        """,
    "scoped name later replaced": """
        from stocktake.assess.models import Code
        from stocktake.collect.models import Finding
        def view(request, access):
            findings = Finding.objects.visible_to(access)
            findings = Finding.objects.all()
            return Code.objects.filter(finding__in=findings)
        """,
    "invitations of the review": """
        from stocktake.collect.models import Invitation
        def view(request, review):
            return Invitation.objects.filter(review=review)
        """,
    "codes by finding id": """
        from stocktake.assess.models import Code
        def view(request, pk):
            return Code.objects.filter(finding_id=pk)
        """,
}


@pytest.mark.parametrize("source", GOOD)
def test_lint_accepts_scoped_queries(source):
    assert lint_source(source) == []


@pytest.mark.parametrize("name", sorted(BAD))
def test_lint_catches_unscoped_queries(name):
    problems = lint_source(BAD[name])
    assert problems, f"the lint missed: {name}"
    assert all(p.line > 0 for p in problems)


# -- innovations: outside any review, their one scope is track/scopes.py -----------------------


def test_views_reach_innovations_only_through_their_scope():
    """No view names the Innovation model: every list, page and export starts from
    ``innovations_visible_to`` (directly or through ``track/innovation_queries.py``)."""
    problems = []
    for path in sorted(VIEWS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            named = (isinstance(node, ast.Name) and node.id == "Innovation") or (
                isinstance(node, ast.Attribute) and node.attr == "Innovation") or (
                isinstance(node, ast.alias) and node.name == "Innovation")
            if named:
                problems.append(f"{path.name}:{getattr(node, 'lineno', '?')}: Innovation used "
                                "directly; start from innovations_visible_to(user)")
    assert problems == []
    uses = [p.name for p in VIEWS.glob("*.py") if "innovations_visible_to(" in p.read_text()]
    assert {"innovations.py", "innovation_import.py", "innovation_threads.py"} <= set(uses)
