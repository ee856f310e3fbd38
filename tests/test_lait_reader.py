"""Reading LAIT's files: the data in its long layout (parquet, CSV, XLSX), the dictionary and
the statistical-neighbour workbooks; every problem named by file, row, column and reason."""

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from indicators import rules
from intake.lait import dictionary as dictionary_reader
from intake.lait import file_reading, reader
from intake.lait import neighbours as neighbour_reader
from intake.lait.file_reading import LaitFileError

EXTRACT = Path(__file__).resolve().parent.parent / "fixtures" / "lait"
FULL = Path(__file__).resolve().parent.parent.parent / "shared" / "lait"

HEADER = "Short Desc,Data item,Years,LA and Regions,Values,LA Number,Region\n"


def csv_file(text):
    return io.BytesIO(text.encode())


def problems_of(call):
    with pytest.raises(LaitFileError) as raised:
        call()
    return [str(problem) for problem in raised.value.problems]


# The data --------------------------------------------------------------------------------
def test_it_reads_the_extract_with_dfes_dash_as_not_available_never_zero():
    frame = reader.read_data(EXTRACT / "lait_extract.parquet", "lait_extract.parquet")
    assert len(frame) == 11_730
    assert set(frame["measure"]) == {
        "ReReferral",
        "CPP_rate",
        "LAC",
        "RevCP",
        "Vacancies_cover",
        "CPPlans2yrsActive",
        "A3A",
    }
    plymouth = frame[(frame["measure"] == "CPPlans2yrsActive") & (frame["area_code"] == 879)]
    by_year = dict(zip(plymouth["year"], plymouth["value"], strict=True))
    # DfE publishes "-" for 2017 and "0" for 2018: not available, and a real zero.
    assert np.isnan(by_year["2017"])
    assert by_year["2018"] == 0.0
    # "20.100000000000001" is the double nearest 20.1.
    rereferrals = frame[(frame["measure"] == "ReReferral") & (frame["area_code"] == 879)]
    assert dict(zip(rereferrals["year"], rereferrals["value"], strict=True))["2024"] == 20.1
    # England and the regions carry "NA" for region: blank here; authorities keep theirs.
    areas = frame.drop_duplicates("area_code").set_index("area_code")
    assert areas.loc[970, "region"] == "" and areas.loc[990, "region"] == ""
    assert areas.loc[879, "region"] == "South West"


def test_csv_and_xlsx_read_the_same_as_parquet(tmp_path):
    original = pd.read_parquet(EXTRACT / "lait_extract.parquet")
    sample = original[original["Short Desc"].isin(["ReReferral", "CPPlans2yrsActive"])]
    sample = sample[sample["Years"].isin(["2023", "2024"])]
    sample.to_parquet(tmp_path / "sample.parquet", index=False)
    sample.to_csv(tmp_path / "sample.csv", index=False)
    sample.to_excel(tmp_path / "sample.xlsx", index=False)
    frames = [
        reader.read_data(tmp_path / f"sample.{suffix}", f"sample.{suffix}")
        for suffix in ("parquet", "csv", "xlsx")
    ]
    assert len(frames[0]) == len(sample) == 680
    for other in frames[1:]:
        pd.testing.assert_frame_equal(frames[0], other, check_dtype=False)


def test_it_names_the_missing_columns():
    data = csv_file("Short Desc,Years,LA and Regions\nReReferral,2024,Plymouth\n")
    [problem] = problems_of(lambda: reader.read_data(data, "lait.csv"))
    assert problem.startswith("lait.csv: is missing the columns Values, LA Number, Region")


def test_it_names_the_row_column_and_reason_for_each_bad_cell():
    data = csv_file(
        HEADER
        + "ReReferral,,2024,Plymouth,20.1,879,South West\n"
        + "ReReferral,,2024,Torbay,twenty,880,South West\n"
        + "ReReferral,,2024,Devon,18.2,87.5,South West\n"
        + ",,2024,Cornwall,19,908,South West\n"
    )
    problems = problems_of(lambda: reader.read_data(data, "lait.csv"))
    assert problems == [
        "lait.csv, row 5, column Short Desc: is blank.",
        "lait.csv, row 4, column LA Number: '87.5' is not DfE's three-digit area code.",
        "lait.csv, row 3, column Values: 'twenty' is neither a number nor DfE's '-' for not "
        "available.",
    ]


