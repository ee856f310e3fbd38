"""The month at a glance, as a picture: per priority, how many indicators are red, amber,
green, monitored or without data, and the share of its rated indicators on target in each of
the last 12 months, so a councillor sees where things are getting better or worse.

Pure: it reads a loaded ``queries.Scorecard`` (its rows carry their figures and targets) and
judges each month through ``Row.judged``, so a suppressed figure is never rated here either.
"""

from dataclasses import dataclass

from indicators import rules
from indicators.models import Priority
from indicators.periods import Month
from scorecard.queries import Scorecard

TREND_MONTHS = 12
# Judged against a target or an anticipated range; on target, or within the range.
RATED = (
    rules.Rag.RED,
    rules.Rag.AMBER,
    rules.Rag.GREEN,
    rules.Rag.WITHIN_RANGE,
    rules.Rag.ABOVE_RANGE,
    rules.Rag.BELOW_RANGE,
)
ON_TARGET = (rules.Rag.GREEN, rules.Rag.WITHIN_RANGE)
# The bar's segments, in reading order, with the words printed beside each count.
SEGMENTS = [
    (rules.Rag.RED, "red"),
    (rules.Rag.AMBER, "amber"),
    (rules.Rag.GREEN, "green"),
    (rules.Rag.WITHIN_RANGE, "within range"),
    (rules.Rag.ABOVE_RANGE, "above range"),
    (rules.Rag.BELOW_RANGE, "below range"),
    (rules.Rag.MONITOR, "monitor"),
    (rules.Rag.NO_DATA, "no data"),
    (rules.Rag.SUPPRESSED, "suppressed"),
]


@dataclass(frozen=True)
class MonthShare:
    month: Month
    on_target: int
    rated: int

    @property
    def percent(self) -> int | None:
        return None if not self.rated else round(100 * self.on_target / self.rated)


@dataclass(frozen=True)
class PriorityGlance:
    priority: Priority
    counts: dict[rules.Rag, int]  # every segment present
    shares: list[MonthShare]  # oldest first

    @property
    def label(self) -> str:
        return f"{self.priority.number}. {self.priority.title}"

    @property
    def counts_in_words(self) -> str:
        """ "2 red, 1 amber, 3 green, 1 monitor": the bar in words (zeros left out)."""
        parts = [f"{self.counts[rag]} {word}" for rag, word in SEGMENTS if self.counts[rag]]
        return ", ".join(parts) or "no indicators"

    @property
    def trend_in_words(self) -> str:
        """ "4 of 6 on target in Sep-23, from 2 of 5 in Oct-22" (rated months only)."""
        rated = [share for share in self.shares if share.rated]
        if not rated:
            return "no rated indicators in the last 12 months"
        last = rated[-1]
        text = f"{last.on_target} of {last.rated} on target in {last.month.label}"
        if len(rated) > 1:
            first = rated[0]
            text += f", from {first.on_target} of {first.rated} in {first.month.label}"
        return text


def glance(scorecard: Scorecard, months: int = TREND_MONTHS) -> list[PriorityGlance]:
    """A ``PriorityGlance`` per priority of ``scorecard``, in its order."""
    shown = scorecard.month.months_back(months)
    result = []
    for summary in scorecard.priorities:
        counts = {rag: summary.count(rag) for rag, _ in SEGMENTS}
        shares: list[MonthShare] = []
        for month in shown:
            rags = [
                row.judged(month, rules.target_for(month, row.target_spans))[0]
                for row in summary.rows
            ]
            shares.append(
                MonthShare(
                    month,
                    on_target=sum(rag in ON_TARGET for rag in rags),
                    rated=sum(rag in RATED for rag in rags),
                )
            )
        result.append(PriorityGlance(summary.priority, counts, shares))
    return result
