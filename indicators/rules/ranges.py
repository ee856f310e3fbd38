"""Anticipated ranges: for an indicator with no better direction (children looked after, the
number in residential homes), the committee reads the figure against the range expected
(Wiltshire: "below the anticipated range", "above the anticipated range").

A figure on either end of the range is within it. Values are compared unrounded, as RAG is.
"""

from enum import StrEnum
from typing import overload

from indicators.numbers import Number, format_number, significant_places, to_decimal
from indicators.rules.formatting import format_value


class RangePosition(StrEnum):
    BELOW = "below"
    WITHIN = "within"
    ABOVE = "above"


def range_position(value: Number | None, lower: Number, upper: Number) -> RangePosition | None:
    """Where ``value`` lies against the range ``lower`` to ``upper`` (inclusive); None when
    there is no value."""
    if value is None:
        return None
    low, high = to_decimal(lower), to_decimal(upper)
    if low > high:
        raise ValueError("An anticipated range's lower end is not above its upper end.")
    figure = to_decimal(value)
    if figure < low:
        return RangePosition.BELOW
    if figure > high:
        return RangePosition.ABOVE
    return RangePosition.WITHIN


@overload
def range_text(lower: Number, upper: Number) -> str: ...
@overload
def range_text(lower: Number, upper: Number, unit: str, places: int) -> str: ...
def range_text(
    lower: Number, upper: Number, unit: str | None = None, places: int | None = None
) -> str:
    """``40.0r to 60.0r`` in the indicator's unit; ``40 to 60`` (the digits given) without."""
    if unit is None or places is None:
        return " to ".join(format_number(end, significant_places(end)) for end in (lower, upper))
    return f"{format_value(lower, unit, places)} to {format_value(upper, unit, places)}"
