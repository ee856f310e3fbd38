"""The set-up workbook against a real database (indicators/setup/): the round trip (export,
import into an empty database, export: the same workbook), the preview of additions, changes
and problems, defaults for blank cells, and one transaction."""

import datetime as dt
import io
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from indicators.models import (
    Council,
    Indicator,
    LaitMeasure,
    Population,
    Priority,
    PriorityIndicator,
    ReportSection,
    StatisticalNeighbourList,
    Target,
)
from indicators.periods import Month
from intake.setup import layout
from intake.setup.apply import SetupRefused, apply_setup
from intake.setup.export import setup_workbook
from intake.setup.plan import FieldChange
from intake.setup.planner import plan_setup
from intake.setup.reader import STEP_DFE_DATA, SetupProblem

from .support import devon
from .support.lait import import_extract

ROOT = Path(__file__).resolve().parent.parent
D = Decimal


def dump(data):
    """Everything a person sees in a workbook: its sheets in order, every cell's value and
    number format, and the drop-down lists."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    result = []
    for sheet in book.worksheets:
        rows = [
            [(cell.value, cell.number_format if cell.value is not None else None) for cell in row]
            for row in sheet.iter_rows()
        ]
        while rows and all(value is None for value, _ in rows[-1]):
            rows.pop()
        validations = sorted(
            (str(v.sqref), v.formula1) for v in sheet.data_validations.dataValidation
        )
        result.append((sheet.title, rows, validations))
    return result


def workbook(**sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title.replace("_", " "))
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def set_up(data, user=None):
    plan = plan_setup(data, "set-up.xlsx")
    assert plan.problems == []
    apply_setup(plan, user)
    return plan


def wipe_the_set_up():
    """An empty database as far as a set-up goes (the LAIT data, not a set-up, stays)."""
    Indicator.objects.update(rate_of=None, category_of=None)
    Priority.objects.all().delete()
    Indicator.objects.all().delete()
    Population.objects.all().delete()
    ReportSection.objects.all().delete()
    # The council's row stays (its months, meetings and people hang from it: issue 23), back
    # to a new council's values, as before any set-up named it.
    fresh = Council()
    Council.objects.update(
        **{
            field.attname: getattr(fresh, field.attname)
            for field in Council._meta.concrete_fields
            if field.name not in ("id", "slug", "host")
        }
    )
    assert not (Indicator.objects.exists() or Target.objects.exists() or Priority.objects.exists())


# The round trip ---------------------------------------------------------------------------
def test_export_then_import_into_an_empty_database_then_export_gives_the_same_workbook(
    seed, quarterly
):
    """Every kind of row and value: both seeds (rates of counts, categories, report
    sections), plus a trajectory ending on a month's last day, an anticipated range, an
    inactive indicator, an SPC rebase, the council's DfE place and a LAIT link."""
    import_extract()  # DfE's measures and neighbour lists; the council 879, April 2021
    measure = LaitMeasure.objects.get(code="ReReferral")
    Indicator.objects.filter(reference="10").update(
        lait_measure=measure, lait_years="financial_year", spc_baseline_from="2022-04-01"
    )
    Indicator.objects.filter(reference="4").update(active=False)
    Target.objects.create(
        indicator=Indicator.objects.get(reference="78"),
        kind="trajectory",
        value=D("11.25"),
        valid_from="2023-10-01",
        goal_value=D("7"),
        goal_month=dt.date(2024, 3, 31),
        valid_to=dt.date(2025, 3, 31),
        tolerance=D("0.1"),
    )
    Target.objects.create(
        indicator=Indicator.objects.get(reference="4"),
        kind="range",
        lower=D("20"),
        upper=D("45.5"),
        valid_from="2023-04-01",
        label="Anticipated",
    )
    first = setup_workbook()
    wipe_the_set_up()

    plan = set_up(first)
    assert {name: adds for name, (adds, _) in plan.counts().items()} == {
        "Council": 1,
        "Priorities": 6,
        "Indicators": 74,
        "Targets": 31,
        "Populations": 3,
        "LAIT links": 1,
        "Milestones": 22,
        "Report sections": 4,
    }
    second = setup_workbook()
    assert dump(second) == dump(first)
    # And it was really set up: the council's place, a trajectory, a rate of a count.
    council = Council.current()
    assert (council.authority_number, council.neighbour_list.name) == (879, "April 2021")
    trajectory = Target.objects.get(indicator__reference="78", kind="trajectory")
    assert (trajectory.goal_month, trajectory.valid_to) == (
        dt.date(2024, 3, 1),
        dt.date(2025, 3, 1),
    )
    rates = Indicator.objects.exclude(rate_of=None)
    assert rates.exists() and all(r.population_age_from is not None for r in rates)
    # A second import of the same workbook changes nothing.
    again = plan_setup(second, "set-up.xlsx")
    assert (again.planned, again.problems, again.unchanged) == ([], [], 142)


