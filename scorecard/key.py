"""The key to the scorecard's marks, written once from the rules: the web pages, the pack and
the spreadsheets all print this list (``partials/key.html``, ``exports``), so the key always
says what the rules do (the tolerance from the rules, the populations from the data).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from indicators import rules, spc
from indicators.numbers import format_number
from indicators.periods import Month

if TYPE_CHECKING:
    from indicators.models import Population


@dataclass(frozen=True)
class KeyEntry:
    term: str  # the mark in words: "Green", "Up / Down, an improvement", "x"
    meaning: str
    name: str = ""  # the words a table's mark carries for a screen reader, where it has any
    rag: str = ""  # a RAG tag's css modifier ("green"): drawn as the tag
    dot: str = ""  # a direction mark's css modifier ("improvement"): drawn as the arrow
    symbol: str = ""  # the arrow shown with a direction mark, or an SPC icon's letters
    spc: str = ""  # an SPC icon's css modifier ("improvement", "assurance-meets")


@dataclass(frozen=True)
class KeySection:
    title: str
    entries: list[KeyEntry]
    css: str = ""  # a class for the section's table


def key_sections(
    populations: Sequence["Population"] = (),
    tolerance: Decimal = rules.DEFAULT_TOLERANCE,
    moving_targets: bool = True,
) -> list[KeySection]:
    """The key, section by section. ``populations`` are the population denominators in force
    (objects with ``name``, ``age_from``, ``age_to``, ``value`` and ``source``): rates are
    explained with the population they are worked out from. ``moving_targets`` off leaves
    out trajectories and anticipated ranges, for a scorecard that has neither (a council
    without them should not read a page of marks it never meets)."""
    band = rules.tolerance_text(tolerance)
    rag_meanings = {
        rules.Rag.GREEN: "On target",
        rules.Rag.AMBER: f"Worse than target but within {band} of it (or the target's own "
        "tolerance)",
        rules.Rag.RED: f"More than {band} from target (any figure worse than a target of 0)",
        rules.Rag.MONITOR: "No target: monitored, not rated",
        rules.Rag.NO_DATA: "No figure for the month",
        rules.Rag.SUPPRESSED: "Beside an x: not rated, because the rating would differ "
        "between the counts the x could stand for and so would give it away",
    }
    rag = [
        KeyEntry(rag.label, meaning, name=rag.accessible_name, rag=rag.css_modifier)
        for rag, meaning in rag_meanings.items()
    ]
    direction = [
        KeyEntry(
            "Up / Down, an improvement",
            "The figure moved in the better direction for this indicator",
            dot="improvement",
            symbol="▲ ▼",
        ),
        KeyEntry(
            "Up / Down, a decline",
            "The figure moved in the worse direction for this indicator",
            dot="decline",
            symbol="▲ ▼",
        ),
        KeyEntry("Level, no change", "The same at the precision shown", dot="neutral", symbol="▶"),
        KeyEntry(
            "Not judged",
            "Neither direction is better (monitor-only indicators): grey arrows",
            dot="neutral",
            symbol="▲ ▼",
        ),
        KeyEntry("No previous figure", "There is no figure for the month before to compare with"),
        KeyEntry(
            "Suppressed",
            "Beside an x: no arrow, because the direction would differ between the counts the "
            "x could stand for",
        ),
    ]
    figures = [
        KeyEntry(
            rules.SUPPRESSED_MARK,
            "Suppressed: fewer than 5 children (a count of 1 to 4, or a figure worked out "
            "from one), so the figure is not published",
        ),
        KeyEntry("Not available", "The figure was not available for that month"),
        KeyEntry(
            "†",
            "Revised: the figure was changed after its month was published; the date, the "
            "previous figure and the reason are given with it",
        ),
        KeyEntry("%", "Percentages are shown in percentage points (52.0% is stored as 52.0)"),
        KeyEntry("r", _rate_meaning(populations)),
    ]
    moving = [KeySection("Trajectories and anticipated ranges", _moving_target_entries())]
    return [
        KeySection("RAG rating against target", rag),
        *(moving if moving_targets else []),
        KeySection("Direction of travel since the previous month", direction),
        KeySection("Figures", figures),
        KeySection(
            "Charts",
            [
                KeyEntry("Solid blue line", "The indicator's figures, month by month"),
                KeyEntry("Dashed grey steps", "The target in force each month"),
                KeyEntry(
                    "Dotted grey line",
                    "Synthetic demonstration history (not published figures), where there is any",
                ),
                KeyEntry("Dotted coloured lines", "Benchmarks, each labelled with its year"),
                KeyEntry("A gap in a line", "No figure that month, or a figure shown as x"),
            ],
        ),
        KeySection(
            "Statistical process control (SPC): variation in the latest month, and assurance "
            "that the target will be met",
            _spc_entries(),
            css="spc-key-table",
        ),
    ]


def _moving_target_entries():
    """A trajectory in words (with its rounding), and the marks against an anticipated range
    (rules.ranges), each with its own colour and words."""
    ranges = {
        rules.Rag.WITHIN_RANGE: "On or between the two ends of the anticipated range",
        rules.Rag.ABOVE_RANGE: "Higher than the anticipated range's upper end",
        rules.Rag.BELOW_RANGE: "Lower than the anticipated range's lower end",
    }
    return [
        KeyEntry(
            "Trajectory",
            "A target that moves in a straight line from a starting figure to a goal: "
            f"{rules.TRAJECTORY_ROUNDING}. The month's figure is rated against that month's "
            "target; charts draw the line dashed, on to the goal month",
        ),
        KeyEntry(
            "On track for the goal",
            "The month's figure is on or better than the trajectory's target for the month "
            "(from the goal month: goal met)",
        ),
        KeyEntry(
            "Not on track for the goal",
            "The month's figure is worse than the trajectory's target for the month (from the "
            "goal month: goal not met)",
        ),
        KeyEntry(
            "Anticipated range",
            "For an indicator with no better direction: the lowest and highest figures "
            "expected. The figure is rated by where it falls, not red, amber or green",
        ),
        *[
            KeyEntry(rag.label, meaning, name=rag.accessible_name, rag=rag.css_modifier)
            for rag, meaning in ranges.items()
        ],
    ]


def _spc_entries():
    """The SPC icons and patterns in words (``indicators.spc``)."""
    return [
        KeyEntry("Expected range", spc.EXPECTED_RANGE),
        *[
            KeyEntry("Unusual pattern", pattern[0].upper() + pattern[1:])
            for pattern in spc.key_patterns()
        ],
        *[
            KeyEntry(variation.label, meaning, spc=variation.kind, symbol=variation.icon)
            for variation, meaning in spc.VARIATION_KEY
        ],
        *[
            KeyEntry(
                assurance.label,
                meaning,
                spc=f"assurance-{assurance.css}",
                symbol=assurance.icon,
            )
            for assurance, meaning in spc.ASSURANCE_KEY
        ],
        KeyEntry(
            "No target",
            "No assurance: the indicator has no target, or neither direction is better.",
            spc="none",
        ),
        KeyEntry(
            "Not enough data",
            "Fewer than 12 months of figures in the last 24: too few to tell usual from unusual.",
            spc="none",
        ),
    ]


def _rate_meaning(populations):
    if not populations:
        return "A rate per 10,000 children (or per 1,000, as the indicator says)"
    bands = "; ".join(
        f"{population.name}, ages {population.age_from}-{population.age_to} "
        f"({population.source}: {format_number(population.value, 0)})"
        for population in populations
    )
    return f"A rate per 10,000 children (or per 1,000, as the indicator says) of: {bands}"


def populations_in_force(populations: Iterable["Population"], month: Month) -> list["Population"]:
    """Of each age band's populations, the one in force in ``month`` (the latest that starts
    on or before it), youngest band first."""
    latest: dict[tuple[int, int], Population] = {}
    for population in sorted(populations, key=lambda p: p.valid_from):
        if population.valid_from <= month.first_day:
            latest[(population.age_from, population.age_to)] = population
    return [latest[band] for band in sorted(latest)]
