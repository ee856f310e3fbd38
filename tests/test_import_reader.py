"""Table-driven tests of intake.figure_import.reader: reading an uploaded CSV or Excel file into
checked figures, problems and notices. Pure: no database, nothing is written.

Workbooks are built in the test with openpyxl, so each case says exactly what the cells hold
(a real date in a header, a cell formatted as a percentage, a float ID).
"""

import csv
import datetime as dt
import importlib.util
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from indicators.figures import Figure
from indicators.periods import Month, parse_month
from intake.figure_import.layouts import ImportFigure, ImportProblem, ParsedUpload
from intake.figure_import.reader import IndicatorSpec, read_upload
from intake.figure_import.sheets import MAX_UPLOAD_BYTES, UploadRefused

D = Decimal
ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "plymouth_2023.json"
SAMPLES = ROOT / "fixtures" / "samples"
TODAY = dt.date(2023, 10, 15)  # October 2023: Nov-23 is in the future

SPECS = {
    "20": IndicatorSpec("20", "rate_per_10000", 1),
    "62": IndicatorSpec("62", "count", 0),
    "69": IndicatorSpec("69", "percentage", 1),
    "73": IndicatorSpec("73", "percentage", 1),
    "76": IndicatorSpec("76", "percentage", 1),
    "77": IndicatorSpec("77", "percentage", 1),
    "78": IndicatorSpec("78", "days", 2),
    "90": IndicatorSpec("90", "currency", 0),
    "99": IndicatorSpec("99", "percentage", 1, active=False),
}

TARGET_NOTICE = "The Target column was not imported: targets are changed by administrators."
REPORT_HEADER = ["ID", "Description", "Jul-23", "Aug-23", "Sep-23"]
LONG_HEADER = ["reference", "month", "value"]

# The seed's Priority 6 headline measures table, as the report prints it (page 27).
P69 = "Percentage of Social Workers with more 20 children allocated (month end snapshot)"
P78 = "Sickness Average Days Lost Per FTE (Rolling Year) - CYPFS department as a whole"
PRIORITY_6 = [
    ["ID", "Description", "Jul-23", "Aug-23", "Sep-23", "Target", "Direction of travel"],
    ["69", P69, "52.0%", "59.1%", "47.6%", "5.0%", "▲"],
    ["76", "Turnover rate for Social Workers (month end snapshot)", "15.4%",
     "Not available", "15.4%", "17.0%", "◀ ▶"],
    ["77", "Vacancy rate for Social Workers (month end snapshot)", "11.0%",
     "Not available", "12.6%", "18.5%", "▲"],
    ["78", P78, "11.06", "11.78", "11.25", "7.00", "▼"],
]  # fmt: skip


