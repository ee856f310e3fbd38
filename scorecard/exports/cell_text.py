"""What a cell says in every export, CSV or XLSX: text neutralised so no spreadsheet runs it,
the draft notice, SPC in words, the suppressed ``x``, the target's source, and an
indicator's history month by month."""

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, overload

from indicators import rules
from indicators.figures import Figure
from indicators.judgement import Row
from indicators.periods import Month

if TYPE_CHECKING:
    from indicators.models import Indicator
    from scorecard.queries import HistoryRecord, IndicatorHistory

# A cell that begins with one of these may be read as a formula by a spreadsheet.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@overload
def neutralise(value: str) -> str: ...
@overload
def neutralise(value: object) -> object: ...
def neutralise(value: object) -> object:
    """A text cell that a spreadsheet could run as a formula, prefixed with ``'`` so it is
    shown as text. Anything that is not text (numbers, dates, None) is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def spc_words(row: Row) -> tuple[str, str]:
    """The row's SPC variation and assurance as the pages word them (never a rule code)."""
    result = row.spc
    if result is None:
        return "Not enough data (under 12 months)", "Not enough data"
    return result.variation.label, result.assurance.label if result.assurance else "No target"


def target_source_text(span: rules.TargetSpan | None, indicator: "Indicator") -> str:
    """The target's label, or what a trajectory or an anticipated range is (its value
    column is empty for a range)."""
    return rules.target_source(span, indicator.unit, indicator.decimal_places)


def is_hidden(row: Row, month: Month) -> bool:
    """Shown as "x" (rules.suppression), including a figure stored as suppressed."""
    return row.figure(month) is not None and row.is_suppressed(month)


def draft_notice(draft_months: Sequence[Month]) -> str:
    """The words every export of an editor's draft figures carries: "DRAFT: Oct-23 is not
    published ..."; "" when every month is published."""
    if not draft_months:
        return ""
    names = ", ".join(month.label for month in draft_months)
    verb = "is" if len(draft_months) == 1 else "are"
    return f"DRAFT: {names} {verb} not published; these figures may change."


def history_lines(
    history: "IndicatorHistory",
) -> Iterator[tuple["HistoryRecord", Figure, rules.TargetSpan | None, str]]:
    """(record, figure, target span, commentary) for each month, newest first."""
    row = history.row
    comments = {Month.from_date(c.period): c.text for c in history.commentaries}
    for record in history.records:
        figure = row.figure(record.month)
        # Every record is a month of the row's history: a month with a figure.
        assert figure is not None
        yield (
            record,
            figure,
            rules.target_for(record.month, row.target_spans),
            comments.get(record.month, ""),
        )
