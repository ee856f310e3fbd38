"""The layout rules of issue 10, kept by the suite so they cannot drift back: the domain
(``indicators``) imports nothing from the pages (``scorecard``), no application module is over
450 lines (the models aside), and no function or class is worse than radon's grade C."""

import ast
from pathlib import Path

import pytest
from radon.complexity import cc_rank, cc_visit

ROOT = Path(__file__).resolve().parent.parent
APPS = ("indicators", "scorecard", "accounts")
MAX_LINES = 450
# The models are one module by Django's convention: splitting them would scatter the schema.
LONG_BY_CONVENTION = {"indicators/models.py"}


def application_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_there_are_modules_to_check():
    assert len(list(application_modules())) > 50


def test_the_domain_imports_nothing_from_the_pages():
    found = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in application_modules()
        if path.relative_to(ROOT).parts[0] == "indicators"
        for module in imported_modules(path)
        if module == "scorecard" or module.startswith("scorecard.")
    ]
    assert found == []


def test_the_import_check_sees_an_import_from_the_pages(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from scorecard.charts import x\nimport scorecard.views\n")
    assert list(imported_modules(module)) == ["scorecard.charts", "scorecard.views"]


def test_no_application_module_is_over_450_lines():
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
