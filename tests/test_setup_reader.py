"""Reading a set-up workbook without the database (intake/setup/reader.py): each kind of
cell as people write it, and problems named by sheet, row and column."""

import datetime as dt
from decimal import Decimal

import pytest

from indicators.periods import Month
from intake.figure_import.sheets import UploadRefused
from intake.setup import layout
from intake.setup.reader import (
    CellError,
    SetupProblem,
    read_cell,
    read_choice,
    read_integer,
    read_number,
    read_percent,
    read_reference,
    read_references,
    read_setup,
    read_text,
)

from .support.uploads import setup_workbook as workbook

D = Decimal


# Cells ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        pytest.param(37.9, D("37.9"), id="float-kept-exact"),
        pytest.param(25, D("25"), id="int"),
        pytest.param("37.9%", D("37.9"), id="percent-sign"),
        pytest.param("42.1r", D("42.1"), id="rate-suffix"),
        pytest.param("42.1 R", D("42.1"), id="rate-suffix-spaced-capital"),
        pytest.param("£1,200", D("1200"), id="pounds-grouped"),
        pytest.param("-£3.50", D("-3.50"), id="negative-pounds"),
        pytest.param("1,485", D("1485"), id="thousands"),
        pytest.param(" 7 ", D("7"), id="spaces"),
        pytest.param(None, None, id="blank"),
        pytest.param("  ", None, id="blank-text"),
    ],
)
def test_a_number_is_read_as_a_figure_is_written(cell, expected):
    assert read_number(cell) == expected


@pytest.mark.parametrize(
    "cell",
    [
        pytest.param("about 40", id="words"),
        pytest.param("1,48,5", id="bad-grouping"),
        pytest.param(dt.datetime(2023, 1, 1), id="date"),
        pytest.param(True, id="boolean"),
        pytest.param("NaN", id="not-a-number"),
        pytest.param("1e12", id="too-large"),
    ],
)
def test_a_cell_that_is_not_a_number_is_refused_with_a_reason(cell):
    with pytest.raises(CellError):
        read_number(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("15", D("0.15")),
        (15, D("0.15")),
        ("12.5%", D("0.125")),
        ("15.00%", D("0.15")),  # a percentage-formatted cell, as imports.sheets shows it
        (0, D("0")),
        (None, None),
    ],
)
def test_a_tolerance_is_a_percentage(cell, expected):
    assert read_percent(cell) == expected


def test_a_tolerance_over_100_percent_is_refused():
    with pytest.raises(CellError, match="percentage from 0 to 100"):
        read_percent("150")


@pytest.mark.parametrize(
    ("cell", "minimum", "maximum", "expected"),
    [(3, 0, 6, 3), (3.0, 0, 6, 3), ("4", 0, 6, 4), ("1,200", 0, 5000, 1200), (None, 0, 6, None)],
)
def test_whole_numbers(cell, minimum, maximum, expected):
    assert read_integer(cell, minimum, maximum) == expected


@pytest.mark.parametrize(
    ("cell", "reason"),
    [(2.5, "not a whole number"), (7, "not between 0 and 6"), ("two", "not a whole number")],
)
def test_whole_numbers_refused(cell, reason):
    with pytest.raises(CellError, match=reason):
        read_integer(cell, 0, 6)


@pytest.mark.parametrize(
    ("column", "cell", "expected"),
    [
        ("unit", "Percentage", "percentage"),
        ("unit", "rate per 10,000 children", "rate_per_10000"),
        ("unit", "RATE_PER_1000", "rate_per_1000"),
        ("unit", "a count", "count"),
        ("polarity", "Lower is better", "lower_is_better"),
        ("polarity", "monitor", "neither"),
        ("polarity", "Neither (monitor)", "neither"),
        ("measure_basis", "rolling 12 months", "rolling_12_months"),
        ("kind", "range", "range"),
        ("kind", "Anticipated range", "range"),
        ("kind", "Trajectory", "trajectory"),
        ("lait_years", "At 31 March", "snapshot_31_march"),
        ("lait_years", "financial year", "financial_year"),
        ("yes_no", "no", False),
        ("yes_no", "Yes", True),
    ],
)
def test_a_choice_is_read_from_its_words_or_its_code(column, cell, expected):
    assert read_choice(cell, layout.CHOICES[column]) == expected


def test_an_unknown_choice_names_the_choices():
    with pytest.raises(CellError) as raised:
        read_choice("Per cent", layout.CHOICES["unit"])
    assert "'Per cent' is not one of 'Count', 'Percentage', 'Rate per 10,000 children'" in str(
        raised.value
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("21", "21"), (21, "21"), (21.0, "21"), (" D08 ", "D08"), ("69.0", "69"), (None, None)],
)
def test_references_as_written(cell, expected):
    assert read_reference(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("62, 63, 64", ["62", "63", "64"]),
        ("62;63\n64", ["62", "63", "64"]),
        ("62,,63,", ["62", "63"]),
        (69, ["69"]),
        (None, []),
    ],
)
def test_headline_measures_are_references_in_order(cell, expected):
    assert read_references(cell) == expected


def test_a_reference_listed_twice_is_refused():
    with pytest.raises(CellError, match="69 is listed twice"):
        read_references("69, 70, 69")


def test_text_longer_than_its_column_is_refused():
    with pytest.raises(CellError, match="at most 20 fit"):
        read_text("x" * 21, 20)


