"""The LAIT import into the database: everything saved or nothing, idempotent, a newer file
replacing what it covers; the import_lait and export_benchmarks commands."""

import csv
import io

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from indicators.models import (
    Council,
    LaitComparator,
    LaitMeasure,
    LaitValue,
    StatisticalNeighbour,
    StatisticalNeighbourList,
)
from intake.lait.file_reading import LaitFileError
from intake.lait.stored_comparators import recompute_comparators

from .support.dfe_reference import rank_among_authorities
from .support.lait import APRIL_2021, DATA, DICTIONARY, MAY_2025, extract_frame, import_extract

pytestmark = pytest.mark.django_db


def everything_stored():
    """Every LAIT row as stored, ids included: equal snapshots, nothing changed."""
    return {
        "measures": list(LaitMeasure.objects.order_by("pk").values()),
        "values": list(
            LaitValue.objects.order_by("pk").values_list(
                "pk", "measure_id", "area_code", "area_name", "region", "year", "value"
            )
        ),
        "lists": list(StatisticalNeighbourList.objects.order_by("pk").values()),
        "neighbours": list(StatisticalNeighbour.objects.order_by("pk").values()),
        "council": list(Council.objects.values()),
        "comparators": list(LaitComparator.objects.order_by("pk").values()),
    }


def stored_value(measure, area_code, year):
    return LaitValue.objects.get(measure__code=measure, area_code=area_code, year=year).value


def test_the_extract_imports_every_value_and_works_out_the_comparators():
    summary = import_extract()
    assert str(summary.measures) == "7 added, 0 changed, 0 removed, 0 unchanged"
    assert str(summary.values) == "11,730 added, 0 changed, 0 removed, 0 unchanged"
    assert summary.neighbour_lists == [
        ("April 2021", 158, "added"),
        ("May 2025", 158, "added"),
    ]
    assert summary.council.startswith("set authority 879, statistical neighbours April 2021")
    assert LaitValue.objects.count() == 11_730
    # DfE's "-" is stored as no value, never zero; a published 0 stays 0.
    assert stored_value("CPPlans2yrsActive", 879, "2017") is None
    assert stored_value("CPPlans2yrsActive", 879, "2018") == 0.0
    assert LaitValue.objects.filter(value__isnull=True).count() == 1_153  # the extract's "-"

    council = Council.current()
    assert (council.authority_number, council.neighbour_list.name) == (879, "April 2021")
    assert (
        StatisticalNeighbour.objects.filter(
            neighbour_list=council.neighbour_list, authority_code=879
        ).count()
        == 10
    )
    row = LaitComparator.objects.get(measure__code="ReReferral", year="2024")
    # As worked by hand in test_lait_comparators: Plymouth 20.1, England 22.4, South West
    # 22.1, neighbours 24.43 (10 of 10), band B, 69th of 149.
    assert (row.area_value, row.england, row.region_name, row.region) == (
        20.1,
        22.4,
        "South West",
        22.1,
    )
    assert row.statistical_neighbours == pytest.approx(24.43, abs=1e-12)
    assert (row.neighbours_with_value, row.quartile, row.rank, row.authorities) == (
        10,
        "B",
        69,
        149,
    )
    assert (row.authority_number, row.neighbour_list) == (879, council.neighbour_list)
    assert LaitComparator.objects.count() == summary.comparators.added == 69


def test_a_second_import_of_the_same_files_changes_nothing():
    import_extract()
    before = everything_stored()
    summary = import_extract()
    assert not summary.changed_anything
    assert str(summary.values) == "0 added, 0 changed, 0 removed, 11,730 unchanged"
    assert str(summary.measures) == "0 added, 0 changed, 0 removed, 7 unchanged"
    assert str(summary.comparators) == "0 added, 0 changed, 0 removed, 69 unchanged"
    assert [outcome for *_, outcome in summary.neighbour_lists] == ["unchanged", "unchanged"]
    assert everything_stored() == before


