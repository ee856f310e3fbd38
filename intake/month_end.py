"""Month end by owner: which of each data owner's indicators still lack the month's figure.
The owner's own page lists them (``/entry/2023-10/mine/``) and the reminders name them.

An indicator is due when the entry grid and the publishing checklist count it as missing: an
active headline measure with no figure for the month. Each sits under the first priority it
is listed in, as in the grid.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.urls import reverse

from indicators.models import Indicator, Priority
from indicators.periods import Month
from intake.grid import Entry, entry_groups


@dataclass(frozen=True)
class Owned:
    """One of an owner's indicators in a month: its priority and its grid entry."""

    priority: Priority
    entry: Entry

    @property
    def indicator(self) -> Indicator:
        return self.entry.indicator

    @property
    def missing(self) -> bool:
        return self.entry.value is None

    def grid_link(self, month: Month) -> str:
        """Its row in the month's grid (the grid of its priority, which opens at any size)."""
        url = reverse("entry_month", args=[month.iso])
        return f"{url}?priority={self.priority.number}#row-{self.indicator.reference}"


def owned_by_owner(month: Month) -> dict[int, list[Owned]]:
    """Every owned indicator of the grid for ``month``, by its owner's user id, in the grid's
    order. Queries: the entry grid's four."""
    owned: dict[int, list[Owned]] = defaultdict(list)
    for priority, entries in entry_groups(month):
        for entry in entries:
            if entry.indicator.owner_id is not None:
                owned[entry.indicator.owner_id].append(Owned(priority, entry))
    return dict(owned)


def owned_by(month: Month, user_id: int) -> list[Owned]:
    """One owner's indicators for ``month``: what they still have to enter, and the rest."""
    return owned_by_owner(month).get(user_id, [])
