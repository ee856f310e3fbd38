"""Number helpers shared by reading, judging, formatting and exporting figures.

Figures are ``Decimal`` everywhere: a float (from Excel or JSON) is read through ``str()`` so
0.1 stays 0.1, and rounding is half up, as the committee papers round.
"""

from decimal import ROUND_HALF_UP, Decimal


def to_decimal(value):
    """``value`` as a Decimal; None stays None."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def round_half_up(value, places):
    return to_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_number(value, decimal_places):
    """``1485`` -> ``1,485``; rounded half up, never in scientific notation."""
    rounded = round_half_up(value, decimal_places)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0.0%"
    return f"{rounded:,.{decimal_places}f}"


def plain(number, *, normalise=False):
    """A Decimal as a person writes it, with no exponent: ``52.0`` (or ``52`` normalised);
    "" for None."""
    if number is None:
        return ""
    number = to_decimal(number)
    return format(number.normalize() if normalise else number, "f")


def places_written(number):
    """How many decimal places ``number`` was written with: 2 for ``7.40``."""
    exponent = to_decimal(number).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def significant_places(number):
    """Decimal places that carry a digit: 1 for ``7.40``, 0 for ``15``."""
    return places_written(to_decimal(number).normalize())
