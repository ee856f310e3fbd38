"""Months, financial years and quarters, labelled the way the committee papers write them,
and months read the way people write them in spreadsheets.

Months are the unit of entry. Financial years run April to March: Q1 = Apr-Jun, Q2 = Jul-Sep,
Q3 = Oct-Dec, Q4 = Jan-Mar, so "Q3 2024/25" is October to December 2024.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache, total_ordering
from typing import Self

_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# English month names, whatever the process locale (strftime would follow it).
MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


@total_ordering
@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"Month must be 1-12, not {self.month}.")
        if not 1900 <= self.year <= 9999:
            raise ValueError(f"Year {self.year} is out of range.")

    def __lt__(self, other: "Month") -> bool:
        return (self.year, self.month) < (other.year, other.month)

    # Constructors -------------------------------------------------------------------------
    @classmethod
    def parse(cls, text: object) -> Self:
        """Parse an ISO month, ``2023-09``."""
        match = _ISO_MONTH.match(str(text).strip())
        if not match:
            raise ValueError(f"'{text}' is not a month in the form YYYY-MM.")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def from_date(cls, date: dt.date) -> Self:
        return cls(date.year, date.month)

    @classmethod
    def current(cls, today: dt.date | None = None) -> Self:
        return cls.from_date(today or dt.date.today())

    # Conversions --------------------------------------------------------------------------
    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """The seeds' short label: ``Sep-23``."""
        return f"{MONTH_NAMES[self.month - 1][:3]}-{self.year % 100:02d}"

    @property
    def long_label(self) -> str:
        """``September 2023``."""
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    def __str__(self) -> str:
        return self.iso

    # Arithmetic ---------------------------------------------------------------------------
    def plus(self, months: int) -> "Month":
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)

    def previous(self) -> "Month":
        return self.plus(-1)

    def months_back(self, count: int) -> list["Month"]:
        """This month and the ``count - 1`` before it, oldest first."""
        return [self.plus(-offset) for offset in range(count - 1, -1, -1)]

    # Financial year -----------------------------------------------------------------------
    @property
    def financial_year(self) -> "FinancialYear":
        return FinancialYear(self.year if self.month >= 4 else self.year - 1)

    @property
    def quarter(self) -> "Quarter":
        return Quarter(self.financial_year, (self.month - 4) % 12 // 3 + 1)


#: The first month the product holds figures for: anything earlier is a typing slip.
EARLIEST = Month(2000, 1)


def latest(today: dt.date | None = None) -> Month:
    """The last month anything may be asked for: next month (a page for it is empty, but it
    is a month someone may reasonably type at month end)."""
    return Month.current(today).plus(1)


def in_range(month: Month, today: dt.date | None = None) -> bool:
    """True for months from ``EARLIEST`` to next month: what an address or a file may name."""
    return EARLIEST <= month <= latest(today)


def parse_in_range(text: str, today: dt.date | None = None) -> Month:
    """An ISO month (``2023-09``) from an address; ValueError with a sentence for anything
    that is not one, or is before 2000 or after next month."""
    month = Month.parse(text)
    if not in_range(month, today):
        raise ValueError(
            f"{month.iso} is out of range: months run from {EARLIEST.iso} to {latest(today).iso}."
        )
    return month


def month_range(first: Month, last: Month) -> list[Month]:
    """Every month from ``first`` to ``last`` inclusive."""
    months = []
    current = first
    while current <= last:
        months.append(current)
        current = current.plus(1)
    return months


@dataclass(frozen=True, slots=True, order=True)
class FinancialYear:
    start_year: int

    @property
    def label(self) -> str:
        """``2023/24``."""
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def months(self) -> list[Month]:
        return month_range(Month(self.start_year, 4), Month(self.start_year + 1, 3))

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, slots=True, order=True)
class Quarter:
    financial_year: FinancialYear
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"Quarter must be 1-4, not {self.number}.")

    @property
    def label(self) -> str:
        """``Q2 2023/24``."""
        return f"Q{self.number} {self.financial_year.label}"

    @property
    def months(self) -> list[Month]:
        first = Month(self.financial_year.start_year, 4).plus(3 * (self.number - 1))
        return [first, first.plus(1), first.plus(2)]

    @property
    def slug(self) -> str:
        """``Q2 2023/24`` -> ``2023-24-q2``, for addresses."""
        start = self.financial_year.start_year
        return f"{start}-{(start + 1) % 100:02d}-q{self.number}"

    @classmethod
    def from_slug(cls, text: str) -> Self:
        """``2023-24-q2`` -> ``Quarter(FinancialYear(2023), 2)``; ValueError if it is not one."""
        match = _QUARTER_SLUG.match(str(text).strip().lower())
        if not match:
            raise ValueError(f"'{text}' is not a quarter in the form 2023-24-q2.")
        start, end, number = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if (start + 1) % 100 != end:
            raise ValueError(f"'{text}': a financial year runs from one year into the next.")
        return cls(FinancialYear(start), number)

    def __str__(self) -> str:
        return self.label

    def in_range(self, today: dt.date | None = None) -> bool:
        """True when the quarter's first month is between ``EARLIEST`` and next month
        (worked out without making months: a slug may name a year no month can have)."""
        start = self.financial_year.start_year
        first = (start, 3 * self.number + 1) if self.number < 4 else (start + 1, 1)
        end = latest(today)
        return (EARLIEST.year, EARLIEST.month) <= first <= (end.year, end.month)


