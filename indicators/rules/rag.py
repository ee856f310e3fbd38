"""Polarity, the target in force in a month, and RAG against it."""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from ..numbers import format_number, significant_places
from ..numbers import to_decimal as _decimal

# Polarity: which way is better. Defined here once; the model's choices and SPC use these.
HIGHER_IS_BETTER = "higher_is_better"
LOWER_IS_BETTER = "lower_is_better"
NEITHER = "neither"

DEFAULT_TOLERANCE = Decimal("0.15")


# Targets ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class TargetSpan:
    value: Decimal
    label: str = ""
    valid_from: object = None  # periods.Month
    valid_to: object = None  # periods.Month or None: open-ended
    tolerance: Decimal = DEFAULT_TOLERANCE
    absolute_tolerance: Decimal | None = None

    def applies_to(self, month):
        if self.valid_from is not None and month < self.valid_from:
            return False
        return self.valid_to is None or month <= self.valid_to


def target_for(month, spans):
    """The target in force in ``month``: of the spans covering it, the one that started last.

    A target valid only from a later month does not apply to earlier months (they are
    "Monitor" then), so a target set in October never colours September's figure.
    """
    covering = [span for span in spans if span.applies_to(month)]
    if not covering:
        return None
    # A span with no start month is in force from the beginning: it loses to any dated one.
    return max(covering, key=lambda span: (span.valid_from is not None, span.valid_from or 0))


# RAG --------------------------------------------------------------------------------------
class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    MONITOR = "monitor"
    NO_DATA = "no data"
    # Beside an "x" whose possible values would be rated differently: no colour, no rating.
    SUPPRESSED = "suppressed"

    @property
    def label(self):
        return _RAG_LABELS[self][0]

    @property
    def accessible_name(self):
        return _RAG_LABELS[self][1]

    @property
    def css_modifier(self):
        return "nodata" if self is Rag.NO_DATA else self.value


_RAG_LABELS = {
    Rag.GREEN: ("Green", "Green: on target"),
    Rag.AMBER: ("Amber", "Amber: within tolerance of target"),
    Rag.RED: ("Red", "Red: more than tolerance from target"),
    Rag.MONITOR: ("Monitor", "Monitor: no target"),
    Rag.NO_DATA: ("No data", "No data for this month"),
    Rag.SUPPRESSED: ("Suppressed", "Suppressed: not rated, so the figure cannot be worked out"),
}


def rag_status(
    value,
    target,
    polarity,
    tolerance=DEFAULT_TOLERANCE,
    absolute_tolerance=None,
):
    """Judge a figure against its target.

    Green when on or better than target; amber when worse but within the tolerance,
    ``|value - target| <= tolerance * |target|`` (or within ``absolute_tolerance`` in the
    indicator's own unit when the target sets one); red otherwise. A target of 0 has no
    relative band, so anything worse than 0 is red unless an absolute tolerance is given.
    No figure is No data, with or without a target; otherwise no target, or polarity
    "neither", is Monitor.
    """
    if value is None:
        return Rag.NO_DATA
    if target is None or polarity == NEITHER:
        return Rag.MONITOR
    if polarity not in (HIGHER_IS_BETTER, LOWER_IS_BETTER):
        raise ValueError(f"Unknown polarity {polarity!r}.")
    value, target = _decimal(value), _decimal(target)
    on_target = value >= target if polarity == HIGHER_IS_BETTER else value <= target
    if on_target:
        return Rag.GREEN
    gap = abs(value - target)
    if absolute_tolerance is not None:
        allowed = _decimal(absolute_tolerance)
    else:
        allowed = _decimal(tolerance) * abs(target)
    return Rag.AMBER if gap <= allowed else Rag.RED


def rag_for_target(value, span, polarity):
    """``rag_status`` with the tolerance carried by a ``TargetSpan`` (or no target)."""
    if span is None:
        return Rag.MONITOR if value is not None else Rag.NO_DATA
    return rag_status(value, span.value, polarity, span.tolerance, span.absolute_tolerance)


def rag_accessible_name(rag, span):
    """ "Amber: within 15% of target" with the target's own tolerance."""
    if span is None or rag not in (Rag.AMBER, Rag.RED):
        return rag.accessible_name
    if span.absolute_tolerance is not None:
        places = significant_places(span.absolute_tolerance)
        band = format_number(span.absolute_tolerance, places)
    else:
        band = tolerance_text(span.tolerance)
    if rag is Rag.AMBER:
        return f"Amber: within {band} of target"
    return f"Red: more than {band} from target"


def tolerance_text(tolerance=DEFAULT_TOLERANCE):
    """``15%`` for a tolerance of 0.15: the amber band as the key and the labels write it."""
    percent = _decimal(tolerance) * 100
    return f"{format_number(percent, significant_places(percent))}%"
