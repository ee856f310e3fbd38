"""Number helpers shared by reading, judging, formatting and exporting figures.

Figures are ``Decimal`` everywhere: a float (from Excel or JSON) is read through ``str()`` so
0.1 stays 0.1, and rounding is half up, as the committee papers round.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import overload

#: What a figure may arrive as: a Decimal, or a number from Excel, JSON or a count.
type Number = Decimal | int | float


@overload
def to_decimal(value: None) -> None: ...
@overload
def to_decimal(value: Number) -> Decimal: ...
def to_decimal(value: Number | None) -> Decimal | None:
    """``value`` as a Decimal; None stays None."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def round_half_up(value: Number, places: int) -> Decimal:
    return to_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_number(value: Number, decimal_places: int) -> str:
    """``1485`` -> ``1,485``; rounded half up, never in scientific notation."""
    rounded = round_half_up(value, decimal_places)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0.0%"
    return f"{rounded:,.{decimal_places}f}"


def plain(number: Number | None, *, normalise: bool = False) -> str:
    """A Decimal as a person writes it, with no exponent: ``52.0`` (or ``52`` normalised);
    "" for None."""
    if number is None:
        return ""
    decimal = to_decimal(number)
    return format(decimal.normalize() if normalise else decimal, "f")


def places_written(number: Number) -> int:
    """How many decimal places ``number`` was written with: 2 for ``7.40``."""
    exponent = to_decimal(number).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def significant_places(number: Number) -> int:
    """Decimal places that carry a digit: 1 for ``7.40``, 0 for ``15``."""
    return places_written(to_decimal(number).normalize())