def run(*args, database):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "SECRET_KEY": "test-only-not-secret",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_demonstration_data_exported_imported_into_a_new_database_and_exported_again_is_the_same(  # noqa: E501
    tmp_path,
):
    """The issue's own words, with the commands: export_setup from the demonstration data,
    import_setup into a newly migrated database, export_setup again."""
    demo, empty = tmp_path / "demo.sqlite3", tmp_path / "empty.sqlite3"
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    run("migrate", "-v", "0", database=demo)
    run("load_demo", database=demo)
    run("export_setup", "--output", str(first), database=demo)
    run("migrate", "-v", "0", database=empty)
    # The demonstration links indicators to DfE measures: as a new council would, the DfE's
    # data goes in first, then the set-up workbook that links to it.
    lait = ROOT / "fixtures" / "lait"
    run(
        "import_lait",
        str(lait / "lait_extract.parquet"),
        "--statistical-neighbours",
        str(lait / "sn_april_2021.xlsx"),
        "--statistical-neighbours",
        str(lait / "sn_may_2025.xlsx"),
        database=empty,
    )
    # The workbook names each indicator's data owner by username: the council's people are
    # added before its set-up (the demonstration's advisor owns every measure).
    run(
        "shell",
        "-c",
        "from django.contrib.auth.models import User\n"
        "from indicators import roles, tenancy\n"
        "from indicators.models import Council\n"
        "with tenancy.council_scope(Council.current()):\n"
        "    roles.grant(User.objects.create_user('advisor'), roles.EDITOR)\n",
        database=empty,
    )
    preview = run("import_setup", str(first), "--dry-run", database=empty)
    assert "Dry run: nothing was saved." in preview
    assert "add    Indicators row 2: Indicator 4:" in preview
    run("export_setup", "--output", str(second), database=empty)
    assert dump(second.read_bytes()) != dump(first.read_bytes())  # the dry run saved nothing
    saved = run("import_setup", str(first), database=empty)
    # The LAIT import saved the council's row (its neighbour list) but nobody named it: the
    # workbook sets the council up (issue 23: a council is set up once it is named).
    assert "Saved: Council: 1 added, 0 changed; Priorities: 6 added" in saved
    run("export_setup", "--output", str(second), database=empty)
    assert dump(second.read_bytes()) == dump(first.read_bytes())


def test_the_blank_template_has_every_sheet_its_headers_instructions_and_lists(db):
    sheets = {title: (rows, lists) for title, rows, lists in dump(setup_workbook(blank=True))}
    assert list(sheets) == [
        "Instructions",
        "Choices",
        "Council",
        "Priorities",
        "Indicators",
        "Targets",
        "Populations",
        "LAIT links",
        "Milestones",
        "Report sections",
    ]
    for sheet in layout.SHEETS:
        rows, lists = sheets[sheet.name]
        assert [value for value, _ in rows[0]] == [column.header for column in sheet.columns]
        assert len(rows) == 1  # headers only: the template has no rows to fill in
    instructions = " ".join(
        str(value) for row in sheets["Instructions"][0] for value, _ in row if value
    )
    assert "31/03/2024 is March 2024" in instructions
    assert "rounded half up to the indicator's decimal places" in instructions
    kinds = dict(sheets["Targets"][1])["B2:B500"]
    assert kinds == "Choices!$E$2:$E$4"
    choices = [row[4][0] for row in sheets["Choices"][0][1:4]]
    assert choices == ["Target", "Trajectory", "Anticipated range"]


