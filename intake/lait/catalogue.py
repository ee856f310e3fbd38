"""An indicator's definition from a measure of DfE's data dictionary: what an administrator
starting from the catalogue gets filled in, to confirm. Pure: a measure (anything with the
``LaitMeasure`` attributes) in, field values out; nothing here reads the database."""

import re
from collections.abc import Collection
from typing import Any

from indicators import rules
from indicators.dfe import years
from indicators.models import LaitMeasure

PERCENTAGE = "percentage"
RATE_PER_10000 = "rate_per_10000"
RATE_PER_1000 = "rate_per_1000"
COUNT = "count"
DAYS = "days"
POINTS = "points"
CURRENCY = "currency"

# First match wins: a rate per 10,000 says "rate" too, and a percentage of days says "days".
_UNIT_RULES = [
    (RATE_PER_10000, re.compile(r"per\s*10[,\s]?000\b|per\s*10k\b")),
    (RATE_PER_1000, re.compile(r"per\s*1[,\s]?000\b(?![,\s]?000)")),
    (PERCENTAGE, re.compile(r"%|percent|proportion|\brate\b(?!\s*per)")),
    (DAYS, re.compile(r"\bdays?\b")),
    (CURRENCY, re.compile(r"£|\bspend\b|\bcosts?\b|expenditure|finance|budget")),
    (POINTS, re.compile(r"\bscores?\b|\bpoints?\b")),
    (COUNT, re.compile(r"\bnumber\b|\bfte\b|\bcount\b")),
]
_AT_31_MARCH = re.compile(r"\b31(st)?\s+march\b")
_YEAR_TYPES = {
    "financial year": years.FINANCIAL_YEAR,
    "academic year": years.ACADEMIC_YEAR,
    "calendar year": years.CALENDAR_YEAR,
}


def _words(measure, *names):
    return " ".join(str(getattr(measure, name, "") or "") for name in names).casefold()


def guess_unit(measure: LaitMeasure) -> str:
    """The unit a measure is most likely in, from its axis name first (DfE's ``y_axis_name``:
    ``% of referrals``, ``Rate per 10,000``), then its titles; a count when nothing says."""
    for text in (
        _words(measure, "y_axis_name"),
        _words(measure, "title", "chart_title"),
    ):
        for unit, pattern in _UNIT_RULES:
            if pattern.search(text):
                return unit
    return COUNT


def guess_year_alignment(measure: LaitMeasure) -> str:
    """How the measure's years line up (``years.ALIGNMENTS``): a figure at 31 March is a
    snapshot whose ``2022`` prints 2021/22; otherwise DfE's ``Year_Type``; otherwise the
    years as DfE writes them."""
    if _AT_31_MARCH.search(_words(measure, "title", "chart_title", "description")):
        return years.SNAPSHOT_31_MARCH
    return _YEAR_TYPES.get(_words(measure, "year_type").strip(), years.AS_PUBLISHED)


def guess_measure_basis(alignment: str) -> str:
    """A snapshot measure is a month-end snapshot; a year's figure is the year to date at
    its end."""
    return "snapshot" if alignment == years.SNAPSHOT_31_MARCH else "year_to_date"


def definition(measure: LaitMeasure) -> str:
    """The definition an indicator made from the measure starts with: DfE's description and
    methodology, and where it comes from."""
    parts = [measure.description, measure.methodology]
    source = f"Source: DfE Local Authority Interactive Tool (LAIT), measure {measure.code}."
    return "\n\n".join([part for part in parts if part] + [source])


def indicator_fields(measure: LaitMeasure) -> dict[str, Any]:
    """The ``Indicator`` fields filled in from ``measure`` (all but the reference, which is the
    council's own): description, definition, unit (guessed), polarity, decimal places
    (DfE's, or 1), measure basis, the LAIT link and how its years line up. The frequency and
    the priorities are the council's to say, so they are asked for, never guessed."""
    alignment = guess_year_alignment(measure)
    judged = (rules.HIGHER_IS_BETTER, rules.LOWER_IS_BETTER)
    polarity = measure.polarity if measure.polarity in judged else rules.NEITHER
    return {
        "description": (measure.title or measure.code)[:500],
        "definition": definition(measure),
        "unit": guess_unit(measure),
        "polarity": polarity,
        "decimal_places": 1 if measure.decimal_places is None else measure.decimal_places,
        "measure_basis": guess_measure_basis(alignment),
        "lait_measure_id": measure.code,
        "lait_years": alignment,
    }


def suggested_reference(measure: LaitMeasure, taken: Collection[str] = ()) -> str:
    """A reference for the new indicator (the council will often use its own number): the
    measure's code, cut to 20 characters and made unique against ``taken``."""
    base = re.sub(r"\s+", "_", measure.code.strip())[:20]
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"-{n}"
        candidate = base[: 20 - len(suffix)] + suffix
        n += 1
    return candidate
