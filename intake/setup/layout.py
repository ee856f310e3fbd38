"""The set-up workbook's sheets and columns, defined once: the template and the export are
written from this, the reader reads by it, and the Instructions sheet explains it. Pure.

Every sheet has its header in row 1 (a header a few rows down is found too) and one thing per
row below it. A blank cell takes the default the column says; a sheet left out of a workbook
changes nothing, and rows are added or changed, never removed (removing is done in the admin).
"""

from dataclasses import dataclass, field
from typing import Any

from indicators import units
from indicators.dfe import years
from indicators.models import REFERENCE_HELP, Benchmark, Indicator, Target

# Column kinds: how a cell is read (reader.py) and written (export.py).
TEXT = "text"
INTEGER = "integer"
NUMBER = "number"
CHOICE = "choice"
YES_NO = "yes_no"
START_MONTH = "start_month"
END_MONTH = "end_month"
REFERENCE = "reference"
REFERENCES = "references"
PERCENT = "percent"
QUARTER = "quarter"  # a quarter as printed: Q2 2023/24
TEXTS = "texts"  # a list of short texts, separated by commas: a report section's years
COMPARATORS = "comparators"  # a report section's comparator columns (``comparator_text``)

#: One row's values by field, each as its column's kind reads it (``reader.read_cell``): text,
#: a whole number, a Decimal, a choice's code, a ``Month``, a list of references, or None.
#: Which a field holds is known from the layout, not from the type.
Values = dict[str, Any]


@dataclass(frozen=True)
class Choice:
    """One allowed value of a choice column: what the workbook writes, the code stored, and
    other ways people write it."""

    label: str
    code: str | bool
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = TEXT
    required: bool = False
    help: str = ""
    example: str = ""
    choices: str = ""  # a key of CHOICES
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    aliases: tuple[str, ...] = ()
    width: int = 18


@dataclass(frozen=True)
class Sheet:
    name: str
    help: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the fields that name one row's thing (a duplicate is a problem)
    single_row: bool = False
    aliases: tuple[str, ...] = field(default_factory=tuple)

    def column(self, field_name: str) -> Column:
        return next(column for column in self.columns if column.field == field_name)


def _short(label):
    """ "At 31 March" of "At 31 March: 2022 is 31 March 2022, printed 2021/22"."""
    return label.split(":")[0]


def _indicator_column(*more_aliases):
    """The column naming the indicator a row is about, by its reference."""
    return Column(
        "Indicator",
        "indicator",
        REFERENCE,
        required=True,
        max_length=20,
        width=11,
        example="21",
        aliases=("reference", "id", *more_aliases),
    )


CHOICES = {
    "unit": [
        Choice(
            unit.label,
            code,
            (code, code.replace("_", " "), unit.name, unit.name.removeprefix("a ")),
        )
        for code, unit in units.UNITS.items()
    ],
    "polarity": [
        Choice("Higher is better", Indicator.Polarity.HIGHER_IS_BETTER, ("higher",)),
        Choice("Lower is better", Indicator.Polarity.LOWER_IS_BETTER, ("lower",)),
        Choice("Neither (monitor)", Indicator.Polarity.NEITHER, ("neither", "monitor")),
    ],
    "frequency": [Choice(label, code) for code, label in Indicator.Frequency.choices],
    "measure_basis": [
        Choice(label, code, (code.replace("_", " "),))
        for code, label in Indicator.MeasureBasis.choices
    ],
    "kind": [
        Choice("Target", Target.Kind.TARGET, ("fixed", "fixed target")),
        Choice("Trajectory", Target.Kind.TRAJECTORY),
        Choice("Anticipated range", Target.Kind.RANGE, ("range",)),
    ],
    "lait_years": [
        Choice(_short(label), code, (label, code.replace("_", " ")))
        for code, label in years.ALIGNMENTS.items()
    ],
    "yes_no": [
        Choice("Yes", True, ("y", "true", "1", "active")),
        Choice("No", False, ("n", "false", "0", "inactive")),
    ],
}

#: A report section's comparator column as the workbook writes it: "England", "Statistical
#: neighbours" or "Region: South West", with its period in brackets when it names one.
COMPARATOR_WORDS: dict[str, str] = {
    Benchmark.Comparator.ENGLAND: "England",
    Benchmark.Comparator.STATISTICAL_NEIGHBOURS: "Statistical neighbours",
    Benchmark.Comparator.REGION: "Region",
}


