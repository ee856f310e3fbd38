"""Errors as RFC 9457 problem details: ``type``, ``title``, ``status`` and ``detail`` in
``application/problem+json``, whatever format was asked for. Bad input (a month that is not
one, an unknown indicator, a page past the last) is a 4xx with a sentence saying what was
wrong, never a 500."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler

# The problem types, documented on the API's documentation page.
TYPE_BASE = "https://scorecard.invalid/api/problems/"
TITLES = {
    status.HTTP_400_BAD_REQUEST: ("bad-request", "The request's parameters are not valid"),
    status.HTTP_401_UNAUTHORIZED: ("unauthenticated", "A valid token is needed"),
    status.HTTP_403_FORBIDDEN: ("forbidden", "Not allowed"),
    status.HTTP_404_NOT_FOUND: ("not-found", "Not found"),
    status.HTTP_405_METHOD_NOT_ALLOWED: ("method-not-allowed", "The API is read-only"),
    status.HTTP_406_NOT_ACCEPTABLE: ("not-acceptable", "That format is not offered"),
    status.HTTP_429_TOO_MANY_REQUESTS: ("throttled", "Too many requests"),
}


class ProblemRenderer(JSONRenderer):
    media_type = "application/problem+json"
    format = "problem"


def _detail(data: Any) -> tuple[str, dict[str, Any]]:
    """The sentence, and per-parameter errors when a serializer gave them."""
    if isinstance(data, dict) and set(data) == {"detail"}:
        return str(data["detail"]), {}
    if isinstance(data, dict):
        errors = {str(key): [str(item) for item in _as_list(value)] for key, value in data.items()}
        sentences = [f"{key}: {' '.join(items)}" for key, items in errors.items()]
        return " ".join(sentences), {"errors": errors}
    return " ".join(str(item) for item in _as_list(data)), {}


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def problem(status_code: int, detail: str, **extra: Any) -> dict[str, Any]:
    slug, title = TITLES.get(status_code, ("error", "Error"))
    return {
        "type": TYPE_BASE + slug,
        "title": title,
        "status": status_code,
        "detail": detail,
        **extra,
    }


def problem_response(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler: its own response, rewritten as a problem."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None  # not an API error: a real 500, logged as one
    detail, extra = _detail(response.data)
    response.data = problem(response.status_code, detail, **extra)
    response.content_type = ProblemRenderer.media_type
    return response