# The preview ------------------------------------------------------------------------------
def test_the_preview_lists_each_change_with_its_column_and_old_and_new_values(seed):
    data = workbook(
        Priorities=[
            ["Number", "Title", "Headline measures"],
            [6, "A Stable and Able Workforce", "69, 76, 77"],
        ],
        Targets=[["Indicator", "Value", "From", "Label"], ["78", 7, "Jul-23", "Local"]],
    )
    plan = plan_setup(data, "set-up.xlsx")
    assert plan.problems == []
    assert [(item.sheet_name, item.row, item.action, item.what) for item in plan.planned] == [
        ("Priorities", 2, "change", "Priority 6: A Stable and Able Workforce"),
        ("Targets", 2, "change", "Target of 78 from Jul-23"),
    ]
    assert plan.planned[0].changes == [
        FieldChange("Title", "A Stable and Able workforce", "A Stable and Able Workforce"),
        FieldChange("Headline measures", "69, 76, 77, 78", "69, 76, 77"),
    ]
    assert plan.planned[1].changes == [FieldChange("Label", "(blank)", "Local")]
    apply_setup(plan)
    links = PriorityIndicator.objects.filter(priority__number=6).order_by("display_order")
    assert [link.indicator.reference for link in links] == ["69", "76", "77"]
    assert Target.objects.get(indicator__reference="78").label == "Local"


def test_problems_the_database_shows_are_named_by_sheet_row_and_column(seed):
    data = workbook(
        Council=[["Council name", "Statistical neighbours in force"], ["Devon", "May 2099"]],
        Priorities=[["Number", "Title", "Headline measures"], [7, "New", "10, D99"]],
        Indicators=[
            ["Reference", "Description", "Unit", "Polarity", "Measure basis", "Rate of"],
            ["R1", "A rate", "Count", "Lower is better", "In month", "10"],
        ],
        Targets=[
            ["Indicator", "Kind", "Value", "From", "Goal value", "Lower", "Upper"],
            ["X1", "Target", 5, "Apr-23", None, None, None],
            ["78", "Trajectory", 11, "Oct-23", None, None, None],
            ["4", "Anticipated range", None, "Apr-23", None, 50, 40],
            ["7", "Target", -5, "Apr-24", None, None, None],
        ],
        LAIT_links=[["Indicator", "LAIT measure", "Years"], ["10", "NoSuch", "At 31 March"]],
    )
    plan = plan_setup(data, "set-up.xlsx")
    assert plan.problems == [
        SetupProblem(
            "Council",
            2,
            "Statistical neighbours in force",
            "'May 2099' is not an imported statistical-neighbour list (none yet: import the "
            "LAIT data first)",
            step=STEP_DFE_DATA,
        ),
        SetupProblem(
            "Priorities",
            2,
            "Headline measures",
            "D99: not an indicator (add it to the Indicators sheet)",
        ),
        SetupProblem(
            "Indicators",
            2,
            "Unit",
            "a rate of a count has a rate unit (per 10,000 or 1,000)",
        ),
        SetupProblem(
            "Indicators",
            2,
            "Population ages from",
            "a rate of a count needs the population band, e.g. ages 0 to 17",
        ),
        SetupProblem(
            "Targets", 2, "Indicator", "X1 is not an indicator: add it to the Indicators sheet"
        ),
        SetupProblem("Targets", 3, "Kind", "A trajectory needs a goal value and a goal month."),
        SetupProblem(
            "Targets", 4, "Upper", "An anticipated range's upper end is not below its lower end."
        ),
        SetupProblem("Targets", 5, "Value", "a percentage cannot be negative"),
        SetupProblem(
            "LAIT links",
            2,
            "LAIT measure",
            "'NoSuch' is not a measure of the imported LAIT data (import it first)",
            step=STEP_DFE_DATA,
        ),
    ]
    with pytest.raises(SetupRefused):
        apply_setup(plan)
    assert not Priority.objects.filter(number=7).exists()


