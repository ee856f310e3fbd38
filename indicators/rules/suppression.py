"""Small-number suppression: which figures a viewer sees as ``x``, and what may still be
said beside an ``x``.

The rule, everywhere a viewer looks (pages, charts, exports, the pack, the quarterly report):
**no viewer output may narrow a suppressed count beyond what ``x`` already says** (that the
count is 1 to 4). So a count of 1-4 is ``x``; so is a figure a small count can be worked out
from: a percentage whose numerator, or whose denominator less its numerator (the complement),
is 1-4; a rate or percentage entered without its parts whose count, implied by the
population or denominator in force, is 1-4; a total over months that holds a suppressed month.
Beside an ``x``, a RAG rating or a direction of travel is shown only when it is the same for
every value the ``x`` could stand for (``possible_values``); otherwise it reads "Suppressed".
"""

import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from indicators import units
from indicators.figures import ACTUAL, NOT_AVAILABLE, SUPPRESSED
from indicators.numbers import Number, round_half_up, to_decimal
from indicators.rules.formatting import format_value

SUPPRESSION_THRESHOLD = 5
SUPPRESSED_MARK = "x"
#: What an ``x`` says of a count: it is one of these.
POSSIBLE_COUNTS = tuple(Decimal(count) for count in range(1, SUPPRESSION_THRESHOLD))


def _small(count: Number | None) -> bool:
    return count is not None and 0 < to_decimal(count) < SUPPRESSION_THRESHOLD


def implied_count(
    value: Number | None,
    unit: str,
    *,
    denominator: Number | None = None,
    population: Number | None = None,
) -> Decimal | None:
    """The number of children a percentage or rate speaks of when its count was not given:
    the value of its denominator (a percentage), or of the population in force (a rate per
    10,000 or 1,000 children). None when there is nothing to work it out from."""
    if value is None:
        return None
    kind = units.get(unit)
    if kind.multiplier is None:  # a count, days, points, money: no parts to work back to
        return None
    if unit == units.PERCENTAGE and denominator:
        return to_decimal(value) * to_decimal(denominator) / kind.multiplier
    if kind.is_rate and population:
        return to_decimal(value) * to_decimal(population) / kind.multiplier
    return None


def is_suppressed(
    value: Number | None,
    unit: str,
    numerator: Number | None = None,
    denominator: Number | None = None,
    *,
    denominator_in_force: Number | None = None,
    population: Number | None = None,
) -> bool:
    """True when the figure is shown as ``x``: a count of children below five; a figure worked
    out from such a count (a percentage or rate whose numerator is 1-4); a percentage whose
    complement (denominator less numerator) is 1-4 (98.5% of 203 is 3 children who are not);
    and a rate or percentage entered without its count, whose count implied by the
    ``population`` or the ``denominator_in_force`` (or its complement) is 1-4. Zero is
    published: it discloses no child."""
    if value is None and numerator is None:
        return False
    if unit == units.COUNT:
        return _small(value)
    if numerator is not None:
        if _small(numerator):
            return True
        complement = to_decimal(denominator) - to_decimal(numerator) if denominator else None
        return unit == units.PERCENTAGE and _small(complement)
    whole = denominator or denominator_in_force
    count = implied_count(value, unit, denominator=whole, population=population)
    if count is None:
        return False
    if unit == units.PERCENTAGE and whole is not None:  # a percentage's count implies a whole
        return _small(count) or _small(to_decimal(whole) - count)
    return _small(count)


def possible_values(
    unit: str, *, denominator: Number | None = None, population: Number | None = None
) -> list[Decimal] | None:
    """The values an ``x`` could stand for, as a viewer must reckon them: a count of 1 to 4;
    a percentage of 1 to 4 children out of the denominator, or of all but 1 to 4; a rate of 1
    to 4 children in the population. None when they cannot be listed (a figure withheld at
    source with nothing to go on): then nothing may be said beside the ``x``."""
    kind = units.get(unit)
    if unit == units.COUNT:
        return list(POSSIBLE_COUNTS)
    if unit == units.PERCENTAGE and denominator:
        whole = to_decimal(denominator)
        counts = [count for count in POSSIBLE_COUNTS if count < whole]
        return [c / whole * 100 for c in counts] + [(whole - c) / whole * 100 for c in counts]
    if kind.is_rate and population and kind.multiplier is not None:  # a rate has a multiplier
        return [count * kind.multiplier / to_decimal(population) for count in POSSIBLE_COUNTS]
    return None


