"""A database that cannot save just now (a replica promoted read-only, a maintenance window's
``default_transaction_read_only``, a dropped connection) answers with a plain 503 page saying
so, not a 500: what the user typed is not lost on their side, and they can try again.

The page is rendered without the database (no context processors, no user): the database
may be the very thing that is failing.
"""

import logging
from collections.abc import Callable

from django.db import InternalError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

#: Seconds a browser or a script is asked to wait before trying again.
RETRY_AFTER = 60


def unavailable_page() -> HttpResponse:
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


class DatabaseUnavailableMiddleware:
    """Turns the database's refusal (``OperationalError``, or ``InternalError`` such as
    PostgreSQL's "read-only transaction") raised by a view into the 503 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, (OperationalError, InternalError)):
            return None
        logger.error(
            "The database refused %s %s: %s", request.method, request.path, exception, exc_info=True
        )
        return unavailable_page()
