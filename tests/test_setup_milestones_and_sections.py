"""The set-up workbook's Milestones and Report sections sheets (issue 22): read, previewed as
additions and changes, applied with their change history, problems named by sheet, row and
column, nothing half-saved; the Instructions sheet explains every column."""

import io

import openpyxl
import pytest

from indicators.models import Milestone, Priority, ReportSection
from intake.setup import layout
from intake.setup.apply import CHANGE_REASON, SetupRefused, apply_setup
from intake.setup.export import setup_workbook
from intake.setup.plan import FieldChange
from intake.setup.planner import plan_setup
from intake.setup.reader import SetupProblem

from .support.factories import make_indicator, make_priority, make_user
from .support.uploads import setup_workbook as workbook

MILESTONE_HEADERS = ["Priority", "Milestone", "Owner", "Order"]
SECTION_HEADERS = [
    "Quarter",
    "Title",
    "Years",
    "Grouped years",
    "Comparators",
    "Current period",
    "Not benchmarked",
]


# Milestones -------------------------------------------------------------------------------
def test_milestones_are_added_after_their_prioritys_others_and_recorded(db):
    priority = make_priority(1)
    Milestone.objects.create(priority=priority, workstream="Existing", display_order=4)
    admin = make_user("admin")
    data = workbook(
        Priorities=[["Number", "Title"], [2, "Early help"]],
        Milestones=[
            MILESTONE_HEADERS,
            [1, "Front door arrangements", "HoS Front Door", None],
            [1, "Threshold training", None, None],
            [2, "Early help vision", "HoS Targeted Support", 1],
        ],
    )
    plan = plan_setup(data, "set-up.xlsx")
    assert plan.problems == []
    assert [(item.sheet_name, item.row, item.action, item.what) for item in plan.planned] == [
        ("Priorities", 2, "add", "Priority 2: Early help"),
        ("Milestones", 2, "add", "Milestone of priority 1: Front door arrangements"),
        ("Milestones", 3, "add", "Milestone of priority 1: Threshold training"),
        ("Milestones", 4, "add", "Milestone of priority 2: Early help vision"),
    ]
    apply_setup(plan, admin)
    ones = Milestone.objects.filter(priority__number=1).order_by("display_order")
    assert [(m.workstream, m.owner, m.display_order) for m in ones] == [
        ("Existing", "", 4),
        ("Front door arrangements", "HoS Front Door", 5),
        ("Threshold training", "", 6),
    ]
    added = Milestone.objects.get(workstream="Early help vision")
    assert (added.priority.number, added.display_order) == (2, 1)
    record = added.history.get()
    assert (record.history_user, record.history_change_reason) == (admin, CHANGE_REASON)


def test_a_milestones_owner_and_order_change_and_a_blank_order_keeps_its_place(db):
    priority = make_priority(1)
    Milestone.objects.create(priority=priority, workstream="Front door", owner="A", display_order=3)
    data = workbook(Milestones=[MILESTONE_HEADERS, [1, "Front door", "B", None]])
    plan = plan_setup(data, "set-up.xlsx")
    assert [item.changes for item in plan.changed] == [[FieldChange("Owner", "A", "B")]]
    apply_setup(plan)
    milestone = Milestone.objects.get()
    assert (milestone.owner, milestone.display_order) == ("B", 3)
    assert milestone.history.first().history_type == "~"
    same = workbook(Milestones=[MILESTONE_HEADERS, [1, "Front door", "B", 3]])
    again = plan_setup(same, "set-up.xlsx")
    assert (again.planned, again.unchanged) == ([], 1)


def test_milestone_problems_name_the_sheet_row_and_column_and_nothing_is_saved(db):
    make_priority(1)
    data = workbook(
        Priorities=[["Number", "Title"], [3, "New priority"]],
        Milestones=[
            MILESTONE_HEADERS,
            [9, "Nowhere", None, None],
            [1, None, "Owner", None],
            [1, "x" * 301, None, None],
            [1, "Twice", None, "first"],
            [1, "Twice", None, None],
        ],
    )
    plan = plan_setup(data, "set-up.xlsx")
    assert plan.problems == [
        SetupProblem(
            "Milestones", 2, "Priority", "there is no priority 9: add it to the Priorities sheet"
        ),
        SetupProblem("Milestones", 3, "Milestone", "blank: every row needs a milestone"),
        SetupProblem("Milestones", 4, "Milestone", "it is 301 characters long; at most 300 fit"),
        SetupProblem("Milestones", 5, "Order", "'first' is not a whole number"),
        SetupProblem(
            "Milestones",
            6,
            "Priority, Milestone",
            "the same as row 5: each row sets up a different one",
        ),
    ]
    with pytest.raises(SetupRefused):
        apply_setup(plan)
    assert not Priority.objects.filter(number=3).exists()
    assert not Milestone.objects.exists()


