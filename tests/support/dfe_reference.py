"""DfE's comparators worked out one measure and year at a time: the reference that
``indicators.dfe.comparators.council_comparators`` (which works on whole columns at once) is
held to on every measure-year of the extract (tests/test_lait_comparators.py), each function
itself checked against values worked by hand from DfE's published data.

The facts are DfE's, as the application's module states them: the neighbours' plain mean with
the neighbours with no value left out; quartiles of the authorities' values by linear
interpolation, band A the best quarter by polarity, a value equal to a quartile in the interval
below it; rank 1 best by polarity, tied values sharing the lowest rank. NaN (DfE's ``-``) is
left out of every mean, quartile, rank and count.
"""

import math

import numpy as np

from indicators import rules

BANDS = ("A", "B", "C", "D")


def _present(values):
    """The values that are published, as a float array (NaN left out)."""
    array = np.asarray(values, dtype="float64")
    return array[~np.isnan(array)]


def _judged(polarity):
    return polarity in (rules.HIGHER_IS_BETTER, rules.LOWER_IS_BETTER)


def statistical_neighbour_mean(values, neighbours):
    """The mean of the ``neighbours``' values (area codes, in any order); neighbours with no
    value, or missing from ``values``, are left out. None when none has a value."""
    present = _present(values.reindex(list(neighbours)))
    # fsum: the correctly rounded sum, so the mean does not depend on the order of adding.
    return math.fsum(present) / present.size if present.size else None


def neighbours_with_value(values, neighbours):
    """How many of the ``neighbours`` have a value: the mean is of these."""
    return int(_present(values.reindex(list(neighbours))).size)


def quartiles(authority_values):
    """The lower quartile, median and upper quartile of the authorities' values (linear
    interpolation); None when no authority has a value."""
    present = _present(authority_values)
    if not present.size:
        return None
    lower, median, upper = np.quantile(present, [0.25, 0.5, 0.75])
    return float(lower), float(median), float(upper)


def quartile_band(value, authority_values, polarity, no_quartile=False):
    """``"A"`` (best quarter) to ``"D"`` for ``value`` among the authorities' values, by
    polarity; None for no value, no polarity, or a measure DfE does not band."""
    if value is None or np.isnan(value) or no_quartile or not _judged(polarity):
        return None
    bounds = quartiles(authority_values)
    if bounds is None:
        return None
    lower, median, upper = bounds
    # Each quartile closes the interval below it: a value equal to the lower quartile is in
    # the bottom quarter.
    if value <= lower:
        quarter = 0
    elif value <= median:
        quarter = 1
    elif value <= upper:
        quarter = 2
    else:
        quarter = 3
    return BANDS[quarter] if polarity == rules.LOWER_IS_BETTER else BANDS[3 - quarter]


def rank_among_authorities(value, authority_values, polarity):
    """1 + the number of authorities with a better value: tied values share the lowest rank.
    None for no value or no polarity."""
    if value is None or np.isnan(value) or not _judged(polarity):
        return None
    present = _present(authority_values)
    better = present > value if polarity == rules.HIGHER_IS_BETTER else present < value
    return int(better.sum()) + 1


def authorities_with_value(authority_values):
    """How many authorities have a value: the number the rank is out of."""
    return int(_present(authority_values).size)


def region_for_measure(latest_values, region_codes):
    """Of ``region_codes`` (preferred first), the first with a value in the measure's latest
    year (``latest_values``, by area code) - DfE's fallback from a half of London to London;
    the first code when none has one; None when there is no region."""
    for code in region_codes:
        if code in latest_values.index and not np.isnan(latest_values.loc[code]):
            return code
    return region_codes[0] if region_codes else None
