"""Load the quarterly report transcribed from a committee paper (fixtures/plymouth_q2_2023.json).

The fixture documents its own layout under its "schema" key. Everything is created or updated
in place, so loading twice changes nothing; the months it loads are published (the paper is a
published report). Rate rows get no figures: the quarterly report works them out from their
count and the population in force for the period. A table with columns of its own (section 2)
gets a ReportSection for the fixture's quarter; its cells are all yearly figures.
"""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from indicators.models import AnnualFigure, Benchmark, Indicator, ReportSection
from indicators.periods import Month
from intake.publishing import publish
from intake.seed import indicator_fields, load_council, load_populations, load_values, number

QUARTERLY_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "plymouth_q2_2023.json"


@transaction.atomic
def load_quarterly_seed(path: str | Path = QUARTERLY_FIXTURE) -> dict[str, Any]:
    """Create or update the fixture's populations, indicators, yearly figures, benchmarks
    and monthly figures; publish the months loaded. Returns the fixture's data."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    load_council(data)
    load_populations(data)
    for section in data["sections"]:
        if "columns" in section:
            _load_columns(data["quarter"], section["title"], section["columns"])
    items = [
        (section["title"], order, item)
        for section in data["sections"]
        for order, item in enumerate(section["indicators"])
    ]
    indicators: dict[str, Indicator] = {}
    # Counts before the rows that point at them: rate_of and category_of are set once every
    # row exists, whatever the order of the fixture.
    for title, order, item in items:
        band = item.get("population") or {}
        indicator, _ = Indicator.objects.update_or_create(
            reference=item["reference"],
            defaults={
                **indicator_fields(item, Indicator.Frequency.QUARTERLY),
                "report_section": title,
                "report_order": order,
                "population_age_from": band.get("age_from"),
                "population_age_to": band.get("age_to"),
            },
        )
        indicators[indicator.reference] = indicator
    for _, _, item in items:
        indicator = indicators[item["reference"]]
        rate_of = indicators[item["rate_of"]] if item.get("rate_of") else None
        category_of = indicators[item["category_of"]] if item.get("category_of") else None
        wanted = (rate_of and rate_of.pk, category_of and category_of.pk)
        if (indicator.rate_of_id, indicator.category_of_id) != wanted:
            indicator.rate_of, indicator.category_of = rate_of, category_of
            indicator.save(update_fields=["rate_of", "category_of"])
        _load_figures(indicator, item)
    months = {iso for _, _, item in items for iso in item.get("values", {})}
    for iso in sorted(months):
        publish(Month.parse(iso), None)
    return data


def _load_columns(quarter, title, columns):
    ReportSection.objects.update_or_create(
        quarter=quarter,
        title=title,
        defaults={
            "year_labels": columns["years"],
            "grouped_years": columns.get("grouped_years", 0),
            "comparators": columns["comparators"],
            "current_label": columns["current"],
            "not_benchmarked": columns.get("not_benchmarked", "Not benchmarked"),
        },
    )


def _load_figures(indicator, item):
    for year_label, figure in item.get("annual", {}).items():
        AnnualFigure.objects.update_or_create(
            indicator=indicator,
            year_label=year_label,
            defaults={
                "value": number(figure.get("value")),
                "numerator": number(figure.get("numerator")),
                "denominator": number(figure.get("denominator")),
                "status": figure.get("status", AnnualFigure.Status.ACTUAL),
                "suppressed": figure.get("suppressed", False),
                "note": figure.get("note", ""),
            },
        )
    for benchmark in item.get("benchmarks", []):
        Benchmark.objects.update_or_create(
            indicator=indicator,
            comparator=benchmark["comparator"],
            period_label=benchmark["period_label"],
            defaults={
                "value": number(benchmark["value"]),
                "comparator_name": benchmark.get("comparator_name", ""),
            },
        )
    load_values(indicator, item.get("values", {}))
