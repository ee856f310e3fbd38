"""SQL written by hand bypasses the scoped managers (decision 0017), so it may only stand where
the decision lists it, each place read for the council: a new ``cursor()``, ``.raw()``,
``RawSQL`` or ``.extra()`` anywhere else fails here until it is reviewed and listed."""

import ast

from .support.application import ROOT, application_modules

# Where, and why each is safe without the council in its SQL.
LISTED = {
    # The data version's counters: one row per council, read by the council's id.
    "indicators/changes.py",
    # The import's one UPDATE: by ids of figures fetched through the scoped managers.
    "intake/figure_import/plan.py",
    # DfE's LAIT tables, shared by every council (no council column).
    "intake/lait/sync.py",
    "intake/lait/stored_comparators.py",
    "intake/lait/bulk.py",
}
BY_HAND = {"cursor", "raw", "extra", "RawSQL"}


def sql_by_hand(source: str) -> list[str]:
    """Each call of ``x.cursor()``, ``x.raw()``, ``x.extra()`` or ``RawSQL()``, as "line: name"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in BY_HAND:
                found.append((node.lineno, name))
    return [f"{line}: {name}" for line, name in sorted(found)]


def test_sql_by_hand_stands_only_where_the_decision_lists_it():
    found = {
        str(path.relative_to(ROOT)): sql_by_hand(path.read_text(encoding="utf-8"))
        for path in application_modules()
    }
    assert {path for path, calls in found.items() if calls} == LISTED


def test_the_check_sees_each_form():
    source = (
        "from django.db import connection\n"
        "with connection.cursor() as c: pass\n"
        "Value.objects.raw('SELECT 1')\n"
        "Value.objects.extra(where=['1=1'])\n"
        "Value.objects.annotate(x=RawSQL('1', []))\n"
        "Value.objects.filter(pk=1)\n"
    )
    assert sql_by_hand(source) == ["2: cursor", "3: raw", "4: extra", "5: RawSQL"]
