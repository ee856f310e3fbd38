"""The read side's cache: what a page computed is kept under the data version
(``indicators.changes``), so a page reads one number and, while nothing has changed, serves
what it worked out before; any write moves the version on and the next reader computes afresh.

Two kinds of thing are kept: small values the views need before rendering (the months with
figures, the published months, a download), through ``remember``; and the rendered body of a
page, through the ``{% kept %}`` template tag (scorecard/templatetags/kept.py) keyed on
``page_key`` (the heavy loading is passed to the template as ``lazy`` objects, so on a hit it
never runs). What differs between users (their name, the sign-out form, messages) is outside
the cached part, in the base template.

Both go through ``kept``: after a change, the first reader to miss works the value out once for
every worker and server sharing the cache, and the others wait briefly for it (decision 0018).
"""

import secrets
import time
from collections.abc import Callable
from typing import Any, cast

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from indicators.changes import data_version

# Kept until the data changes; the bound only lets old versions' entries fall away.
TIMEOUT = 24 * 60 * 60

#: Seconds a reader working a value out holds its claim: a reader that died holding it (a
#: worker killed mid-page) keeps the others waiting no longer than this. Whole seconds: Redis
#: keeps an expiry in seconds.
CLAIM_SECONDS = 5
#: Seconds a reader waits for another's work before working the value out itself. A page is
#: worked out in 30-150 ms on a quiet server, a second or so on a busy one.
WAIT_SECONDS = 5.0
#: The first pause between looks at the cache while waiting; each pause doubles, up to the last.
FIRST_PAUSE, LAST_PAUSE = 0.01, 0.1

_MISSING = object()


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
    return kept(key, compute)


def kept(key: str, compute: Callable[[], object]) -> Any:
    """What the cache holds under ``key``; on a miss, ``compute()``'s result, stored there.

    Worked out once for every process sharing the cache (decision 0018): the reader that
    misses first claims the key (``cache.add``, set-if-absent in every backend), works the
    value out, stores it and lets the claim go. A reader that finds it claimed looks again at
    short intervals and is served the value as soon as it is stored; if the claim is let go
    with nothing stored (the work raised) it claims the key itself. It never waits longer than
    ``WAIT_SECONDS``, nor on a claim older than ``CLAIM_SECONDS`` (its holder died): it then
    works the value out itself. With Redis unreachable, ``TolerantRedisCache`` says every
    claim succeeds and every read misses, so each reader works its page out, as without a
    cache."""
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        return found
    claim, token = f"working:{key}", secrets.token_hex(8)
    give_up = time.monotonic() + WAIT_SECONDS
    pause = FIRST_PAUSE
    while not cache.add(claim, token, CLAIM_SECONDS):
        left = give_up - time.monotonic()
        if left <= 0:
            return _work_out(key, compute)
        time.sleep(min(pause, left))
        pause = min(2 * pause, LAST_PAUSE)
        found = cache.get(key, _MISSING)
        if found is not _MISSING:
            return found
    try:
        # Stored by a reader whose claim was let go between this one's first look and its claim.
        found = cache.get(key, _MISSING)
        return _work_out(key, compute) if found is _MISSING else found
    finally:
        # Let go only of this reader's own claim (one that lapsed may be another's by now).
        if cache.get(claim) == token:
            cache.delete(claim)


def _work_out(key: str, compute: Callable[[], object]) -> object:
    value = compute()
    cache.set(key, value, TIMEOUT)
    return value


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
