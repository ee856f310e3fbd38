"""The set-up workbook against the database: each sheet's rows compared with what is stored,
into a ``plan.SetupPlan`` (the preview: every addition, change and problem, by sheet, row and
column).

A workbook with any problem is not written at all (``apply``): a set-up's rows depend on one
another (targets on indicators, headline measures on both), so leaving some out would set up
something nobody previewed.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from indicators import roles, rules, units
from indicators.models import (
    MAX_INDICATORS,
    Indicator,
    LaitMeasure,
    LaitValue,
    StatisticalNeighbourList,
    Target,
)
from intake.kept_uploads import ADD, CHANGE
from intake.setup import layout
from intake.setup.export import cell_value
from intake.setup.plan import FieldChange, Planned, SetupPlan
from intake.setup.reader import (
    STEP_DFE_DATA,
    ReadRow,
    SetupProblem,
    SetupWorkbook,
    read_setup,
)
from intake.setup.stored_setup import StoredSetup, stored_setup

#: A blank cell leaves these as they are (a new row gets the default: for a priority, after
#: the others; for the service name, the settings' first value).
KEEP_WHEN_BLANK = {
    ("Council", "service_name"),
    ("Council", "deadline_working_day"),
    ("Council", "reminder_days_before"),
    ("Council", "commentary_sign_off"),
    ("Priorities", "display_order"),
    ("Milestones", "display_order"),
}
DEFAULTS = {
    "frequency": Indicator.Frequency.MONTHLY,
    "decimal_places": 1,
    "active": True,
    "report_order": 0,
    "kind": Target.Kind.TARGET,
    "tolerance": rules.DEFAULT_TOLERANCE,
    "indicators": [],
    "grouped_years": 0,
    "comparators": [],
    "not_benchmarked": "Not benchmarked",
}
# The model fields' names, where a check's sentence names one, to the workbook's columns.
TARGET_COLUMNS = {
    "value": "Value",
    "valid_from": "From",
    "valid_to": "To",
    "goal_value": "Goal value",
    "goal_month": "Goal month",
    "lower": "Lower",
    "upper": "Upper",
    "__all__": "Kind",
}


def show(column: layout.Column, value: Any) -> str:
    """A value as the preview shows it: as the workbook would write it."""
    shown = cell_value(column, value)
    if shown is None:
        return "(blank)"
    if hasattr(shown, "strftime"):
        return value.label
    return str(shown)


def _same(old, new):
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return old is not None and new is not None and Decimal(old) == Decimal(new)
    return old == new


# Planning ---------------------------------------------------------------------------------
class _Planner:
    def __init__(self, workbook: SetupWorkbook) -> None:
        self.workbook = workbook
        self.stored = stored_setup()
        self.plan = SetupPlan(
            problems=list(workbook.problems),
            notices=list(workbook.notices),
            stored=self.stored.fingerprint(),
        )
        self.titles = {name: read.title for name, read in workbook.sheets.items()}
        sheet_rows = workbook.rows(layout.INDICATORS)
        self.new_indicators = {row.values["reference"]: row for row in sheet_rows}
        # Who may own an indicator's figures: the editors and administrators, by username.
        self.owners = set(
            get_user_model()
            .objects.filter(roles.holding(roles.EDITOR, roles.ADMINISTRATOR), is_active=True)
            .values_list("username", flat=True)
        )
        self.units = {ref: row["unit"] for ref, row in self.stored.indicators.items()}
        self.units.update({ref: row.values["unit"] for ref, row in self.new_indicators.items()})

    def problem(
        self, sheet: layout.Sheet, row: ReadRow, column: str, reason: str, **step: int
    ) -> None:
        """A problem of ``row``; ``step=STEP_DFE_DATA`` for one DfE's data would fix."""
        title = self.titles.get(sheet.name, sheet.name)
        self.plan.problems.append(SetupProblem(title, row.row, column, reason, **step))

    def is_indicator(self, reference: str) -> bool:
        return reference in self.stored.indicators or reference in self.new_indicators

    def desired(
        self, sheet: layout.Sheet, row: ReadRow, existing: layout.Values | None
    ) -> layout.Values:
        """The values the row sets: each column the sheet has, a blank taking its default
        (or, where KEEP_WHEN_BLANK says, leaving an existing value); a new row's missing
        columns take their defaults too."""
        values = {}
        present = self.workbook.sheets[sheet.name].columns
        for column in sheet.columns:
            name = column.field
            if name in present:
                value = row.values.get(name)
                if value is None or value == []:
                    if (sheet.name, name) in KEEP_WHEN_BLANK:
                        if existing is not None:
                            continue
                        value = None
                    else:
                        value = DEFAULTS.get(name)
            elif existing is not None:
                continue
            else:
                value = DEFAULTS.get(name)
            values[name] = value
        return values

    def against_stored[K](
        self, sheet: layout.Sheet, row: ReadRow, stored: Mapping[K, layout.Values], key: K
    ) -> tuple[layout.Values | None, layout.Values]:
        """(what is stored of the thing ``row`` names by ``key``, None when it is new; the
        values ``row`` sets, ``desired``)."""
        existing = stored.get(key)
        return existing, self.desired(sheet, row, existing)

    def add(
        self,
        sheet: layout.Sheet,
        row: ReadRow,
        key: tuple[Any, ...],
        what: str,
        values: layout.Values,
        existing: layout.Values | None,
    ) -> None:
        if existing is None:
            self.plan.planned.append(Planned(sheet, row.row, key, what, ADD, values))
            return
        changes = [
            FieldChange(
                sheet.column(name).header,
                show(sheet.column(name), existing.get(name)),
                show(sheet.column(name), value),
            )
            for name, value in values.items()
            if not _same(existing.get(name), value)
        ]
        if changes:
            self.plan.planned.append(Planned(sheet, row.row, key, what, CHANGE, values, changes))
        else:
            self.plan.unchanged += 1

    # Each sheet ---------------------------------------------------------------------------
    def council(self) -> None:
        sheet = layout.COUNCIL
        rows = self.workbook.rows(sheet)
        if not rows:
            return
        row = rows[0]
        existing = self.stored.council if self.stored.council_saved else None
        values = self.desired(sheet, row, existing)
        if existing is None and values.get("service_name") is None:
            values["service_name"] = self.stored.council["service_name"]  # the settings
        name = values.get("neighbour_list")
        if name is not None:
            lists = set(StatisticalNeighbourList.objects.values_list("name", flat=True))
            if name not in lists:
                known = ", ".join(sorted(lists)) or "none yet: import the LAIT data first"
                self.problem(
                    sheet,
                    row,
                    sheet.column("neighbour_list").header,
                    f"'{name}' is not an imported statistical-neighbour list ({known})",
                    step=STEP_DFE_DATA,
                )
                return
        number = values.get("authority_number")
        if number is not None and number != self.stored.council["authority_number"]:
            authorities = LaitValue.objects.exclude(region="")
            if authorities.exists() and not authorities.filter(area_code=number).exists():
                self.problem(
                    sheet,
                    row,
                    sheet.column("authority_number").header,
                    f"{number} is not an authority in the imported LAIT data",
                    step=STEP_DFE_DATA,
                )
                return
        self.add(sheet, row, (), "The council", values, existing)

    def populations(self) -> None:
        sheet = layout.POPULATIONS
        for row in self.workbook.rows(sheet):
            v = row.values
            if v["age_to"] < v["age_from"]:
                self.problem(sheet, row, "Ages to", f"{v['age_to']} is below the first age")
                continue
            key = (v["age_from"], v["age_to"], v["valid_from"])
            existing, values = self.against_stored(sheet, row, self.stored.populations, key)
            what = f"Population aged {key[0]}-{key[1]} from {key[2].label}"
            self.add(sheet, row, key, what, values, existing)

    def priorities(self) -> None:
        sheet = layout.PRIORITIES
        for row in self.workbook.rows(sheet):
            number = row.values["number"]
            existing, values = self.against_stored(sheet, row, self.stored.priorities, number)
            missing = [ref for ref in values.get("indicators", []) if not self.is_indicator(ref)]
            if missing:
                self.problem(
                    sheet,
                    row,
                    "Headline measures",
                    f"{', '.join(missing)}: not an indicator (add "
                    f"{'it' if len(missing) == 1 else 'them'} to the Indicators sheet)",
                )
                continue
            title = values.get("title") or (existing or {}).get("title")
            if not title:
                # A sheet without the Title column can change a priority, not add one.
                self.problem(sheet, row, "Title", "a new priority needs its title")
                continue
            what = f"Priority {number}: {title}"
            self.add(sheet, row, (number,), what, values, existing)

    def indicators(self) -> None:
        sheet = layout.INDICATORS
        count = len(self.stored.indicators)
        for row in self.workbook.rows(sheet):
            reference = row.values["reference"]
            existing = self.stored.indicators.get(reference)
            if existing is None:
                # Those stored count with the new: the limit holds for the council, not a sheet.
                count += 1
                if count > MAX_INDICATORS:
                    self.problem(sheet, row, "Reference", _over_the_limit(self.stored, count))
                    continue
            values = self.desired(sheet, row, existing)
            merged = {**(existing or {}), **values}
            if not self._indicator_checks(sheet, row, reference, merged):
                continue
            what = f"Indicator {reference}: {merged['description']}"
            self.add(sheet, row, (reference,), what, values, existing)

    def _indicator_checks(self, sheet, row, reference, v):
        ok = True
        owner = v.get("owner")
        if owner and owner not in self.owners:
            self.problem(
                sheet,
                row,
                "Data owner",
                f"'{owner}' is not the username of an active editor or administrator "
                "(add them under Administration › Users first)",
            )
            ok = False
        for name, header in (("rate_of", "Rate of"), ("category_of", "Category of")):
            other = v.get(name)
            if other is None:
                continue
            if other == reference:
                self.problem(sheet, row, header, "an indicator cannot be one of itself")
                ok = False
            elif not self.is_indicator(other):
                self.problem(sheet, row, header, f"{other} is not an indicator")
                ok = False
        ages = (v.get("population_age_from"), v.get("population_age_to"))
        if None not in ages and ages[1] < ages[0]:
            self.problem(sheet, row, "Population ages to", f"{ages[1]} is below the first age")
            ok = False
        if v.get("rate_of") is not None:
            if v["unit"] not in units.RATES:
                self.problem(
                    sheet, row, "Unit", "a rate of a count has a rate unit (per 10,000 or 1,000)"
                )
                ok = False
            if None in ages:
                self.problem(
                    sheet,
                    row,
                    "Population ages from",
                    "a rate of a count needs the population band, e.g. ages 0 to 17",
                )
                ok = False
        return ok

    def targets(self) -> None:
        sheet = layout.TARGETS
        for row in self.workbook.rows(sheet):
            reference = row.values["indicator"]
            if not self.is_indicator(reference):
                self.problem(
                    sheet,
                    row,
                    "Indicator",
                    f"{reference} is not an indicator: add it to the Indicators sheet",
                )
                continue
            start = row.values["valid_from"]
            key = (reference, start)
            existing, values = self.against_stored(sheet, row, self.stored.targets, key)
            merged = {**(existing or {}), **values}
            if not self._target_checks(sheet, row, reference, merged):
                continue
            kind = dict(Target.Kind.choices)[merged["kind"]].lower()
            what = f"{kind[0].upper()}{kind[1:]} of {reference} from {start.label}"
            self.add(sheet, row, key, what, values, existing)

    def _target_checks(self, sheet, row, reference, v):
        """The model's own checks (Target.clean), their sentences under the column named."""
        target = Target(
            kind=v["kind"],
            value=v.get("value"),
            valid_from=v["valid_from"].first_day,
            valid_to=v["valid_to"].first_day if v.get("valid_to") else None,
            goal_value=v.get("goal_value"),
            goal_month=v["goal_month"].first_day if v.get("goal_month") else None,
            lower=v.get("lower"),
            upper=v.get("upper"),
            tolerance=v.get("tolerance"),
            absolute_tolerance=v.get("absolute_tolerance"),
        )
        try:
            target.clean()
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            for name, messages in errors.items():
                for message in messages:
                    self.problem(sheet, row, TARGET_COLUMNS.get(name, "Kind"), message)
            return False
        unit = units.get(self.units[reference])
        if not unit.can_be_negative:
            for name in ("value", "goal_value", "lower", "upper"):
                if v.get(name) is not None and v[name] < 0:
                    self.problem(
                        sheet, row, TARGET_COLUMNS[name], f"{unit.name} cannot be negative"
                    )
                    return False
        return True

    def lait_links(self) -> None:
        sheet = layout.LAIT_LINKS
        rows = self.workbook.rows(sheet)
        codes = set()
        if rows:
            wanted = [row.values["lait_measure"] for row in rows]
            codes = set(LaitMeasure.objects.filter(code__in=wanted).values_list("code", flat=True))
        for row in rows:
            reference = row.values["indicator"]
            if not self.is_indicator(reference):
                self.problem(sheet, row, "Indicator", f"{reference} is not an indicator")
                continue
            code = row.values["lait_measure"]
            if code not in codes:
                self.problem(
                    sheet,
                    row,
                    "LAIT measure",
                    f"'{code}' is not a measure of the imported LAIT data (import it first)",
                    step=STEP_DFE_DATA,
                )
                continue
            existing, values = self.against_stored(sheet, row, self.stored.lait_links, reference)
            self.add(sheet, row, (reference,), f"LAIT link of {reference}", values, existing)

    def milestones(self) -> None:
        sheet = layout.MILESTONES
        numbers = set(self.stored.priorities)
        numbers |= {row.values["number"] for row in self.workbook.rows(layout.PRIORITIES)}
        for row in self.workbook.rows(sheet):
            number, workstream = row.values["priority"], row.values["workstream"]
            if number not in numbers:
                self.problem(
                    sheet,
                    row,
                    "Priority",
                    f"there is no priority {number}: add it to the Priorities sheet",
                )
                continue
            key = (number, workstream)
            existing = self.stored.milestones.get(key)
            values = self.desired(sheet, row, existing)
            what = f"Milestone of priority {number}: {workstream}"
            self.add(sheet, row, key, what, values, existing)

    def report_sections(self) -> None:
        sheet = layout.REPORT_SECTIONS
        rows = self.workbook.rows(sheet)
        titles = {row.get("report_section") for row in self.stored.indicators.values()}
        titles |= {
            row.values.get("report_section") for row in self.workbook.rows(layout.INDICATORS)
        }
        for row in rows:
            key = (row.values["quarter"], row.values["title"])
            existing = self.stored.report_sections.get(key)
            values = self.desired(sheet, row, existing)
            merged = {**(existing or {}), **values}
            years, grouped = merged["year_labels"], merged["grouped_years"]
            if grouped > len(years):
                self.problem(
                    sheet,
                    row,
                    "Grouped years",
                    f"{grouped} is more than the {len(years)} year{'s' * (len(years) != 1)} "
                    "in the Years column",
                )
                continue
            if key[1] not in titles:
                self.plan.notices.append(
                    f"The {self.titles[sheet.name]} sheet's row {row.row}: no indicator is in "
                    f"the report section '{key[1]}' (the Indicators sheet's 'Report section'), "
                    "so the quarterly report has no table for it yet."
                )
            what = f"Report section {key[1]} in {key[0]}"
            self.add(sheet, row, key, what, values, existing)


def _over_the_limit(stored: StoredSetup, count: int) -> str:
    return (
        f"a council may have at most {MAX_INDICATORS:,} indicators: {len(stored.indicators):,} "
        f"are stored and this row would be indicator {count:,}"
    )


def plan_workbook(workbook: SetupWorkbook) -> SetupPlan:
    """Compare a read ``SetupWorkbook`` with what is stored: a ``SetupPlan``."""
    planner = _Planner(workbook)
    planner.council()
    planner.populations()
    planner.indicators()
    planner.priorities()
    planner.targets()
    planner.lait_links()
    planner.milestones()
    planner.report_sections()
    order = {sheet.name: index for index, sheet in enumerate(layout.SHEETS)}
    planner.plan.planned.sort(key=lambda item: (order[item.sheet.name], item.row))
    rank = {title: order[name] for name, title in planner.titles.items()}
    planner.plan.problems.sort(key=lambda p: (rank.get(p.sheet, len(order)), p.row or 0))
    return planner.plan


def plan_setup(data: bytes, filename: str) -> SetupPlan:
    """Read ``data`` (a set-up workbook's bytes) and compare it with the database. Raises
    ``imports.sheets.UploadRefused`` for a file that cannot be read."""
    return plan_workbook(read_setup(data, filename))