@pytest.mark.parametrize("marker", ["-", "x", "c", "z", ":", "..", "u", "low", "", "NA"])
def test_dfes_markers_are_not_available(marker):
    data = csv_file(HEADER + f"ReReferral,,2024,Plymouth,{marker},879,South West\n")
    frame = reader.read_data(data, "lait.csv")
    assert np.isnan(frame["value"].iloc[0])


def test_thousands_separators_are_numbers():
    data = csv_file(HEADER + 'CPP_Num,,2024,Kent,"1,485",886,South East\n')
    assert reader.read_data(data, "lait.csv")["value"].iloc[0] == 1485.0


def test_a_second_value_for_the_same_measure_area_and_year_is_a_problem():
    data = csv_file(
        HEADER
        + "ReReferral,,2024,Plymouth,20.1,879,South West\n"
        + "ReReferral,,2024,Plymouth,20.2,879,South West\n"
    )
    [problem] = problems_of(lambda: reader.read_data(data, "lait.csv"))
    assert problem == (
        "lait.csv, row 3, column Short Desc: a second value for ReReferral 2024 Plymouth (879)."
    )


def test_many_bad_rows_are_counted_not_listed():
    rows = "".join(
        f"ReReferral,,{year},Plymouth,oops,879,South West\n" for year in range(1900, 1950)
    )
    problems = problems_of(lambda: reader.read_data(csv_file(HEADER + rows), "lait.csv"))
    assert len(problems) == file_reading.MAX_PROBLEMS_LISTED + 1
    assert problems[-1] == "lait.csv, column Values: and 30 more rows like these."


def test_a_file_that_is_not_parquet_says_so():
    [problem] = problems_of(lambda: reader.read_data(io.BytesIO(b"not parquet"), "lait.parquet"))
    assert problem.startswith("lait.parquet: could not be read as parquet")
    [problem] = problems_of(lambda: reader.read_data(io.BytesIO(b""), "lait.json"))
    assert problem == "lait.json: is not a .parquet, .csv or .xlsx file."


def test_text_longer_than_its_column_is_a_problem():
    name = "A" * 101
    data = csv_file(HEADER + f"ReReferral,,2024,{name},20.1,879,South West\n")
    [problem] = problems_of(lambda: reader.read_data(data, "lait.csv"))
    assert problem == "lait.csv, row 2, column LA and Regions: longer than 100 characters."


def test_the_readers_limits_are_the_models():
    from indicators.models import LaitMeasure, LaitValue

    fields = {
        "measure": LaitMeasure._meta.get_field("code"),
        "year": LaitValue._meta.get_field("year"),
        "area_name": LaitValue._meta.get_field("area_name"),
        "region": LaitValue._meta.get_field("region"),
    }
    for name in file_reading.MAX_LENGTHS:
        field = fields.get(name) or LaitMeasure._meta.get_field(name)
        assert file_reading.MAX_LENGTHS[name] == field.max_length, name


# The dictionary --------------------------------------------------------------------------
def test_it_reads_the_dictionary_as_dfe_writes_it():
    frame, notices = dictionary_reader.read_dictionary(
        EXTRACT / "lait_data_dictionary.csv", "lait_data_dictionary.csv"
    )
    assert notices == []
    measures = frame.set_index("code")
    rereferral = measures.loc["ReReferral"]
    assert rereferral["title"] == (
        "Percentage of re-referrals to children's social care within 12 months"
    )
    assert rereferral["polarity"] == rules.LOWER_IS_BETTER
    assert rereferral["year_type"] == "Financial Year"
    assert rereferral["y_axis_name"] == "% of referrals"
    # R's "NA": no decimal places given; DfE's day numbers as dates.
    assert pd.isna(rereferral["decimal_places"])
    assert rereferral["last_update"] == "2025-10-01"
    assert measures.loc["CPP_rate", "polarity"] == rules.NEITHER  # "-"
    assert measures.loc["RevCP", "polarity"] == rules.HIGHER_IS_BETTER
    assert measures.loc["A3A", "decimal_places"] == 1
    assert bool(measures.loc["Vacancies_cover", "no_quartile"])
    assert not measures["no_quartile"].drop("Vacancies_cover").any()
    # The doubled Windows line ends of DfE's descriptions are plain new lines.
    assert "\r" not in measures.loc["CPP_rate", "description"]
    assert "\n\n" in measures.loc["CPP_rate", "description"]