_QUARTER_SLUG = re.compile(r"^(\d{4})-(\d{2})-q([1-4])$")


# Months as people write them ------------------------------------------------------------
_MONTH_NUMBERS = {name.lower(): number for number, name in enumerate(MONTH_NAMES, 1)}
_MONTH_NUMBERS.update({name[:3].lower(): n for name, n in list(_MONTH_NUMBERS.items())})
_MONTH_NUMBERS["sept"] = 9
_WRITTEN_ISO_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_NAMED = re.compile(r"^([a-z]+)\.?[\s\-/']*(\d{2}|\d{4})$")
_NUMERIC_MONTH = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_UK_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")


class NotAMonth(ValueError):
    pass


def parse_month(raw: object) -> Month:
    """A month header or cell: ``Sep-23``, ``Sep-2023``, ``2023-09``, ``September 2023``,
    ``09/2023``, a date (``01/09/2023``, ``2023-09-01``) or a date cell. Raises ValueError
    with a sentence for anything else."""
    if isinstance(raw, (dt.date, dt.datetime)):  # pandas Timestamps are datetimes too
        return Month.from_date(raw)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return _parse_month_text(re.sub(r"\s+", " ", str(raw)).strip())


def _year_and_month(lowered: str, text: str) -> tuple[int, int | None] | tuple[None, None]:
    """(year, month) from the forms ``parse_month`` reads, or (None, None)."""
    if match := _WRITTEN_ISO_MONTH.match(lowered):
        return int(match[1]), int(match[2])
    if match := _ISO_DATE.match(lowered):
        _check_day(int(match[1]), int(match[2]), int(match[3]), text)
        return int(match[1]), int(match[2])
    if match := _NAMED.match(lowered):
        year = int(match[2])
        return (2000 + year if len(match[2]) == 2 else year), _MONTH_NUMBERS.get(match[1])
    if match := _NUMERIC_MONTH.match(lowered):
        return int(match[2]), int(match[1])
    if match := _UK_DATE.match(lowered):
        _check_day(int(match[3]), int(match[2]), int(match[1]), text)
        return int(match[3]), int(match[2])
    return None, None


@lru_cache(maxsize=4096)
def _parse_month_text(text: str) -> Month:
    year, month = _year_and_month(text.lower(), text)
    if year is None or month is None:
        raise NotAMonth(f"'{text}' is not a month (write months like Sep-23)")
    try:
        return Month(year, month)
    except ValueError:
        raise NotAMonth(f"'{text}' is not a month (write months like Sep-23)") from None