def test_blank_cells_take_the_columns_defaults_and_a_new_priority_comes_last(seed):
    data = workbook(
        Priorities=[["Number", "Title", "Display order"], [8, "Early help", None]],
        Indicators=[
            ["Reference", "Description", "Unit", "Polarity", "Measure basis", "Frequency",
             "Decimal places", "Active"],
            ["E1", "Early help assessments", "Count", "Higher is better", "In month", None,
             None, None],
        ],
        Targets=[["Indicator", "Value", "From", "Tolerance (%)"], ["E1", 100, "Apr-23", None]],
    )  # fmt: skip
    set_up(data)
    assert list(Priority.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6, 8]
    assert Priority.objects.get(number=8).display_order == 7
    indicator = Indicator.objects.get(reference="E1")
    assert (indicator.frequency, indicator.decimal_places, indicator.active) == (
        "monthly",
        1,
        True,
    )
    target = indicator.targets.get()
    assert (target.kind, target.tolerance) == ("target", D("0.15"))


def test_a_blank_display_order_leaves_an_existing_priority_where_it_is(seed):
    Priority.objects.filter(number=3).update(display_order=30)
    set_up(workbook(Priorities=[["Number", "Title", "Display order"], [3, "Practice", None]]))
    priority = Priority.objects.get(number=3)
    assert (priority.title, priority.display_order) == ("Practice", 30)


def test_the_council_sheet_sets_its_names_and_place_and_works_out_its_comparators(db):
    import_extract()
    StatisticalNeighbourList.objects.get(name="May 2025")
    data = workbook(
        Council=[
            ["Council name", "Committee name", "DfE authority number",
             "Statistical neighbours in force"],
            [devon.COUNCIL, devon.COMMITTEE, 878, "May 2025"],
        ]
    )  # fmt: skip
    set_up(data)
    council = Council.current()
    assert (council.name, council.committee_name, council.authority_number) == (
        devon.COUNCIL,
        devon.COMMITTEE,
        878,
    )
    assert council.neighbour_list.name == "May 2025"
    # The comparators are now Devon's (as saving the council in the admin does).
    from indicators.models import LaitComparator

    assert set(LaitComparator.objects.values_list("authority_number", flat=True)) == {878}
    assert set(LaitComparator.objects.values_list("neighbour_list__name", flat=True)) == {
        "May 2025"
    }


def test_the_council_sheet_sets_the_month_end_deadline_and_a_blank_keeps_it(db):
    header = ["Council name", "Figures due by working day", "Reminder days before"]
    set_up(workbook(Council=[header, [devon.COUNCIL, 7, 2]]))
    council = Council.current()
    assert (council.deadline_working_day, council.reminder_days_before) == (7, 2)
    set_up(workbook(Council=[header, [devon.COUNCIL, None, None]]))
    council = Council.current()
    assert (council.deadline_working_day, council.reminder_days_before) == (7, 2)
    # Beyond the limit: the row, the column and the limit are named; nothing is saved.
    plan = plan_setup(workbook(Council=[header, [devon.COUNCIL, 25, 2]]), "set-up.xlsx")
    assert [(p.sheet, p.row, p.column) for p in plan.problems] == [
        ("Council", 2, "Figures due by working day")
    ]
    assert "20" in plan.problems[0].reason
    # The export carries them, so the round trip keeps them.
    sheet = openpyxl.load_workbook(io.BytesIO(setup_workbook()))["Council"]
    headers = [cell.value for cell in sheet[1]]
    assert sheet.cell(2, headers.index("Figures due by working day") + 1).value == 7
    assert sheet.cell(2, headers.index("Reminder days before") + 1).value == 2


def test_devons_workbook_sets_up_an_empty_database(db):
    set_up(devon.setup_workbook())
    council = Council.current()
    assert (council.name, council.committee_name) == (devon.COUNCIL, devon.COMMITTEE)
    assert [(p.number, p.title) for p in Priority.objects.all()] == [
        (number, title) for number, title, *_ in devon.PRIORITIES
    ]
    assert Indicator.objects.count() == 10
    assert Indicator.objects.filter(unit="rate_per_10000").count() == 2
    trajectory = Target.objects.get(indicator__reference="D08")
    assert (trajectory.kind, trajectory.value, trajectory.goal_value) == (
        "trajectory",
        D("37.9"),
        D("25"),
    )
    assert (trajectory.valid_from, trajectory.goal_month) == (
        dt.date(2022, 10, 1),
        dt.date(2023, 10, 1),
    )
    spans = Target.objects.filter(indicator__reference="D08").spans_by_indicator()
    assert spans[trajectory.indicator_id][0].trajectory_value(Month(2023, 4)) == D("31.5")
    band = Target.objects.get(indicator__reference="D01")
    assert (band.kind, band.lower, band.upper) == ("range", D("430"), D("500"))
    # Ends on 31 March 2023 (stored as the month); the next target from 2023/24.
    assert list(
        Target.objects.filter(indicator__reference="D07").values_list("valid_from", "valid_to")
    ) == [(dt.date(2022, 4, 1), dt.date(2023, 3, 1)), (dt.date(2023, 4, 1), None)]
    # The change history says it came from the set-up workbook.
    assert trajectory.history.first().history_change_reason == "Set-up workbook"


