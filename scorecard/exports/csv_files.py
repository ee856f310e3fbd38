"""The scorecard and an indicator's history as CSV: machine-readable, unformatted numbers,
ISO months in the header, a last row saying which figures are drafts."""

import csv
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from indicators import rules
from indicators.numbers import plain
from scorecard.exports.cell_text import (
    draft_notice,
    history_lines,
    is_hidden,
    neutralise,
    spc_words,
    target_source_text,
)
from scorecard.exports.dfe_columns import (
    BENCHMARK_CSV_HEADER,
    HISTORY_BENCHMARK_CSV_HEADER,
    dfe_csv_cells,
    history_dfe_cells,
)

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    from scorecard.queries import IndicatorHistory, Scorecard

SCORECARD_CSV_FIXED = ["reference", "description", "priority", "unit", "polarity"]
SCORECARD_CSV_TAIL = [
    "target_value",
    "target_label",
    "rag",
    "direction",
    "judgement",
    "variation",
    "assurance",
]
# The shown months whose figure was revised after publication (ISO, ";" between).
SCORECARD_CSV_REVISED = ["revised"]

HISTORY_CSV_HEADER = [
    "month",
    "value",
    "numerator",
    "denominator",
    "status",
    "target_value",
    "target_label",
    "rag",
    "direction",
    "judgement",
    "synthetic",
    "commentary",
    "revised",  # "Revised on 3 Nov 2023 from 57.0%: <reason>", blank when not revised
]


def _csv_cell(value):
    """One CSV field: numbers unformatted (never neutralised), text neutralised."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # Decimal('52.0000') -> '52'; every significant digit, no exponent notation.
        return plain(value, normalise=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    # Neutralise first (a leading carriage return is a trigger), then make every line break
    # a line feed: with "\n" as the line terminator, the csv module would leave a field
    # holding a bare "\r" unquoted, and a reader would split the row there.
    return neutralise(str(value)).replace("\r\n", "\n").replace("\r", "\n")


def _write_draft_footer(writer, draft_months):
    # A last row, after the figures: the header stays the first row for machine readers.
    if draft_months:
        writer.writerow(["DRAFT", draft_notice(draft_months)])


def scorecard_csv_header(scorecard: "Scorecard") -> list[str]:
    header = (
        SCORECARD_CSV_FIXED
        + [m.iso for m in scorecard.shown_months]
        + SCORECARD_CSV_TAIL
        + SCORECARD_CSV_REVISED
        + BENCHMARK_CSV_HEADER
    )
    return [_csv_cell(name) for name in header]


def _csv_figure(row, month):
    if is_hidden(row, month):
        return rules.SUPPRESSED_MARK
    return row.value(month)


def scorecard_csv_rows(scorecard: "Scorecard") -> Iterator[list[str]]:
    for row in scorecard.rows:
        indicator = row.indicator
        cells = (
            [
                indicator.reference,
                indicator.description,
                row.priority_number,
                indicator.unit,
                indicator.polarity,
            ]
            + [_csv_figure(row, month) for month in scorecard.shown_months]
            + [
                row.target.value if row.target else None,
                target_source_text(row.target, indicator),
                row.rag.value,
                row.direction.arrow.value,
                row.direction.judgement.value,
                *spc_words(row),
                ";".join(month.iso for month in row.revised_months),
            ]
            + dfe_csv_cells(row.benchmark)
        )
        yield [_csv_cell(cell) for cell in cells]


def write_scorecard_csv(scorecard: "Scorecard", stream: "SupportsWrite[str]") -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(scorecard_csv_header(scorecard))
    writer.writerows(scorecard_csv_rows(scorecard))
    _write_draft_footer(writer, scorecard.draft_months)


def indicator_history_csv(history: "IndicatorHistory", stream: "SupportsWrite[str]") -> None:
    """One row per month, newest first, as the indicator page lists them."""
    row = history.row
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([_csv_cell(name) for name in HISTORY_CSV_HEADER + HISTORY_BENCHMARK_CSV_HEADER])
    for record, figure, span, comment in history_lines(history):
        hidden = is_hidden(row, record.month)
        cells = [
            record.month.iso,
            rules.SUPPRESSED_MARK if hidden else figure.value,
            None if hidden else figure.numerator,
            None if hidden else figure.denominator,
            figure.status,
            span.value if span else None,
            target_source_text(span, row.indicator),
            record.rag.value,
            record.direction.arrow.value,
            record.direction.judgement.value,
            figure.synthetic,
            comment,
            record.revision_text,
            *history_dfe_cells(row.benchmark, record.month),
        ]
        writer.writerow([_csv_cell(cell) for cell in cells])
    _write_draft_footer(writer, history.draft_months)
