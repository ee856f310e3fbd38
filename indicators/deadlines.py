"""Month end as a calendar, pure: a month's figures are due by working day N of the month
after it (weekends and the council's bank holidays are not working days), and owners are
reminded on each working day from some working days before that deadline up to it."""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from indicators.periods import Month

SATURDAY = 5


def is_working_day(day: dt.date, holidays: Collection[dt.date] = ()) -> bool:
    return day.weekday() < SATURDAY and day not in holidays


def working_day(month: Month, number: int, holidays: Collection[dt.date] = ()) -> dt.date:
    """The ``number``-th working day (1 is the first) of ``month``; past the month's last
    working day, the days run on into the next month."""
    if number < 1:
        raise ValueError("Working days are counted from 1.")
    day = month.first_day - dt.timedelta(days=1)
    counted = 0
    while counted < number:
        day += dt.timedelta(days=1)
        counted += is_working_day(day, holidays)
    return day


def working_days_before(day: dt.date, count: int, holidays: Collection[dt.date] = ()) -> dt.date:
    """The working day ``count`` working days before ``day`` (``day`` itself for 0)."""
    while count > 0:
        day -= dt.timedelta(days=1)
        count -= is_working_day(day, holidays)
    return day


@dataclass(frozen=True)
class MonthEnd:
    """When ``month``'s figures are due, and from when their owners are reminded."""

    month: Month
    deadline: dt.date
    reminders_from: dt.date
    holidays: frozenset[dt.date]

    def reminds_on(self, day: dt.date) -> bool:
        """A reminder day: a working day from ``reminders_from`` to the deadline."""
        return self.reminders_from <= day <= self.deadline and is_working_day(day, self.holidays)

    def why_not(self, day: dt.date) -> str:
        """Why ``day`` is no reminder day, in words ("" when it is one)."""
        if day < self.reminders_from:
            return f"reminders start on {long_date(self.reminders_from)}"
        if day > self.deadline:
            return f"the deadline was {long_date(self.deadline)}"
        if not is_working_day(day, self.holidays):
            return f"{long_date(day)} is not a working day"
        return ""


def month_end(
    month: Month, deadline_working_day: int, days_before: int, holidays: Collection[dt.date] = ()
) -> MonthEnd:
    """``month``'s deadline (working day ``deadline_working_day`` of the month after it) and
    the first day its owners are reminded (``days_before`` working days before that)."""
    deadline = working_day(month.plus(1), deadline_working_day, holidays)
    return MonthEnd(
        month,
        deadline,
        working_days_before(deadline, days_before, holidays),
        frozenset(holidays),
    )


def long_date(day: dt.date) -> str:
    """``Friday 3 November 2023``."""
    return f"{day:%A} {day.day} {day:%B %Y}"
