"""The set-up workbook's plan: every addition and change, by sheet, row and column, as the
preview shows it, and a digest of what confirming would write (``planner`` makes it,
``apply`` writes it, ``kept_plan`` keeps it with its upload).

As with figures (``figure_import.plan``), a plan carries a digest of what it would write, so a
confirm applies exactly what the administrator previewed, and a fingerprint of the stored
set-up it was made over: ``apply`` refuses it when that changed since.
"""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from intake.kept_uploads import ADD, PlannedRows
from intake.setup import layout
from intake.setup.reader import SetupProblem


@dataclass(frozen=True)
class FieldChange:
    column: str
    old: str
    new: str


@dataclass
class Planned:
    """One row's thing to add or change."""

    sheet: layout.Sheet
    row: int
    key: tuple[Any, ...]  # the sheet's key fields' values
    what: str  # "Indicator 21: Agency social workers"
    action: str  # ADD or CHANGE
    values: layout.Values  # the fields the workbook sets
    changes: list[FieldChange] = field(default_factory=list)  # for a change

    @property
    def sheet_name(self) -> str:
        return self.sheet.name


@dataclass
class SetupPlan(PlannedRows[Planned]):
    planned: list[Planned] = field(default_factory=list)
    unchanged: int = 0
    problems: list[SetupProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    stored: str = ""  # the fingerprint of the stored set-up it was made over

    def planned_rows(self) -> list[Planned]:
        return self.planned

    @property
    def dfe_problems(self) -> list[SetupProblem]:
        """The problems importing DfE's data fixes (step 1 of the set-up), not the workbook."""
        return [problem for problem in self.problems if problem.needs_dfe_data]

    @property
    def workbook_problems(self) -> list[SetupProblem]:
        """The problems to correct in the workbook itself (step 2)."""
        return [problem for problem in self.problems if not problem.needs_dfe_data]

    @property
    def has_work(self) -> bool:
        return bool(self.planned)

    def counts(self) -> dict[str, tuple[int, int]]:
        """{sheet name: (added, changed)} in the workbook's order, for the sheets with work."""
        result = {}
        for sheet in layout.SHEETS:
            items = [item for item in self.planned if item.sheet is sheet]
            if items:
                adds = sum(1 for item in items if item.action == ADD)
                result[sheet.name] = (adds, len(items) - adds)
        return result

    def summary(self) -> str:
        parts = [
            f"{name}: {adds} added, {changes} changed"
            for name, (adds, changes) in self.counts().items()
        ]
        return "; ".join(parts) or "nothing to change"

    def digest(self) -> str:
        """A fingerprint of exactly what confirming would write, and over what."""
        lines = sorted(
            "|".join(
                [
                    item.sheet.name,
                    repr(item.key),
                    item.action,
                    *(f"{name}={_plain(value)}" for name, value in sorted(item.values.items())),
                    *(f"{c.column}:{c.old}" for c in item.changes),
                ]
            )
            for item in self.planned
        )
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _plain(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, str):
        return repr(str(value))  # a choice's code as the text it is kept as
    return repr(value)