def comparator_text(column: dict[str, str]) -> str:
    """``{"comparator": "region", "name": "South West", "period": "2022/23"}`` as
    ``Region: South West (2022/23)``; the reader reads it back (``reader.read_comparators``)."""
    text = COMPARATOR_WORDS.get(column.get("comparator", ""), column.get("comparator", ""))
    if column.get("name"):
        text = f"{text}: {column['name']}"
    if column.get("period"):
        text = f"{text} ({column['period']})"
    return text


COUNCIL = Sheet(
    "Council",
    "The council: one row. Its names appear in every page's header, the committee pack and "
    "the spreadsheets; its DfE number and neighbour list choose its LAIT benchmarks.",
    (
        Column("Council name", "name", required=True, max_length=200, width=32,
               example="Devon County Council", help="As the council writes it."),
        Column("Service name", "service_name", max_length=200, width=40,
               example="Children's services performance scorecard",
               help="The scorecard's name in the header. Blank: as now."),
        Column("Committee name", "committee_name", max_length=300, width=40,
               example="Children's Scrutiny Committee",
               help="Printed on the committee pack's cover."),
        Column("DfE authority number", "authority_number", INTEGER, minimum=100, maximum=969,
               example="878", help="DfE's three-digit LA number, for the LAIT benchmarks."),
        Column("Statistical neighbours in force", "neighbour_list", max_length=60, width=24,
               example="April 2021",
               help="The DfE statistical-neighbour list the council's reports compare "
               "against (imported with the LAIT data)."),
        Column("Figures due by working day", "deadline_working_day", INTEGER, minimum=1,
               maximum=20, width=12, example="5",
               help="A month's figures are due by this working day of the month after it; "
               "owners are reminded before it. Blank: as now (5 at first)."),
        Column("Reminder days before", "reminder_days_before", INTEGER, minimum=0,
               maximum=20, width=12, example="3",
               help="Owners of missing figures are emailed each working day from this many "
               "working days before the deadline. Blank: as now (3 at first)."),
        Column("Commentary sign-off", "commentary_sign_off", YES_NO, choices="yes_no",
               width=12, example="No",
               help="Yes: each commentary of a month is approved before the month can be "
               "published. Blank: as now (no at first)."),
    ),
    key=(),
    single_row=True,
)  # fmt: skip

PRIORITIES = Sheet(
    "Priorities",
    "One row per improvement priority, with its headline measures in the order the table "
    "shows them.",
    (
        Column("Number", "number", INTEGER, required=True, minimum=1, maximum=999, width=9,
               example="1", aliases=("priority", "priority number")),
        Column("Title", "title", required=True, max_length=200, width=40,
               example="Stable and able workforce"),
        Column("Commitment", "commitment", width=60,
               example="We will reduce our reliance on agency social workers."),
        Column("Lead officer", "lead_officer", max_length=200, width=28,
               example="Head of Service, Workforce"),
        Column("Display order", "display_order", INTEGER, minimum=0, maximum=32767, width=10,
               example="1", help="Where it comes on the dashboard. Blank: after the others."),
        Column("Headline measures", "indicators", REFERENCES, width=30, example="21, 22, 23",
               help="The indicators' references in the table's order, separated by commas. "
               "An indicator may sit under several priorities. Blank: none."),
    ),
    key=("number",),
)  # fmt: skip

