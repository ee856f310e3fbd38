"""The scorecard and an indicator's history as CSV and XLSX, on the seed's real figures."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from indicators.models import Commentary, Indicator, Value
from scorecard.exports.cell_text import neutralise

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCORECARD_XLSX = reverse("scorecard_xlsx") + "?period=2023-09"
EXPORTS = [
    SCORECARD_XLSX,
    reverse("indicator_history_csv", args=["76"]),
    reverse("indicator_history_xlsx", args=["76"]),
]
SCORECARD_HEADER = [
    "ID", "Description", "Priority", "Unit", "Polarity",
    "Jul-23", "Aug-23", "Sep-23",
    "Target", "Target source", "RAG", "Direction of travel", "Judgement", "Commentary",
    "Variation (SPC)", "Assurance (SPC)", "Revised",
    # DfE LAIT benchmarks (issue 13)
    "DfE benchmark year", "Council (DfE)", "England", "Region", "Region (DfE)",
    "Statistical neighbours' mean", "Quartile band", "Rank", "Authorities ranked",
]  # fmt: skip
HISTORY_CSV_HEADER = [
    "month", "value", "numerator", "denominator", "status",
    "target_value", "target_label", "rag", "direction", "judgement", "synthetic", "commentary",
    "revised",
    # DfE LAIT benchmarks (issue 13): the year each month stands beside
    "benchmark_year", "benchmark_england", "benchmark_region", "benchmark_statistical_neighbours",
]  # fmt: skip
PAYLOADS = [
    '=HYPERLINK("http://evil","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tcmd",
    "\rcmd",
]


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _csv(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def _scorecard_sheet(client, period="2023-09"):
    workbook = _workbook(client.get(reverse("scorecard_xlsx"), {"period": period}))
    return workbook[f"Scorecard {period}"]


def _scorecard_rows(sheet):
    """{(reference, priority): [cells]} for the data rows (below the title and header)."""
    return {(row[0].value, row[2].value): row for row in sheet.iter_rows(min_row=3) if row[0].value}


def _history_sheet(client, reference):
    workbook = _workbook(client.get(reverse("indicator_history_xlsx", args=[reference])))
    return workbook[f"ID {reference} history"]


def _history_csv(client, reference):
    return _csv(client.get(reverse("indicator_history_csv", args=[reference])))


# Access -----------------------------------------------------------------------------------
@pytest.mark.parametrize("url", EXPORTS)
def test_anonymous_visitors_are_sent_to_sign_in_for_every_export(client, seed, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("url", EXPORTS)
def test_a_user_with_no_role_is_refused_every_export(client, seed, no_role_user, url):
    client.force_login(no_role_user)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role_fixture", ["viewer", "editor", "administrator"])
@pytest.mark.parametrize("url", EXPORTS)
def test_every_role_may_download_every_export(client, seed, request, role_fixture, url):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(url).status_code == 200


def test_an_unknown_indicator_has_no_history_export(viewer_client, seed):
    for name in ("indicator_history_csv", "indicator_history_xlsx"):
        assert viewer_client.get(reverse(name, args=["999"])).status_code == 404


def test_exports_are_downloads_named_for_the_month_or_indicator(viewer_client, seed):
    response = viewer_client.get(SCORECARD_XLSX)
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="scorecard-2023-09.xlsx"'
    history_csv = viewer_client.get(reverse("indicator_history_csv", args=["76"]))
    assert 'filename="indicator-76-history.csv"' in history_csv["Content-Disposition"]
    history_xlsx = viewer_client.get(reverse("indicator_history_xlsx", args=["76"]))
    assert 'filename="indicator-76-history.xlsx"' in history_xlsx["Content-Disposition"]


def test_history_urls_do_not_clash_with_the_indicator_page(viewer_client, seed):
    assert reverse("indicator_history_csv", args=["76"]) == "/indicators/76/history.csv"
    page = viewer_client.get(reverse("indicator", args=["76"]))
    assert page.status_code == 200
    # The page, not a download (its body is rendered first, to be kept: scorecard.cache).
    assert "scorecard/indicator.html" in [template.name for template in page.templates]
    assert page["Content-Type"].startswith("text/html")


def test_pages_link_to_the_downloads(viewer_client, seed):
    dashboard = viewer_client.get(reverse("dashboard"), {"period": "2023-09"}).text
    assert f'href="{SCORECARD_XLSX}"' in dashboard
    assert "Download the scorecard for Sep-23 as Excel (.xlsx)" in dashboard
    indicator = viewer_client.get(reverse("indicator", args=["76"])).text
    assert f'href="{reverse("indicator_history_csv", args=["76"])}"' in indicator
    assert f'href="{reverse("indicator_history_xlsx", args=["76"])}"' in indicator
    assert "Download the history as CSV" in indicator
    assert "Download the history as Excel" in indicator


# Scorecard XLSX ---------------------------------------------------------------------------
def test_scorecard_xlsx_has_a_title_and_a_formatted_frozen_filtered_header(viewer_client, seed):
    sheet = _scorecard_sheet(viewer_client)
    title = sheet["A1"].value
    assert "Children's services scorecard – September 2023" in title
    assert "Plymouth City Council" in title  # the council's row, set by the seed
    assert [cell.value for cell in sheet[2]] == SCORECARD_HEADER
    assert all(cell.font.bold for cell in sheet[2])
    assert sheet["A2"].fill.fgColor.rgb.endswith("1D70B8")
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == f"A2:Z{sheet.max_row}"
    assert sheet["B3"].alignment.wrap_text
    assert sheet.column_dimensions["B"].width >= 40


def test_scorecard_xlsx_has_one_row_per_indicator_and_priority(viewer_client, seed):
    rows = _scorecard_rows(_scorecard_sheet(viewer_client))
    assert len(rows) == sum(len(p["indicators"]) for p in seed["priorities"])
    # ID 69 sits under priorities 1 and 6.
    assert sorted(priority for reference, priority in rows if reference == "69") == [1, 6]


def test_scorecard_xlsx_figures_are_numbers_formatted_for_their_unit(viewer_client, seed):
    rows = _scorecard_rows(_scorecard_sheet(viewer_client))
    mash = rows[("7", 2)]
    assert [cell.value for cell in mash[5:8]] == [12.2, 52.2, 58.2]
    assert all(cell.data_type == "n" for cell in mash[5:8])
    # Percentage points with a literal "%", never Excel's % format (which multiplies by 100).
    assert all(cell.number_format == '0.0"%"' for cell in mash[5:9])
    assert mash[8].value == 90
    assert [cell.value for cell in mash[10:13]] == ["Red", "Up, an improvement", "Improvement"]
    assert mash[3].value == "Percentage"
    assert mash[4].value == "Higher is better"
    sickness = rows[("78", 6)]
    assert [cell.value for cell in sickness[5:8]] == [11.06, 11.78, 11.25]
    assert sickness[7].number_format == "0.00"
    caseload = rows[("62", 1)]
    assert caseload[7].value == 190
    assert caseload[7].number_format == "#,##0"
    assert caseload[8].value is None  # no target
    assert caseload[10].value == "Monitor"
    assert caseload[11].value == "Down, not judged (no better direction)"
    rate = rows[("20", 3)]
    assert rate[7].number_format == '0.0"r"'
    assert rate[9].value == "England"


def test_scorecard_xlsx_shows_not_available_as_words(viewer_client, seed):
    turnover = _scorecard_rows(_scorecard_sheet(viewer_client))[("76", 6)]
    assert [cell.value for cell in turnover[5:8]] == [15.4, "Not available", 15.4]
    assert turnover[10].value == "Green"
    assert turnover[11].value == "No previous figure"


@pytest.mark.parametrize("role_fixture", ["viewer", "editor"])
def test_scorecard_xlsx_suppresses_small_counts_for_everyone(client, seed, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    rows = _scorecard_rows(_scorecard_sheet(client))
    unregistered = next(row for (reference, _), row in rows.items() if reference == "34")
    assert [cell.value for cell in unregistered[5:8]] == ["x", "x", "x"]
    residential = next(row for (reference, _), row in rows.items() if reference == "36")
    assert residential[7].value == 49


def test_scorecard_xlsx_carries_the_months_commentary(viewer_client, seed):
    comment = next(c for c in seed["commentary"] if c["period"] == "2023-09")
    rows = _scorecard_rows(_scorecard_sheet(viewer_client))
    row = next(r for (reference, _), r in rows.items() if reference == comment["indicators"][0])
    assert row[13].value == comment["text"]
    assert row[13].alignment.wrap_text


def test_scorecard_xlsx_has_a_key_explaining_rag_direction_and_x(viewer_client, seed):
    workbook = _workbook(viewer_client.get(SCORECARD_XLSX))
    assert workbook.sheetnames == ["Scorecard 2023-09", "Key"]
    key = {row[0]: row[1] for row in workbook["Key"].iter_rows(values_only=True)}
    assert "fewer than 5 children" in key["x"]
    assert key["Red"] == "Red: more than tolerance from target"
    assert key["Monitor"] == "Monitor: no target"
    assert "Up / Down, an improvement" in key
    assert "Not available" in key


def test_scorecard_xlsx_takes_a_constant_number_of_queries(
    viewer_client, seed, django_assert_max_num_queries
):
    # The exact count, query by query, is pinned in tests/test_query_counts.py (XLSX_QUERIES):
    # 12 since the events on the charts (their SPC rebases) are read with the scorecard.
    with django_assert_max_num_queries(12):
        response = viewer_client.get(SCORECARD_XLSX)
    assert response.status_code == 200


def test_history_xlsx_takes_a_constant_number_of_queries(
    viewer_client, seed, django_assert_max_num_queries
):
    # Pinned query by query in tests/test_query_counts.py (HISTORY_XLSX_QUERIES): one more
    # since the indicator's events (its SPC rebases) are read with its history.
    with django_assert_max_num_queries(12):
        response = viewer_client.get(reverse("indicator_history_xlsx", args=["69"]))
    assert response.status_code == 200


# Indicator history ------------------------------------------------------------------------
def test_history_csv_lists_every_month_newest_first_unformatted(viewer_client, seed):
    rows = _history_csv(viewer_client, "76")
    assert rows[0] == HISTORY_CSV_HEADER
    assert [row[:10] for row in rows[1:]] == [
        ["2023-09", "15.4", "", "", "actual", "17", "", "green", "none", "not judged"],
        ["2023-08", "", "", "", "not_available", "17", "", "no data", "none", "not judged"],
        ["2023-07", "15.4", "", "", "actual", "17", "", "green", "none", "not judged"],
    ]
    assert {row[10] for row in rows[1:]} == {"false"}


def test_history_xlsx_has_dates_numbers_and_words(viewer_client, seed):
    sheet = _history_sheet(viewer_client, "76")
    assert "ID 76 Turnover rate for Social Workers" in sheet["A1"].value
    assert [cell.value for cell in sheet[2]] == [
        "Month", "Value", "Numerator", "Denominator", "Status", "Target", "Target source",
        "RAG", "Direction of travel", "Judgement", "Commentary", "Revised",
        "DfE benchmark year", "England (DfE)", "Region (DfE)",
        "Statistical neighbours' mean (DfE)",
    ]  # fmt: skip
    assert sheet.freeze_panes == "A3"
    rows = list(sheet.iter_rows(min_row=3))
    assert [row[0].value for row in rows] == [
        dt.datetime(2023, 9, 1),
        dt.datetime(2023, 8, 1),
        dt.datetime(2023, 7, 1),
    ]
    assert rows[0][0].is_date and rows[0][0].number_format == "mmm-yy"
    assert [row[1].value for row in rows] == [15.4, "Not available", 15.4]
    assert rows[0][1].number_format == '0.0"%"'
    assert [row[4].value for row in rows] == ["Actual", "Not available", "Actual"]
    assert rows[0][5].value == 17 and rows[0][5].number_format == '0.0"%"'
    assert [row[7].value for row in rows] == ["Green", "No data", "Green"]


@pytest.mark.parametrize("role_fixture", ["viewer", "editor"])
def test_history_exports_suppress_small_counts_for_everyone(client, seed, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    rows = _history_csv(client, "34")
    assert [row[1:4] for row in rows[1:]] == [["x", "", ""]] * 3
    sheet = _history_sheet(client, "34")
    assert [row[1].value for row in sheet.iter_rows(min_row=3)] == ["x", "x", "x"]


def test_history_exports_leave_out_the_numerator_of_a_suppressed_figure(client, seed, editor):
    # 2 of 40 children: the percentage is worked out from a small number.
    indicator = Indicator.objects.get(reference="7")
    Value.objects.filter(indicator=indicator, period="2023-09-01").update(
        value=Decimal("5.0"), numerator=2, denominator=40
    )
    Value.objects.filter(indicator=indicator, period="2023-08-01").update(
        numerator=47, denominator=90
    )
    client.force_login(editor)
    rows = _history_csv(client, "7")
    assert rows[1][:4] == ["2023-09", "x", "", ""]
    assert rows[2][:4] == ["2023-08", "52.2", "47", "90"]
    sheet = _history_sheet(client, "7")
    september, august = list(sheet.iter_rows(min_row=3, max_row=4))
    assert [cell.value for cell in september[1:4]] == ["x", None, None]
    assert [cell.value for cell in august[1:4]] == [52.2, 47, 90]


def test_history_exports_carry_each_months_commentary(viewer_client, seed):
    comment = next(c for c in seed["commentary"] if c["period"] == "2023-09")
    reference = comment["indicators"][0]
    rows = _history_csv(viewer_client, reference)
    assert rows[1][0] == "2023-09" and rows[1][11] == comment["text"]
    sheet = _history_sheet(viewer_client, reference)
    assert sheet["K3"].value == comment["text"]


def test_a_viewer_never_gets_draft_months_in_an_export(client, seed, viewer, editor):
    indicator = Indicator.objects.get(reference="76")
    Value.objects.create(indicator=indicator, period="2023-10-01", value=Decimal("20.5"))
    client.force_login(viewer)
    assert "2023-10" not in [row[0] for row in _history_csv(client, "76")]
    sheet = _history_sheet(client, "76")
    assert dt.datetime(2023, 10, 1) not in [row[0].value for row in sheet.iter_rows(min_row=3)]
    # October is not published: a viewer's scorecard download for it is refused outright.
    response = client.get(reverse("scorecard_xlsx"), {"period": "2023-10"})
    assert response.status_code == 404

    client.force_login(editor)
    assert _history_csv(client, "76")[1][:2] == ["2023-10", "20.5"]
    assert _history_sheet(client, "76")["A3"].value == dt.datetime(2023, 10, 1)
    turnover = _scorecard_rows(_scorecard_sheet(client, "2023-10"))[("76", 6)]
    assert turnover[7].value == 20.5


def test_an_export_is_kept_until_the_data_changes_and_never_served_across_draft_visibility(
    client, seed, viewer, editor
):
    indicator = Indicator.objects.get(reference="76")
    Value.objects.create(indicator=indicator, period="2023-10-01", value=Decimal("20.5"))
    history_csv = reverse("indicator_history_csv", args=["76"])
    # The editor's downloads come first, so a viewer's would be served from theirs if the
    # cache did not keep them apart.
    client.force_login(editor)
    editors = {url: client.get(url) for url in (reverse("scorecard_csv"), history_csv)}
    assert "DRAFT" in editors[history_csv]["Content-Disposition"]
    assert "scorecard-2023-10-DRAFT.csv" in editors[reverse("scorecard_csv")]["Content-Disposition"]
    client.force_login(viewer)
    assert "2023-10" not in [row[0] for row in _history_csv(client, "76")]
    viewers = client.get(reverse("scorecard_csv"))
    assert 'filename="scorecard-2023-09.csv"' in viewers["Content-Disposition"]
    sheet = _history_sheet(client, "76")
    assert dt.datetime(2023, 10, 1) not in [row[0].value for row in sheet.iter_rows(min_row=3)]
    # Unchanged, the editor's are served again as made; after a change, made afresh.
    client.force_login(editor)
    assert client.get(history_csv).content == editors[history_csv].content
    Value.objects.filter(indicator=indicator, period="2023-10-01").update(value=Decimal("30.5"))
    indicator.save()  # a save moves the data version on
    assert _history_csv(client, "76")[1][:2] == ["2023-10", "30.5"]


# Formula injection ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Plain text", "Plain text"),
        ("x", "x"),
        ("", ""),
        (Decimal("-2.5"), Decimal("-2.5")),
        (-3, -3),
        (-0.5, -0.5),
        (None, None),
    ],
)
def test_neutralise_prefixes_formula_text_and_leaves_numbers_alone(value, expected):
    assert neutralise(value) == expected
    assert type(neutralise(value)) is type(expected)


@pytest.fixture
def hostile(seed):
    """Put a payload in ID 7's description and September commentary."""

    def apply(payload):
        indicator = Indicator.objects.get(reference="7")
        indicator.description = payload
        indicator.save()
        Commentary.objects.update_or_create(
            indicator=indicator, period="2023-09-01", defaults={"text": payload}
        )

    return apply