@pytest.mark.parametrize(
    ("field", "cell", "expected"),
    [
        ("valid_from", "Oct-22", Month(2022, 10)),
        ("valid_from", "2023/24", Month(2023, 4)),
        ("valid_to", dt.datetime(2024, 3, 31), Month(2024, 3)),
        ("valid_to", "31/03/2024", Month(2024, 3)),
        ("valid_to", "2023/24", Month(2024, 3)),
        ("goal_month", "Oct-23", Month(2023, 10)),
    ],
)
def test_target_months_as_people_write_them(field, cell, expected):
    assert read_cell(layout.TARGETS.column(field), cell) == expected


# Sheets -----------------------------------------------------------------------------------


INDICATOR_HEADER = ["Reference", "Description", "Unit", "Polarity", "Measure basis"]


def test_each_sheet_is_read_by_its_headers_in_any_order_with_blank_rows_skipped():
    data = workbook(
        Indicators=[
            ["Polarity", "Unit", "Description", "Reference", "Measure basis", "Decimal places"],
            ["Lower is better", "Percentage", "Agency staff", "D08", "Month-end snapshot", 1],
            [None, None, None, None, None, None],
            ["Higher is better", "Count", "Visits", "D09", "In month", None],
        ]
    )
    read = read_setup(data, "set-up.xlsx")
    assert read.problems == []
    rows = read.rows(layout.INDICATORS)
    assert [(row.row, row.values["reference"]) for row in rows] == [(2, "D08"), (4, "D09")]
    assert rows[0].values["polarity"] == "lower_is_better"
    assert rows[1].values["decimal_places"] is None  # blank: the plan gives the default


def test_every_problem_names_its_sheet_row_and_column():
    data = workbook(
        Indicators=[
            INDICATOR_HEADER + ["Decimal places"],
            ["D01", "Referrals", "Per cent", "Lower is better", "In month", 1],
            ["D02", None, "Count", "Up is good", "In month", 9],
            ["D01", "Again", "Count", "Lower is better", "In month", 0],
        ],
        Targets=[
            ["Indicator", "Kind", "Value", "From", "To"],
            ["D02", "Target", "lots", "Oct-22", "15/03/2024"],
        ],
    )
    problems = read_setup(data, "set-up.xlsx").problems
    assert problems == [
        SetupProblem(
            "Indicators",
            2,
            "Unit",
            "'Per cent' is not one of 'Count', 'Percentage', 'Rate per 10,000 children', "
            "'Rate per 1,000 children', 'Days', 'Points', 'Currency (£)'",
        ),
        SetupProblem("Indicators", 3, "Description", "blank: every row needs a description"),
        SetupProblem(
            "Indicators",
            3,
            "Polarity",
            "'Up is good' is not one of 'Higher is better', 'Lower is better', 'Neither (monitor)'",
        ),
        SetupProblem("Indicators", 3, "Decimal places", "9 is not between 0 and 6"),
        SetupProblem(
            "Indicators", 4, "Reference", "the same as row 2: each row sets up a different one"
        ),
        SetupProblem("Targets", 2, "Value", "'lots' is not a number"),
        SetupProblem(
            "Targets",
            2,
            "To",
            "15/03/2024 is not the end of a month: give the month (Mar-24), its last day "
            "(31/03/2024) or a financial year (2023/24)",
        ),
    ]


def test_a_sheet_without_a_required_column_says_so_on_its_header_row():
    data = workbook(Populations=[["Name", "Ages from", "Population", "Source", "From"]])
    assert read_setup(data, "set-up.xlsx").problems == [
        SetupProblem("Populations", 1, "Ages to", "the sheet has no 'Ages to' column, and "
                     "every row needs one")
    ]  # fmt: skip


def test_the_header_may_sit_below_a_title_and_unknown_columns_and_sheets_are_noted():
    data = workbook(
        Priorities=[
            ["Our improvement priorities"],
            ["Number", "Title", "RAG"],
            [1, "Workforce", "Green"],
        ],
        Notes=[["anything"]],
        Instructions=[["How to fill it in"]],
    )
    read = read_setup(data, "set-up.xlsx")
    assert read.problems == []
    assert [row.row for row in read.rows(layout.PRIORITIES)] == [3]
    assert read.notices == [
        "The column 'RAG' of the sheet 'Priorities' was not read.",
        "The sheet 'Notes' was not read: it is not one of the set-up sheets (Council, "
        "Priorities, Indicators, Targets, Populations, LAIT links, Milestones, Report "
        "sections).",
    ]


def test_the_council_sheet_has_one_row():
    data = workbook(Council=[["Council name"], ["Devon County Council"], ["Another"]])
    assert read_setup(data, "set-up.xlsx").problems == [
        SetupProblem("Council", 3, "", "the Council sheet has one row only")
    ]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"Reference,Description\n1,x\n", "set-up.csv", "a set-up workbook is an Excel workbook"),
        (workbook(Sheet1=[["a", "b"]]), "set-up.xlsx", "has none of the set-up sheets"),
        (b"not a zip at all", "set-up.xlsx", "is not an Excel workbook"),
    ],
    ids=["csv", "no-set-up-sheets", "not-a-workbook"],
)
def test_a_file_that_is_not_a_set_up_workbook_is_refused_in_words(data, name, message):
    with pytest.raises(UploadRefused, match=message):
        read_setup(data, name)
