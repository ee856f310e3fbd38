"""England, region, statistical-neighbour mean, quartile band and rank: the one-at-a-time
reference (tests/support/dfe_reference.py) and the application's whole-column computation,
against values worked out by hand from DfE's published data (the extract in fixtures/lait/,
Plymouth 879 and its April 2021 neighbours), and against small tables for the edge cases."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from indicators import rules
from indicators.dfe import comparators
from indicators.dfe.comparators import (
    CouncilPlace,
    council_comparators,
    normalise_region,
    region_area_codes,
)
from intake.lait import reader

from .support.dfe_reference import (
    authorities_with_value,
    neighbours_with_value,
    quartile_band,
    quartiles,
    rank_among_authorities,
    region_for_measure,
    statistical_neighbour_mean,
)

EXTRACT = Path(__file__).resolve().parent.parent / "fixtures" / "lait"
HIGH, LOW, NEITHER = rules.HIGHER_IS_BETTER, rules.LOWER_IS_BETTER, rules.NEITHER
PLYMOUTH, SOUTH_WEST = 879, 990
# DfE's April 2021 list, Plymouth's ten in order (the README).
APRIL_2021 = (880, 851, 894, 921, 882, 372, 839, 887, 874, 357)


@pytest.fixture(scope="module")
def extract():
    return reader.read_data(EXTRACT / "lait_extract.parquet", "lait_extract.parquet")


def published(extract, measure, year):
    """One measure-year's values by area code, and the authorities' values."""
    rows = extract[(extract["measure"] == measure) & (extract["year"] == year)]
    values = rows.set_index("area_code")["value"]
    return values, values[(rows["region"] != "").to_numpy()]


# Statistical-neighbour mean --------------------------------------------------------------
def test_the_neighbours_mean_of_re_referrals_in_2024_is_worked_by_hand(extract):
    values, _ = published(extract, "ReReferral", "2024")
    # Torbay 26.5, Portsmouth 24, Telford and Wrekin 19.1, Isle of Wight 45.4, Southend 21,
    # Rotherham 17.7, BCP 25.2, Medway 23.9, Peterborough 19.2, Tameside 22.3:
    # 244.3 / 10 = 24.43.
    assert statistical_neighbour_mean(values, APRIL_2021) == pytest.approx(24.43, abs=1e-12)
    assert neighbours_with_value(values, APRIL_2021) == 10


def test_neighbours_with_dfes_dash_are_left_out_of_the_mean_and_a_zero_is_kept(extract):
    values, _ = published(extract, "CPPlans2yrsActive", "2024")
    # Portsmouth, Southend, Medway, Peterborough and Tameside are "-" (not available). The
    # others: Torbay 6.7, Telford 4.6, Isle of Wight 0 (a real zero), Rotherham 4.5, BCP 2.5:
    # 18.3 / 5 = 3.66. Read as zeros, the dashes would have given 18.3 / 10 = 1.83.
    assert neighbours_with_value(values, APRIL_2021) == 5
    assert statistical_neighbour_mean(values, APRIL_2021) == pytest.approx(3.66, abs=1e-12)


def test_a_neighbour_missing_from_the_data_is_left_out():
    values = pd.Series([10.0, 20.0, np.nan], index=[101, 102, 103])
    # 999 is not in the data at all; 103 published "-": the mean is of 101 and 102 only.
    assert statistical_neighbour_mean(values, [101, 102, 103, 999]) == 15.0
    assert neighbours_with_value(values, [101, 102, 103, 999]) == 2


def test_no_neighbour_with_a_value_gives_no_mean():
    values = pd.Series([np.nan, np.nan], index=[101, 102])
    assert statistical_neighbour_mean(values, [101, 102]) is None
    assert statistical_neighbour_mean(values, []) is None
    assert neighbours_with_value(values, [101, 102]) == 0


def test_the_mean_does_not_depend_on_the_order_of_the_neighbours():
    values = pd.Series([0.1, 0.2, 0.3, 1e16, -1e16], index=[1, 2, 3, 4, 5])
    forwards = statistical_neighbour_mean(values, [1, 2, 3, 4, 5])
    backwards = statistical_neighbour_mean(values, [5, 4, 3, 2, 1])
    assert forwards == backwards == pytest.approx(0.6 / 5)


# Quartile bands --------------------------------------------------------------------------
def test_re_referrals_band_in_2024_is_worked_by_hand(extract):
    _, authorities = published(extract, "ReReferral", "2024")
    # 149 authorities have a value (9 are "-"). Linear interpolation puts the quartiles at
    # positions (149 - 1) x 0.25 = 37, x 0.5 = 74 and x 0.75 = 111 (from 0) of the sorted
    # values: whole positions, so they are the 38th, 75th and 112th smallest: 17.7, 20.6, 23.6.
    assert authorities_with_value(authorities) == 149
    assert quartiles(authorities) == pytest.approx((17.7, 20.6, 23.6))
    # Plymouth 20.1 is above the lower quartile and at most the median: the second quarter.
    # Lower is better, so the second-best band: B.
    assert quartile_band(20.1, authorities, LOW) == "B"
    # Rotherham's 17.7 is the lower quartile itself: the interval below it, band A.
    assert quartile_band(17.7, authorities, LOW) == "A"
    # The median itself (20.6) is still B; just above it is C.
    assert quartile_band(20.6, authorities, LOW) == "B"
    assert quartile_band(20.7, authorities, LOW) == "C"
    # Above the upper quartile: the worst quarter, D.
    assert quartile_band(45.4, authorities, LOW) == "D"


def test_child_protection_reviews_band_in_2024_interpolates_between_values(extract):
    _, authorities = published(extract, "RevCP", "2024")
    # 150 authorities. Positions 149 x 0.25 = 37.25: 87.3 + 0.25 x (87.8 - 87.3) = 87.425;
    # 149 x 0.5 = 74.5: 93.1 + 0.5 x (93.4 - 93.1) = 93.25; 149 x 0.75 = 111.75:
    # 97.4 + 0.75 x (97.5 - 97.4) = 97.475.
    assert quartiles(authorities) == pytest.approx((87.425, 93.25, 97.475))
    # Plymouth 93.7: above the median, at most the upper quartile: third quarter from the
    # bottom. Higher is better, so the second-best band: B.
    assert quartile_band(93.7, authorities, HIGH) == "B"
    assert quartile_band(100.0, authorities, HIGH) == "A"
    assert quartile_band(80.0, authorities, HIGH) == "D"


@pytest.mark.parametrize(
    ("value", "polarity", "band"),
    [
        # Authorities 1..9: quartiles at positions 2, 4 and 6: 3, 5 and 7.
        (1, LOW, "A"),
        (3, LOW, "A"),  # equal to the lower quartile: the interval below
        (3.5, LOW, "B"),
        (5, LOW, "B"),
        (6, LOW, "C"),
        (7, LOW, "C"),
        (8, LOW, "D"),
        (1, HIGH, "D"),
        (3, HIGH, "D"),
        (4, HIGH, "C"),
        (5, HIGH, "C"),
        (7, HIGH, "B"),  # equal to the upper quartile is not "above" it
        (7.01, HIGH, "A"),
        (9, HIGH, "A"),
    ],
)
def test_a_value_equal_to_a_quartile_is_in_the_interval_below_it(value, polarity, band):
    authorities = pd.Series([9, 1, 8, 2, 7, 3, 6, 4, 5], dtype="float64")
    assert quartiles(authorities) == (3.0, 5.0, 7.0)
    assert quartile_band(value, authorities, polarity) == band


def test_ties_sit_together_in_one_band(extract):
    _, authorities = published(extract, "CPPlans2yrsActive", "2024")
    # 100 authorities; 18 of them (Plymouth among them) published 0. The lower quartile is
    # at position 24.75, between 1.8 and 1.8: 1.8. All 18 zeros are in band A.
    assert authorities_with_value(authorities) == 100
    assert int((authorities == 0).sum()) == 18
    assert quartiles(authorities)[0] == pytest.approx(1.8)
    assert quartile_band(0.0, authorities, LOW) == "A"


def test_no_band_without_polarity_for_no_quartile_measures_or_without_a_value(extract):
    _, rates = published(extract, "CPP_rate", "2024")
    # Child protection plans per 10,000 have polarity "-": no band, whatever the value.
    assert quartile_band(57.3, rates, NEITHER) is None
    _, cover = published(extract, "Vacancies_cover", "2024")
    # Vacancies covered by agency workers: polarity High, but DfE sets No_Quartile.
    assert quartile_band(52.9, cover, HIGH, no_quartile=True) is None
    assert quartile_band(52.9, cover, HIGH) == "D"  # what it would have been
    # Plymouth published "-" for plans lasting two years in 2025: no band.
    assert quartile_band(None, cover, HIGH) is None
    assert quartile_band(np.nan, cover, HIGH) is None
    # No authority with a value: no quartiles, no band.
    empty = pd.Series([np.nan, np.nan])
    assert quartiles(empty) is None
    assert quartile_band(5.0, empty, HIGH) is None


# Rank ------------------------------------------------------------------------------------
def test_re_referrals_rank_in_2024_is_worked_by_hand(extract):
    _, authorities = published(extract, "ReReferral", "2024")
    # 68 authorities published less than Plymouth's 20.1 (lower is better), one more published
    # 20.1 too: both are 69th of 149.
    assert int((authorities < 20.1).sum()) == 68
    assert int((authorities == 20.1).sum()) == 2
    assert rank_among_authorities(20.1, authorities, LOW) == 69


def test_tied_values_share_the_lowest_rank(extract):
    _, authorities = published(extract, "CPPlans2yrsActive", "2024")
    # 18 authorities published 0 (lower is better): all are first; the next is 19th.
    assert rank_among_authorities(0.0, authorities, LOW) == 1
    smallest_above_zero = authorities[authorities > 0].min()
    assert rank_among_authorities(smallest_above_zero, authorities, LOW) == 19


@pytest.mark.parametrize(
    ("value", "polarity", "rank"),
    [
        (9, HIGH, 1),
        (7, HIGH, 2),  # 9 is better; the two 7s share 2nd
        (5, HIGH, 4),
        (1, HIGH, 5),
        (1, LOW, 1),
        (5, LOW, 2),
        (7, LOW, 3),
        (9, LOW, 5),
    ],
)
def test_rank_is_one_plus_the_authorities_with_a_better_value(value, polarity, rank):
    authorities = pd.Series([9, 7, 7, 5, 1, np.nan], dtype="float64")
    assert rank_among_authorities(value, authorities, polarity) == rank
    assert authorities_with_value(authorities) == 5  # the "-" is not counted


def test_child_protection_reviews_rank_with_higher_is_better(extract):
    _, authorities = published(extract, "RevCP", "2024")
    # 73 authorities reviewed more plans on time than Plymouth's 93.7: 74th of 150.
    assert rank_among_authorities(93.7, authorities, HIGH) == 74


def test_no_rank_without_polarity_or_without_a_value(extract):
    _, rates = published(extract, "CPP_rate", "2024")
    assert rank_among_authorities(57.3, rates, NEITHER) is None
    assert rank_among_authorities(None, rates, LOW) is None
    # A No_Quartile measure is still ranked: DfE leaves out the band only.
    _, cover = published(extract, "Vacancies_cover", "2024")
    # 123 authorities covered more vacancies with agency workers than Plymouth's 52.9.
    assert rank_among_authorities(52.9, cover, HIGH) == 124


# The region ------------------------------------------------------------------------------
REGION_AREAS = {
    "North East": 980,
    "North West": 981,
    "Yorkshire and the Humber": 982,
    "London": 986,
    "London (Inner)": 987,
    "London (Outer)": 988,
    "South West": 990,
}


@pytest.mark.parametrize(
    ("region", "codes"),
    [
        ("South West", (990,)),
        ("  south   west ", (990,)),
        # The two columns spell the region differently.
        ("Yorkshire and The Humber", (982,)),
        ("Outer London", (988, 986)),
        ("Inner London", (987, 986)),
        ("Atlantis", ()),
    ],
)
def test_an_authoritys_region_is_found_however_it_is_spelt(region, codes):
    assert region_area_codes(region, REGION_AREAS) == codes


def test_region_names_normalise_to_one_spelling():
    assert normalise_region("Outer London") == normalise_region("London (Outer)")
    assert normalise_region("Yorkshire and The Humber") == normalise_region(
        "Yorkshire and the Humber"
    )


def test_a_half_of_london_with_no_figure_falls_back_to_london():
    latest = pd.Series([np.nan, 31.0], index=[987, 986])
    assert region_for_measure(latest, (987, 986)) == 986
    latest = pd.Series([25.0, 31.0], index=[987, 986])
    assert region_for_measure(latest, (987, 986)) == 987
    assert region_for_measure(pd.Series(dtype="float64"), (987, 986)) == 987
    assert region_for_measure(latest, ()) is None


# Every measure and year at once ----------------------------------------------------------
MEASURES = pd.DataFrame(
    {
        "polarity": {
            "ReReferral": LOW,
            "CPP_rate": NEITHER,
            "LAC": NEITHER,
            "RevCP": HIGH,
            "Vacancies_cover": HIGH,
            "CPPlans2yrsActive": LOW,
            "A3A": HIGH,
        },
        "no_quartile": {"Vacancies_cover": True},
    }
).fillna({"no_quartile": False})


def frame_of(extract):
    return extract.assign(authority=extract["region"] != "")[
        ["measure", "year", "area_code", "value", "authority"]
    ]


def test_the_councils_comparators_hold_the_worked_values(extract):
    result = council_comparators(
        frame_of(extract), MEASURES, CouncilPlace(PLYMOUTH, (SOUTH_WEST,), APRIL_2021)
    ).set_index(["measure", "year"])
    row = result.loc[("ReReferral", "2024")]
    # Plymouth 20.1, England 22.4, South West 22.1, neighbours 24.43 (of 10), band B, 69th
    # of 149: the values worked out above.
    assert row["area_value"] == 20.1
    assert row["england"] == 22.4
    assert row["region_code"] == SOUTH_WEST
    assert row["region"] == 22.1
    assert row["statistical_neighbours"] == pytest.approx(24.43, abs=1e-12)
    assert row["neighbours_with_value"] == 10
    assert row["quartile"] == "B"
    assert row["rank"] == 69
    assert row["authorities"] == 149
    plans = result.loc[("CPPlans2yrsActive", "2025")]
    # Plymouth published "-": no value, no band, no rank; the comparators still stand.
    assert np.isnan(plans["area_value"]) and plans["quartile"] == ""
    assert np.isnan(plans["rank"])
    assert plans["england"] == 2.3
    rates = result.loc[("CPP_rate", "2024")]
    # Polarity "-": the figures and the neighbours' mean, no band or rank. Neighbours: 65.5,
    # 53.2, 35.2, 78.4, 23.7, 45.3, 74.5, 41.9, 49.1, 75: 541.8 / 10 = 54.18.
    assert rates["statistical_neighbours"] == pytest.approx(54.18, abs=1e-12)
    assert rates["quartile"] == "" and np.isnan(rates["rank"])
    cover = result.loc[("Vacancies_cover", "2024")]
    assert cover["quartile"] == "" and cover["rank"] == 124


def test_every_measure_year_agrees_with_the_functions_one_at_a_time(extract):
    """The whole-column computation is held to the reference on every measure-year of
    the extract, for Plymouth and for an inner London borough (Camden, 202), whose region
    falls back to London where DfE publishes nothing for inner London."""
    frame = frame_of(extract)
    camden_neighbours = (213, 205, 207, 206, 212, 352, 203, 870, 309, 302)
    for place in (
        CouncilPlace(PLYMOUTH, (SOUTH_WEST,), APRIL_2021),
        CouncilPlace(202, (987, 986), camden_neighbours),
    ):
        result = council_comparators(frame, MEASURES, place).set_index(["measure", "year"])
        checked = 0
        for (measure, year), rows in frame.groupby(["measure", "year"]):
            values = rows.set_index("area_code")["value"]
            authorities = values[rows["authority"].to_numpy()]
            own = values.get(place.authority)
            own = None if own is None or np.isnan(own) else float(own)
            polarity = MEASURES.at[measure, "polarity"]
            no_quartile = MEASURES.at[measure, "no_quartile"]
            if (measure, year) not in result.index:
                england = values.get(comparators.ENGLAND)
                assert own is None and (england is None or np.isnan(england))
                continue
            row = result.loc[(measure, year)]
            expected_mean = statistical_neighbour_mean(values, place.neighbours)
            got_mean = (
                None if np.isnan(row["statistical_neighbours"]) else row["statistical_neighbours"]
            )
            assert got_mean == expected_mean, (measure, year)
            band = quartile_band(own, authorities, polarity, no_quartile)
            assert row["quartile"] == (band or ""), (measure, year)
            expected_rank = rank_among_authorities(own, authorities, polarity)
            got_rank = None if np.isnan(row["rank"]) else int(row["rank"])
            assert got_rank == expected_rank, (measure, year)
            assert row["authorities"] == authorities_with_value(authorities)
            checked += 1
        assert checked > 60
    camden = council_comparators(frame, MEASURES, CouncilPlace(202, (987, 986), ()))
    regions = set(camden["region_code"].dropna())
    assert regions <= {986, 987} and regions


def test_measure_years_with_nothing_at_all_are_left_out():
    frame = pd.DataFrame(
        {
            "measure": ["M", "M", "M", "M"],
            "year": ["2023", "2023", "2024", "2024"],
            "area_code": [879, 970, 879, 970],
            "value": [1.0, 2.0, np.nan, np.nan],
            "authority": [True, False, True, False],
        }
    )
    measures = pd.DataFrame({"polarity": {"M": LOW}, "no_quartile": {"M": False}})
    result = council_comparators(frame, measures, CouncilPlace(879))
    assert result["year"].tolist() == ["2023"]
    row = result.iloc[0]
    assert (row["area_value"], row["england"], row["quartile"], row["rank"]) == (1.0, 2.0, "A", 1)
    assert row["authorities"] == 1 and row["neighbours_with_value"] == 0
