"""Generated CSV files and workbooks through the figures import and the set-up reader: nothing
escapes as a traceback (every file ends as a refusal or a list of problems), and every
refusal or problem says where or what: a row, a column or a limit.

Deterministic (``derandomize``: the same examples on every run) and modest (a few dozen
examples each, well under 30 s), so CI is not flaky."""

import csv
import datetime as dt
import io
import re

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.figure_import.reader import IndicatorSpec, read_upload
from intake.figure_import.sheets import UploadRefused
from intake.setup import layout
from intake.setup.reader import read_setup

FUZZ = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SPECS = {
    "7": IndicatorSpec("7", "percentage", 1),
    "34": IndicatorSpec("34", "count", 0),
    "62": IndicatorSpec("62", "rate_per_10000", 1),
    "99": IndicatorSpec("99", "days", 2, active=False),
}
TODAY = dt.date(2023, 10, 15)

# Text a spreadsheet can hold (no control characters, which XML cannot carry).
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12) | st.sampled_from(
    ["", " ", "7", "34", "99", "x", "-", "n/a", "52%", "1,485", "3/7", "£12"]
)
CELL = st.one_of(
    st.none(),
    TEXT,
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
)
FIGURE_HEADERS = st.lists(
    st.sampled_from(
        [
            "reference",
            "month",
            "value",
            "numerator",
            "denominator",
            "status",
            "commentary",
            "ID",
            "Description",
            "Jul-23",
            "Aug-23",
            "Sep-23",
            "Nov-23",
            "2023-09",
            "Target",
        ]
    )
    | TEXT,
    min_size=1,
    max_size=8,
)
# A place a message names: a row, a column, a limit (a number), or the file.
WHERE = re.compile(r"row|column|\d|'f\.(csv|xlsx)'|sheet|header", re.IGNORECASE)


def sheet_rows(headers):
    width = len(headers)
    return st.lists(st.lists(CELL, min_size=0, max_size=width + 1), max_size=12).map(
        lambda rows: [headers, *rows]
    )


FIGURE_SHEETS = FIGURE_HEADERS.flatmap(sheet_rows)


def as_csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([["" if cell is None else cell for cell in row] for row in rows])
    return out.getvalue().encode()


def as_xlsx(sheets: dict) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def assert_names_where(message: str) -> None:
    assert message.strip(), "an empty message"
    assert WHERE.search(message), message


@FUZZ
@given(rows=FIGURE_SHEETS, kind=st.sampled_from(["csv", "xlsx"]))
def test_a_generated_figures_file_ends_as_a_refusal_or_problems_each_naming_where(rows, kind):
    data = as_csv(rows) if kind == "csv" else as_xlsx({"Figures": rows})
    try:
        upload = read_upload(data, f"f.{kind}", SPECS, today=TODAY)
    except UploadRefused as refused:
        assert_names_where(refused.message)
        return
    for problem in upload.problems:
        assert problem.row >= 1 and problem.column.strip(), problem
        assert problem.reason.strip(), problem
    for figure in upload.figures:
        assert figure.reference in SPECS and figure.row >= 2


SETUP_TITLES = st.sampled_from([sheet.name for sheet in layout.SHEETS] + ["Notes", "Sheet1"])


def setup_headers(title):
    sheet = next((s for s in layout.SHEETS if s.name == title), None)
    known = [column.header for column in sheet.columns] if sheet else ["Anything"]
    return st.lists(st.sampled_from(known) | TEXT, min_size=1, max_size=8)


SETUP_SHEET = SETUP_TITLES.flatmap(
    lambda title: setup_headers(title).flatmap(sheet_rows).map(lambda rows: (title, rows))
)


@FUZZ
@given(sheets=st.lists(SETUP_SHEET, min_size=1, max_size=3, unique_by=lambda s: s[0]))
def test_a_generated_set_up_workbook_ends_as_a_refusal_or_problems_each_naming_where(sheets):
    data = as_xlsx(dict(sheets))
    try:
        workbook = read_setup(data, "f.xlsx")
    except UploadRefused as refused:
        assert_names_where(refused.message)
        return
    for problem in workbook.problems:
        assert problem.sheet.strip(), problem
        assert problem.row is not None or problem.column.strip(), problem
        assert problem.reason.strip(), problem


@FUZZ
@given(data=st.binary(max_size=2_000), kind=st.sampled_from(["csv", "xlsx"]))
def test_generated_bytes_end_as_a_refusal_or_problems(data, kind):
    try:
        upload = read_upload(data, f"f.{kind}", SPECS, today=TODAY)
    except UploadRefused as refused:
        assert_names_where(refused.message)
        return
    for problem in upload.problems:
        assert problem.row >= 1 and problem.column.strip(), problem