# Report sections --------------------------------------------------------------------------
def test_a_report_section_is_read_with_its_years_and_comparators_and_saved(db):
    make_indicator("E1", report_section="2.2 Absence monitoring")
    admin = make_user("admin")
    data = workbook(
        Report_sections=[
            SECTION_HEADERS,
            [
                "q2 2023-24",
                "2.2 Absence monitoring",
                "2019/20, 2020/21, 2021/22",
                None,
                "England (Autumn and Spring Term 2022/23); Region: South West "
                "(Autumn and Spring Term 2022/23); statistical neighbours",
                "Autumn and Spring Term 2022/23",
                "-",
            ],
        ]
    )
    plan = plan_setup(data, "set-up.xlsx")
    assert (plan.problems, plan.notices) == ([], [])
    assert [item.what for item in plan.added] == [
        "Report section 2.2 Absence monitoring in Q2 2023/24"
    ]
    apply_setup(plan, admin)
    section = ReportSection.objects.get()
    assert (section.quarter, section.year_labels, section.grouped_years) == (
        "Q2 2023/24",
        ["2019/20", "2020/21", "2021/22"],
        0,
    )
    assert section.comparators == [
        {"comparator": "england", "period": "Autumn and Spring Term 2022/23"},
        {"comparator": "region", "name": "South West", "period": "Autumn and Spring Term 2022/23"},
        {"comparator": "statistical_neighbours"},
    ]
    assert (section.current_label, section.not_benchmarked) == (
        "Autumn and Spring Term 2022/23",
        "-",
    )
    assert section.history.get().history_user == admin
    # Exported as it was written, and read back unchanged.
    book = openpyxl.load_workbook(io.BytesIO(setup_workbook()))
    row = [cell.value for cell in book["Report sections"][2]]
    assert row == [
        "Q2 2023/24",
        "2.2 Absence monitoring",
        "2019/20, 2020/21, 2021/22",
        0,
        "England (Autumn and Spring Term 2022/23); Region: South West (Autumn and Spring "
        "Term 2022/23); Statistical neighbours",
        "Autumn and Spring Term 2022/23",
        "-",
    ]
    again = plan_setup(setup_workbook(), "set-up.xlsx")
    assert (again.planned, again.problems) == ([], [])


def test_report_section_problems_name_the_sheet_row_and_column(db):
    data = workbook(
        Report_sections=[
            SECTION_HEADERS,
            ["Q5 2023/24", "A", "2020", None, None, "Q1", None],
            ["Q2 2023/25", "B", "2020", None, None, "Q1", None],
            ["Q2 2023/24", "C", "2020, 2021", 3, None, "Q1", None],
            ["Q2 2023/24", "D", "2020", None, "Wales; England: North", "Q1", None],
            ["Q2 2023/24", "E", None, None, None, None, None],
        ]
    )
    plan = plan_setup(data, "set-up.xlsx")
    assert plan.problems == [
        SetupProblem(
            "Report sections", 2, "Quarter", "'Q5 2023/24' is not a quarter written as Q2 2023/24"
        ),
        SetupProblem(
            "Report sections",
            3,
            "Quarter",
            "'Q2 2023/25': a financial year runs from one year into the next",
        ),
        SetupProblem(
            "Report sections",
            4,
            "Grouped years",
            "3 is more than the 2 years in the Years column",
        ),
        SetupProblem(
            "Report sections",
            5,
            "Comparators",
            "'Wales' is not a comparator: 'England', 'Statistical neighbours', 'Region' "
            "(Region: its name), separated by semicolons",
        ),
        SetupProblem("Report sections", 6, "Years", "blank: every row needs a years"),
        SetupProblem(
            "Report sections", 6, "Current period", "blank: every row needs a current period"
        ),
    ]
    with pytest.raises(SetupRefused):
        apply_setup(plan)
    assert not ReportSection.objects.exists()


def test_a_report_section_no_indicator_is_in_is_noted(db):
    data = workbook(
        Report_sections=[SECTION_HEADERS, ["Q2 2023/24", "Nobody's", "2020", 0, None, "Q1", None]]
    )
    plan = plan_setup(data, "set-up.xlsx")
    assert plan.problems == []
    assert plan.notices == [
        "The Report sections sheet's row 2: no indicator is in the report section 'Nobody's' "
        "(the Indicators sheet's 'Report section'), so the quarterly report has no table for "
        "it yet."
    ]


# The Instructions sheet -------------------------------------------------------------------
@pytest.mark.parametrize("sheet", [layout.MILESTONES, layout.REPORT_SECTIONS], ids=str)
def test_the_instructions_explain_every_column_of_the_new_sheets(db, sheet):
    book = openpyxl.load_workbook(io.BytesIO(setup_workbook(blank=True)))
    rows = [[cell.value for cell in row] for row in book["Instructions"].iter_rows()]
    start = next(i for i, row in enumerate(rows) if row[0] == sheet.name)
    assert rows[start][2] == sheet.help
    explained = {row[0]: row[2] for row in rows[start + 2 : start + 2 + len(sheet.columns)]}
    assert list(explained) == [column.header for column in sheet.columns]
    assert all(explained.values()), explained  # every column says what it holds
    assert [cell.value for cell in book[sheet.name][1]] == [c.header for c in sheet.columns]
