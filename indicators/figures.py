"""A figure: a value with, optionally, the numerator and denominator it was worked out from,
and a status. The same dataclass is a figure typed into the grid, read from a spreadsheet,
loaded for a page and summed into a quarter, so every part of the product reads one shape.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from indicators.numbers import plain

ACTUAL = "actual"
PROVISIONAL = "provisional"
NOT_AVAILABLE = "not_available"
SUPPRESSED = "suppressed"


@dataclass(frozen=True)
class Revision:
    """The latest change to a figure after its month was published: when, from what, why.
    ``previous`` is the figure before the change (None: the month had no figure)."""

    at: dt.datetime
    reason: str
    previous: "Figure | None" = None


@dataclass(frozen=True)
class Figure:
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    status: str = ACTUAL  # actual | provisional | not_available | suppressed
    synthetic: bool = False  # demonstration history, never a published figure
    revision: Revision | None = None  # set when it was changed after its month was published


class FigureLike(Protocol):
    """What a figure's readers need of it: a ``Figure``, a stored ``models.Value`` or
    ``models.AnnualFigure`` alike."""

    @property
    def value(self) -> Decimal | None: ...
    @property
    def numerator(self) -> Decimal | None: ...
    @property
    def denominator(self) -> Decimal | None: ...
    @property
    def status(self) -> str: ...


def fingerprint(figure: FigureLike | None) -> str:
    """Value, numerator, denominator and status of a Figure or a stored Value, as text: two
    figures are the same figure exactly when their fingerprints are equal ("" for none).
    Used to spot what an import or a save would change, and what changed under an editor."""
    if figure is None:
        return ""
    parts = (figure.value, figure.numerator, figure.denominator)
    return "|".join([*(plain(part, normalise=True) for part in parts), figure.status])
