"""Events on the charts (issue 26): something that happened to a service in a month ("New
front door opened", Apr-23), recorded by an editor on an indicator or on a priority (then it
is every one of its indicators' event). ``EventMark`` is an event as a judged row carries it:
the charts draw it as a labelled line at its month, the indicator page lists it, and an
event that changed the process starts new SPC limits (``spc.xmr``'s rebases). Pure: the
marks are loaded by ``Event.objects.marks_by_indicator``.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from indicators.periods import Month

# A label is short: it is printed on the chart beside the line.
LABEL_LENGTH = 60


@dataclass(frozen=True, order=True)
class EventMark:
    month: Month
    label: str
    note: str = ""
    changed_process: bool = False
    # Where it was recorded: "" for the indicator itself, "Priority 2" for a priority's.
    recorded_on: str = ""
    event_id: int = 0


def rebase_indexes(months: Sequence[Month], marks: Sequence[EventMark]) -> list[int]:
    """The positions in ``months`` (a series' months, oldest first) at which each event that
    changed the process starts new limits: the first month on or after the event's."""
    indexes = []
    for mark in marks:
        if mark.changed_process:
            later = [i for i, month in enumerate(months) if month >= mark.month]
            indexes.append(later[0] if later else len(months))
    return indexes


def marks_between(marks: Sequence[EventMark], first: Month, last: Month) -> list[EventMark]:
    """The marks from ``first`` to ``last`` inclusive, oldest first: what a chart of those
    months draws."""
    return sorted(mark for mark in marks if first <= mark.month <= last)


def letter(index: int) -> str:
    """The letter an event is drawn with on its indicator's charts and listed by: A, B... in
    the order of the row's events (oldest first), so every chart of a row letters it alike."""
    return chr(ord("A") + index) if index < 26 else str(index + 1)
