"""A plan kept with its upload (``ImportBatch.plan``) as JSON, so a file is read once: the
preview shows the kept plan and the confirm applies it (``plan``). Indicators are kept by
reference and looked up again in one query when the plan is loaded."""

from decimal import Decimal
from typing import TYPE_CHECKING

from indicators.figures import Figure
from indicators.models import Indicator
from indicators.periods import Month
from indicators.plausibility import PlausibilityWarning
from intake.figure_import.layouts import ImportProblem
from intake.kept_uploads import Kept

if TYPE_CHECKING:  # the plan keeps its plans with this module
    from intake.figure_import.plan import ImportPlan

VERSION = 1


def _number(value):
    return None if value is None else str(value)


def _figure(figure):
    if figure is None:
        return None
    parts = (figure.value, figure.numerator, figure.denominator)
    return [*(_number(part) for part in parts), figure.status]


def _read_figure(data):
    if data is None:
        return None
    *parts, status = data
    value, numerator, denominator = (None if p is None else Decimal(p) for p in parts)
    return Figure(value, numerator, denominator, status)


def dump(plan: "ImportPlan") -> Kept:
    return {
        "version": VERSION,
        "layout": plan.layout,
        "unchanged": plan.unchanged,
        "notices": list(plan.notices),
        "problems": [[p.row, p.column, p.reason] for p in plan.problems],
        "changes": [
            {
                "kind": c.action,
                "row": c.row,
                "column": c.column,
                "reference": c.indicator.reference,
                "month": c.month.iso,
                "figure": _figure(c.figure),
                "old": _figure(c.old),
                "warnings": [[w.code, w.message] for w in c.warnings],
                "revision": c.revision,
            }
            for c in plan.changes
        ],
        "commentary": [
            [c.row, c.indicator.reference, c.month.iso, c.text, c.old] for c in plan.commentary
        ],
    }


def load(data: Kept) -> "ImportPlan":
    """The plan as ``dump`` kept it (one query: the indicators it names)."""
    from intake.figure_import.plan import ImportPlan, PlannedChange, PlannedCommentary

    references = {c["reference"] for c in data["changes"]} | {c[1] for c in data["commentary"]}
    indicators = {i.reference: i for i in Indicator.objects.filter(reference__in=references)}
    plan = ImportPlan(
        data["layout"],
        unchanged=data["unchanged"],
        notices=data["notices"],
        problems=[ImportProblem(*problem) for problem in data["problems"]],
    )
    for c in data["changes"]:
        plan.changes.append(
            PlannedChange(
                c["kind"],
                c["row"],
                c["column"],
                indicators[c["reference"]],
                Month.parse(c["month"]),
                _read_figure(c["figure"]),
                _read_figure(c["old"]),
                [PlausibilityWarning(*w) for w in c["warnings"]],
                c["revision"],
            )
        )
    for row, reference, month, text, old in data["commentary"]:
        plan.commentary.append(
            PlannedCommentary(row, indicators[reference], Month.parse(month), text, old)
        )
    return plan
