"""The outbox: every email the product sends (reminders, digests) is first written here, in
the transaction of what caused it, then delivered once that commits.

``queue`` writes the emails (one per dedupe key: written again, it is left as it is) and,
after the commit, enqueues one ``deliver_task`` each on Django's task framework
(``settings.TASKS``). With the database backend the task worker (``manage.py task_worker``)
sends them, and neither a page nor a command waits for the mail server. With the immediate
backend the task runs where it is enqueued: from a page, in a short background thread so the
page does not wait; from a command, there and then. ``deliver`` sends one email and records
what happened: sent, or the error and one more attempt. A failed email stays pending until
``OutboxEmail.MAX_ATTEMPTS``; ``manage.py send_emails`` (cron) retries the pending ones,
whatever became of their tasks.
"""

import logging
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connections, transaction
from django.db.models import F, Q
from django.tasks import task
from django.tasks.backends.immediate import ImmediateBackend
from django.template import loader
from django.utils import timezone

from indicators.models import Council, OutboxEmail

logger = logging.getLogger(__name__)

# A sender that has held an email this long without finishing is taken to have died (a
# worker restarted mid-send): the email may be sent again.
HOLD = timedelta(minutes=10)


@dataclass(frozen=True)
class Email:
    """An email to write to the outbox: its text and HTML are rendered already."""

    to: str
    subject: str
    text: str
    html: str
    kind: str
    dedupe_key: str


def site_link(path: str) -> str:
    """An absolute link for an email: ``settings.SITE_URL`` and ``path``."""
    return f"{settings.SITE_URL}{path}"


def render(template: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """(text, HTML) of ``email/<template>.txt`` and ``.html``, with the council's names and
    the site's address in the context of both."""
    council = Council.current()
    full = {
        "council_name": council.display_name,
        "service_name": council.service_name,
        "site_url": settings.SITE_URL,
        **context,
    }
    text = loader.render_to_string(f"email/{template}.txt", full)
    html = loader.render_to_string(f"email/{template}.html", full)
    return text.strip() + "\n", html


def queue(emails: Iterable[Email], *, in_background: bool = True) -> list[OutboxEmail]:
    """Write ``emails`` to the outbox in the current transaction, leaving out any whose dedupe
    key is there already, and deliver them once it commits (``in_background``: in a thread of
    their own, so the page that caused them does not wait). The written ones, in order."""
    written = []
    for email in emails:
        outbox, created = OutboxEmail.objects.get_or_create(
            dedupe_key=email.dedupe_key,
            defaults={
                "to": email.to,
                "subject": email.subject,
                "text": email.text,
                "html": email.html,
                "kind": email.kind,
            },
        )
        if created:
            written.append(outbox)
    ids = [outbox.pk for outbox in written]
    if ids:
        # Robust: the cause is committed by now; an email not enqueued waits for send_emails.
        transaction.on_commit(lambda: enqueue(ids, in_background=in_background), robust=True)
    return written


def deliver(email_id: int) -> bool:
    """Send the outbox's email ``email_id`` if it is still to be sent and no other sender
    holds it; record it sent, or its error and one more attempt. True when it was sent."""
    now = timezone.now()
    held = (
        OutboxEmail.every_council.filter(
            pk=email_id, sent_at__isnull=True, attempts__lt=OutboxEmail.MAX_ATTEMPTS
        )
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - HOLD))
        .update(claimed_at=now)
    )
    if not held:
        return False
    email = OutboxEmail.every_council.get(pk=email_id)
    message = EmailMultiAlternatives(email.subject, email.text, None, [email.to])
    message.attach_alternative(email.html, "text/html")
    try:
        message.send()
    except Exception as error:  # whatever the mail server or the network said, it is kept
        reason = f"{type(error).__name__}: {error}"[:2000]
        OutboxEmail.every_council.filter(pk=email_id).update(
            attempts=F("attempts") + 1, last_error=reason, claimed_at=None
        )
        final = email.attempts + 1 >= OutboxEmail.MAX_ATTEMPTS
        logger.log(
            logging.ERROR if final else logging.WARNING,
            "Email %s to %s not sent (attempt %s of %s%s): %s",
            email_id,
            email.to,
            email.attempts + 1,
            OutboxEmail.MAX_ATTEMPTS,
            ", no more attempts" if final else "",
            reason,
        )
        return False
    OutboxEmail.every_council.filter(pk=email_id).update(
        attempts=F("attempts") + 1, sent_at=timezone.now(), claimed_at=None
    )
    logger.info("Email %s (%s) sent to %s", email_id, email.kind, email.to)
    return True


def deliver_each(ids: Iterable[int]) -> int:
    """Deliver the emails ``ids`` one after the other; how many were sent."""
    return sum(deliver(email_id) for email_id in ids)


def pending() -> list[int]:
    """The ids of the emails still to be sent that have attempts left, oldest first."""
    return list(
        OutboxEmail.every_council.filter(
            sent_at__isnull=True, attempts__lt=OutboxEmail.MAX_ATTEMPTS
        )
        .order_by("created_at", "id")
        .values_list("id", flat=True)
    )


@task
def deliver_task(email_id: int) -> bool:
    """``deliver`` as a task of Django's task framework: run by the task worker with the
    database backend, at once with the immediate one."""
    return deliver(email_id)


def runs_where_enqueued() -> bool:
    """True when the task backend runs a task inside ``enqueue`` (the immediate backend),
    rather than leaving it to a worker."""
    return isinstance(deliver_task.get_backend(), ImmediateBackend)


def enqueue(ids: list[int], *, in_background: bool = True) -> threading.Thread | None:
    """Enqueue the delivery of each of ``ids``. Where the backend would run them there and
    then and ``in_background`` is asked for, they are enqueued from a thread of their own (its
    database connection closed after), so that the page that caused them does not wait for
    the mail server; that thread is returned."""
    if not (in_background and runs_where_enqueued()):
        enqueue_each(ids)
        return None
    thread = threading.Thread(
        target=_enqueue_and_close, args=(ids,), name="outbox-delivery", daemon=True
    )
    thread.start()
    return thread


def enqueue_each(ids: Iterable[int]) -> None:
    """One ``deliver_task`` for each of ``ids``, in order."""
    for email_id in ids:
        deliver_task.enqueue(email_id)


def _enqueue_and_close(ids: list[int]) -> None:
    try:
        enqueue_each(ids)
    except Exception:  # a database error here must not pass unseen: send_emails retries
        logger.exception("Delivering emails %s stopped; send_emails will retry them", ids)
    finally:
        connections.close_all()
