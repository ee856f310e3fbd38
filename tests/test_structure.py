"""The layout rules of the three rooms (decision 0006), kept by the suite so they cannot drift
back: the domain (``indicators``) imports no other app of ours; the intake (``intake``) and the
read side (``scorecard``) never import each other; no private name is used outside the module
that defines it; no application module is over 600 lines (the models aside); no function or
class is worse than radon's grade C; every public function and method is typed."""

import ast

import pytest
from radon.complexity import cc_rank, cc_visit

from .support.application import APPS, ROOT, application_modules

MAX_LINES = 600
# The models are one module by Django's convention: splitting them would scatter the schema.
LONG_BY_CONVENTION = {"indicators/models.py"}
# What each app may import of ours (besides itself). accounts is the users' app: the domain's
# roles are what it manages, so it reads them; nothing of ours reads the pages or the intake.
MAY_IMPORT = {
    "indicators": set(),
    "intake": {"indicators", "accounts"},
    "scorecard": {"indicators", "accounts"},
    "accounts": {"indicators"},
}
# Private by their libraries' spelling, public in use: Django's model options and admin
# registry, simple-history's reason and user for the next history record.
LIBRARY_NAMES = {
    "_meta",
    "_default_manager",
    "_base_manager",
    "_state",
    "_registry",
    "_save_m2m",
    "_change_reason",
    "_history_user",
}


def imported_modules(path, relative=False):
    """The modules ``path`` imports; with ``relative``, ``from .x import y`` as ``x`` and
    ``from . import y`` as ``y`` too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
        elif isinstance(node, ast.ImportFrom) and relative:
            if node.module:
                yield node.module
            else:
                yield from (alias.name for alias in node.names)


def private_names_from_elsewhere(path):
    """``from m import _name``, and ``x._name`` where no ``_name`` is defined or assigned in
    this module (so it was defined in another): each as "line: name"."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    defined = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            defined.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            defined.add(node.attr)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            defined.add(node.target.id)

    def private(name):
        return name.startswith("_") and not name.startswith("__")

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if private(alias.name):
                    yield f"{node.lineno}: import {alias.name}"
        elif isinstance(node, ast.Attribute) and private(node.attr):
            is_own = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
            if not is_own and node.attr not in defined and node.attr not in LIBRARY_NAMES:
                yield f"{node.lineno}: .{node.attr}"


def test_there_are_modules_to_check():
    assert len(list(application_modules())) > 50
    assert {path.relative_to(ROOT).parts[0] for path in application_modules()} == set(APPS)


def test_each_app_imports_only_what_its_room_may():
    found = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in application_modules()
        for module in imported_modules(path)
        if (app := module.split(".")[0]) in APPS
        and app != (room := path.relative_to(ROOT).parts[0])
        and app not in MAY_IMPORT[room]
    ]
    assert found == []


def test_the_import_check_sees_an_import_from_the_pages(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from scorecard.charts import x\nimport intake.views\n")
    assert list(imported_modules(module)) == ["scorecard.charts", "intake.views"]
    module.write_text("from .test_a import x\nfrom . import test_b\nfrom .support import c\n")
    assert list(imported_modules(module, relative=True)) == ["test_a", "test_b", "support"]


def test_no_private_name_is_used_outside_its_module():
    found = [
        f"{path.relative_to(ROOT)}:{where}"
        for path in application_modules()
        for where in private_names_from_elsewhere(path)
    ]
    assert found == []


def test_the_private_name_check_sees_both_forms(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "from scorecard.charts import _layout\n"
        "import charts\n"
        "charts._scatter()\n"
        "self._own()\n"
        "obj._here = 1\n"
        "obj._here\n"
        "model._meta\n"
    )
    assert list(private_names_from_elsewhere(module)) == ["1: import _layout", "3: ._scatter"]


def test_no_test_module_imports_another():
    """Shared test helpers live in conftest.py and tests/support/, so each test module runs
    alone and none depends on another's fixtures by import."""
    found = [
        f"{path.name}: {module}"
        for path in sorted((ROOT / "tests").glob("test_*.py"))
        for module in imported_modules(path, relative=True)
        if module.split(".")[-1].startswith("test_")
    ]
    assert found == []


def test_no_application_module_is_over_600_lines():
    long = {
        path.relative_to(ROOT).as_posix(): lines
        for path in application_modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert {name: n for name, n in long.items() if name not in LONG_BY_CONVENTION} == {}


def test_no_function_or_class_is_worse_than_grade_c():
    worse = [
        f"{path.relative_to(ROOT)}:{block.lineno} {block.name} "
        f"{cc_rank(block.complexity)} ({block.complexity})"
        for path in application_modules()
        for block in cc_visit(path.read_text(encoding="utf-8"))
        if cc_rank(block.complexity) > "C"
    ]
    assert worse == []


@pytest.mark.parametrize(("complexity", "rank"), [(10, "B"), (20, "C"), (21, "D")])
def test_the_grade_check_ranks_as_radon_does(complexity, rank):
    assert cc_rank(complexity) == rank


def untyped_public_functions(path):
    """Each public function or method in ``path`` (its name without a leading underscore, or a
    dunder, in a module or a public class) that lacks an annotation on a parameter other than
    ``self``/``cls`` or lacks a return annotation, as "line: name". A private class's methods
    and the functions nested in a function are their module's own detail."""
    tree = ast.parse(path.read_text(encoding="utf-8"))

    def walk(body, in_class):
        for node in body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                yield from walk(node.body, in_class=True)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if node.name.startswith("_") and not node.name.endswith("__"):
                    continue
                args = node.args
                params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
                if in_class and params and params[0].arg in ("self", "cls"):
                    params = params[1:]
                params += [arg for arg in (args.vararg, args.kwarg) if arg]
                if node.returns is None or any(arg.annotation is None for arg in params):
                    yield f"{node.lineno}: {node.name}"

    yield from walk(tree.body, in_class=False)


def test_every_public_function_is_typed():
    """Decision 0006: every public function and method of the application has a type for each
    parameter (``self`` and ``cls`` aside) and for what it returns, so mypy checks its callers."""
    found = [
        f"{path.relative_to(ROOT)}:{where}"
        for path in application_modules()
        for where in untyped_public_functions(path)
    ]
    assert found == []


def test_the_typing_check_sees_a_missing_parameter_or_return_type(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "def typed(a: int, *rest: str, **named: int) -> None: ...\n"
        "def no_return(a: int): ...\n"
        "def _private(a): ...\n"
        "class C:\n"
        "    def method(self, a: int) -> int: ...\n"
        "    @classmethod\n"
        "    def make(cls) -> 'C': ...\n"
        "    def untyped(self, a) -> None: ...\n"
        "    def __str__(self): ...\n"
        "def starred(*rest) -> None: ...\n"
        "class _Private:\n"
        "    def method(self, a): ...\n"
    )
    assert list(untyped_public_functions(module)) == [
        "2: no_return",
        "8: untyped",
        "9: __str__",
        "10: starred",
    ]
