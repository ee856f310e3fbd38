"""What the API says about each thing, as flat records (dicts of JSON-ready values): the
priorities, indicators and targets as stored, and the judged rows (``indicators.judgement``)
of the scorecard, the quarterly report and DfE's benchmarks exactly as the pages print
them. The same record is a JSON object or a CSV row; every figure carries its unit and
decimal places, and a figure shown as ``x`` is null with ``suppressed`` true."""

from decimal import Decimal
from typing import Any, cast

from indicators import rules, units
from indicators.dfe.shown import ShownBenchmarks, ShownYear
from indicators.judgement import Row, revision_date
from indicators.models import Indicator, Priority, Target
from indicators.periods import Month
from scorecard.dfe_queries import YearComparators
from scorecard.exports.cell_text import spc_words, target_source_text
from scorecard.quarterly_report import Cell, QuarterlyReport

type Record = dict[str, Any]


def priority_record(priority: Priority) -> Record:
    return {
        "number": priority.number,
        "title": priority.title,
        "commitment": priority.commitment,
        "lead_officer": priority.lead_officer,
        "display_order": priority.display_order,
    }


def indicator_fields(indicator: Indicator) -> Record:
    """The columns every figure's record repeats, so a CSV row reads on its own."""
    return {
        "indicator": indicator.reference,
        "unit": indicator.unit,
        "unit_label": units.get(indicator.unit).label,
        "decimal_places": indicator.decimal_places,
    }


def target_record(target: Target, indicator: Indicator) -> Record:
    def month(value: Any) -> str | None:
        return Month.from_date(value).iso if value else None

    return {
        **indicator_fields(indicator),
        "kind": target.kind,
        "value": target.value,
        "label": target.label,
        "valid_from": month(target.valid_from),
        "valid_to": month(target.valid_to),
        "goal_value": target.goal_value,
        "goal_month": month(target.goal_month),
        "lower": target.lower,
        "upper": target.upper,
        "tolerance": target.tolerance,
        "absolute_tolerance": target.absolute_tolerance,
        "described": rules.describe_target(
            target.as_rule(), indicator.unit, indicator.decimal_places
        ),
    }


def indicator_record(indicator: Indicator) -> Record:
    """An indicator with its priorities' numbers and every target (prefetched)."""
    owner = indicator.owner
    return {
        "reference": indicator.reference,
        "description": indicator.description,
        "definition": indicator.definition,
        "unit": indicator.unit,
        "unit_label": units.get(indicator.unit).label,
        "decimal_places": indicator.decimal_places,
        "polarity": indicator.polarity,
        "frequency": indicator.frequency,
        "measure_basis": indicator.measure_basis,
        "active": indicator.active,
        "owner": owner.get_username() if owner is not None else "",
        "lead_officer": indicator.lead_officer,
        "lait_measure": indicator.lait_measure_id or "",
        "priorities": sorted(
            link.priority.number for link in indicator.priorityindicator_set.all()
        ),
        "targets": [target_record(target, indicator) for target in indicator.targets.all()],
    }


def _revision_fields(row: Row, month: Month) -> Record:
    revision = row.revision(month)
    return {
        "revised": revision is not None,
        "revised_on": revision_date(revision) if revision is not None else "",
        "revision": row.revision_text(month),
    }


def figure_record(row: Row, month: Month, published: bool) -> Record:
    """One month's figure of ``row``, as a viewer may see it."""
    figure = row.figure(month)
    assert figure is not None
    hidden = row.is_suppressed(month)
    return {
        **indicator_fields(row.indicator),
        "month": month.iso,
        "value": None if hidden else figure.value,
        "numerator": None if hidden else figure.numerator,
        "denominator": None if hidden else figure.denominator,
        "status": figure.status,
        "suppressed": hidden,
        "display": row.display(month),
        "synthetic": figure.synthetic,
        **_revision_fields(row, month),
        "published": published,
    }


def _council_figure(shown: ShownYear) -> Decimal | None:
    return shown.council_value


