"""Small-number suppression: which figures a viewer sees as ``x``."""

from dataclasses import dataclass
from decimal import Decimal

from .. import units
from ..figures import ACTUAL, NOT_AVAILABLE, SUPPRESSED
from ..numbers import round_half_up
from ..numbers import to_decimal as _decimal
from .formatting import format_value

# Small-number suppression ----------------------------------------------------------------
SUPPRESSION_THRESHOLD = 5
SUPPRESSED_MARK = "x"


def is_suppressed(value, unit, numerator=None):
    """Counts of children below five are not published (the papers show 'x'), nor is a figure
    worked out from such a count (a percentage whose numerator is 1-4). Zero is published:
    it discloses no child."""
    if unit == units.COUNT and value is not None and 0 < _decimal(value) < SUPPRESSION_THRESHOLD:
        return True
    return numerator is not None and 0 < _decimal(numerator) < SUPPRESSION_THRESHOLD


def published_display(value, unit, decimal_places, status=ACTUAL, numerator=None):
    """``format_value`` for anything published or exported: small numbers become ``x``."""
    if status not in (NOT_AVAILABLE, SUPPRESSED) and is_suppressed(value, unit, numerator):
        return SUPPRESSED_MARK
    return format_value(value, unit, decimal_places, status)


def suppress_group(values, total):
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
    values = [_decimal(value) for value in values]
    hidden = [value is None or is_suppressed(value, "count") for value in values]
    if total is None or not any(hidden):
        return hidden
    while True:
        chosen = [value for value, is_hidden in zip(values, hidden, strict=True) if is_hidden]
        together = None if None in chosen else sum(chosen, Decimal(0))
        if len(chosen) >= 2 and (together is None or together >= SUPPRESSION_THRESHOLD):
            return hidden
        candidates = [
            (value == 0, value, index)
            for index, (value, is_hidden) in enumerate(zip(values, hidden, strict=True))
            if not is_hidden
        ]
        if not candidates:
            return hidden
        hidden[min(candidates)[2]] = True


@dataclass(frozen=True)
class Disclosure:
    """What one row's figure in one column could tell a reader about a count of children:
    its value (in the row's unit), the numerator it was worked out from, and whether it was
    withheld at source (printed "x" in the source, or stored as suppressed)."""

    value: Decimal | None
    unit: str
    numerator: Decimal | None = None
    withheld: bool = False


def category_count(disclosure, total):
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
        return round_half_up(_decimal(disclosure.value) * total / 100, 0)
    return False


def suppressed_cells(cells, categories, rates):
    """Which cells of one column of a table to show as ``x``.

    ``cells`` maps a row's key to its ``Disclosure``; ``categories`` maps a total's key to the
    keys of its category rows (the categories of abuse of the children on a child protection
    plan); ``rates`` maps a rate row's key to the key of the count it is worked out from.
    A small count is suppressed, and so is a figure worked out from one; a category is
    suppressed with its siblings whenever its total is shown (``suppress_group``); a rate of
    a suppressed count is suppressed. Returns {key: True to suppress}.
    """
    hidden = {
        key: cell.withheld or is_suppressed(cell.value, cell.unit, cell.numerator)
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
