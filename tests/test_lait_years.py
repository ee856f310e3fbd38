"""DfE's LAIT year labels: what each means under each alignment, and their order."""

from datetime import date

import pytest

from indicators.dfe.years import (
    ACADEMIC_YEAR,
    AS_PUBLISHED,
    CALENDAR_YEAR,
    FINANCIAL_YEAR,
    SNAPSHOT_31_MARCH,
    benchmark_year,
    year_order,
    year_span,
)


@pytest.mark.parametrize(
    ("published", "alignment", "label", "status", "first_day", "last_day"),
    [
        # The brief's example: a 31 March snapshot "2022" is the 2021/22 financial year.
        ("2022", SNAPSHOT_31_MARCH, "2021/22", "", date(2022, 3, 31), date(2022, 3, 31)),
        ("2022", FINANCIAL_YEAR, "2021/22", "", date(2021, 4, 1), date(2022, 3, 31)),
        ("2022", ACADEMIC_YEAR, "2021/22", "", date(2021, 9, 1), date(2022, 8, 31)),
        ("2022", CALENDAR_YEAR, "2022", "", date(2022, 1, 1), date(2022, 12, 31)),
        ("2022", AS_PUBLISHED, "2022", "", None, None),
        # A pair one year apart is that financial or academic year, however DfE writes it.
        ("2021-22", FINANCIAL_YEAR, "2021/22", "", date(2021, 4, 1), date(2022, 3, 31)),
        ("2021/22", FINANCIAL_YEAR, "2021/22", "", date(2021, 4, 1), date(2022, 3, 31)),
        ("2021/22", ACADEMIC_YEAR, "2021/22", "", date(2021, 9, 1), date(2022, 8, 31)),
        ("2021-22", SNAPSHOT_31_MARCH, "2021/22", "", date(2022, 3, 31), date(2022, 3, 31)),
        # ... and two calendar years under the calendar alignment.
        ("2021-22", CALENDAR_YEAR, "2021-22", "", date(2021, 1, 1), date(2022, 12, 31)),
        # The turn of the century: 1999-00 ends in 2000.
        ("1999-00", FINANCIAL_YEAR, "1999/00", "", date(1999, 4, 1), date(2000, 3, 31)),
        # DfE's qualifiers become words and leave the label alone.
        (
            "2022 (Rev)",
            SNAPSHOT_31_MARCH,
            "2021/22",
            "revised",
            date(2022, 3, 31),
            date(2022, 3, 31),
        ),
        (
            "2025 (prov)",
            ACADEMIC_YEAR,
            "2024/25",
            "provisional",
            date(2024, 9, 1),
            date(2025, 8, 31),
        ),
        ("2020 (Final)", CALENDAR_YEAR, "2020", "final", date(2020, 1, 1), date(2020, 12, 31)),
        ("2016-17 (OT)", FINANCIAL_YEAR, "2016/17", "outturn", date(2016, 4, 1), date(2017, 3, 31)),
        ("2022 (Rev)", AS_PUBLISHED, "2022", "revised", None, None),
        # Runs of years keep DfE's text and span their years.
        ("2014-16", CALENDAR_YEAR, "2014-16", "", date(2014, 1, 1), date(2016, 12, 31)),
        ("2014-16", FINANCIAL_YEAR, "2014-16", "", date(2013, 4, 1), date(2016, 3, 31)),
        (
            "2021/22-23/24",
            FINANCIAL_YEAR,
            "2021/22-23/24",
            "",
            date(2021, 4, 1),
            date(2024, 3, 31),
        ),
        (
            "2021/22-23/24",
            ACADEMIC_YEAR,
            "2021/22-23/24",
            "",
            date(2021, 9, 1),
            date(2024, 8, 31),
        ),
        # A label naming no year (DfE's data has "0") keeps its text and has no dates.
        ("0", FINANCIAL_YEAR, "0", "", None, None),
        ("Autumn term", ACADEMIC_YEAR, "Autumn term", "", None, None),
    ],
)
def test_it_reads_a_year_label_under_each_alignment(
    published, alignment, label, status, first_day, last_day
):
    year = benchmark_year(published, alignment)
    assert (year.published, year.label, year.status) == (published, label, status)
    assert (year.first_day, year.last_day) == (first_day, last_day)


def test_it_refuses_an_unknown_alignment():
    with pytest.raises(ValueError, match="Unknown year alignment"):
        benchmark_year("2022", "fiscal")


@pytest.mark.parametrize(
    ("published", "span"),
    [
        ("2022", (2022, 2022)),
        ("2022 (Rev)", (2022, 2022)),
        ("2021-22", (2021, 2022)),
        ("2021/22", (2021, 2022)),
        ("2014-16", (2014, 2016)),
        ("2021/22-23/24", (2021, 2024)),
        ("0", None),
        ("2022-20", None),  # ends before it starts: not a year DfE writes
        ("", None),
    ],
)
def test_it_finds_the_years_a_label_names(published, span):
    assert year_span(published) == span


def test_it_orders_a_measures_years_oldest_first():
    labels = ["2023", "2016", "2020 (Final)", "2018 (Rev)", "2025 (prov)", "0"]
    assert sorted(labels, key=year_order) == [
        "0",
        "2016",
        "2018 (Rev)",
        "2020 (Final)",
        "2023",
        "2025 (prov)",
    ]
    runs = ["2016-18", "2014-16", "2015-17"]
    assert sorted(runs, key=year_order) == ["2014-16", "2015-17", "2016-18"]
    pairs = ["2022-23 (OT)", "2016-17 (OT)", "2019-20 (OT)"]
    assert sorted(pairs, key=year_order) == ["2016-17 (OT)", "2019-20 (OT)", "2022-23 (OT)"]