# Building files ---------------------------------------------------------------------------
def csv_bytes(rows, *, encoding="utf-8", delimiter=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, formats=None, sheets=None):
    """A workbook whose first (active) sheet holds ``rows``; ``formats`` maps (row, column),
    both from 1, to a number format; ``sheets`` adds (title, rows) sheets after it, or
    before it when the title starts with '<'."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Figures"
    for row in rows:
        sheet.append(row)
    for (row, column), number_format in (formats or {}).items():
        sheet.cell(row, column).number_format = number_format
    for title, extra_rows in sheets or []:
        extra = workbook.create_sheet(title.lstrip("<"), 0 if title.startswith("<") else None)
        for row in extra_rows:
            extra.append(row)
    if sheets and any(title.startswith("<") for title, _ in sheets):
        workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build(rows, kind):
    if kind == "csv":
        return csv_bytes(rows), "figures.csv"
    return xlsx_bytes(rows), "figures.xlsx"


def read(rows, kind="csv", specs=SPECS):
    data, name = build(rows, kind)
    return read_upload(data, name, specs, today=TODAY)


def summary(upload):
    return [
        (f.row, f.column, f.reference, f.month.iso, f.figure and f.figure.value,
         f.figure and f.figure.status)
        for f in upload.figures
    ]  # fmt: skip


def where(upload):
    return [(p.row, p.column) for p in upload.problems]


KINDS = [pytest.param("csv", id="csv"), pytest.param("xlsx", id="xlsx")]


# The seed's Priority 6 table --------------------------------------------------------------
def seed_figures():
    """(reference, month, value, status) for IDs 69, 76, 77, 78 in the fixture."""
    indicators = {i["reference"]: i for i in json.loads(FIXTURE.read_text())["indicators"]}
    expected = set()
    for reference in ("69", "76", "77", "78"):
        for iso, figure in indicators[reference]["values"].items():
            value = figure["value"]
            expected.add(
                (
                    reference,
                    iso,
                    None if value is None else D(str(value)),
                    figure.get("status", "actual"),
                )
            )
    return expected


def as_seed(upload):
    return {(f.reference, f.month.iso, f.figure.value, f.figure.status) for f in upload.figures}


SEED_SOURCES = [
    pytest.param(lambda: (csv_bytes(PRIORITY_6), "p6.csv"), id="built-csv"),
    pytest.param(lambda: (xlsx_bytes(PRIORITY_6), "p6.xlsx"), id="built-xlsx"),
    pytest.param(
        lambda: ((SAMPLES / "priority6_report_layout.csv").read_bytes(), "p6.csv"),
        id="sample-csv",
    ),
    pytest.param(
        lambda: ((SAMPLES / "priority6_report_layout.xlsx").read_bytes(), "p6.xlsx"),
        id="sample-xlsx",
    ),
]


@pytest.mark.parametrize("source", SEED_SOURCES)
def test_priority_6_table_gives_exactly_the_seed_figures(source):
    data, name = source()
    upload = read_upload(data, name, SPECS, today=TODAY)
    assert upload.layout == "report"
    assert upload.problems == []
    assert upload.notices == [TARGET_NOTICE]
    assert len(upload.figures) == 12
    assert as_seed(upload) == seed_figures()
    assert [(f.row, f.column) for f in upload.figures[:4]] == [
        (2, "Jul-23"),
        (2, "Aug-23"),
        (2, "Sep-23"),
        (3, "Jul-23"),
    ]
    not_available = [f for f in upload.figures if f.figure.status == "not_available"]
    assert [(f.reference, f.month.label, f.row, f.column) for f in not_available] == [
        ("76", "Aug-23", 3, "Aug-23"),
        ("77", "Aug-23", 4, "Aug-23"),
    ]
    assert all(f.figure.value is None for f in not_available)


def test_samples_script_regenerates_the_committed_csv(tmp_path):
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_csv(tmp_path / "p6.csv")
    module.write_xlsx(tmp_path / "p6.xlsx")
    assert (tmp_path / "p6.csv").read_bytes() == (
        SAMPLES / "priority6_report_layout.csv"
    ).read_bytes()
    rebuilt = read_upload((tmp_path / "p6.xlsx").read_bytes(), "p6.xlsx", SPECS, today=TODAY)
    assert as_seed(rebuilt) == seed_figures()


# Report layout ----------------------------------------------------------------------------
def test_report_layout_from_xlsx_with_date_headers_and_percent_cells():
    rows = [
        ["ID", "Description", dt.datetime(2023, 7, 1), dt.date(2023, 8, 1), "Sep-23", "Target"],
        [69.0, "Caseloads over 20", 0.52, 0.591, "47.6%", 0.05],
        [78, "Sickness", 11.06, 11.78, 11.25, 7],
    ]  # fmt: skip
    formats = {(1, 3): "mmm-yy", (1, 4): "mmm-yy", (2, 3): "0.0%", (2, 4): "0.0%"}
    formats[(2, 6)] = "0%"
    upload = read_upload(xlsx_bytes(rows, formats=formats), "p6.xlsx", SPECS, today=TODAY)
    assert upload.problems == []
    assert summary(upload) == [
        (2, "Jul-23", "69", "2023-07", D("52.0"), "actual"),
        (2, "Aug-23", "69", "2023-08", D("59.1"), "actual"),
        (2, "Sep-23", "69", "2023-09", D("47.6"), "actual"),
        (3, "Jul-23", "78", "2023-07", D("11.06"), "actual"),
        (3, "Aug-23", "78", "2023-08", D("11.78"), "actual"),
        (3, "Sep-23", "78", "2023-09", D("11.25"), "actual"),
    ]
    assert upload.notices == [TARGET_NOTICE]


def test_a_percent_formatted_cell_is_not_multiplied_twice_into_a_count():
    rows = [REPORT_HEADER[:3], ["62", "Caseload", 0.52]]
    upload = read_upload(xlsx_bytes(rows, formats={(2, 3): "0%"}), "f.xlsx", SPECS, today=TODAY)
    assert upload.figures == []
    assert upload.problems == [
        ImportProblem(2, "Jul-23", "'52.00%' is a percentage but this indicator is a count")
    ]


MONTH_HEADERS = [
    pytest.param("Jul-23", id="short-label"),
    pytest.param("Jul-2023", id="short-month-long-year"),
    pytest.param("2023-07", id="iso"),
    pytest.param("July 2023", id="long-label"),
    pytest.param("jul 23", id="lower-case-with-space"),
    pytest.param("07/2023", id="numeric-month-year"),
    pytest.param("01/07/2023", id="uk-date"),
    pytest.param("2023-07-01 00:00:00", id="iso-datetime-text"),
]


@pytest.mark.parametrize("header", MONTH_HEADERS)
@pytest.mark.parametrize("kind", KINDS)
def test_report_layout_month_headers(header, kind):
    upload = read([["ID", header], ["69", "52.0%"]], kind)
    assert upload.problems == []
    assert summary(upload) == [(2, header, "69", "2023-07", D("52.0"), "actual")]


def test_report_layout_reads_commentary_for_the_latest_month():
    rows = [
        [*REPORT_HEADER, "Commentary"],
        ["69", "d", "52.0%", "59.1%", "47.6%", "Additional capacity agreed."],
        ["73", "d", "87.8%", "48.3%", "", "No September figure yet."],
    ]
    upload = read(rows)
    assert upload.problems == []
    with_comments = [
        (f.row, f.column, f.month.label, f.figure, f.commentary)
        for f in upload.figures
        if f.commentary
    ]
    assert with_comments == [
        (2, "Sep-23", "Sep-23", Figure(D("47.6")), "Additional capacity agreed."),
        (3, "Commentary", "Sep-23", None, "No September figure yet."),
    ]
    assert "read as commentary for Sep-23" in upload.notices[0]


def test_report_layout_skips_blank_rows_and_headings_between_tables():
    rows = [
        REPORT_HEADER,
        ["69", "d", "52.0%", "", ""],
        ["", "", "", "", ""],
        ["Priority 6 – A Stable and Able workforce", "", "", "", ""],
        ["78", "d", "", "", "11.25"],
    ]
    upload = read(rows)
    assert upload.problems == []
    assert [(f.row, f.reference, f.column) for f in upload.figures] == [
        (2, "69", "Jul-23"),
        (5, "78", "Sep-23"),
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_a_header_below_title_rows_keeps_spreadsheet_row_numbers(kind):
    rows = [
        ["Priority 6 headline measures"],
        [],
        REPORT_HEADER,
        ["69", "d", "52.0%", "", ""],
    ]
    upload = read(rows, kind)
    assert upload.problems == []
    assert [(f.row, f.column) for f in upload.figures] == [(4, "Jul-23")]
    assert "Rows 1 to 2, above the header, were not imported." in upload.notices


@pytest.mark.parametrize("kind", KINDS)
def test_a_blank_row_in_the_middle_keeps_row_numbers(kind):
    rows = [LONG_HEADER, ["69", "Sep-23", "47.6%"], [], ["78", "Sep-23", "11.25"]]
    upload = read(rows, kind)
    assert [f.row for f in upload.figures] == [2, 4]


def test_the_current_month_is_not_in_the_future():
    upload = read([["ID", "Oct-23", "Nov-23"], ["69", "40.0%", ""]])
    assert upload.problems == []
    assert [f.month.label for f in upload.figures] == ["Oct-23"]


# Problems: every kind, with its row and column --------------------------------------------
REPORT_PROBLEMS = [
    pytest.param(
        [REPORT_HEADER, ["69", "d", "52.0%", "", ""], ["999", "d", "1%", "2%", "3%"]],
        [(3, "ID", "there is no indicator with ID '999'")],
        1,
        id="unknown-indicator",
    ),
    pytest.param(
        [REPORT_HEADER, ["99", "d", "1%", "", ""]],
        [(2, "ID", "indicator 99 is no longer active, so figures cannot be imported")],
        0,
        id="inactive-indicator",
    ),
    pytest.param(
        [REPORT_HEADER, ["69", "d", "52.0%", "about half", "47.6%"]],
        [(2, "Aug-23", "'about half' is not a number")],
        2,
        id="unparseable-value",
    ),
    pytest.param(
        [REPORT_HEADER, ["69", "d", "52.0%", "152%", ""]],
        [(2, "Aug-23", "a percentage must be between 0 and 100, not 152")],
        1,
        id="percentage-out-of-range",
    ),
    pytest.param(
        [REPORT_HEADER, ["62", "d", "x", "207", "190"]],
        [(2, "Jul-23", "'x' marks a suppressed figure; enter the real figure")],
        2,
        id="suppressed-marker",
    ),
    pytest.param(
        [REPORT_HEADER, ["20", "d", "39.9r", "39.1%", "39.1r"]],
        [(2, "Aug-23", "'39.1%' is a percentage but this indicator is a rate")],
        2,
        id="unit-mismatch",
    ),
    pytest.param(
        [
            REPORT_HEADER,
            ["69", "d", "52.0%", "", ""],
            ["69", "d", "53.0%", "", "47.6%"],
        ],
        [(3, "Jul-23", "ID 69 for Jul-23 is 53.0% here but 52.0% on row 2")],
        1,  # neither Jul-23 figure: only row 3's Sep-23
        id="conflicting-rows",
    ),
    pytest.param(
        [["ID", "Description", "Sep-23", "Nov-23"], ["69", "d", "47.6%", "50.0%"]],
        [(2, "Nov-23", "Nov-23 is in the future")],
        1,
        id="future-month",
    ),
    pytest.param(
        [["ID", "Description", "Foo", "Sep-23"], ["69", "d", "1", "47.6%"]],
        [(1, "Foo", "'Foo' is not a month (write months like Sep-23)")],
        1,
        id="header-not-a-month",
    ),
    pytest.param(
        [
            ["ID", "Sept", "2023-13", "13/2023", "Sep-23"],
            ["69", "1", "2", "3", "47.6%"],
        ],
        [
            (1, "Sept", "'Sept' is not a month"),
            (1, "2023-13", "'2023-13' is not a month"),
            (1, "13/2023", "'13/2023' is not a month"),
        ],
        1,
        id="headers-that-are-almost-months",
    ),
    pytest.param(
        [REPORT_HEADER, ["", "d", "52.0%", "", ""]],
        [(2, "ID", "this row has figures but no ID")],
        0,
        id="missing-id",
    ),
    pytest.param(
        [["ID", "Description", "Sep-23"], ["69", "d", "47.6%", "stray"]],
        [(1, "D", "this column has no header, so it was not imported")],
        1,
        id="column-without-header",
    ),
    pytest.param(
        [["ID", "Sep-23", "2023-09"], ["69", "47.6%", "47.6%"]],
        [(1, "2023-09", "this is the same month as column 'Sep-23'")],
        1,
        id="same-month-twice-in-header",
    ),
]


@pytest.mark.parametrize(("rows", "expected", "figures"), REPORT_PROBLEMS)
@pytest.mark.parametrize("kind", KINDS)
def test_report_layout_problems(kind, rows, expected, figures):
    upload = read(rows, kind)
    assert upload.layout == "report"
    assert where(upload) == [(row, column) for row, column, _ in expected]
    for problem, (_, _, reason) in zip(upload.problems, expected, strict=True):
        assert reason in problem.reason
    assert len(upload.figures) == figures  # the rest of the file is still read


LONG_PROBLEMS = [
    pytest.param(
        [LONG_HEADER, ["999", "Sep-23", "5"], ["69", "Sep-23", "47.6%"]],
        [(2, "reference", "there is no indicator with ID '999'")],
        1,
        id="unknown-indicator",
    ),
    pytest.param(
        [LONG_HEADER, ["99", "Sep-23", "5"]],
        [(2, "reference", "indicator 99 is no longer active")],
        0,
        id="inactive-indicator",
    ),
    pytest.param(
        [LONG_HEADER, ["69", "Sep-23", "lots"], ["78", "Sep-23", "11.25"]],
        [(2, "value", "'lots' is not a number")],
        1,
        id="unparseable-value",
    ),
    pytest.param(
        [LONG_HEADER, ["62", "Sep-23", "12.5"]],
        [(2, "value", "a count must be a whole number, not 12.5")],
        0,
        id="non-integer-count",
    ),
    pytest.param(
        [
            LONG_HEADER,
            ["69", "Sep-23", "47.6%"],
            ["78", "Sep-23", "11.25"],
            ["69", "2023-09", "48.0%"],
        ],
        [(4, "value", "ID 69 for Sep-23 is 48.0% here but 47.6% on row 2")],
        1,  # ID 78 alone: neither of ID 69's
        id="conflicting-rows",
    ),
    pytest.param(
        [LONG_HEADER, ["69", "Nov-23", "47.6%"]],
        [(2, "month", "Nov-23 is in the future")],
        0,
        id="future-month",
    ),
    pytest.param(
        [LONG_HEADER, ["69", "Sept", "47.6%"]],
        [(2, "month", "'Sept' is not a month (write months like Sep-23)")],
        0,
        id="month-without-year",
    ),
    pytest.param(
        [LONG_HEADER, ["69", "2023-13", "47.6%"]],
        [(2, "month", "'2023-13' is not a month")],
        0,
        id="month-thirteen-iso",
    ),
    pytest.param(
        [LONG_HEADER, ["69", "13/2023", "47.6%"]],
        [(2, "month", "'13/2023' is not a month")],
        0,
        id="month-thirteen-slash",
    ),
    pytest.param(
        [LONG_HEADER, ["", "Sep-23", "47.6%"]],
        [(2, "reference", "the reference is missing")],
        0,
        id="missing-reference",
    ),
    pytest.param(
        [LONG_HEADER, ["69", "", "47.6%"]],
        [(2, "month", "the month is missing")],
        0,
        id="missing-month",
    ),
    pytest.param(
        [LONG_HEADER, ["", "", "47.6%"]],
        [
            (2, "reference", "the reference is missing"),
            (2, "month", "the month is missing"),
        ],
        0,
        id="missing-reference-and-month",
    ),
    pytest.param(
        [[*LONG_HEADER, "status"], ["69", "Sep-23", "47.6%", "draft"]],
        [(2, "status", "'draft' is not a status")],
        0,
        id="unknown-status",
    ),
    pytest.param(
        [[*LONG_HEADER, "status"], ["69", "Sep-23", "47.6%", "Not available"]],
        [(2, "value", "a figure marked 'Not available' has no value")],
        0,
        id="not-available-with-a-value",
    ),
    pytest.param(
        [[*LONG_HEADER, "numerator", "denominator"], ["69", "Sep-23", "", "15", ""]],
        [(2, "denominator", "give both the numerator and the denominator")],
        0,
        id="numerator-without-denominator",
    ),
    pytest.param(
        [[*LONG_HEADER, "numerator", "denominator"], ["69", "Sep-23", "", "15", "0"]],
        [(2, "denominator", "the denominator must be more than zero")],
        0,
        id="denominator-zero",
    ),
    pytest.param(
        [[*LONG_HEADER, "colour"], ["69", "Sep-23", "47.6%", "red"]],
        [(1, "colour", "'colour' is not a column this import reads")],
        1,
        id="unknown-column",
    ),
]


@pytest.mark.parametrize(("rows", "expected", "figures"), LONG_PROBLEMS)
@pytest.mark.parametrize("kind", KINDS)
def test_long_layout_problems(kind, rows, expected, figures):
    upload = read(rows, kind)
    assert upload.layout == "long"
    assert where(upload) == [(row, column) for row, column, _ in expected]
    for problem, (_, _, reason) in zip(upload.problems, expected, strict=True):
        assert reason in problem.reason
    assert len(upload.figures) == figures


def test_problem_columns_are_the_headers_as_written():
    upload = read([["Indicator ID", "Period", "Figure"], ["69", "Sept", "47.6%"]])
    assert upload.problems == [
        ImportProblem(2, "Period", "'Sept' is not a month (write months like Sep-23)")
    ]


# Long layout ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "header",
    [
        pytest.param(["reference", "month", "value"], id="reference-month-value"),
        pytest.param(["ID", "Period", "Value"], id="id-period"),
        pytest.param(["Indicator", "MONTH", "value"], id="indicator-caps"),
        pytest.param(["  Reference ", " month", "value "], id="spaces-trimmed"),
    ],
)
def test_long_layout_header_aliases(header):
    upload = read([header, ["69", "Sep-23", "47.6%"]])
    assert upload.layout == "long"
    assert summary(upload) == [(2, header[2].strip(), "69", "2023-09", D("47.6"), "actual")]


def test_long_layout_with_id_and_indicator_name_columns():
    rows = [
        ["ID", "Indicator", "Month", "Value"],
        ["69", "Caseloads over 20", "Sep-23", "47.6%"],
    ]
    upload = read(rows)
    assert upload.problems == []
    assert summary(upload) == [(2, "Value", "69", "2023-09", D("47.6"), "actual")]


def test_report_layout_two_commentaries_for_one_indicator_are_a_conflict():
    rows = [
        ["ID", "Sep-23", "Commentary"],
        ["78", "", "First note."],
        ["78", "", "Second note."],
    ]
    upload = read(rows)
    assert upload.figures == []
    assert where(upload) == [(3, "Commentary")]
    assert "ID 78 for Sep-23 has different commentary here and on row 2" in (
        upload.problems[0].reason
    )


def test_long_layout_every_column():
    rows = [
        [
            "reference",
            "month",
            "value",
            "numerator",
            "denominator",
            "status",
            "commentary",
        ],
        ["73", "Sep-23", "", "15", "204", "", "Team Manager agreed."],
        ["73", "Aug-23", "48.3%", "", "", "provisional", ""],
        ["76", "Aug-23", "", "", "", "Not available", ""],
        ["77", "Aug-23", "Not available", "", "", "", ""],
        ["78", "Sep-23", "", "", "", "", "Sickness is reviewed monthly."],
        ["69", "Sep-23", "7.4%", "15", "204", "", ""],
        ["20", "Sep-23", "39.1r", "", "", "", ""],
        ["90", "Sep-23", "£1,200", "", "", "", ""],
        ["62", "Sep-23", "", "", "", "", ""],
    ]
    upload = read(rows)
    assert upload.problems == []
    figures = {(f.reference, f.month.label): f for f in upload.figures}
    assert figures["73", "Sep-23"] == ImportFigure(
        2,
        "value",
        "73",
        Month(2023, 9),
        Figure(D("7.4"), D(15), D(204)),
        "Team Manager agreed.",
    )
    assert figures["73", "Aug-23"].figure == Figure(D("48.3"), status="provisional")
    assert figures["76", "Aug-23"].figure == Figure(None, status="not_available")
    assert figures["77", "Aug-23"].figure == Figure(None, status="not_available")
    assert figures["78", "Sep-23"].figure is None
    assert figures["78", "Sep-23"].commentary == "Sickness is reviewed monthly."
    assert figures["69", "Sep-23"].figure == Figure(D("7.4"), D(15), D(204))
    assert figures["20", "Sep-23"].figure.value == D("39.1")
    assert figures["90", "Sep-23"].figure.value == D("1200")
    assert ("62", "Sep-23") not in figures
    assert upload.notices == ["1 row has no figure and was not imported."]


def test_long_layout_worked_out_percentage_rounds_to_the_indicators_places():
    specs = {**SPECS, "73": IndicatorSpec("73", "percentage", 2)}
    rows = [
        ["reference", "month", "numerator", "denominator"],
        ["73", "Sep-23", "15", "204"],
    ]
    upload = read(rows, specs=specs)
    assert upload.figures[0].figure.value == D("7.35")
    assert upload.figures[0].column == "numerator"


def test_long_layout_from_xlsx_with_dates_floats_and_percent_cells():
    rows = [
        ["reference", "month", "value", "numerator", "denominator", "status"],
        [69.0, dt.datetime(2023, 9, 1), 0.476, None, None, None],
        [73, dt.date(2023, 9, 1), 0.074, 15, 204, "Provisional"],
        [62, pd.Timestamp("2023-09-30").to_pydatetime(), 190.0, None, None, None],
        [78, "Sep-23", 11.25, None, None, None],
    ]
    formats = {(2, 3): "0.0%", (3, 3): "0.0%", (2, 2): "mmm-yy", (3, 2): "mmm-yy"}
    upload = read_upload(xlsx_bytes(rows, formats=formats), "f.xlsx", SPECS, today=TODAY)
    assert upload.problems == []
    assert [(f.reference, f.month.iso, f.figure) for f in upload.figures] == [
        ("69", "2023-09", Figure(D("47.6"))),
        ("73", "2023-09", Figure(D("7.4"), D(15), D(204), "provisional")),
        ("62", "2023-09", Figure(D(190))),
        ("78", "2023-09", Figure(D("11.25"))),
    ]


def test_target_column_in_long_layout_is_a_notice():
    upload = read([[*LONG_HEADER, "Target"], ["69", "Sep-23", "47.6%", "5.0%"]])
    assert upload.notices == [TARGET_NOTICE]
    assert len(upload.figures) == 1


def test_formulas_are_never_evaluated():
    """Cells are read as their saved values only; a formula openpyxl wrote has none."""
    rows = [
        LONG_HEADER,
        ["69", "Sep-23", "=1+1"],
        ["78", "Sep-23", "=cmd|' /C calc'!A0"],
    ]
    upload = read(rows, "xlsx")
    assert upload.figures == []
    assert upload.problems == []


def test_formula_like_text_in_a_csv_is_just_text():
    upload = read([LONG_HEADER, ["69", "Sep-23", "=1+1"]])
    assert upload.problems == [ImportProblem(2, "value", upload.problems[0].reason)]
    assert "'=1+1' is not a number" in upload.problems[0].reason


def test_a_workbook_reads_the_first_sheet_with_a_header():
    data = xlsx_bytes(
        [LONG_HEADER, ["69", "Sep-23", "47.6%"]],
        sheets=[("<Read me", [["This workbook holds September's figures."]])],
    )
    upload = read_upload(data, "f.xlsx", SPECS, today=TODAY)
    assert [f.reference for f in upload.figures] == ["69"]
    assert upload.notices == [
        "Only the sheet 'Figures' was read; other sheets in the workbook were not imported."
    ]


# Months -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("Sep-23", id="Sep-23"),
        pytest.param("Sep-2023", id="Sep-2023"),
        pytest.param("2023-09", id="iso"),
        pytest.param("September 2023", id="long"),
        pytest.param("Sept 2023", id="sept-with-year"),
        pytest.param("SEP 23", id="caps"),
        pytest.param("9/2023", id="m-slash-yyyy"),
        pytest.param("30/09/2023", id="uk-date"),
        pytest.param("2023-09-01", id="iso-date"),
        pytest.param(dt.date(2023, 9, 12), id="date"),
        pytest.param(dt.datetime(2023, 9, 1, 0, 0), id="datetime"),
        pytest.param(pd.Timestamp("2023-09-01"), id="pandas-timestamp"),
    ],
)
def test_parse_month_forms(raw):
    assert parse_month(raw) == Month(2023, 9)


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("Sept", id="no-year"),
        pytest.param("2023-13", id="month-13"),
        pytest.param("13/2023", id="month-13-slash"),
        pytest.param("31/09/2023", id="no-31st-september"),
        pytest.param("Q2 2023/24", id="quarter"),
        pytest.param("2023/24", id="financial-year"),
        pytest.param("Smarch 2023", id="not-a-month-name"),
        pytest.param("45170", id="excel-serial"),
    ],
)
def test_parse_month_refuses(raw):
    with pytest.raises(ValueError, match="is not a month"):
        parse_month(raw)


# Files refused ----------------------------------------------------------------------------
def zip_of(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


REFUSED = [
    pytest.param(b"", "figures.csv", "'figures.csv' is empty", id="empty-file"),
    pytest.param(b"  \r\n\r\n", "figures.csv", "is empty", id="only-blank-lines"),
    pytest.param(b"", "figures.xlsx", "is empty", id="empty-xlsx"),
    pytest.param(
        b"ID,Sep-23\n" + b"1,2\n" * (MAX_UPLOAD_BYTES // 4),
        "figures.csv",
        "the largest file that can be imported is 5 MB",
        id="too-large",
    ),
    pytest.param(
        bytes(range(256)) * 8,
        "figures.csv",
        "'figures.csv' is not a text CSV file: it holds binary data",
        id="binary-junk-named-csv",
    ),
    pytest.param(
        b"ID,\x81\x8d\x8f\x90\x9d,Sep-23\n",
        "figures.csv",
        "is not a text CSV file",
        id="undecodable-text-named-csv",
    ),
    pytest.param(
        b"ID\x01\x02\x03,Sep-23\x7f\n69,1\n",
        "figures.csv",
        "is not a text CSV file",
        id="control-characters-named-csv",
    ),
    pytest.param(
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        "pack.pdf",
        "'pack.pdf' is a .pdf file: only CSV (.csv) and Excel Workbook (.xlsx) files",
        id="pdf",
    ),
    pytest.param(b"ID,Sep-23\n69,1\n", "figures", "without a .csv or .xlsx ending", id="no-ext"),
    pytest.param(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        "figures.xls",
        "only Excel Workbook (.xlsx) and CSV files can be imported",
        id="old-xls",
    ),
    pytest.param(
        zip_of({"hello.txt": "hello"}),
        "figures.xlsx",
        "'figures.xlsx' is a zip file but not an Excel workbook",
        id="zip-that-is-not-xlsx",
    ),
    pytest.param(
        b"ID,Sep-23\n69,47.6%\n",
        "figures.xlsx",
        "'figures.xlsx' is not an Excel workbook, although its name ends .xlsx",
        id="csv-named-xlsx",
    ),
    pytest.param(
        xlsx_bytes([LONG_HEADER])[:2000],
        "figures.xlsx",
        "is not an Excel workbook",
        id="truncated-xlsx",
    ),
    pytest.param(
        zip_of({"[Content_Types].xml": "<x/>", "xl/workbook.xml": "not xml"}),
        "figures.xlsx",
        "could not be read as an Excel workbook: it may be damaged",
        id="damaged-xlsx",
    ),
    pytest.param(
        xlsx_bytes([LONG_HEADER, ["69", "Sep-23", "47.6%"]]),
        "figures.csv",
        "is a spreadsheet or zip file, not a CSV file",
        id="xlsx-named-csv",
    ),
    pytest.param(
        b"a,b,c\n1,2,3\n",
        "figures.csv",
        "No header row was found in 'figures.csv'",
        id="no-recognisable-header",
    ),
    pytest.param(
        xlsx_bytes([["Notes"], ["nothing here"]]),
        "figures.xlsx",
        "No header row was found",
        id="workbook-without-header",
    ),
    pytest.param(
        b"reference,month\n69,Sep-23\n",
        "figures.csv",
        "no value column",
        id="long-layout-without-value",
    ),
]


@pytest.mark.parametrize(("data", "filename", "message"), REFUSED)
def test_files_that_cannot_be_read_are_refused_with_a_reason(data, filename, message):
    with pytest.raises(UploadRefused) as caught:
        read_upload(data, filename, SPECS, today=TODAY)
    assert message in caught.value.message
    assert str(caught.value) == caught.value.message


def test_a_zip_bomb_is_refused(monkeypatch):
    monkeypatch.setattr("intake.figure_import.sheets.MAX_UNPACKED_BYTES", 1000)
    data = xlsx_bytes([LONG_HEADER, *[["69", "Sep-23", "47.6%"]] * 200])
    with pytest.raises(UploadRefused, match="too large once unpacked"):
        read_upload(data, "f.xlsx", SPECS, today=TODAY)


def test_the_filename_shown_is_the_name_not_the_path():
    with pytest.raises(UploadRefused) as caught:
        read_upload(b"", "C:/Users/advisor/figures.csv", SPECS, today=TODAY)
    assert caught.value.message.startswith("'figures.csv' is empty")


# CSV dialects and encodings ---------------------------------------------------------------
CSV_VARIANTS = [
    pytest.param(
        csv_bytes([LONG_HEADER, ["90", "Sep-23", "£1,200"]], encoding="cp1252"),
        id="windows-1252-pound-sign",
    ),
    pytest.param(
        csv_bytes([LONG_HEADER, ["90", "Sep-23", "£1,200"]], encoding="utf-8-sig"),
        id="utf-8-with-bom",
    ),
    pytest.param(
        csv_bytes([LONG_HEADER, ["90", "Sep-23", "£1,200"]], delimiter=";"),
        id="semicolons",
    ),
    pytest.param(
        csv_bytes([LONG_HEADER, ["90", "Sep-23", "£1,200"]], encoding="utf-16", delimiter="\t"),
        id="utf-16-tabs-from-excel-unicode-text",
    ),
    pytest.param(
        b'reference,month,value\n90,Sep-23,"\xc2\xa31,200"',
        id="no-final-newline",
    ),
]


@pytest.mark.parametrize("data", CSV_VARIANTS)
def test_csv_dialects_and_encodings(data):
    upload = read_upload(data, "figures.csv", SPECS, today=TODAY)
    assert upload.problems == []
    assert summary(upload) == [(2, "value", "90", "2023-09", D("1200"), "actual")]


def test_result_types():
    upload = read([LONG_HEADER, ["69", "Sep-23", "47.6%"], ["999", "Sep-23", "1"]])
    assert isinstance(upload, ParsedUpload)
    assert isinstance(upload.figures[0], ImportFigure)
    assert isinstance(upload.problems[0], ImportProblem)
    assert isinstance(upload.figures[0].month, Month)


# Speed ------------------------------------------------------------------------------------
def ten_thousand_rows():
    units = {"percentage": "52.4%", "count": "1,485", "rate_per_10000": "39.1r"}
    specs, rows = {}, [["reference", "month", "value", "status", "commentary"]]
    for number in range(200):
        unit = list(units)[number % 3]
        specs[str(number)] = IndicatorSpec(str(number), unit, 1)
        for offset in range(50):
            month = Month(2019, 1).plus(offset).label
            rows.append([str(number), month, units[unit], "", "Note" if offset % 9 else ""])
    return specs, rows


@pytest.mark.parametrize("kind", KINDS)
def test_ten_thousand_figures_are_read_with_none_lost(kind):
    """Every one of 10,000 figures is read, with no problem. How fast is measured by
    bench/import_10k.py, not here: a timed test fails on a busy machine."""
    specs, rows = ten_thousand_rows()
    data, name = build(rows, kind)
    upload = read_upload(data, name, specs, today=TODAY)
    assert len(upload.figures) == 10_000
    assert upload.problems == []
