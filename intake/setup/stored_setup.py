"""What is stored, in the set-up workbook's terms: for each sheet, every row it would hold,
keyed as the sheet keys them, with values as the reader reads a cell (months as
``periods.Month``, references as text, choices as codes, blanks as None). The export writes
these rows; the plan compares the workbook's rows with them, and keeps their fingerprint so
the confirm can tell whether they changed since. A fixed number of queries.
"""

import hashlib
import json
from dataclasses import dataclass

from indicators.models import (
    Council,
    Indicator,
    Milestone,
    Population,
    Priority,
    PriorityIndicator,
    ReportSection,
    Target,
)
from indicators.natural_order import natural_key
from indicators.periods import Month
from intake.kept_uploads import to_json
from intake.setup import layout


def _blank(text):
    return text or None


def _month(date):
    return Month.from_date(date) if date else None


@dataclass
class StoredSetup:
    council: layout.Values
    council_saved: bool
    priorities: dict[int, layout.Values]  # number -> row
    indicators: dict[str, layout.Values]  # reference -> row
    targets: dict[tuple[str, Month], layout.Values]  # (reference, Month) -> row
    populations: dict[tuple[int, int, Month], layout.Values]  # (age_from, age_to, Month) -> row
    lait_links: dict[str, layout.Values]  # reference -> row
    milestones: dict[tuple[int, str], layout.Values]  # (priority number, workstream) -> row
    report_sections: dict[tuple[str, str], layout.Values]  # (quarter, title) -> row

    def rows(self, sheet: layout.Sheet) -> list[layout.Values]:
        """The sheet's rows in the workbook's order."""
        if sheet is layout.COUNCIL:
            return [self.council]
        if sheet is layout.PRIORITIES:
            return sorted(self.priorities.values(), key=lambda r: (r["display_order"], r["number"]))
        if sheet is layout.INDICATORS:
            return [self.indicators[ref] for ref in sorted(self.indicators, key=natural_key)]
        if sheet is layout.TARGETS:
            return [
                self.targets[key]
                for key in sorted(self.targets, key=lambda k: (natural_key(k[0]), k[1]))
            ]
        if sheet is layout.POPULATIONS:
            return [self.populations[key] for key in sorted(self.populations)]
        if sheet is layout.LAIT_LINKS:
            return [self.lait_links[ref] for ref in sorted(self.lait_links, key=natural_key)]
        if sheet is layout.MILESTONES:
            return sorted(
                self.milestones.values(),
                key=lambda r: (r["priority"], r["display_order"], r["workstream"]),
            )
        if sheet is layout.REPORT_SECTIONS:
            # Quarters in time ("Q2 2023/24": the year, then the quarter), then titles.
            return [
                self.report_sections[key]
                for key in sorted(self.report_sections, key=lambda k: (k[0][3:], k[0][:2], k[1]))
            ]
        raise ValueError(sheet)

    def fingerprint(self) -> str:
        """A digest of every row, so a plan made over them can tell whether they changed."""
        rows = [[sheet.name, to_json(self.rows(sheet))] for sheet in layout.SHEETS]
        kept = json.dumps([self.council_saved, rows], sort_keys=True)
        return hashlib.sha256(kept.encode()).hexdigest()


def stored_setup() -> StoredSetup:
    """Everything the set-up workbook holds, as stored, in eight queries: the council, the
    headline measures, the priorities, the indicators (with what they are rates and
    categories of), the targets (with their indicators), the populations, the milestones
    (with their priorities) and the report sections."""
    council = Council.current()
    stored = StoredSetup(
        council={
            "name": _blank(council.name),
            "service_name": _blank(council.service_name),
            "committee_name": _blank(council.committee_name),
            "authority_number": council.authority_number,
            "neighbour_list": council.neighbour_list.name if council.neighbour_list else None,
            "deadline_working_day": council.deadline_working_day,
            "reminder_days_before": council.reminder_days_before,
            "commentary_sign_off": council.commentary_sign_off,
        },
        # Named, not merely saved: the council's row is made blank on the first write of a
        # new deployment (indicators.tenancy), before any workbook has set it up.
        council_saved=bool(council.name),
        priorities={},
        indicators={},
        targets={},
        populations={},
        lait_links={},
        milestones={},
        report_sections={},
    )
    links: dict[int, list[str]] = {}
    for link in PriorityIndicator.objects.select_related("indicator").order_by(
        "priority_id", "display_order", "indicator__reference"
    ):
        links.setdefault(link.priority_id, []).append(link.indicator.reference)
    for priority in Priority.objects.all():
        stored.priorities[priority.number] = {
            "number": priority.number,
            "title": priority.title,
            "commitment": _blank(priority.commitment),
            "lead_officer": _blank(priority.lead_officer),
            "display_order": priority.display_order,
            "indicators": links.get(priority.id, []),
        }
    indicators = Indicator.objects.select_related("rate_of", "category_of", "owner")
    for indicator in indicators:
        reference = indicator.reference
        stored.indicators[reference] = {
            "reference": reference,
            "description": indicator.description,
            "definition": _blank(indicator.definition),
            "unit": indicator.unit,
            "polarity": indicator.polarity,
            "frequency": indicator.frequency,
            "measure_basis": indicator.measure_basis,
            "decimal_places": indicator.decimal_places,
            "active": indicator.active,
            "population_age_from": indicator.population_age_from,
            "population_age_to": indicator.population_age_to,
            "rate_of": indicator.rate_of.reference if indicator.rate_of else None,
            "category_of": indicator.category_of.reference if indicator.category_of else None,
            "report_section": _blank(indicator.report_section),
            "report_order": indicator.report_order,
            "spc_baseline_from": _month(indicator.spc_baseline_from),
            "lead_officer": _blank(indicator.lead_officer),
            "owner": indicator.owner.get_username() if indicator.owner else None,
        }
        if indicator.lait_measure_id:
            stored.lait_links[reference] = {
                "indicator": reference,
                "lait_measure": indicator.lait_measure_id,
                "lait_years": indicator.lait_years,
            }
    for target in Target.objects.select_related("indicator"):
        reference = target.indicator.reference
        start = _month(target.valid_from)
        stored.targets[(reference, start)] = {
            "indicator": reference,
            "kind": target.kind,
            "value": target.value,
            "valid_from": start,
            "valid_to": _month(target.valid_to),
            "goal_value": target.goal_value,
            "goal_month": _month(target.goal_month),
            "lower": target.lower,
            "upper": target.upper,
            "label": _blank(target.label),
            "tolerance": target.tolerance,
            "absolute_tolerance": target.absolute_tolerance,
        }
    for population in Population.objects.all():
        start = _month(population.valid_from)
        stored.populations[(population.age_from, population.age_to, start)] = {
            "name": population.name,
            "age_from": population.age_from,
            "age_to": population.age_to,
            "value": population.value,
            "source": population.source,
            "valid_from": start,
        }
    for milestone in Milestone.objects.select_related("priority"):
        number = milestone.priority.number
        stored.milestones[(number, milestone.workstream)] = {
            "priority": number,
            "workstream": milestone.workstream,
            "owner": _blank(milestone.owner),
            "display_order": milestone.display_order,
        }
    for section in ReportSection.objects.all():
        stored.report_sections[(section.quarter, section.title)] = {
            "quarter": section.quarter,
            "title": section.title,
            "year_labels": list(section.year_labels),
            "grouped_years": section.grouped_years,
            "comparators": [dict(column) for column in section.comparators],
            "current_label": section.current_label,
            "not_benchmarked": _blank(section.not_benchmarked),
        }
    return stored
