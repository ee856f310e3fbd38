"""England, region, statistical-neighbour mean, quartile band and rank, as DfE's LAIT works
them out. Pure: pandas in, numbers out; nothing here reads the database.

One measure and year's published values are a ``pd.Series`` indexed by DfE's area code (an
authority's three-digit LA number, 970 England, 9xx a region), NaN where DfE publishes ``-``
(not available or suppressed): NaN is left out of every mean, quartile, rank and count,
never read as zero. "Authority values" are the authorities' values only (not England, not
the regions).

The facts (from DfE, see ``/work/shared/lait/README.md``):
- the statistical-neighbour figure is the plain mean of the ten neighbours' values, the
  neighbours with no value left out;
- quartiles are of the authorities' values, linear interpolation (R's and numpy's default);
  band A is the best quarter by polarity, and a value equal to a quartile is in the interval
  below it; a measure with ``No_Quartile`` set, or no polarity, has no band;
- rank 1 is best by polarity; tied values share the lowest rank; no polarity, no rank.
"""

# pandas' Series is generic only in its stubs: its annotations are not evaluated at run time.
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from indicators import rules
from indicators.dfe.years import year_order

ENGLAND = 970
LONDON = "London"
BANDS = ("A", "B", "C", "D")


def _present(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """The values that are published, as a float array (NaN left out)."""
    array = np.asarray(values, dtype="float64")
    return array[~np.isnan(array)]


# The region ------------------------------------------------------------------------------
_REGION_SPELLINGS = {"inner london": "london (inner)", "outer london": "london (outer)"}


def normalise_region(name: object) -> str:
    """One spelling for a region named in an authority's ``Region`` column or as an area:
    ``Yorkshire and The Humber`` and ``Yorkshire and the Humber`` are one region, and so are
    ``Outer London`` and ``London (Outer)``."""
    key = " ".join(str(name).split()).casefold()
    return _REGION_SPELLINGS.get(key, key)


def region_area_codes(region: str, region_areas: Mapping[str, int]) -> tuple[int, ...]:
    """The area codes to compare an authority of ``region`` with, preferred first.

    ``region_areas`` maps each region area's name to its code (``{"South West": 990}``). An
    inner or outer London borough is compared with its half of London, or with London where
    DfE publishes no figure for that half (see ``regions_by_measure``).
    """
    by_name = {normalise_region(name): code for name, code in region_areas.items()}
    wanted = normalise_region(region)
    codes = [by_name[wanted]] if wanted in by_name else []
    london = normalise_region(LONDON)
    if wanted.startswith(london + " (") and london in by_name:
        codes.append(by_name[london])
    return tuple(codes)


# Every measure and year at once ----------------------------------------------------------
@dataclass(frozen=True)
class CouncilPlace:
    """Where the council sits in the data set: its area code, its region's area codes
    (``region_area_codes``) and its statistical neighbours' codes, in the list's order."""

    authority: int
    region_codes: tuple[int, ...] = ()
    neighbours: tuple[int, ...] = ()


COMPARATOR_COLUMNS = [
    "measure",
    "year",
    "area_value",
    "england",
    "region_code",
    "region",
    "statistical_neighbours",
    "neighbours_with_value",
    "quartile",
    "rank",
    "authorities",
]


def _at_area(frame: pd.DataFrame, code: int | None, name: str) -> pd.DataFrame:
    """Each measure-year's value at one area, as a column called ``name``."""
    keys = ["measure", "year"]
    if code is None:
        return pd.DataFrame(columns=[*keys, name])
    rows: pd.DataFrame = frame.loc[frame["area_code"].to_numpy() == code, [*keys, "value"]]
    return rows.rename(columns={"value": name})


def _exact_sum(values: npt.ArrayLike) -> float:
    return math.fsum(_present(values))


def _latest_year_by_measure(frame: pd.DataFrame) -> pd.DataFrame:
    years = frame[["measure", "year"]].drop_duplicates()
    years["order"] = years["year"].map(year_order)
    latest = years.sort_values(["measure", "order"]).drop_duplicates("measure", keep="last")
    return latest[["measure", "year"]]


def _region_by_measure(frame: pd.DataFrame, region_codes: Sequence[int]) -> pd.DataFrame:
    """The region area each measure is compared with: the first of ``region_codes``
    (preferred first) with a value in the measure's latest year - DfE's fallback from a half of
    London to London; the first code when none has one."""
    measures = frame[["measure"]].drop_duplicates()
    if not region_codes:
        return measures.assign(region_code=np.nan)
    latest = _latest_year_by_measure(frame)
    candidates = frame[frame["area_code"].isin(region_codes) & frame["value"].notna()]
    candidates = candidates.merge(latest, on=["measure", "year"])
    preference = {code: position for position, code in enumerate(region_codes)}
    candidates = candidates.assign(preference=candidates["area_code"].map(preference))
    chosen = candidates.sort_values("preference").drop_duplicates("measure")
    result = measures.merge(chosen[["measure", "area_code"]], on="measure", how="left")
    result["region_code"] = result["area_code"].fillna(region_codes[0]).astype("float64")
    return result[["measure", "region_code"]]


def _bands(
    area_value: npt.NDArray[np.float64],
    lower: npt.NDArray[np.float64],
    median: npt.NDArray[np.float64],
    upper: npt.NDArray[np.float64],
    polarity: npt.NDArray[np.object_],
    no_quartile: npt.NDArray[np.bool_],
) -> npt.NDArray[np.object_]:
    quarter = np.select(
        [area_value <= lower, area_value <= median, area_value <= upper], [0, 1, 2], default=3
    )
    low = polarity == rules.LOWER_IS_BETTER
    index = np.where(low, quarter, 3 - quarter)
    banded = (
        ~np.isnan(area_value)
        & ~np.isnan(lower)
        & ~no_quartile
        & np.isin(polarity, [rules.HIGHER_IS_BETTER, rules.LOWER_IS_BETTER])
    )
    return np.where(banded, np.array(BANDS, dtype=object)[index], "")


def council_comparators(
    frame: pd.DataFrame, measures: pd.DataFrame, place: CouncilPlace
) -> pd.DataFrame:
    """The council's comparators for every measure and year of ``frame``, at once.

    ``frame``: one row per published value, columns ``measure``, ``year``, ``area_code``,
    ``value`` (float, NaN not available) and ``authority`` (True for an authority's row).
    ``measures``: indexed by measure, columns ``polarity`` and ``no_quartile``.
    Returns one row per measure and year with ``COMPARATOR_COLUMNS``: the council's value,
    England, the region (and the code of the region compared with), the statistical-neighbour
    mean (and of how many neighbours), the band ("" where none), the rank (NaN where none)
    and the number of authorities with a value; NaN where not available. Measure-years where
    neither the council nor a comparator has a value are left out.

    The same numbers as working out each measure-year on its own (the tests hold it to their
    one-at-a-time reference, tests/support/dfe_reference.py, on every measure-year of the
    extract): worked on whole columns, because one measure-year at a time takes seconds for
    the full data set.
    """
    keys = ["measure", "year"]
    frame = frame[["measure", "year", "area_code", "value", "authority"]]
    grid = frame[keys].drop_duplicates()

    authorities = frame[frame["authority"].to_numpy() & frame["value"].notna().to_numpy()]
    grouped = authorities.groupby(keys, sort=False)["value"]
    spread = grouped.quantile(np.array([0.25, 0.5, 0.75])).unstack()
    spread.columns = ["lower", "median", "upper"]
    spread["authorities"] = grouped.size()
    spread = spread.reset_index()

    neighbours = frame[frame["area_code"].isin(place.neighbours)].groupby(keys, sort=False)
    sn = neighbours["value"].agg([_exact_sum, "count"]).reset_index()
    sn.columns = [*keys, "sum", "neighbours_with_value"]
    sn["statistical_neighbours"] = sn["sum"].where(sn["neighbours_with_value"] > 0) / sn[
        "neighbours_with_value"
    ].where(sn["neighbours_with_value"] > 0)
    sn = sn.drop(columns="sum")

    result = (
        grid.merge(_at_area(frame, place.authority, "area_value"), on=keys, how="left")
        .merge(_at_area(frame, ENGLAND, "england"), on=keys, how="left")
        .merge(_region_by_measure(frame, place.region_codes), on="measure", how="left")
        .merge(sn, on=keys, how="left")
        .merge(spread, on=keys, how="left")
    )
    region_values = frame[["measure", "year", "area_code", "value"]].rename(
        columns={"area_code": "region_code", "value": "region"}
    )
    result["region_code"] = result["region_code"].astype("float64")
    region_values = region_values.astype({"region_code": "float64"})
    result = result.merge(region_values, on=[*keys, "region_code"], how="left")

    polarity = result["measure"].map(measures["polarity"]).to_numpy()
    no_quartile = result["measure"].map(measures["no_quartile"]).fillna(False).to_numpy(bool)
    area_value = result["area_value"].to_numpy("float64")

    # Rank: 1 + the authorities better than the council, per measure-year.
    council = result[[*keys, "area_value"]].assign(polarity=polarity)
    compared = authorities.merge(council, on=keys)
    better = np.where(
        compared["polarity"].to_numpy() == rules.HIGHER_IS_BETTER,
        compared["value"].to_numpy() > compared["area_value"].to_numpy(),
        compared["value"].to_numpy() < compared["area_value"].to_numpy(),
    )
    better_count = compared.assign(better=better).groupby(keys, sort=False)["better"].sum()
    result = result.merge(better_count.rename("better").reset_index(), on=keys, how="left")
    judged = np.isin(polarity, [rules.HIGHER_IS_BETTER, rules.LOWER_IS_BETTER])
    ranked = judged & ~np.isnan(area_value) & result["better"].notna().to_numpy()
    result["rank"] = np.where(ranked, result["better"].fillna(0).to_numpy() + 1, np.nan)

    result["quartile"] = _bands(
        area_value,
        result["lower"].to_numpy("float64"),
        result["median"].to_numpy("float64"),
        result["upper"].to_numpy("float64"),
        polarity,
        no_quartile,
    )
    result["authorities"] = result["authorities"].fillna(0).astype("int64")
    result["neighbours_with_value"] = result["neighbours_with_value"].fillna(0).astype("int64")
    result["region_code"] = result["region_code"].astype("Int64")
    has_value = result[["area_value", "england", "region", "statistical_neighbours"]].notna()
    result = result[has_value.any(axis=1).to_numpy()]
    result = result.assign(order=result["year"].map(year_order))
    result = result.sort_values(["measure", "order"], kind="stable")
    return result[COMPARATOR_COLUMNS].reset_index(drop=True)