def test_the_same_values_in_another_format_change_nothing(tmp_path):
    import_extract()
    before = everything_stored()
    as_csv = tmp_path / "lait.csv"
    extract_frame().to_csv(as_csv, index=False)
    summary = import_extract(data=as_csv)
    assert not summary.changed_anything
    assert everything_stored() == before


def test_a_newer_file_replaces_what_it_covers_and_leaves_the_rest(tmp_path):
    import_extract()
    rates_before = list(
        LaitValue.objects.filter(measure__code="CPP_rate").order_by("pk").values_list()
    )
    rates_comparators = list(
        LaitComparator.objects.filter(measure__code="CPP_rate").order_by("pk").values_list()
    )
    newer = extract_frame()
    newer = newer[newer["Short Desc"].isin(["ReReferral", "LAC"])].copy()
    # DfE revises Plymouth's 2024 re-referrals, drops 2016, and publishes 2026 for Plymouth
    # and England only.
    rereferrals = newer["Short Desc"] == "ReReferral"
    plymouth = rereferrals & (newer["LA Number"] == 879)
    newer.loc[plymouth & (newer["Years"] == "2024"), "Values"] = "19.5"
    latest = rereferrals & (newer["Years"] == "2025")
    added = pd.concat(
        [
            newer[latest & (newer["LA Number"] == 879)].assign(Values="25"),
            newer[latest & (newer["LA Number"] == 970)].assign(Values="23"),
        ]
    ).assign(Years="2026 (prov)")
    newer = pd.concat([newer[~(rereferrals & (newer["Years"] == "2016"))], added])
    path = tmp_path / "newer.parquet"
    newer.to_parquet(path, index=False)

    summary = import_extract(data=path)
    assert str(summary.values) == "2 added, 1 changed, 170 removed, 3,229 unchanged"
    assert stored_value("ReReferral", 879, "2024") == 19.5
    assert stored_value("ReReferral", 879, "2026 (prov)") == 25.0
    assert not LaitValue.objects.filter(measure__code="ReReferral", year="2016").exists()
    # Measures the newer file does not hold are left as they were, comparators too.
    assert (
        list(LaitValue.objects.filter(measure__code="CPP_rate").order_by("pk").values_list())
        == rates_before
    )
    assert (
        list(LaitComparator.objects.filter(measure__code="CPP_rate").order_by("pk").values_list())
        == rates_comparators
    )
    # The comparators follow: 2016 is gone, 2024 is worked out from the revised figure.
    assert not LaitComparator.objects.filter(measure__code="ReReferral", year="2016").exists()
    row = LaitComparator.objects.get(measure__code="ReReferral", year="2024")
    authorities = LaitValue.objects.filter(measure__code="ReReferral", year="2024").exclude(
        region=""
    )
    assert row.area_value == 19.5
    assert row.rank == rank_among_authorities(
        19.5,
        pd.Series(list(authorities.values_list("value", flat=True)), dtype=float),
        "lower_is_better",
    )
    latest = LaitComparator.objects.get(measure__code="ReReferral", year="2026 (prov)")
    # Only Plymouth and England published 2026: no neighbour has a value, one authority does.
    assert (latest.area_value, latest.england, latest.statistical_neighbours) == (25.0, 23.0, None)
    assert (latest.rank, latest.authorities, latest.quartile) == (1, 1, "A")


def test_nothing_is_saved_when_the_council_is_not_in_the_data():
    # 969 is a valid number but no authority of the data: found only after the values are
    # written, and everything is rolled back.
    with pytest.raises(LaitFileError, match="969 is not an authority in the data"):
        import_extract(authority_number=969)
    assert everything_stored() == {
        "measures": [],
        "values": [],
        "lists": [],
        "neighbours": [],
        "council": [],
        "comparators": [],
    }


