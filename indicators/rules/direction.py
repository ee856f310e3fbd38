"""Direction of travel: which way a figure moved since the previous month, and whether that
is better by the indicator's polarity."""

from dataclasses import dataclass
from enum import StrEnum

from indicators.numbers import Number, round_half_up
from indicators.rules.polarity import HIGHER_IS_BETTER, LOWER_IS_BETTER, NEITHER


# Direction of travel ----------------------------------------------------------------------
class Arrow(StrEnum):
    UP = "up"
    DOWN = "down"
    LEVEL = "level"
    NONE = "none"


class Judgement(StrEnum):
    IMPROVEMENT = "improvement"
    DECLINE = "decline"
    NO_CHANGE = "no change"
    NOT_JUDGED = "not judged"


_ARROW_SYMBOLS = {Arrow.UP: "▲", Arrow.DOWN: "▼", Arrow.LEVEL: "▶", Arrow.NONE: ""}


@dataclass(frozen=True)
class Direction:
    arrow: Arrow
    judgement: Judgement
    reason: str = ""

    @property
    def symbol(self) -> str:
        return _ARROW_SYMBOLS[self.arrow]

    @property
    def accessible_name(self) -> str:
        """Text that says what the colour says: "Down, an improvement"."""
        if self.arrow is Arrow.NONE:
            return self.reason
        if self.arrow is Arrow.LEVEL:
            return "Level, no change"
        word = "Up" if self.arrow is Arrow.UP else "Down"
        if self.judgement is Judgement.IMPROVEMENT:
            return f"{word}, an improvement"
        if self.judgement is Judgement.DECLINE:
            return f"{word}, a decline"
        return f"{word}, not judged (no better direction)"

    @property
    def css_modifier(self) -> str:
        return {
            Judgement.IMPROVEMENT: "improvement",
            Judgement.DECLINE: "decline",
        }.get(self.judgement, "neutral")


#: Beside an "x" whose possible values would move differently: no arrow, no judgement.
SUPPRESSED_DIRECTION = Direction(Arrow.NONE, Judgement.NOT_JUDGED, "Suppressed")


def direction_of_travel(
    current: Number | None, previous: Number | None, polarity: str, decimal_places: int
) -> Direction:
    """Which way the figure moved since the previous period, and whether that is better.

    Level means equal at the indicator's display precision. Polarity "neither" moves but is
    not judged (grey). A missing current or previous figure gives no arrow.
    """
    if previous is None:
        return Direction(Arrow.NONE, Judgement.NOT_JUDGED, "No previous figure")
    if current is None:
        return Direction(Arrow.NONE, Judgement.NOT_JUDGED, "No current figure")
    now = round_half_up(current, decimal_places)
    before = round_half_up(previous, decimal_places)
    if now == before:
        return Direction(Arrow.LEVEL, Judgement.NO_CHANGE)
    arrow = Arrow.UP if now > before else Arrow.DOWN
    if polarity == NEITHER:
        return Direction(arrow, Judgement.NOT_JUDGED)
    if polarity not in (HIGHER_IS_BETTER, LOWER_IS_BETTER):
        raise ValueError(f"Unknown polarity {polarity!r}.")
    improved = (arrow is Arrow.UP) == (polarity == HIGHER_IS_BETTER)
    return Direction(arrow, Judgement.IMPROVEMENT if improved else Judgement.DECLINE)
