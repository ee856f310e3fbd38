"""The months an editor is offered for entry (the month picker on ``/entry/`` and the import
template's months): every month with figures, every month a target starts or ends, the month
after the latest figures (the one that is next to enter), month end (the month just ended and
the one before it) and the month now. A month that has not begun, or one before 2000, is never
offered.
"""

from collections.abc import Collection
from dataclasses import dataclass

from indicators.models import Target, Value
from indicators.periods import EARLIEST, Month


@dataclass(frozen=True)
class EntryMonths:
    months: list[Month]  # newest first
    next_to_enter: Month  # the month chosen at first (``entry_months`` says which)
    month_end: list[Month]  # the month just ended, then the one before it


def entry_months(published: Collection[Month], current: Month | None = None) -> EntryMonths:
    """The months to offer when ``current`` is the month now and ``published`` are the
    published months. The one chosen at first is the earliest draft month with figures after
    the latest published one (the month being entered), else the month after the latest
    figures, else the month just ended. Queries: the months with figures, the months targets
    start and end."""
    current = current or Month.current()
    month_end = [current.previous(), current.previous().previous()]
    with_figures = Value.objects.months()
    with_targets = {
        Month.from_date(day)
        for pair in Target.objects.values_list("valid_from", "valid_to").distinct()
        for day in pair
        if day is not None
    }
    after_latest = with_figures[0].plus(1) if with_figures else month_end[0]
    latest_published = max(published, default=None)
    drafts = [m for m in with_figures if latest_published is None or m > latest_published]
    next_to_enter = min(min(drafts, default=after_latest), current)
    months = {*with_figures, *with_targets, after_latest, *month_end, current}
    return EntryMonths(
        months=sorted((m for m in months if EARLIEST <= m <= current), reverse=True),
        next_to_enter=next_to_enter,
        month_end=month_end,
    )
