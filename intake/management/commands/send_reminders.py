"""Remind data owners of their missing figures (for cron, once or more a day): on the
council's reminder days only, each owner once a day (``intake.reminders``)."""

import datetime as dt
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from indicators.periods import Month, NotAMonth, parse_month
from indicators.tenancy import CouncilCommand
from intake.reminders import send_reminders


class Command(CouncilCommand):
    for_every_council = True
    help = (
        "Email each data owner the indicators still missing for the month (the month just "
        "ended unless --month), on the council's reminder days before its deadline; says "
        "what it did, or why it sent nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="The month reported, e.g. 2023-10.")
        parser.add_argument("--today", help="The day to act as, e.g. 2023-11-03 (for testing).")

    def handle(self, *args: Any, month: str | None, today: str | None, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"--today {today!r} is not a date written as 2023-11-03.") from None
        try:
            reported = parse_month(month) if month else Month.from_date(day).previous()
        except NotAMonth as error:
            raise CommandError(f"--month {month!r}: {error}") from None
        run = send_reminders(reported, day)
        for line in run.lines():
            self.stdout.write(line)
