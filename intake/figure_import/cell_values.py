"""Reading a figure the way the committee reports write it: ``52.0%``, ``39.1r``, ``1,485``,
``11.25``, ``7.4% (15/204)``, ``£1,200``, ``Not available``.

Pure functions: no database, no request. Every refusal is a ``FigureError`` whose ``reason`` is
a sentence a user understands ("a percentage must be between 0 and 100, not 152"); the caller
adds which indicator, row or column it is about.

Values are kept as ``Decimal``. A float (from Excel) is read through ``str()`` so 0.1 stays 0.1,
and anything finer than the database keeps (4 decimal places) is rounded half up to it, so a
re-imported figure compares equal to the stored one.
"""

import math
import re
from decimal import Decimal, InvalidOperation

from indicators import rules, units
from indicators.figures import ACTUAL, NOT_AVAILABLE, PROVISIONAL, SUPPRESSED, Figure
from indicators.numbers import places_written, plain
from intake.figure_import.sheets import Cell

#: The database keeps figures as DECIMAL(14, 4).
STORED_PLACES = 4
MAX_MAGNITUDE = Decimal(10) ** 10

_NOT_AVAILABLE_WORDS = {"not available", "n/a", "na"}
_SUPPRESSED_MARKS = {"x"}

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+"
_FIGURE = re.compile(
    rf"""
    ^(?P<sign>[-+\u2212]?)\s*
    (?P<pound>£)?\s*
    (?P<sign2>[-+\u2212]?)\s*
    (?P<number>{_NUMBER})\s*
    (?P<suffix>%|[rR])?\s*
    (?:\(\s*(?P<numerator>{_NUMBER})\s*/\s*(?P<denominator>{_NUMBER})\s*\))?$
    """,
    re.VERBOSE,
)
_PLAIN_NUMBER = re.compile(rf"^(?P<sign>[-+\u2212]?)\s*(?P<number>{_NUMBER})$")
_SPACES = re.compile(r"\s+")


class FigureError(ValueError):
    """A figure that cannot be accepted. ``reason`` is a sentence a user understands.

    ``field`` says which part was wrong when a figure comes in parts: "value" (the default),
    "numerator", "denominator" or "status".
    """

    def __init__(self, reason: str, field: str = "value") -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


# Public API -------------------------------------------------------------------------------
def parse_figure(raw: Cell, unit: str, *, status: str | None = None) -> Figure | None:
    """Read one figure as the reports write it, for an indicator of ``unit``.

    Returns ``None`` for a blank cell (no figure), unless ``status`` is "not_available", which
    gives a "Not available" figure. Raises ``FigureError`` for anything that cannot be stored.
    """
    _check_unit(unit)
    status = _check_status(status)
    text, number = _normalise(raw)
    if text is None and number is None:
        if status == NOT_AVAILABLE:
            return Figure(None, status=NOT_AVAILABLE)
        return None
    if text is not None and _is_not_available(text):
        return Figure(None, status=NOT_AVAILABLE)
    if status == NOT_AVAILABLE:
        shown = text if text is not None else plain(number)
        raise FigureError(
            f"a figure marked 'Not available' has no value, but '{shown}' was given: clear "
            "the value or choose another status"
        )
    if number is not None:
        value, numerator, denominator = number, None, None
        shown = plain(number)
    else:
        value, numerator, denominator = _read_text(text, unit)
        shown = text
    value = _check_value(value, unit, shown)
    if numerator is not None:
        # A pair that does not give the figure is a plausibility warning, not an error.
        numerator, denominator = _check_pair(numerator, denominator, unit)
    return Figure(
        _stored(value),
        _stored(numerator),
        _stored(denominator),
        PROVISIONAL if status == PROVISIONAL else ACTUAL,
    )