def same_for_every[Result: Hashable](
    judge: Callable[..., Result],
    possibilities: Iterable[Sequence[object] | None],
    otherwise: Result,
) -> Result:
    """``judge``'s result when it is the same for every combination of the possible values
    (``possibilities``: one list per argument; a shown figure is a list of one), else
    ``otherwise``: that result would narrow an ``x``. A None among the lists (values that
    cannot be listed) gives ``otherwise``."""
    given = list(possibilities)
    listed = [values for values in given if values is not None]
    if len(listed) < len(given):
        return otherwise
    results: set[Result] = set()
    combinations: list[list[object]] = [[]]
    for values in listed:
        combinations = [[*chosen, value] for chosen in combinations for value in values]
    for chosen in combinations:
        results.add(judge(*chosen))
        if len(results) > 1:
            return otherwise
    return results.pop() if results else otherwise


def suppressed_over_months(months_suppressed: Iterable[bool]) -> bool:
    """A total over months (a quarter's or a year's sum of in-month counts) is suppressed
    when any month in it is: with one month suppressed it is the total less the shown
    months; with more, it says what they add up to, which narrows each ``x``."""
    return any(months_suppressed)


def year_to_date_suppressed(
    values: Iterable[Number | None], financial_years: Iterable[Hashable]
) -> list[bool]:
    """Which of a year-to-date count's months to suppress: each month's figure less the
    previous shown month's of the same financial year is that month's count, so a month is
    suppressed when that difference (or the figure itself, the first month) is 1-4.
    ``values`` oldest first (None for no figure), ``financial_years`` the year of each."""
    hidden: list[bool] = []
    last_shown: dict[Hashable, Decimal] = {}
    for value, year in zip(values, financial_years, strict=True):
        if value is None:
            hidden.append(False)
            continue
        previous = last_shown.get(year, Decimal(0))
        is_hidden = _small(value) or _small(to_decimal(value) - previous)
        hidden.append(is_hidden)
        if not is_hidden:
            last_shown[year] = to_decimal(value)
    return hidden


_CHILD_WORDS = (
    r"child(?:ren)?|young (?:people|person)|yps?|boys?|girls?|babies|baby|infants?|"
    r"teenagers?|adolescents?|care leavers?|siblings?|pupils?|learners?|students?|families|"
    r"famil(?:y|ies)|cases?|referrals?|placements?|plans?|have|had|are|were|is|was"
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4}
_SMALL_NUMBER = re.compile(
    r"(?<![\d.,])(?P<number>[1-4]|one|two|three|four)(?![\d.,%])\s+(?:\w+\s+){0,2}?"
    rf"(?:{_CHILD_WORDS})\b",
    re.IGNORECASE,
)


def small_numbers_in_text(text: str | None) -> list[str]:
    """Phrases in free text where a number below five sits next to a count of children
    ("2 have", "3 YP", "two young people"): a person should look before it is published. A
    warning, not a rule: the phrases are returned for an editor to read."""
    return [match.group(0) for match in _SMALL_NUMBER.finditer(text or "")]


def published_display(
    value: Number | None,
    unit: str,
    decimal_places: int,
    status: str = ACTUAL,
    numerator: Number | None = None,
) -> str:
    """``format_value`` for anything published or exported: small numbers become ``x``."""
    if status not in (NOT_AVAILABLE, SUPPRESSED) and is_suppressed(value, unit, numerator):
        return SUPPRESSED_MARK
    return format_value(value, unit, decimal_places, status)


