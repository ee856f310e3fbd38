"""Anticipated ranges: for an indicator with no better direction (children looked after, the
number in residential homes), the committee reads the figure against the range expected
(Wiltshire: "below the anticipated range", "above the anticipated range").

A figure on either end of the range is within it. Values are compared unrounded, as RAG is.
"""

from enum import StrEnum

from indicators.numbers import format_number, significant_places, to_decimal
from indicators.rules.formatting import format_value


class RangePosition(StrEnum):
    BELOW = "below"
    WITHIN = "within"
    ABOVE = "above"


def range_position(value, lower, upper):
    """Where ``value`` lies against the range ``lower`` to ``upper`` (inclusive); None when
    there is no value."""
    if value is None:
        return None
    lower, upper = to_decimal(lower), to_decimal(upper)
    if lower > upper:
        raise ValueError("An anticipated range's lower end is not above its upper end.")
    value = to_decimal(value)
    if value < lower:
        return RangePosition.BELOW
    if value > upper:
        return RangePosition.ABOVE
    return RangePosition.WITHIN


def range_text(lower, upper, unit=None, places=None):
    """``40.0r to 60.0r`` in the indicator's unit; ``40 to 60`` (the digits given) without."""
    if unit is None:
        return " to ".join(format_number(end, significant_places(end)) for end in (lower, upper))
    return f"{format_value(lower, unit, places)} to {format_value(upper, unit, places)}"