def test_nothing_is_saved_when_one_file_is_bad(tmp_path):
    bad_list = tmp_path / "sn_june_2030.xlsx"
    bad_list.write_bytes(b"not a workbook")
    with pytest.raises(LaitFileError) as raised:
        import_extract(lists=(APRIL_2021, bad_list))
    assert str(raised.value).startswith("sn_june_2030.xlsx: could not be read as xlsx")
    assert LaitValue.objects.count() == 0 and LaitMeasure.objects.count() == 0


def test_a_bad_newer_file_leaves_the_previous_import_as_it_was(tmp_path):
    import_extract()
    before = everything_stored()
    newer = extract_frame()
    newer.loc[newer.index[-1], "Values"] = "n.a."
    newer.loc[newer.index[0], "Values"] = "12"
    path = tmp_path / "newer.parquet"
    newer.to_parquet(path, index=False)
    with pytest.raises(LaitFileError) as raised:
        import_extract(data=path)
    assert [str(problem) for problem in raised.value.problems] == [
        f"newer.parquet, row {len(newer)}, column Values: 'n.a.' is neither a number nor "
        "DfE's '-' for not available."
    ]
    assert everything_stored() == before


def test_measures_missing_from_the_dictionary_are_named(tmp_path):
    data = extract_frame()
    data.loc[data.index[:3], "Short Desc"] = "NewMeasure"
    path = tmp_path / "lait.parquet"
    data.to_parquet(path, index=False)
    with pytest.raises(
        LaitFileError, match="1 measures are not in the data dictionary: NewMeasure"
    ):
        import_extract(data=path)


def test_without_an_authority_number_no_comparators_are_worked_out():
    summary = import_extract(authority_number=None)
    assert LaitComparator.objects.count() == 0
    assert any("no DfE authority number" in notice for notice in summary.notices)
    council = Council.current()
    council.authority_number = 879
    council.save()
    assert recompute_comparators().added == 69


def test_moving_the_council_to_another_list_works_the_neighbours_mean_out_again():
    import_extract()
    april = LaitComparator.objects.get(measure__code="ReReferral", year="2024")
    summary = import_extract(list_in_force="May 2025")
    assert summary.council.startswith("set statistical neighbours May 2025")
    assert summary.comparators.changed == 69
    may = LaitComparator.objects.get(measure__code="ReReferral", year="2024")
    # May 2025: Tameside 22.3, Torbay 26.5, Telford 19.1, Dudley, Rotherham 17.7, Wakefield,
    # Kirklees, Gateshead, Medway 23.9, Cornwall: a different mean from April 2021's 24.43.
    assert may.statistical_neighbours != april.statistical_neighbours
    assert may.neighbour_list.name == "May 2025"
    assert (may.area_value, may.rank, may.quartile) == (april.area_value, april.rank, "B")


def test_an_unknown_list_in_force_is_refused_and_nothing_saved():
    with pytest.raises(LaitFileError, match="no statistical-neighbour list 'June 2030'"):
        import_extract(list_in_force="June 2030")
    assert LaitValue.objects.count() == 0


