"""A consortium's comparison as rules, pure (issue 23, part 4): which members' indicators are
the same measure, and where each member stands among the others in a month.

Indicators are matched across councils by a shared definition only, a DfE LAIT measure's
code or the consortium's own code, never by their names or references: two councils may call
different things by the same name, and the same thing by different names. Rank, median and
quartiles are worked out from the figures a viewer is shown: a figure shown as "x" is left out
of all three, so none of them narrows it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from indicators import rules

LAIT = "lait"
CODE = "code"


@dataclass(frozen=True, order=True)
class Definition:
    """What members' indicators are matched by: (``kind``, ``code``), a LAIT measure's code
    or one of the consortium's own; the rest describes it."""

    kind: str
    code: str
    name: str = ""
    unit: str = ""
    polarity: str = rules.NEITHER

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.code)


@dataclass(frozen=True)
class Choice:
    """A member's choice to share one indicator (as loaded): its council and indicator ids,
    and the definition it was shared under."""

    council_id: int
    indicator_id: int
    definition: Definition


def matched(choices: Iterable[Choice]) -> dict[tuple[str, str], dict[int, Choice]]:
    """{definition key: {council id: choice}}: each member's indicator under each shared
    definition (a council sharing two indicators under one definition: the lower id, so the
    answer does not depend on the order loaded). Keys sorted by kind and code."""
    found: dict[tuple[str, str], dict[int, Choice]] = {}
    for choice in sorted(choices, key=lambda c: c.indicator_id):
        by_council = found.setdefault(choice.definition.key, {})
        by_council.setdefault(choice.council_id, choice)
    return dict(sorted(found.items()))


def agreed_polarity(declared: str, members: Sequence[str]) -> str:
    """The polarity members are ranked by: the definition's when it says which way is
    better; else the members' indicators', when they all agree; else none (no rank)."""
    if declared in (rules.HIGHER_IS_BETTER, rules.LOWER_IS_BETTER):
        return declared
    kinds = set(members)
    if len(kinds) == 1 and kinds <= {rules.HIGHER_IS_BETTER, rules.LOWER_IS_BETTER}:
        return kinds.pop()
    return rules.NEITHER


@dataclass(frozen=True)
class Spread:
    """The members' median and quartiles (None with no figure shown), and how many figures
    they were worked out from."""

    count: int
    median: Decimal | None
    lower_quartile: Decimal | None
    upper_quartile: Decimal | None


def _quantile(ordered: Sequence[Decimal], fraction: Decimal) -> Decimal:
    # Linear interpolation between closest ranks, inclusive of both ends: what a
    # spreadsheet's QUARTILE.INC gives, as the alliances' own spreadsheets do.
    position = fraction * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def spread(values: Iterable[Decimal | None]) -> Spread:
    """Median and quartiles of the figures shown (None ones, "x" or no figure, left out)."""
    ordered = sorted(value for value in values if value is not None)
    if not ordered:
        return Spread(0, None, None, None)
    return Spread(
        len(ordered),
        _quantile(ordered, Decimal("0.5")),
        _quantile(ordered, Decimal("0.25")),
        _quantile(ordered, Decimal("0.75")),
    )


def ranks(values: Sequence[Decimal | None], polarity: str) -> list[int | None]:
    """Each figure's rank among those shown, 1 the best by ``polarity``; equal figures share
    a rank and the next is skipped (1, 2, 2, 4). None for a figure not shown, and for every
    figure when neither way is better."""
    if polarity not in (rules.HIGHER_IS_BETTER, rules.LOWER_IS_BETTER):
        return [None] * len(values)
    higher = polarity == rules.HIGHER_IS_BETTER
    shown = [value for value in values if value is not None]
    result: list[int | None] = []
    for value in values:
        if value is None:
            result.append(None)
            continue
        better = sum(1 for other in shown if (other > value if higher else other < value))
        result.append(better + 1)
    return result


def rank_text(rank: int | None, ranked: int) -> str:
    """A rank as printed: "2 of 5" (of the figures shown); "Not ranked" without one."""
    return "Not ranked" if rank is None else f"{rank} of {ranked}"
