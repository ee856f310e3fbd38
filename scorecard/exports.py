"""Machine-readable exports of the scorecard: one row per indicator and priority,
unformatted numbers, ISO months in the header."""

import csv

SCORECARD_CSV_FIXED = ["reference", "description", "priority", "unit", "polarity"]
SCORECARD_CSV_TAIL = ["target_value", "target_label", "rag", "direction", "judgement"]


def _plain(number):
    if number is None:
        return ""
    # Decimal('52.0000') -> '52'; keeps every significant digit without exponent notation.
    text = format(number.normalize(), "f")
    return text


def scorecard_csv_header(scorecard):
    return SCORECARD_CSV_FIXED + [m.iso for m in scorecard.shown_months] + SCORECARD_CSV_TAIL


def scorecard_csv_rows(scorecard):
    for row in scorecard.rows:
        indicator = row.indicator
        yield (
            [
                indicator.reference,
                indicator.description,
                row.priority_number,
                indicator.unit,
                indicator.polarity,
            ]
            + [
                "x" if row.is_suppressed(month) else _plain(row.value(month))
                for month in scorecard.shown_months
            ]
            + [
                _plain(row.target.value) if row.target else "",
                row.target.label if row.target else "",
                row.rag.value,
                row.direction.arrow.value,
                row.direction.judgement.value,
            ]
        )


def write_scorecard_csv(scorecard, stream):
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(scorecard_csv_header(scorecard))
    writer.writerows(scorecard_csv_rows(scorecard))