def parse_figure_parts(
    raw_value: Cell,
    raw_numerator: Cell,
    raw_denominator: Cell,
    unit: str,
    *,
    decimal_places: int,
    status: str | None = None,
) -> Figure | None:
    """A figure given in separate value, numerator and denominator cells.

    With both numerator and denominator and no value, a percentage or rate is worked out from
    them (rounded half up to ``decimal_places``). With a value as well, the pair is kept with
    it (whether they agree is a plausibility warning). Errors say which part was wrong
    (``FigureError.field``).
    """
    _check_unit(unit)
    status = _check_status(status)
    numerator = _read_part(raw_numerator, "numerator")
    denominator = _read_part(raw_denominator, "denominator")
    if numerator is None and denominator is None:
        return parse_figure(raw_value, unit, status=status)
    if numerator is None or denominator is None:
        missing = "numerator" if numerator is None else "denominator"
        raise FigureError("give both the numerator and the denominator, or neither", missing)
    text, number = _normalise(raw_value)
    if status == NOT_AVAILABLE or (text is not None and _is_not_available(text)):
        raise FigureError(
            "a figure marked 'Not available' has no numerator or denominator: clear them",
            "numerator",
        )
    numerator, denominator = _check_pair(numerator, denominator, unit)
    if text is None and number is None:
        multiplier = units.get(unit).multiplier
        if multiplier is None:
            raise FigureError(
                f"enter the value: {units.get(unit).name} is not worked out from a numerator "
                "and denominator"
            )
        value = rules.round_half_up(numerator / denominator * multiplier, decimal_places)
        value = _check_value(value, unit, plain(value))
        return Figure(
            _stored(value),
            _stored(numerator),
            _stored(denominator),
            PROVISIONAL if status == PROVISIONAL else ACTUAL,
        )
    figure = parse_figure(raw_value, unit, status=status)
    assert figure is not None  # the value is not blank: blank was handled above
    if figure.numerator is not None:
        if (figure.numerator, figure.denominator) != (
            _stored(numerator),
            _stored(denominator),
        ):
            raise FigureError(
                f"the value gives {plain(figure.numerator)}/{plain(figure.denominator)} "
                f"but the numerator and denominator columns give {plain(numerator)}/"
                f"{plain(denominator)}",
                "numerator",
            )
        return figure
    return Figure(figure.value, _stored(numerator), _stored(denominator), figure.status)


