import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from indicators.models import CommitteeMeeting
from indicators.periods import Month
from indicators.tenancy import CouncilCommand
from scorecard.pack import PackOptions, pack_pdf
from scorecard.pdf import PdfUnavailable


class Command(CouncilCommand):
    help = "Write the committee pack (PDF) for a month to a file, for scheduled publication."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="The month, e.g. 2023-09.")
        parser.add_argument("--output", required=True, help="Where to write the PDF.")
        parser.add_argument(
            "--committee",
            default="",
            help="Blank: the committee of the meeting the pack is for (the committee's "
            "calendar), else the council's.",
        )
        parser.add_argument(
            "--meeting-date",
            help="e.g. 2023-11-07. Blank: the meeting in the calendar that reviews the month, "
            "or else the next one.",
        )
        parser.add_argument(
            "--include-drafts", action="store_true", help="Include unpublished figures."
        )

    def handle(
        self,
        *args: Any,
        period: str,
        output: str,
        committee: str,
        meeting_date: str | None,
        include_drafts: bool,
        **opts: Any,
    ) -> None:
        try:
            month = Month.parse(period)
            meeting = dt.date.fromisoformat(meeting_date) if meeting_date else None
        except ValueError as error:
            raise CommandError(str(error)) from None
        if meeting is None:
            # As the page's pack form is filled in (scorecard/views.py).
            found = CommitteeMeeting.for_pack(month.first_day, timezone.localdate())
            if found is not None:
                meeting, committee = found.date, committee or found.committee
        options = PackOptions(committee, meeting, published_only=not include_drafts)
        try:
            pdf = pack_pdf(month, options)
        except PdfUnavailable as error:
            raise CommandError(str(error)) from None
        Path(output).write_bytes(pdf)
        self.stdout.write(f"Wrote {output} ({len(pdf) / 1024:.0f} KB).")