DICTIONARY_HEADER = "Measure_short,Measure,Polarity,Year_Type,dps,No_Quartile,Topic\n"


def test_a_measure_listed_twice_keeps_its_first_row_and_says_so():
    data = csv_file(
        DICTIONARY_HEADER
        + "LAC_Unauth,Unauthorised absence,Low,Academic Year,1,,Children Looked After\n"
        + "LAC_Unauth,Unauthorised absence,Low,Academic Year,2,,Children in Need\n"
    )
    frame, notices = dictionary_reader.read_dictionary(data, "dictionary.csv")
    assert len(frame) == 1 and frame["topic"].iloc[0] == "Children Looked After"
    assert notices == [
        "dictionary.csv lists 1 measures twice (LAC_Unauth): the first row of each is used."
    ]


def test_a_bad_polarity_or_decimal_places_is_named():
    data = csv_file(
        DICTIONARY_HEADER
        + "ReReferral,Re-referrals,Lowish,Financial Year,1,,\n"
        + "LAC,Children looked after,High,Annual,seven,,\n"
        + "CPP_rate,Plans,NA,Annual,9,,\n"
    )
    problems = problems_of(lambda: dictionary_reader.read_dictionary(data, "dictionary.csv"))
    assert problems == [
        "dictionary.csv, row 2, column Polarity: 'Lowish' is not High, Low or '-'.",
        "dictionary.csv, row 3, column dps: 'seven' is not a number of decimal places (0-6).",
        "dictionary.csv, row 4, column dps: '9' is not a number of decimal places (0-6).",
    ]


def test_a_dictionary_without_its_columns_says_which():
    data = csv_file("Measure_short,Topic\nReReferral,Child Protection\n")
    [problem] = problems_of(lambda: dictionary_reader.read_dictionary(data, "dictionary.csv"))
    assert problem.startswith("dictionary.csv: is missing the columns Measure, Polarity, Year_Type")


# Statistical-neighbour lists -------------------------------------------------------------
def test_it_reads_dfes_workbook_with_its_header_on_the_third_row():
    frame, authorities = neighbour_reader.read_neighbour_list(
        EXTRACT / "sn_april_2021.xlsx", "sn_april_2021.xlsx"
    )
    plymouth = frame[frame["authority_code"] == 879].sort_values("position")
    assert plymouth["neighbour_code"].tolist() == [880, 851, 894, 921, 882, 372, 839, 887, 874, 357]
    assert plymouth["position"].tolist() == list(range(1, 11))
    # 158 authorities listed, with the "Old SNs:" section (Dorset before 2019 and others);
    # Cumberland and Westmorland and Furness are listed with "-": no neighbours.
    assert authorities == 158
    assert 835 in set(frame["authority_code"])
    assert not frame["authority_code"].isin([942, 943]).any()
    may, _ = neighbour_reader.read_neighbour_list(EXTRACT / "sn_may_2025.xlsx", "sn_may_2025.xlsx")
    assert may[may["authority_code"] == 879]["neighbour_code"].tolist() == [
        357,
        880,
        894,
        332,
        372,
        384,
        382,
        390,
        887,
        908,
    ]


def workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["A", "B", "C"])
    sheet.append([1, 2, 3])
    sheet.append(neighbour_reader.NEIGHBOUR_COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_a_bad_neighbour_list_is_named_by_row_and_column():
    neighbours = list(range(101, 111))
    data = workbook(
        [
            [879, "Plymouth", *neighbours],
            [880, "Torbay", 880, *neighbours[1:]],
            [881, "Essex", "Kent", *neighbours[1:]],
            [882, "Southend", 101, 101, *neighbours[2:]],
        ]
    )
    problems = problems_of(lambda: neighbour_reader.read_neighbour_list(data, "sn.xlsx"))
    assert problems == [
        "sn.xlsx, row 6, column SN1: 'Kent' is not DfE's three-digit authority number.",
        "sn.xlsx, row 5, column SN1: an authority is not its own statistical neighbour.",
    ]
    data = workbook([[882, "Southend", 101, 101, *neighbours[2:]], [882, "Southend", *neighbours]])
    problems = problems_of(lambda: neighbour_reader.read_neighbour_list(data, "sn.xlsx"))
    assert problems == [
        "sn.xlsx, row 5, column LA num: authority 882 is listed twice.",
        "sn.xlsx, row 4, column SN2: 101 is already a neighbour of 882.",
    ]


def test_a_workbook_without_the_columns_says_which():
    book = Workbook()
    for row in (["A", "B"], [1, 2], ["LA num", "LA Name", "SN1"], [879, "Plymouth", 880]):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    [problem] = problems_of(lambda: neighbour_reader.read_neighbour_list(buffer, "sn.xlsx"))
    assert problem == (
        "sn.xlsx: is missing the columns SN2, SN3, SN4, SN5, SN6, SN7, SN8, SN9, SN10 (DfE's "
        "statistical-neighbour list has LA num, LA Name, SN1, SN2, SN3, SN4, SN5, SN6, SN7, "
        "SN8, SN9, SN10)."
    )


def test_a_workbook_with_no_third_row_says_where_the_header_belongs():
    book = Workbook()
    book.active.append(["LA num", "LA Name", "SN1"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    [problem] = problems_of(lambda: neighbour_reader.read_neighbour_list(buffer, "sn.xlsx"))
    assert problem == "sn.xlsx: has no header on row 3 (DfE's layout puts it there)."


@pytest.mark.parametrize(
    ("filename", "name"),
    [
        ("sn_april_2021.xlsx", "April 2021"),
        ("sn_may_2025.xlsx", "May 2025"),
        ("SN-March-2027.csv", "March 2027"),
        ("neighbours.xlsx", "neighbours"),
    ],
)
def test_a_list_is_named_from_its_file(filename, name):
    assert neighbour_reader.neighbour_list_name(filename) == name


# The full data set -----------------------------------------------------------------------
@pytest.mark.skipif(not (FULL / "lait_bds_long.parquet").is_file(), reason="no ../shared/lait")
def test_the_full_data_set_reads_and_the_extract_is_a_faithful_part_of_it():
    from indicators.dfe.comparators import CouncilPlace, council_comparators

    full = reader.read_data(FULL / "lait_bds_long.parquet", "lait_bds_long.parquet")
    dictionary, notices = dictionary_reader.read_dictionary(
        FULL / "lait_data_dictionary.csv", "lait_data_dictionary.csv"
    )
    assert len(full) == 641_070
    assert full["measure"].nunique() == 434 and full["area_code"].nunique() == 170
    assert set(full["measure"]) <= set(dictionary["code"])
    assert "lists 14 measures twice" in notices[0]
    # DfE's "-": 93,883 values not available; none became a number.
    assert int(full["value"].isna().sum()) == 93_883

    # The comparators of the extract's measures are the same worked out from the full file.
    extract = reader.read_data(EXTRACT / "lait_extract.parquet", "lait_extract.parquet")
    measures = dictionary.set_index("code")[["polarity", "no_quartile"]]
    place = CouncilPlace(879, (990,), (880, 851, 894, 921, 882, 372, 839, 887, 874, 357))

    def comparators_of(frame):
        return council_comparators(
            frame.assign(authority=frame["region"] != ""), measures, place
        ).reset_index(drop=True)

    from_full = comparators_of(full)
    from_full = from_full[from_full["measure"].isin(set(extract["measure"]))]
    pd.testing.assert_frame_equal(from_full.reset_index(drop=True), comparators_of(extract))
    assert len(comparators_of(full)) == 3_517
