"""The read side's cache: what a page computed is kept under the data version
(``indicators.changes``), so a page reads one number and, while nothing has changed, serves
what it worked out before; any write moves the version on and the next reader computes afresh.

Two kinds of thing are kept: small values the views need before rendering (the months with
figures, the published months), through ``remember``; and the rendered body of a page, through
Django's ``{% cache %}`` template tag keyed on ``page_key`` (the heavy loading is passed to the
template as ``lazy`` objects, so on a hit it never runs). What differs between users (their
name, the sign-out form, messages) is outside the cached part, in the base template.
"""

from collections.abc import Callable
from typing import Any, cast

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from indicators.changes import data_version

# Kept until the data changes; the bound only lets old versions' entries fall away.
TIMEOUT = 24 * 60 * 60


class Version:
    """The data version of the request's council, read once (one query) when first needed."""

    def __init__(self, council_id: int | None) -> None:
        self._council_id = council_id
        self._number: int | None = None

    @property
    def number(self) -> int:
        if self._number is None:
            self._number = data_version(self._council_id)
        return self._number

    def __str__(self) -> str:
        return str(self.number)


def request_version(request: HttpRequest) -> Version:
    """The request's data version (read once per request)."""
    # Kept on the request object itself, which HttpRequest's type does not declare.
    if not hasattr(request, "_scorecard_version"):
        council = getattr(request, "council", None)
        council_id = None if council is None else council.pk
        request._scorecard_version = Version(council_id)  # type: ignore[attr-defined]
    return request._scorecard_version  # type: ignore[attr-defined]


def remember(request: HttpRequest, name: str, compute: Callable[[], object], *parts: object) -> Any:
    """``compute()``'s result, kept under the data version, ``name`` and ``parts``."""
    key = ":".join(
        ["scorecard", name, council_part(request), str(request_version(request)), *map(str, parts)]
    )
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, TIMEOUT)
    return found


def lazy[T](compute: Callable[[], T]) -> T:
    """A value worked out only if a template uses it (on a cache miss): Django's
    ``SimpleLazyObject``, which stands for the value wherever it is used."""
    return cast(T, SimpleLazyObject(compute))


def page_key(request: HttpRequest, *parts: object) -> list[object]:
    """What a cached page body varies on: the data version and whether drafts are shown
    (an editor's page holds draft figures a viewer's must not), then the page's own."""
    from indicators.roles import sees_drafts

    return [
        council_part(request),
        request_version(request).number,
        sees_drafts(request.user),
        *parts,
    ]


def council_part(request: HttpRequest) -> str:
    """The council a cached value is of: councils share the cache, never its entries."""
    council = getattr(request, "council", None)
    return f"council{council.pk}" if council is not None else "council-"