@pytest.mark.parametrize("payload", PAYLOADS)
def test_csv_exports_neutralise_formula_like_text(viewer_client, hostile, payload):
    hostile(payload)
    rows = _csv(viewer_client.get(reverse("scorecard_csv"), {"period": "2023-09"}))
    # A carriage return is written as a line feed, so every reader keeps the row whole.
    expected = "'" + payload.replace("\r", "\n")
    mash = next(row for row in rows if row[0] == "7")
    assert mash[1] == expected
    history = _history_csv(viewer_client, "7")
    assert history[1][0] == "2023-09"
    assert history[1][11] == expected


@pytest.mark.parametrize("payload", PAYLOADS)
def test_xlsx_exports_store_formula_like_text_as_text(viewer_client, hostile, payload):
    hostile(payload)
    mash = _scorecard_rows(_scorecard_sheet(viewer_client))[("7", 2)]
    for cell in (mash[1], mash[13]):  # description, commentary
        assert cell.data_type == "s"
        assert cell.value.startswith("'")
        # An XML parser reads a carriage return back as a line feed.
        assert cell.value[1:].replace("\n", "\r") == payload.replace("\n", "\r")
    commentary = _history_sheet(viewer_client, "7")["K3"]
    assert commentary.data_type == "s"
    assert commentary.value.startswith("'")


def test_csv_line_breaks_in_text_never_split_a_row(viewer_client, hostile):
    hostile("First line\r\nsecond line\rthird line")
    rows = _csv(viewer_client.get(reverse("scorecard_csv"), {"period": "2023-09"}))
    assert len({len(row) for row in rows}) == 1
    mash = next(row for row in rows if row[0] == "7")
    assert mash[1] == "First line\nsecond line\nthird line"


def test_negative_figures_stay_numbers_in_every_export(client, seed, editor):
    Value.objects.filter(indicator__reference="7", period="2023-09-01").update(
        value=Decimal("-2.5")
    )
    client.force_login(editor)
    rows = _csv(client.get(reverse("scorecard_csv"), {"period": "2023-09"}))
    assert next(row for row in rows if row[0] == "7")[7] == "-2.5"
    assert _history_csv(client, "7")[1][1] == "-2.5"
    cell = _scorecard_rows(_scorecard_sheet(client))[("7", 2)][7]
    assert cell.value == -2.5 and cell.data_type == "n"
    cell = _history_sheet(client, "7")["B3"]
    assert cell.value == -2.5 and cell.data_type == "n"
