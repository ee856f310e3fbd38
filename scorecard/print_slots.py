"""Who may print a PDF now: at most ``SCORECARD_PDF_PER_USER`` (1) packs or reports per person,
across every worker process and server, and at most ``SCORECARD_PDF_TOTAL`` (2) per app server,
printing or waiting. Each printing keeps Chromium on a CPU for seconds; without a limit one
person asking on six connections held every worker of a small server and made other people's
pages wait seconds instead of milliseconds (issue 20, point 5). A request over a limit is
refused at once with a page saying so and when to try again (429, ``Retry-After``), rather
than queued. With the database task backend packs are printed by the task worker, one at a
time, and only the quarterly report's PDF takes a slot here; with the immediate backend the
pack is printed in the request, in a slot, as before (``scorecard.pack_store``).

The slots are rows (``PrintSlot``) that a request inserts, each key unique, and deletes when
its PDF is done: the database is what every worker process and server share (the cache is
per process). A row left by a worker killed mid-print is ignored after ``held_until`` (the
longest a print may take: its wait for the printer, its time limit and a margin).
"""

import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from scorecard.models import PrintSlot
from scorecard.pdf import GRACE

#: Seconds a refused request is asked to wait: a warm pack prints in 2-5 s.
RETRY_AFTER = 15
#: Beyond the printer's own limits, before a slot left by a killed worker is ignored.
MARGIN = timedelta(seconds=10)


class PrinterBusy(Exception):
    """Over a limit: ``yours`` when the person's own PDFs are the limit, else the server's."""

    def __init__(self, yours: bool) -> None:
        self.yours = yours
        super().__init__(self.message())

    def message(self, what: str = "PDF") -> str:
        """The reason in words, ``what`` naming the PDF ("pack")."""
        if self.yours:
            per_user = settings.SCORECARD_PDF_PER_USER
            at_a_time = f"one {what}" if per_user == 1 else f"{per_user} {what}s"
            return (
                f"A {what} is already being printed for you, and each person may print "
                f"{at_a_time} at a time. Wait for it to arrive, then try again in "
                f"{RETRY_AFTER} seconds."
            )
        return (
            f"The printer is busy with other people's {what}s (it prints "
            f"{settings.SCORECARD_PDF_TOTAL} at a time). Try again in {RETRY_AFTER} seconds."
        )


def _held_for() -> timedelta:
    longest = settings.SCORECARD_PDF_QUEUE_TIMEOUT + settings.SCORECARD_PDF_TIMEOUT + GRACE
    return timedelta(seconds=longest) + MARGIN


def _take_one(keys: list[str], token: str, held_until: datetime) -> bool:
    """Take the first free slot of ``keys`` (the database refuses a key already held)."""
    for key in keys:
        slot = PrintSlot(key=key, token=token, held_until=held_until)
        PrintSlot.objects.bulk_create([slot], ignore_conflicts=True)
        if PrintSlot.objects.filter(key=key, token=token).exists():
            return True
    return False


@contextmanager
def print_slot(user: AbstractBaseUser | AnonymousUser) -> Iterator[None]:
    """Hold one of ``user``'s slots and one of this server's while the block prints; raise
    ``PrinterBusy`` at once when either is full. Released however the block ends."""
    now = timezone.now()
    PrintSlot.objects.filter(held_until__lt=now).delete()
    token, held_until = uuid.uuid4().hex, now + _held_for()
    host = socket.gethostname()[:100]
    person = [f"user:{user.pk}:{n}" for n in range(settings.SCORECARD_PDF_PER_USER)]
    server = [f"server:{host}:{n}" for n in range(settings.SCORECARD_PDF_TOTAL)]
    try:
        if not _take_one(person, token, held_until):
            raise PrinterBusy(yours=True)
        if not _take_one(server, token, held_until):
            raise PrinterBusy(yours=False)
        yield
    finally:
        PrintSlot.objects.filter(token=token).delete()


def busy_page(
    request: HttpRequest, busy: PrinterBusy, what: str, **context: object
) -> HttpResponse:
    """The refusal: 429 with ``Retry-After``, the reason in words (``what`` naming the PDF),
    and (from ``context``) the way back to what was being printed."""
    response = render(
        request,
        "scorecard/printer_busy.html",
        {**context, "reason": busy.message(what), "retry_after": RETRY_AFTER},
        status=429,
    )
    response["Retry-After"] = str(RETRY_AFTER)
    return response