def suppress_group(values: Iterable[Number | None], total: Number | None) -> list[bool]:
    """Which counts of a set of categories to show as ``x`` when their total is shown.

    ``values`` are the categories' counts (the categories of abuse of the children on a child
    protection plan; the placement types of the children in care); None is a count withheld
    at source. ``total`` is the total printed beside them, or None when it is not shown (or is
    suppressed itself). Returns one boolean per value: True to suppress.

    A count of 1-4 is suppressed (``is_suppressed``). With the total shown, a lone suppressed
    category is the total less the others, so the next-smallest category is suppressed too
    (complementary suppression); and while the suppressed categories' known counts add up to
    fewer than five, another one joins them (two 1s would otherwise be read off a total that
    is 2 more than the shown categories). The next-smallest is a non-zero count where there
    is one: a zero hidden beside a small count hides nothing.
    """
    counts = [None if value is None else to_decimal(value) for value in values]
    hidden = [count is None or is_suppressed(count, "count") for count in counts]
    if total is None or not any(hidden):
        return hidden
    while True:
        chosen = [count for count, is_hidden in zip(counts, hidden, strict=True) if is_hidden]
        known = [count for count in chosen if count is not None]
        together = sum(known, Decimal(0)) if len(known) == len(chosen) else None
        if len(chosen) >= 2 and (together is None or together >= SUPPRESSION_THRESHOLD):
            return hidden
        # A count withheld at source is hidden from the start, so every candidate is known.
        candidates = [
            (count == 0, count, index)
            for index, (count, is_hidden) in enumerate(zip(counts, hidden, strict=True))
            if not is_hidden and count is not None
        ]
        if not candidates:
            return hidden
        hidden[min(candidates)[2]] = True


@dataclass(frozen=True)
class Disclosure:
    """What one row's figure in one column could tell a reader about a count of children:
    its value (in the row's unit), the numerator and denominator it was worked out from, and
    whether it was withheld (printed "x" at source, stored as suppressed, or a total over
    months that holds a suppressed month)."""

    value: Decimal | None
    unit: str
    numerator: Decimal | None = None
    withheld: bool = False
    denominator: Decimal | None = None


def category_count(
    disclosure: Disclosure, total: Decimal | None
) -> Decimal | None | Literal[False]:
    """The number of children a category row discloses: its count, its numerator, or its
    percentage of the shown total. None: withheld. False: nothing to judge (no figure)."""
    if disclosure.withheld:
        return None
    if disclosure.value is None:
        return False
    if disclosure.unit == units.COUNT:
        return disclosure.value
    if disclosure.numerator is not None:
        return disclosure.numerator
    if disclosure.unit == units.PERCENTAGE and total is not None:
        return round_half_up(to_decimal(disclosure.value) * total / 100, 0)
    return False


def suppressed_cells[Key: Hashable](
    cells: Mapping[Key, Disclosure],
    categories: Mapping[Key, Iterable[Key]],
    rates: Mapping[Key, Key],
) -> dict[Key, bool]:
    """Which cells of one column of a table to show as ``x``.

    ``cells`` maps a row's key to its ``Disclosure``; ``categories`` maps a total's key to the
    keys of its category rows (the categories of abuse of the children on a child protection
    plan); ``rates`` maps a rate row's key to the key of the count it is worked out from.
    A small count is suppressed, and so is a figure worked out from one; a category is
    suppressed with its siblings whenever its total is shown (``suppress_group``); a rate of
    a suppressed count is suppressed. Returns {key: True to suppress}.
    """
    hidden = {
        key: cell.withheld or is_suppressed(cell.value, cell.unit, cell.numerator, cell.denominator)
        for key, cell in cells.items()
    }
    for total_key, members in categories.items():
        total = cells.get(total_key)
        shown_total = total.value if total is not None and not hidden.get(total_key, True) else None
        counted = []
        for member in members:
            count = category_count(cells[member], shown_total)
            if count is not False:
                counted.append((member, count))
        group = suppress_group([count for _, count in counted], shown_total)
        for (member, _), is_hidden in zip(counted, group, strict=True):
            hidden[member] = hidden[member] or is_hidden
    for rate_key, count_key in rates.items():
        if hidden.get(count_key):
            hidden[rate_key] = True
    return hidden