def parse_status(raw: Cell) -> str:
    """A status cell: blank or "actual", "provisional", "not available" (or N/A)."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return ACTUAL
    text = _SPACES.sub(" ", str(raw).replace("_", " ")).strip().lower()
    if text in ("", "actual", "final"):
        return ACTUAL
    if text in ("provisional", "prov"):
        return PROVISIONAL
    if text in _NOT_AVAILABLE_WORDS:
        return NOT_AVAILABLE
    if text in ("suppressed", "x"):
        raise FigureError(
            "figures are suppressed when they are published; give the status as actual "
            "or provisional and the real figure",
            "status",
        )
    raise FigureError(
        f"'{str(raw).strip()}' is not a status (write actual, provisional or not available)",
        "status",
    )


# Reading ----------------------------------------------------------------------------------
def _normalise(raw):
    """(text, number): stripped text for strings, a Decimal for numbers, (None, None) blank."""
    if raw is None:
        return None, None
    if isinstance(raw, bool):
        return str(raw), None
    if isinstance(raw, float):
        if math.isnan(raw):
            return None, None
        if math.isinf(raw):
            return str(raw), None
        return None, Decimal(str(raw))
    if isinstance(raw, int):
        return None, Decimal(raw)
    if isinstance(raw, Decimal):
        if raw.is_nan():
            return None, None
        if raw.is_infinite():
            return str(raw), None
        return None, raw
    text = _SPACES.sub(" ", str(raw).replace("\u00a0", " ")).strip()
    if not text:
        return None, None
    return text, None


def _is_not_available(text):
    return text.lower() in _NOT_AVAILABLE_WORDS


def _read_text(text, unit):
    """(value, numerator, denominator) from text like ``7.4% (15/204)``."""
    if text.lower() in _SUPPRESSED_MARKS:
        raise FigureError(
            f"'{text}' marks a suppressed figure; enter the real figure (it is suppressed "
            "when published)"
        )
    match = _FIGURE.match(text)
    if not match or (match["sign"] and match["sign2"]):
        if text.startswith("#"):
            raise FigureError(f"'{text}' is a spreadsheet error, not a figure")
        raise FigureError(
            f"'{text}' is not a number (write figures like {units.get(unit).example}, or Not "
            "available)"
        )
    suffix = (match["suffix"] or "").lower()
    name = units.get(unit).name
    if suffix == "%" and unit != units.PERCENTAGE:
        raise FigureError(f"'{text}' is a percentage but this indicator is {name}")
    if suffix == "r" and unit not in units.RATES:
        raise FigureError(f"'{text}' is a rate but this indicator is {name}")
    if match["pound"] and unit != units.CURRENCY:
        raise FigureError(f"'{text}' is an amount of money but this indicator is {name}")
    number = _decimal(match["number"])
    if (match["sign"] or match["sign2"]) in ("-", "\u2212"):
        number = -number
    numerator = denominator = None
    if match["numerator"] is not None:
        numerator = _decimal(match["numerator"])
        denominator = _decimal(match["denominator"])
    return number, numerator, denominator


def _read_part(raw, field):
    """A numerator or denominator cell: a plain number, or None when blank."""
    text, number = _normalise(raw)
    if number is not None:
        return number
    if text is None:
        return None
    match = _PLAIN_NUMBER.match(text)
    if not match:
        raise FigureError(f"the {field} '{text}' is not a number", field)
    number = _decimal(match["number"])
    return -number if match["sign"] in ("-", "\u2212") else number


def _decimal(digits):
    try:
        return Decimal(digits.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the patterns only let digits through
        raise FigureError(f"'{digits}' is not a number") from None


# Checks -----------------------------------------------------------------------------------
def _check_unit(unit):
    units.get(unit)  # ValueError for a unit that does not exist


def _check_status(status):
    if status in (None, "", ACTUAL):
        return ACTUAL
    if status in (PROVISIONAL, NOT_AVAILABLE):
        return status
    if status == SUPPRESSED:
        raise FigureError(
            "figures are suppressed when they are published; give the status as actual or "
            "provisional and the real figure",
            "status",
        )
    raise FigureError(
        f"'{status}' is not a status (use actual, provisional or not available)",
        "status",
    )


def _check_value(value, unit, shown):
    if abs(value) >= MAX_MAGNITUDE:
        raise FigureError(f"'{shown}' is too large to be a figure")
    kind = units.get(unit)
    if unit == units.PERCENTAGE and not 0 <= value <= 100:
        raise FigureError(f"a percentage must be between 0 and 100, not {plain(value)}")
    if value < 0 and not kind.can_be_negative:
        raise FigureError(f"{kind.name} cannot be negative, so '{shown}' is refused")
    if kind.whole_numbers:
        if value != value.to_integral_value():
            raise FigureError(f"a count must be a whole number, not {plain(value)}")
        value = value.quantize(Decimal(1))
    return value


def _check_pair(numerator, denominator, unit):
    for number, field in ((numerator, "numerator"), (denominator, "denominator")):
        if abs(number) >= MAX_MAGNITUDE:
            raise FigureError(f"the {field} {plain(number)} is too large", field)
    if denominator <= 0:
        raise FigureError("the denominator must be more than zero", "denominator")
    if numerator < 0:
        raise FigureError("the numerator cannot be negative", "numerator")
    if unit == units.COUNT:
        raise FigureError("a count has no numerator and denominator: enter the count alone")
    if unit == units.PERCENTAGE and numerator > denominator:
        raise FigureError(
            f"the numerator ({plain(numerator)}) cannot be more than the denominator "
            f"({plain(denominator)}) for a percentage",
            "numerator",
        )
    return numerator, denominator


# Helpers ----------------------------------------------------------------------------------
def _stored(number):
    """Round to the precision the database keeps (half up), no finer."""
    if number is None:
        return None
    if places_written(number) > STORED_PLACES:
        return rules.round_half_up(number, STORED_PLACES)
    return number