# The commands ----------------------------------------------------------------------------
def run(*arguments):
    out, err = io.StringIO(), io.StringIO()
    call_command(*arguments, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_lait_finds_the_dictionary_beside_the_data_and_shows_progress():
    out, err = run(
        "import_lait",
        str(DATA),
        "--statistical-neighbours",
        str(APRIL_2021),
        "--statistical-neighbours",
        str(MAY_2025),
        "--la",
        "879",
    )
    assert out.splitlines() == [
        "Measures: 7 added, 0 changed, 0 removed, 0 unchanged.",
        "Values: 11,730 added, 0 changed, 0 removed, 0 unchanged.",
        "Statistical neighbours April 2021 (158 authorities): added.",
        "Statistical neighbours May 2025 (158 authorities): added.",
        "Council: set authority 879, statistical neighbours April 2021: Council not yet named "
        "(879, statistical neighbours April 2021).",
        "Comparators: 69 added, 0 changed, 0 removed, 0 unchanged.",
    ]
    assert "Reading lait_extract.parquet: 1 of 1 (100%)" in err
    assert "Saving values: 11,730 of 11,730 (100%)" in err
    assert "Working out comparators: 1 of 1 (100%)" in err
    out, _ = run("import_lait", str(DATA), "--dictionary", str(DICTIONARY), "--la", "879")
    assert out.splitlines()[-1] == "Nothing changed: the database already held these files."


def test_import_lait_says_which_columns_are_missing(tmp_path):
    data = tmp_path / "lait.csv"
    extract_frame().drop(columns=["Values", "Region"]).to_csv(data, index=False)
    with pytest.raises(CommandError) as raised:
        run("import_lait", str(data), "--dictionary", str(DICTIONARY), "--la", "879")
    assert str(raised.value) == (
        "Nothing was imported:\nlait.csv: is missing the columns Values, Region (LAIT's long "
        "layout has Short Desc, Years, LA and Regions, Values, LA Number, Region)."
    )
    assert LaitValue.objects.count() == 0


def test_import_lait_refuses_a_file_that_is_not_there(tmp_path):
    with pytest.raises(CommandError, match="No file at .*missing.parquet"):
        run("import_lait", str(tmp_path / "missing.parquet"))


def test_import_lait_refuses_an_authority_number_that_is_not_an_authoritys():
    with pytest.raises(CommandError, match="DfE's authority numbers are 100 to 969"):
        run("import_lait", str(DATA), "--la", "970")
    assert LaitValue.objects.count() == 0


def test_export_benchmarks_prints_the_councils_comparators():
    import_extract()
    out, _ = run("export_benchmarks")
    lines = out.splitlines()
    assert lines[0] == (
        "measure,year,area_value,england,region,statistical_neighbours,quartile,rank,authorities"
    )
    rows = {(row["measure"], row["year"]): row for row in csv.DictReader(io.StringIO(out))}
    assert len(rows) == len(lines) - 1 == 69
    # Numbers as stored, unformatted; the band, the rank and the count as worked by hand.
    assert "ReReferral,2024,20.1,22.4,22.1,24.43,B,69,149" in lines
    # Plymouth's "-" for 2025: its value, band and rank blank; the comparators still there.
    assert rows[("CPPlans2yrsActive", "2025")] == {
        "measure": "CPPlans2yrsActive",
        "year": "2025",
        "area_value": "",
        "england": "2.3",
        "region": "2.5",
        "statistical_neighbours": "4.25",
        "quartile": "",
        "rank": "",
        "authorities": "94",
    }
    # Polarity "-": no band and no rank; LAC rates are whole numbers, printed without ".0".
    assert rows[("LAC", "2024")]["area_value"] == "98"
    assert rows[("LAC", "2024")]["quartile"] == rows[("LAC", "2024")]["rank"] == ""
    # A No_Quartile measure is ranked but not banded; A3A's years are as DfE writes them.
    assert rows[("Vacancies_cover", "2024")]["quartile"] == ""
    assert rows[("Vacancies_cover", "2024")]["rank"] == "124"
    assert ("A3A", "2018 (Rev)") in rows
    # Oldest year first within a measure.
    years = [year for measure, year in rows if measure == "ReReferral"]
    assert years == [str(year) for year in range(2016, 2026)]


def test_export_benchmarks_needs_the_council():
    with pytest.raises(CommandError, match="no DfE authority number"):
        run("export_benchmarks")


def test_a_large_import_keeps_the_values_foreign_key(monkeypatch):
    from django.db import connection

    from intake.lait import bulk

    # Count the extract as large: on PostgreSQL its foreign key is dropped for the insert and
    # added back, checking every row, in the same transaction.
    monkeypatch.setattr(bulk, "FOREIGN_KEYS_CHECKED_ONCE_FROM", 1)
    import_extract()
    assert LaitValue.objects.count() == 11_730
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, LaitValue._meta.db_table)
    keys = [c for c in constraints.values() if c["foreign_key"]]
    assert [(c["columns"], c["foreign_key"]) for c in keys] == [
        (["measure_id"], (LaitMeasure._meta.db_table, "id"))
    ]