def benchmark_fields(benchmark: ShownBenchmarks | None) -> Record:
    """The DfE comparators of the year the row's month compares with (``row.benchmark``);
    the council's own figure, band and rank null beside a suppressed figure of ours."""
    shown = benchmark.latest if benchmark is not None else None
    return {
        "benchmark_measure": benchmark.measure_code if benchmark is not None else "",
        **year_fields(shown, prefix="benchmark_"),
    }


def year_fields(shown: ShownYear | None, prefix: str = "") -> Record:
    year = cast(YearComparators | None, shown.year if shown is not None else None)
    return {
        f"{prefix}dfe_year": year.year if year else "",
        f"{prefix}year": year.label if year else "",
        f"{prefix}status": year.status if year else "",
        f"{prefix}council": _council_figure(shown) if shown else None,
        f"{prefix}council_withheld": shown.council_withheld if shown else False,
        f"{prefix}england": year.england if year else None,
        f"{prefix}region_name": year.region_name if year else "",
        f"{prefix}region": year.region if year else None,
        f"{prefix}statistical_neighbours": year.statistical_neighbours if year else None,
        f"{prefix}quartile": shown.quartile if shown else "",
        f"{prefix}rank": shown.rank if shown else None,
        f"{prefix}authorities": year.authorities if year else None,
    }


def scorecard_record(row: Row, published: bool) -> Record:
    """A judged headline measure for the month: what the priority page's table and the
    scorecard CSV say of it."""
    indicator, month = row.indicator, row.month
    figure = row.figure(month)
    hidden = row.is_suppressed(month)
    variation, assurance = spc_words(row)
    return {
        "priority": row.priority_number,
        "indicator": indicator.reference,
        "description": indicator.description,
        "unit": indicator.unit,
        "unit_label": units.get(indicator.unit).label,
        "decimal_places": indicator.decimal_places,
        "polarity": indicator.polarity,
        "month": month.iso,
        "value": None if hidden or figure is None else figure.value,
        "suppressed": figure is not None and hidden,
        "display": row.display(month),
        "status": figure.status if figure is not None else "",
        "target_value": row.target.value if row.target else None,
        "target_label": target_source_text(row.target, indicator),
        "target": row.target_display,
        "rag": row.rag.value,
        "rag_name": row.rag_name,
        "direction": row.direction.arrow.value,
        "judgement": row.direction.judgement.value,
        "direction_name": row.direction.accessible_name,
        "variation": variation,
        "assurance": assurance,
        "commentary": row.commentary,
        **_revision_fields(row, month),
        "published": published,
        **benchmark_fields(row.benchmark),
    }


def _cell_fields(cell: Cell) -> Record:
    return {
        "value": None if cell.suppressed else cell.value,
        "suppressed": cell.suppressed,
        "display": cell.text,
        "note": cell.note,
    }


def quarterly_records(report: QuarterlyReport) -> list[Record]:
    """One record per cell of the report's tables, in the page's order: the table, the
    row, the column's heading and what the cell says."""
    records = []
    for table in report.tables:
        headings = [year.heading for year in table.years] + table.comparators
        for row in table.rows:
            cells = [*row.years, *row.benchmarks, row.current]
            for column, (heading, cell) in enumerate(
                zip([*headings, table.current_heading], cells, strict=True)
            ):
                kind = "year" if column < len(row.years) else "benchmark"
                records.append(
                    {
                        "quarter": report.quarter.label,
                        "table": table.title,
                        "indicator": row.indicator.reference,
                        "row": row.ref_label,
                        "description": row.indicator.description,
                        "unit": row.indicator.unit,
                        "decimal_places": row.indicator.decimal_places,
                        "column": heading,
                        "kind": "current" if cell is row.current else kind,
                        **_cell_fields(cell),
                    }
                )
    return records


def benchmark_records(row: Row) -> list[Record]:
    """Every DfE year of a linked indicator, oldest first, as a viewer may see it."""
    benchmark = row.benchmark
    if benchmark is None:
        return []
    indicator = row.indicator
    return [
        {
            **indicator_fields(indicator),
            "measure": benchmark.measure_code,
            "measure_title": benchmark.measure_title,
            "neighbour_list": benchmark.neighbour_list,
            **year_fields(shown),
        }
        for shown in benchmark.years
    ]
