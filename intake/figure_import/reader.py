"""Reading an uploaded CSV or Excel file into checked figures. Nothing is written here.

``read_upload`` is the import's reading stage: the file's bytes become rows (``sheets``), the
header says which layout it is (``columns``), and the layout's reader turns each row into
figures or problems (``layouts``). A file that cannot be read at all raises ``UploadRefused``.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from indicators.periods import Month
from intake.figure_import import columns
from intake.figure_import.layouts import LongReader, ParsedUpload, ReportReader
from intake.figure_import.sheets import UploadRefused, file_name, read_rows


@dataclass(frozen=True)
class IndicatorSpec:
    reference: str
    unit: str
    decimal_places: int
    active: bool = True


def read_upload(
    data: bytes, filename: str, indicators: Mapping[str, IndicatorSpec], *, today: dt.date
) -> ParsedUpload:
    """Read ``data`` (the uploaded bytes) into figures, problems and notices.

    ``indicators`` maps reference to ``IndicatorSpec``; ``today`` decides which months are
    in the future. Raises ``UploadRefused`` when the file cannot be read at all.
    """
    rows, found, notices = read_rows(data, filename, columns.find_header)
    if found is None:
        raise UploadRefused(
            f"No header row was found in '{file_name(filename)}'. The first row must name the "
            "columns: either ID, Description and one column per month (Jul-23, Aug-23, "
            "...), or reference, month and value."
        )
    header_index, layout = found
    if header_index and any(not columns.blank(c) for row in rows[:header_index] for c in row):
        notices.append(
            f"Rows 1 to {header_index}, above the header, were not imported."
            if header_index > 1
            else "Row 1, above the header, was not imported."
        )
    reader = ReportReader if layout == columns.REPORT else LongReader
    upload = ParsedUpload(layout, notices=notices)
    lookup = columns.Lookup(indicators)
    reader(rows, header_index, lookup, Month.from_date(today), upload).read()
    return upload