def _check_day(year: int, month: int, day: int, text: str) -> None:
    try:
        dt.date(year, month, day)
    except ValueError:
        raise NotAMonth(f"'{text}' is not a month (write months like Sep-23)") from None


# Target periods as people write them ------------------------------------------------------
_FINANCIAL_YEAR = re.compile(r"^(?:fy\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")


def parse_financial_year(raw: object) -> FinancialYear | None:
    """``2023/24``, ``2023-24``, ``2023/2024`` or ``FY2023/24``: the financial year; None for
    anything else."""
    if raw is None or isinstance(raw, (dt.date, int, float)):
        return None
    match = _FINANCIAL_YEAR.match(re.sub(r"\s+", " ", str(raw)).strip().lower())
    if not match:
        return None
    start, end = int(match[1]), int(match[2])
    if end != start + 1 and end != (start + 1) % 100:
        return None
    return FinancialYear(start)


def _last_day(date: dt.date) -> dt.date:
    return date.replace(day=calendar.monthrange(date.year, date.month)[1])


#: The latest month a target may start or end in. Far beyond any plan, and far enough from the
#: calendar's end (9999) that the months after a target's end can still be counted.
LATEST_TARGET_MONTH = Month(2999, 12)


def check_target_month(month: Month) -> Month:
    """``month`` if a target may start or end in it; else NotAMonth with a sentence."""
    if month > LATEST_TARGET_MONTH:
        raise NotAMonth(
            f"{month.long_label} is too far ahead: a target starts and ends by "
            f"{LATEST_TARGET_MONTH.long_label} (leave its end blank if it has none)"
        )
    return month


def month_ending_on(date: dt.date) -> Month | None:
    """The month ``date`` stands for as the end of a period: its month when it is the 1st
    (how months are stored) or the last day of the month (31/03/2024 is March 2024); None for
    any other day."""
    if date.day == 1 or date == _last_day(date):
        return Month.from_date(date)
    return None


def _written_date(raw: object) -> dt.date | None:
    """A date cell, or a date written in full (``31/03/2024``, ``2024-03-31``); else None."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = re.sub(r"\s+", " ", str(raw)).strip()
    if match := _UK_DATE.match(text):
        day, month, year = int(match[1]), int(match[2]), int(match[3])
    elif match := _ISO_DATE.match(text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise NotAMonth(f"'{text}' is not a date") from None


def parse_start_month(raw: object) -> Month:
    """The first month of a target as people write it: a month (``Apr-23``, ``2023-04``), the
    1st of a month (``01/04/2023``) or a financial year (``2023/24`` starts in April 2023).
    Raises ValueError with a sentence for anything else."""
    return check_target_month(_start_month(raw))


def _start_month(raw: object) -> Month:
    year = parse_financial_year(raw)
    if year is not None:
        return year.months[0]
    date = _written_date(raw)
    if date is not None:
        if date.day != 1:
            raise NotAMonth(
                f"{date:%d/%m/%Y} is not the start of a month: give the month (Apr-23), its "
                "1st day or a financial year (2023/24)"
            )
        return Month.from_date(date)
    return parse_month(raw)


def parse_end_month(raw: object) -> Month:
    """The last month of a target as people write it: a month (``Mar-24``), the last day of a
    month (``31/03/2024``; the 1st is read as that month too) or a financial year
    (``2023/24`` ends in March 2024). Raises ValueError with a sentence for anything else."""
    return check_target_month(_end_month(raw))


def _end_month(raw: object) -> Month:
    year = parse_financial_year(raw)
    if year is not None:
        return year.months[-1]
    date = _written_date(raw)
    if date is not None:
        month = month_ending_on(date)
        if month is None:
            raise NotAMonth(
                f"{date:%d/%m/%Y} is not the end of a month: give the month (Mar-24), its "
                "last day (31/03/2024) or a financial year (2023/24)"
            )
        return month
    return parse_month(raw)
