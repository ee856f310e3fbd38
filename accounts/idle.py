"""Sessions end after an idle time the council sets (``SCORECARD_SESSION_IDLE_MINUTES``,
default 60) and, however busy, 14 days after signing in (``SESSION_COOKIE_AGE``).

The times are put in the session as its user signs in; the time of the last request is then
written back at most once a minute, so a page view does not mean a session write."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

LAST_SEEN = "scorecard_last_seen"
SIGNED_IN = "scorecard_signed_in"
#: How stale the stored time may be before it is written again (seconds).
WRITE_EVERY = 60


@receiver(user_logged_in, dispatch_uid="scorecard-session-times")
def _start_session_times(sender: object, request: HttpRequest, **kwargs: object) -> None:
    now = time.time()
    request.session[SIGNED_IN] = now
    request.session[LAST_SEEN] = now


class IdleSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            last_seen = session.get(LAST_SEEN, now)
            signed_in = session.get(SIGNED_IN, now)
            idle = settings.SCORECARD_SESSION_IDLE_MINUTES * 60
            if now - last_seen > idle or now - signed_in > settings.SESSION_COOKIE_AGE:
                logout(request)  # the page then asks them to sign in again
            elif now - last_seen >= WRITE_EVERY or SIGNED_IN not in session:
                session[SIGNED_IN] = signed_in
                session[LAST_SEEN] = now
        return self.get_response(request)
