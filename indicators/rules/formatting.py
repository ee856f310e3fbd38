"""Figures and targets as the committee papers print them."""

from indicators import units
from indicators.figures import ACTUAL, NOT_AVAILABLE, SUPPRESSED
from indicators.numbers import Number, format_number


# Formatting -------------------------------------------------------------------------------
def format_value(value: Number | None, unit: str, decimal_places: int, status: str = ACTUAL) -> str:
    """A figure as the reports print it: ``52.0%``, ``39.1r``, ``1,485``, ``11.25``, ``£1,200``.

    "Not available" is a status, never a zero.
    """
    if status == NOT_AVAILABLE:
        return "Not available"
    if status == SUPPRESSED:
        return "x"
    if value is None:
        return "No data"
    number = format_number(value, decimal_places)
    kind = units.get(unit)
    sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
    return f"{sign}{kind.prefix}{digits}{kind.suffix}"


def format_target(value: Number | None, unit: str, decimal_places: int, label: str = "") -> str:
    """``90.0%``, ``42.1r England``, ``10.5% Ofsted Good+``, or ``Monitor`` with no target."""
    if value is None:
        return "Monitor"
    text = format_value(value, unit, decimal_places)
    return f"{text} {label}" if label else text