INDICATORS = Sheet(
    "Indicators",
    "One row per indicator (headline measure).",
    (
        Column("Reference", "reference", REFERENCE, required=True, max_length=20, width=11,
               example="21", aliases=("id", "ref", "indicator", "indicator reference"),
               help=REFERENCE_HELP),
        Column("Description", "description", required=True, max_length=500, width=50,
               example="Percentage of social workers who are agency staff"),
        Column("Definition", "definition", width=50,
               help="How it is counted. Blank: the description is shown."),
        Column("Unit", "unit", CHOICE, required=True, choices="unit", width=24,
               example="Percentage"),
        Column("Polarity", "polarity", CHOICE, required=True, choices="polarity", width=18,
               example="Lower is better",
               help="Which way is better; 'Neither (monitor)' for a figure that is watched, "
               "not rated (give it an anticipated range to read it against)."),
        Column("Frequency", "frequency", CHOICE, choices="frequency", width=12,
               example="Monthly", help="Blank: monthly."),
        Column("Measure basis", "measure_basis", CHOICE, required=True,
               choices="measure_basis", width=20, example="Month-end snapshot"),
        Column("Decimal places", "decimal_places", INTEGER, minimum=0, maximum=6, width=10,
               example="1", help="Figures are shown to this many places. Blank: 1."),
        Column("Active", "active", YES_NO, choices="yes_no", width=8, example="Yes",
               help="No: kept, but left off the scorecard. Blank: yes."),
        Column("Population ages from", "population_age_from", INTEGER, minimum=0, maximum=120,
               width=11, example="0",
               help="A rate's population band (the Populations sheet): first age."),
        Column("Population ages to", "population_age_to", INTEGER, minimum=0, maximum=120,
               width=11, example="17", help="A rate's population band: last age."),
        Column("Rate of", "rate_of", REFERENCE, max_length=20, width=10,
               help="A quarterly report row worked out from this count and the population."),
        Column("Category of", "category_of", REFERENCE, max_length=20, width=11,
               help="One category of this total (suppressed together with the others)."),
        Column("Report section", "report_section", max_length=120, width=28,
               help="The quarterly report's table this indicator is a row of. Blank: none."),
        Column("Report order", "report_order", INTEGER, minimum=0, maximum=32767, width=9,
               help="Its place in that table. Blank: 0."),
        Column("SPC baseline from", "spc_baseline_from", START_MONTH, width=12,
               help="Recalculate the SPC limits from this month. Blank: the whole history."),
        Column("Lead officer", "lead_officer", max_length=200, width=24,
               example="HoS Front Door", help="The officer accountable for it. Blank: none."),
        Column("Data owner", "owner", max_length=150, width=14, example="advisor",
               aliases=("owner",),
               help="The username of the editor who enters its figures each month and is "
               "reminded when they are due. Blank: none."),
    ),
    key=("reference",),
)  # fmt: skip

TARGETS = Sheet(
    "Targets",
    "One row per target, trajectory or anticipated range. A target that changes over time is "
    "several rows with different 'From' months.",
    (
        _indicator_column("indicator reference"),
        Column("Kind", "kind", CHOICE, choices="kind", width=18, example="Trajectory",
               help="Target (a value), Trajectory (a straight line from Value in From to Goal "
               "value in Goal month) or Anticipated range (Lower to Upper). Blank: Target."),
        Column("Value", "value", NUMBER, width=10, example="37.9",
               help="The target; a trajectory's starting value. Blank for a range."),
        Column("From", "valid_from", START_MONTH, required=True, width=11, example="Oct-22",
               help="The first month: Oct-22, 01/10/2022 or a financial year (2023/24)."),
        Column("To", "valid_to", END_MONTH, width=11, example="31/03/2024",
               help="The last month, if it ends: Mar-24, 31/03/2024 or 2023/24. Blank: open."),
        Column("Goal value", "goal_value", NUMBER, width=10, example="25",
               help="A trajectory's goal."),
        Column("Goal month", "goal_month", END_MONTH, width=11, example="Oct-23",
               help="The month a trajectory reaches its goal."),
        Column("Lower", "lower", NUMBER, width=10,
               help="An anticipated range's lower end (a figure on it is within the range)."),
        Column("Upper", "upper", NUMBER, width=10, help="An anticipated range's upper end."),
        Column("Label", "label", max_length=60, width=18, example="England",
               help="Where the target comes from. Blank: a local target."),
        Column("Tolerance (%)", "tolerance", PERCENT, width=11, example="15",
               help="Amber band as a percentage of the target. Blank: 15."),
        Column("Absolute tolerance", "absolute_tolerance", NUMBER, width=11,
               help="Amber band in the indicator's unit (a target of 0 needs one for amber)."),
    ),
    key=("indicator", "valid_from"),
)  # fmt: skip

POPULATIONS = Sheet(
    "Populations",
    "The population denominators rates are worked out from, with the month each applies from.",
    (
        Column("Name", "name", required=True, max_length=100, width=28,
               example="Children aged 0-17"),
        Column("Ages from", "age_from", INTEGER, required=True, minimum=0, maximum=120,
               width=10, example="0"),
        Column("Ages to", "age_to", INTEGER, required=True, minimum=0, maximum=120, width=10,
               example="17"),
        Column("Population", "value", INTEGER, required=True, minimum=1, maximum=2147483647,
               width=12, example="150000", aliases=("value", "count")),
        Column("Source", "source", required=True, max_length=100, width=24,
               example="ONS mid-year estimate"),
        Column("From", "valid_from", START_MONTH, required=True, width=11, example="Apr-22",
               help="The first month it applies to; it applies until the next one."),
    ),
    key=("age_from", "age_to", "valid_from"),
)  # fmt: skip