# One transaction ------------------------------------------------------------------------
def test_a_set_up_that_fails_part_way_writes_nothing(db):
    plan = plan_setup(devon.setup_workbook(), "devon.xlsx")
    # The database refuses the last target (a range with a value): everything before it, the
    # council, priorities and indicators included, is rolled back with it.
    last = plan.planned[-1]
    assert last.sheet is layout.TARGETS
    last.values.update(kind="range", lower=D("1"), upper=D("2"))
    with pytest.raises(IntegrityError):
        apply_setup(plan)
    assert not Council.objects.exists()
    assert not Priority.objects.exists() and not Indicator.objects.exists()


def test_import_setup_with_problems_saves_nothing_and_a_dry_run_saves_nothing(db, tmp_path):
    good, bad = tmp_path / "devon.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(devon.setup_workbook())
    bad.write_bytes(workbook(Targets=[["Indicator", "Value", "From"], ["D99", 1, "Apr-22"]]))
    out = io.StringIO()
    call_command("import_setup", str(good), "--dry-run", stdout=out)
    assert "22 to add, 0 to change, 0 unchanged, 0 problems." in out.getvalue()
    assert not Indicator.objects.exists()
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was saved"):
        call_command("import_setup", str(bad), stdout=out)
    assert (
        "PROBLEM Targets row 2, column Indicator: D99 is not an indicator: add it to the "
        "Indicators sheet" in out.getvalue()
    )
    call_command("import_setup", str(good), stdout=io.StringIO())
    assert Indicator.objects.count() == 10


def test_a_new_priority_on_a_sheet_without_titles_is_a_problem_naming_its_row_not_an_error(seed):
    """A Priorities sheet without its Title column may change a priority's other columns;
    a priority it adds has no title, which the preview says (it raised a TypeError)."""
    data = workbook(Priorities=[["Number", "Display order"], [1, 1], [9, 9]])
    plan = plan_setup(data, "set-up.xlsx")
    problems = [(p.row, p.column, p.reason) for p in plan.problems]
    assert (3, "Title", "a new priority needs its title") in problems


def test_the_council_sheet_sets_commentary_sign_off_and_a_blank_keeps_it(db):
    header = ["Council name", "Commentary sign-off"]
    assert not Council.current().commentary_sign_off  # off by default
    set_up(workbook(Council=[header, [devon.COUNCIL, "Yes"]]))
    assert Council.current().commentary_sign_off
    set_up(workbook(Council=[header, [devon.COUNCIL, None]]))
    assert Council.current().commentary_sign_off
    set_up(workbook(Council=[header, [devon.COUNCIL, "no"]]))
    assert not Council.current().commentary_sign_off
    # Not a yes or a no: the row, the column and why are named; nothing is saved.
    plan = plan_setup(workbook(Council=[header, [devon.COUNCIL, "Sometimes"]]), "set-up.xlsx")
    assert [(p.sheet, p.row, p.column) for p in plan.problems] == [
        ("Council", 2, "Commentary sign-off")
    ]
    assert "Yes" in plan.problems[0].reason and "No" in plan.problems[0].reason
    # The export carries it, so the round trip keeps it.
    set_up(workbook(Council=[header, [devon.COUNCIL, "Yes"]]))
    sheet = openpyxl.load_workbook(io.BytesIO(setup_workbook()))["Council"]
    headers = [cell.value for cell in sheet[1]]
    assert sheet.cell(2, headers.index("Commentary sign-off") + 1).value == "Yes"
