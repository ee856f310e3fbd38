"""Reminders of missing figures: on each reminder day of a month's end (``indicators.
deadlines``: working day N of the month after it, reminders from some working days before),
every data owner with figures still missing (``month_end``) is emailed once, listing them with
links to their rows in the grid and to their own page.

A reminder is written to the outbox in the same transaction as its ``SentReminder``, whose
unique constraint keeps it to one per owner, month and day however often cron runs the
command. A reminder names indicators, never a figure.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse

from indicators import outbox
from indicators.deadlines import MonthEnd, long_date, month_end
from indicators.models import Council, OutboxEmail, SentReminder
from indicators.periods import Month
from intake.month_end import Owned, owned_by_owner


@dataclass
class ReminderRun:
    """What one run did for ``month`` on ``day``, to say so."""

    month: Month
    day: dt.date
    end: MonthEnd
    sent: list[tuple[User, int]] = field(default_factory=list)
    already: list[User] = field(default_factory=list)
    without_address: list[User] = field(default_factory=list)
    owners_up_to_date: int = 0

    @property
    def why_not(self) -> str:
        """Why nobody is reminded on ``day`` ("" on a reminder day)."""
        return self.end.why_not(self.day)

    def lines(self) -> list[str]:
        """The run in sentences, for the command's output."""
        end = self.end
        head = (
            f"{self.month.long_label}: figures due by {long_date(end.deadline)}; reminders "
            f"from {long_date(end.reminders_from)}."
        )
        if self.why_not:
            return [head, f"No reminders sent on {long_date(self.day)}: {self.why_not}."]
        lines = [head]
        lines += [f"Reminded {user.email} ({user}): {n} missing." for user, n in self.sent]
        lines += [f"Already reminded today: {user}." for user in self.already]
        lines += [f"Not reminded, no email address: {user}." for user in self.without_address]
        if self.owners_up_to_date:
            lines.append(f"Owners with nothing missing: {self.owners_up_to_date}.")
        if not (self.sent or self.already or self.without_address):
            lines.append("No reminders sent: no owner has a figure missing.")
        return lines


def month_end_of(month: Month) -> MonthEnd:
    """``month``'s deadline and reminder days, as the council set them."""
    council = Council.current()
    return month_end(
        month,
        council.deadline_working_day,
        council.reminder_days_before,
        settings.SCORECARD_BANK_HOLIDAYS,
    )


def send_reminders(month: Month, day: dt.date, *, in_background: bool = False) -> ReminderRun:
    """Remind every owner with figures of ``month`` missing, if ``day`` is a reminder day;
    the emails go once the reminders are written (``indicators.outbox``)."""
    run = ReminderRun(month, day, month_end_of(month))
    if run.why_not:
        return run
    owned = owned_by_owner(month)
    owners = User.objects.in_bulk(list(owned))
    with transaction.atomic():
        reminded = set(
            SentReminder.objects.filter(period=month.first_day, day=day).values_list(
                "owner_id", flat=True
            )
        )
        for owner_id, items in owned.items():
            missing = [item for item in items if item.missing]
            owner = owners[owner_id]
            if not missing:
                run.owners_up_to_date += 1
            elif owner_id in reminded:
                run.already.append(owner)
            elif not (owner.is_active and owner.email):
                run.without_address.append(owner)
            else:
                _write(owner, run, missing, in_background)
                run.sent.append((owner, len(missing)))
    return run


def _write(owner, run, missing, in_background):
    month = run.month
    email = reminder_email(owner, run.end, missing, run.day)
    (written,) = outbox.queue([email], in_background=in_background)
    SentReminder.objects.create(
        owner=owner, period=month.first_day, day=run.day, missing=len(missing), email=written
    )


def reminder_email(owner: User, end: MonthEnd, missing: list[Owned], day: dt.date) -> outbox.Email:
    """The reminder to ``owner``, on ``day``, of the ``missing`` figures of ``end.month``."""
    month = end.month
    items = [
        {
            "reference": item.indicator.reference,
            "description": item.indicator.description,
            "priority": item.priority,
            "link": outbox.site_link(item.grid_link(month)),
        }
        for item in missing
    ]
    count = f"{len(missing)} figure{'s' if len(missing) != 1 else ''}"
    subject = f"{count} for {month.label} still to enter, due by {long_date(end.deadline)}"
    text, html = outbox.render(
        "reminder",
        {
            "subject": subject,
            "owner": owner,
            "month": month,
            "deadline": long_date(end.deadline),
            "items": items,
            "mine": outbox.site_link(reverse("my_indicators", args=[month.iso])),
        },
    )
    return outbox.Email(
        to=owner.email,
        subject=subject,
        text=text,
        html=html,
        kind=OutboxEmail.Kind.REMINDER,
        dedupe_key=f"reminder:{month.iso}:{owner.pk}:{day.isoformat()}",
    )
