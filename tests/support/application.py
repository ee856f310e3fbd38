"""The application's modules, as the layout tests walk them (tests/test_structure.py,
tests/test_judged_row.py)."""

from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
APPS = ("indicators", "intake", "scorecard", "accounts")


def application_modules() -> Iterator[Path]:
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path
