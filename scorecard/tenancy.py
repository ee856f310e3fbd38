"""The council a request is for, chosen by the address's host name (issue 23; decision
0014): every query the request makes is of that council only (``indicators.tenancy``)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase, HttpResponseNotFound

from indicators.tenancy import council_for_host, council_scope


class CouncilMiddleware:
    """Sets ``request.council`` and the council scope for the rest of the request; an
    address no council is served at is a 404 in words."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        council = council_for_host(request.get_host().split(":")[0].lower())
        if council is None:
            return HttpResponseNotFound(
                "No council's scorecard is served at this address.", content_type="text/plain"
            )
        request.council = council  # type: ignore[attr-defined]
        with council_scope(council):
            return self.get_response(request)