LAIT_LINKS = Sheet(
    "LAIT links",
    "Which DfE LAIT measure each indicator is, for its England, region and statistical-"
    "neighbour benchmarks (the measures come with the LAIT data import).",
    (
        _indicator_column(),
        Column("LAIT measure", "lait_measure", required=True, max_length=60, width=24,
               example="ReReferral", aliases=("measure", "lait measure code")),
        Column("Years", "lait_years", CHOICE, required=True, choices="lait_years", width=30,
               example="At 31 March",
               help="What DfE's year means for this measure."),
    ),
    key=("indicator",),
    aliases=("lait", "lait link", "benchmarks"),
)  # fmt: skip

MILESTONES = Sheet(
    "Milestones",
    "One row per project milestone (workstream) of a priority: the milestones the priority's "
    "page and the committee pack list, each month's update entered with the month's figures. "
    "A milestone is known by its priority and its words: different words add a new one "
    "(rename or remove one in Administration, under its priority).",
    (
        Column("Priority", "priority", INTEGER, required=True, minimum=1, maximum=999, width=9,
               example="1", aliases=("priority number", "number"),
               help="The number of the priority it belongs to (the Priorities sheet)."),
        Column("Milestone", "workstream", required=True, max_length=300, width=60,
               example="Ensure Elected Members are well-informed",
               aliases=("workstream", "project milestone"),
               help="The workstream or milestone as the highlight report words it."),
        Column("Owner", "owner", max_length=200, width=28,
               example="Director of Children's Services", help="Who leads it. Blank: none."),
        Column("Order", "display_order", INTEGER, minimum=0, maximum=32767, width=9,
               example="1", aliases=("display order",),
               help="Its place among the priority's milestones. Blank: after the others "
               "(an existing milestone stays where it is)."),
    ),
    key=("priority", "workstream"),
)  # fmt: skip

REPORT_SECTIONS = Sheet(
    "Report sections",
    "The quarterly report's tables that have columns of their own (education tables, say): "
    "which years they show, which comparators and what their current period is. A table "
    "with no row here shows the three financial years before the quarter, the quarter, and "
    "England, statistical neighbours and region. An indicator is a row of a table through "
    "the Indicators sheet's 'Report section' and 'Report order'.",
    (
        Column("Quarter", "quarter", QUARTER, required=True, width=12,
               example="Q2 2023/24",
               help="The quarterly report this layout is for, as it is printed: Q2 2023/24."),
        Column("Title", "title", required=True, max_length=120, width=36,
               example="2.1 Ofsted outcomes", aliases=("report section", "section"),
               help="The table's title: the same words as the Indicators sheet's 'Report "
               "section'."),
        Column("Years", "year_labels", TEXTS, required=True, max_length=40, width=28,
               example="2019/20, 2020/21, 2021/22", aliases=("year labels",),
               help="The years the table has a column for, oldest first, separated by "
               "commas, as the yearly figures are labelled (2021/22, or 2022)."),
        Column("Grouped years", "grouped_years", INTEGER, minimum=0, maximum=20, width=10,
               example="1",
               help="How many of the latest years sit under 'Previous Year & "
               "Benchmarking' with the comparators. Blank: 0."),
        Column("Comparators", "comparators", COMPARATORS, width=44,
               example="England; Region: South West (Autumn and Spring Term 2022/23)",
               help="The comparator columns in order, separated by semicolons: England, "
               "Statistical neighbours, or Region: its name. A period in brackets after one "
               "picks the benchmark of that period (and is printed in the heading); without "
               "it, the latest. Blank: none."),
        Column("Current period", "current_label", required=True, max_length=40, width=24,
               example="Q2 2023/24", aliases=("current",),
               help="The heading of the table's current column, as printed (its yearly "
               "figures carry this label)."),
        Column("Not benchmarked", "not_benchmarked", max_length=40, width=16,
               example="Not benchmarked",
               help="Printed where a comparator has no figure. Blank: 'Not benchmarked'."),
    ),
    key=("quarter", "title"),
)  # fmt: skip

SHEETS = (
    COUNCIL,
    PRIORITIES,
    INDICATORS,
    TARGETS,
    POPULATIONS,
    LAIT_LINKS,
    MILESTONES,
    REPORT_SECTIONS,
)
INSTRUCTIONS = "Instructions"
CHOICES_SHEET = "Choices"
#: The sheets the reader passes over without a notice.
NOT_READ = (INSTRUCTIONS, CHOICES_SHEET)
