"""Send the outbox's pending emails (for cron, every few minutes): those a page or a command
could not deliver, retried until their attempts run out (``indicators.outbox``)."""

from typing import Any

from django.core.management.base import BaseCommand

from indicators import outbox
from indicators.models import OutboxEmail


class Command(BaseCommand):
    help = (
        "Send every pending email of the outbox (reminders, digests) that has attempts left; "
        "a failure is kept with its error for the next run."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        ids = outbox.pending()
        sent = outbox.deliver_each(ids)
        failed = OutboxEmail.every_council.filter(pk__in=ids, sent_at__isnull=True)
        self.stdout.write(f"Pending: {len(ids)}. Sent: {sent}. Not sent: {len(ids) - sent}.")
        for email in failed:
            self.stdout.write(
                f"Not sent, email {email.pk} to {email.to} "
                f"(attempt {email.attempts} of {OutboxEmail.MAX_ATTEMPTS}): {email.last_error}"
            )
