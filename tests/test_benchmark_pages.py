"""DfE benchmarks where councillors look (issue 13): the indicator page's panel, comparator
steps and chart of every authority; the headline tables and the pack; the quarterly report;
every export. On the seed with the LAIT extract imported and linked as load_demo does
(tests/support/benchmark_demo.py has the figures worked by hand)."""

import csv
import io
import re
from decimal import Decimal

import openpyxl
import plotly.graph_objects as go
from django.core.management import call_command
from django.urls import reverse

from indicators.models import Benchmark, Indicator, Value
from indicators.periods import Month
from intake.lait.demo import DEMO_LINKS, load_demo_benchmarks
from scorecard import queries
from scorecard.pack import PackOptions, pack_html

from .support.benchmark_demo import add_history, publish
from .support.plotly_bundle import bundle_trace_types

SEP = {"period": "2023-09"}
STEP_NAMES = ["England (DfE)", "South West (DfE)", "Statistical neighbours' mean (DfE)"]
# The exports' DfE columns, after the others: a scorecard's and an indicator history's.
BENCHMARK_CSV_HEADER = [
    "benchmark_measure",
    "benchmark_dfe_year",
    "benchmark_year",
    "benchmark_status",
    "benchmark_council",
    "benchmark_england",
    "benchmark_region_name",
    "benchmark_region",
    "benchmark_statistical_neighbours",
    "benchmark_quartile",
    "benchmark_rank",
    "benchmark_authorities",
]
HISTORY_BENCHMARK_CSV_HEADER = [
    "benchmark_year",
    "benchmark_england",
    "benchmark_region",
    "benchmark_statistical_neighbours",
]


def suppress_month(month, reference="10"):
    """A published figure of 3 children in 20 (15.0%): a viewer sees it as x."""
    indicator = Indicator.objects.get(reference=reference)
    Value.objects.update_or_create(
        indicator=indicator,
        period=month.first_day,
        defaults={"value": Decimal("15.0"), "numerator": 3, "denominator": 20},
    )
    publish(month)


def panel_values(html):
    return {
        key: value.strip() for key, value in re.findall(r'data-benchmark="(\w+)">([^<]*)', html)
    }


# The indicator page ---------------------------------------------------------------------
def test_the_indicator_page_compares_with_the_latest_year_ended_by_its_month(viewer_client, demo):
    response = viewer_client.get(reverse("indicator", args=["10"]))
    html = response.content.decode()
    # Sep-23 is the latest month: 2022/23 (DfE's "2023"), not 2023/24 (not ended by then).
    assert "How we compare: DfE benchmarks, 2022/23" in html
    assert panel_values(html) == {
        "council": "20.0%",
        "england": "22.4%",
        "region": "23.0%",
        "statistical_neighbours": "24.3%",
        "quartile": "B",
        "rank": "64 of 149",
    }
    assert "(of 10 of the 10 neighbours)" in html
    assert '<dt class="govuk-summary-list__key">South West</dt>' in html
    assert "LAIT measure ReReferral" in html and "April 2021 list" in html


def test_a_measure_with_no_polarity_has_no_band_and_no_rank(viewer_client, demo):
    html = viewer_client.get(reverse("indicator", args=["20"])).content.decode()
    values = panel_values(html)
    assert (values["council"], values["england"]) == ("44.4r", "42.7r")
    assert values["statistical_neighbours"] == "55.4r"
    assert (values["quartile"], values["rank"]) == ("No band", "No rank")


def test_an_indicator_with_no_lait_measure_has_no_panel_and_no_comparator_lines(
    viewer_client, demo
):
    response = viewer_client.get(reverse("indicator", args=["7"]))
    assert response.context["benchmark_panel"] is None
    assert b"How we compare" not in response.content
    names = [trace["name"] for trace in response.context["chart"]["figure"]["data"]]
    assert not [name for name in names if "(DfE)" in name]


def test_the_history_chart_steps_each_comparator_by_the_year_each_month_belongs_to(
    viewer_client, demo
):
    add_history()
    response = viewer_client.get(reverse("indicator", args=["10"]))
    figure = response.context["chart"]["figure"]
    go.Figure(figure)  # a valid Plotly figure
    steps = {trace["name"]: trace for trace in figure["data"] if "(DfE)" in trace["name"]}
    assert list(steps) == STEP_NAMES
    england = steps["England (DfE)"]
    assert england["line"]["shape"] == "hv" and england["type"] == "scatter"
    by_month = dict(zip(england["x"], england["y"], strict=True))
    # Jan-Mar 2021 are 2020/21's, Apr-21 to Mar-22 2021/22's, Apr-22 to Mar-23 2022/23's;
    # 2023/24 had not ended by Sep-23, so its months have no comparator yet.
    assert by_month["2021-01-01"] == by_month["2021-03-01"] == 22.7
    assert by_month["2021-04-01"] == by_month["2022-03-01"] == 21.5
    assert by_month["2022-04-01"] == by_month["2023-03-01"] == 22.4
    assert by_month["2023-04-01"] is None and by_month["2023-09-01"] is None
    neighbours = dict(zip(*[steps[STEP_NAMES[2]][key] for key in ("x", "y")], strict=True))
    assert round(neighbours["2022-06-01"], 2) == 24.28
    hover = dict(zip(england["x"], england["text"], strict=True))
    assert hover["2021-06-01"] == "England 2021/22: 21.5%"
    summary = response.context["chart"]["summary"]
    assert "Stepped lines: DfE's England, South West and statistical neighbours' mean" in summary
    assert "2020/21 to 2022/23; in 2022/23 England 22.4%, South West 23.0%" in summary


def test_the_distribution_chart_shows_every_authority_with_ours_and_the_means_named(
    viewer_client, demo
):
    response = viewer_client.get(reverse("indicator", args=["10"]))
    chart = response.context["benchmark_panel"]["chart"]
    figure = chart["figure"]
    go.Figure(figure)
    assert {trace["type"] for trace in figure["data"]} <= bundle_trace_types()
    traces = {trace["name"]: trace for trace in figure["data"]}
    assert list(traces) == ["Other authorities", "Statistical neighbours", "Plymouth"]
    assert sum(len(trace["x"]) for trace in figure["data"]) == 149
    assert traces["Plymouth"]["y"] == [20.0]
    assert len(traces["Statistical neighbours"]["x"]) == 10
    # Sorted lowest first across every trace.
    order = figure["layout"]["xaxis"]["categoryarray"]
    values = {
        name: y for trace in figure["data"] for name, y in zip(trace["x"], trace["y"], strict=True)
    }
    assert [values[name] for name in order] == sorted(values.values())
    lines = {a["text"] for a in figure["layout"]["annotations"]}
    assert {"England 22.4%", "Statistical neighbours' mean 24.3%", "Plymouth 20.0%"} <= lines
    assert [shape["y0"] for shape in figure["layout"]["shapes"]] == [22.4, 24.28]
    assert chart["summary"] == (
        "Bar chart of 149 authorities' percentage of re-referrals to children's social care "
        "within 12 months in 2022/23, lowest first: from 10.0% (Hackney) to 41.6% (Isle of "
        "Wight). Plymouth 20.0%, ranked 64 of 149 (1 is best), quartile band B (A is the best "
        "quarter). England 22.4%. Statistical neighbours' mean 24.3%; the neighbours' bars are "
        "pale blue."
    )
    assert 'id="chart-distribution"' in response.content.decode()


# Suppression ------------------------------------------------------------------------------
def test_our_dfe_figure_band_and_rank_are_withheld_beside_an_x_of_the_same_year(
    client, viewer, editor, demo
):
    suppress_month(Month(2023, 1))  # in 2022/23, the year the page compares with
    client.force_login(viewer)
    response = client.get(reverse("indicator", args=["10"]))
    html = response.content.decode()
    values = panel_values(html)
    assert (values["council"], values["quartile"], values["rank"]) == ("x", "x", "x")
    # Other areas' published figures are still there.
    assert (values["england"], values["region"], values["statistical_neighbours"]) == (
        "22.4%",
        "23.0%",
        "24.3%",
    )
    chart = response.context["benchmark_panel"]["chart"]
    assert [trace["name"] for trace in chart["figure"]["data"]] == [
        "Other authorities",
        "Statistical neighbours",
    ]
    assert sum(len(trace["x"]) for trace in chart["figure"]["data"]) == 148
    assert "20.0" not in {a["text"] for a in chart["figure"]["layout"]["annotations"]}
    assert "Plymouth City Council's own figure is not shown" in chart["summary"]
    assert "ranked" not in chart["summary"]
    # An editor sees the real figure on the page, as they see the real x.
    client.force_login(editor)
    values = panel_values(client.get(reverse("indicator", args=["10"])).content.decode())
    assert (values["council"], values["quartile"], values["rank"]) == ("20.0%", "B", "64 of 149")


def test_an_x_outside_the_year_shown_withholds_nothing(viewer_client, demo):
    suppress_month(Month(2022, 3))  # 2021/22's last month
    values = panel_values(viewer_client.get(reverse("indicator", args=["10"])).content.decode())
    assert values["council"] == "20.0%"


def test_a_scorecard_decides_on_the_months_of_the_year_shown_beyond_its_window(demo):
    suppress_month(Month(2022, 5))
    scorecard = queries.load_scorecard(Month(2023, 9), suppress=True)
    [row] = [row for row in scorecard.rows if row.indicator.reference == "10"]
    assert row.benchmark.latest.council_withheld
    # The row itself still holds only the months it shows and the one before.
    assert min(row.figures) >= Month(2023, 6)
    # Without the suppressed month, the same scorecard shows the council's figure.
    Value.objects.filter(indicator__reference="10", period="2022-05-01").delete()
    scorecard = queries.load_scorecard(Month(2023, 9), suppress=True)
    [row] = [row for row in scorecard.rows if row.indicator.reference == "10"]
    assert not row.benchmark.latest.council_withheld


# Headline tables and the pack -------------------------------------------------------------
def _table_row(html, reference):
    match = re.search(
        rf'<th[^>]*><a class="govuk-link" href="/indicators/{reference}/">'
        rf"{reference}</a></th>(.*?)</tr>",
        html,
        re.S,
    )
    assert match, reference
    return match.group(1)


def test_the_headline_table_has_england_sn_and_the_quartile_band_in_words(viewer_client, demo):
    # The quartile band moved from a column of its own ("Quartile (A best)") into the row's
    # details, in words (the issue: a headline table a councillor reads at a glance).
    html = viewer_client.get(reverse("priority", args=[2]), SEP).content.decode()
    assert "England / SN (year)" in html and "Quartile (A best)" not in html
    linked = _table_row(html, "10")
    assert "22.4% / 24.3% (2022/23)" in linked
    assert "<dt>Quartile band</dt><dd>B: councils are put in four bands" in linked
    unlinked = _table_row(html, "7")
    assert unlinked.count("No DfE benchmark") == 1
    assert "Quartile band" not in unlinked
    html = viewer_client.get(reverse("priority", args=[3]), SEP).content.decode()
    assert "42.7r / 55.4r (2022/23)" in _table_row(html, "20")
    assert "The DfE gives no quartile band for this measure." in _table_row(html, "20")


def test_the_headline_tables_band_is_withheld_beside_a_suppressed_month_of_the_year(
    viewer_client, demo
):
    suppress_month(Month(2022, 8))
    row = _table_row(viewer_client.get(reverse("priority", args=[2]), SEP).content.decode(), "10")
    assert "22.4% / 24.3% (2022/23)" in row
    assert "<dt>Quartile band</dt><dd>Not shown beside a suppressed figure.</dd>" in row
    assert "B: councils are put" not in row


def test_the_pack_carries_the_benchmark_columns(demo):
    html = pack_html(Month(2023, 9), PackOptions())
    assert html.count("England / SN (year)") == 6  # one headline table per priority
    assert "22.4% / 24.3% (2022/23)" in html
    assert "70.0r / 96.6r (2022/23)" in html  # ID 21, children in care at 31 March 2023


# Exports ----------------------------------------------------------------------------------
def _csv(response):
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_scorecard_csv_carries_the_benchmarks_unformatted(viewer_client, demo):
    rows = _csv(viewer_client.get(reverse("scorecard_csv"), SEP))
    header = rows[0]
    start = header.index("benchmark_measure")
    assert header[start:] == BENCHMARK_CSV_HEADER
    by_reference = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert [by_reference["10"][name] for name in BENCHMARK_CSV_HEADER] == [
        "ReReferral", "2023", "2022/23", "", "20", "22.4", "South West", "23", "24.28", "B",
        "64", "149",
    ]  # fmt: skip
    assert by_reference["20"]["benchmark_quartile"] == ""
    assert by_reference["20"]["benchmark_rank"] == ""
    assert [by_reference["7"][name] for name in BENCHMARK_CSV_HEADER] == [""] * 12


def test_every_export_withholds_our_dfe_figure_for_everyone_beside_an_x(client, editor, demo):
    suppress_month(Month(2022, 10))
    client.force_login(editor)  # exports suppress for editors too
    rows = _csv(client.get(reverse("scorecard_csv"), SEP))
    row = dict(zip(rows[0], next(r for r in rows[1:] if r[0] == "10"), strict=True))
    assert (row["benchmark_council"], row["benchmark_quartile"], row["benchmark_rank"]) == (
        "x",
        "x",
        "x",
    )
    assert row["benchmark_england"] == "22.4"
    sheet = _scorecard_sheet(client)
    cells = _xlsx_row(sheet, "10")
    assert [cells["Council (DfE)"], cells["Quartile band"], cells["Rank"]] == ["x", "x", "x"]
    workbook = _workbook(client.get(reverse("indicator_history_xlsx", args=["10"])))
    benchmarks = workbook["DfE benchmarks"]
    latest = [cell.value for cell in list(benchmarks.iter_rows(min_row=3))[-1]]
    assert latest[:4] == ["2023", "2022/23", None, "x"]
    assert latest[9:11] == ["x", "x"]


def _workbook(response):
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _scorecard_sheet(client):
    return _workbook(client.get(reverse("scorecard_xlsx"), SEP))["Scorecard 2023-09"]


def _xlsx_row(sheet, reference):
    headers = [cell.value for cell in sheet[2]]
    for row in sheet.iter_rows(min_row=3):
        if row[0].value == reference:
            return {header: cell.value for header, cell in zip(headers, row, strict=True)} | {
                f"{header} format": cell.number_format
                for header, cell in zip(headers, row, strict=True)
            }
    raise AssertionError(reference)


def test_the_scorecard_workbook_writes_benchmarks_as_numbers_in_the_units_format(
    viewer_client, demo
):
    cells = _xlsx_row(_scorecard_sheet(viewer_client), "10")
    assert cells["DfE benchmark year"] == "2022/23"
    assert (cells["Council (DfE)"], cells["England"], cells["Region (DfE)"]) == (20, 22.4, 23)
    assert cells["Statistical neighbours' mean"] == 24.28
    assert cells["England format"] == '0.0"%"'
    assert (cells["Region"], cells["Quartile band"], cells["Rank"]) == ("South West", "B", 64)
    assert cells["Authorities ranked"] == 149
    rate = _xlsx_row(_scorecard_sheet(viewer_client), "21")
    assert (rate["England"], rate["England format"]) == (70, '0.0"r"')
    assert rate["Quartile band"] == "No band" and rate["Rank"] is None


def test_the_history_exports_carry_the_year_each_month_stands_beside(viewer_client, demo):
    add_history(first="2022-01")
    rows = _csv(viewer_client.get(reverse("indicator_history_csv", args=["10"])))
    assert rows[0][-4:] == HISTORY_BENCHMARK_CSV_HEADER
    by_month = {row[0]: row[-4:] for row in rows[1:]}
    assert by_month["2022-03"] == ["2021/22", "21.5", "22.6", "23.07"]
    assert by_month["2022-04"] == ["2022/23", "22.4", "23", "24.28"]
    assert by_month["2023-07"] == ["", "", "", ""]  # 2023/24 had not ended by Sep-23
    workbook = _workbook(viewer_client.get(reverse("indicator_history_xlsx", args=["10"])))
    sheet = workbook["ID 10 history"]
    headers = [cell.value for cell in sheet[2]]
    row = next(
        r for r in sheet.iter_rows(min_row=3) if r[0].value.month == 4 and r[0].value.year == 2022
    )
    cells = dict(zip(headers, row, strict=True))
    assert cells["DfE benchmark year"].value == "2022/23"
    assert cells["England (DfE)"].value == 22.4
    assert cells["England (DfE)"].number_format == '0.0"%"'
    assert workbook.sheetnames == ["ID 10 history", "DfE benchmarks", "Key"]
    benchmarks = workbook["DfE benchmarks"]
    assert "DfE LAIT ReReferral" in benchmarks["A1"].value
    years = [row[1].value for row in benchmarks.iter_rows(min_row=3)]
    assert years[0] == "2015/16" and years[-1] == "2022/23"  # every year ended by Sep-23
    latest = [cell.value for cell in list(benchmarks.iter_rows(min_row=3))[-1]]
    assert latest == ["2023", "2022/23", None, 20, 22.4, "South West", 23, 24.28, 10, "B", 64, 149]


def test_an_unlinked_indicators_history_workbook_has_no_benchmarks_sheet(viewer_client, demo):
    workbook = _workbook(viewer_client.get(reverse("indicator_history_xlsx", args=["7"])))
    assert workbook.sheetnames == ["ID 7 history", "Key"]


# The quarterly report ---------------------------------------------------------------------
def _quarterly_row(viewer_client, reference):
    report = viewer_client.get(reverse("quarterly_report", args=["2023-24-q2"])).context["report"]
    for table in report.tables:
        for row in table.rows:
            if row.indicator.reference == reference:
                return table, row
    raise AssertionError(reference)


def test_an_administrators_benchmarks_stay_as_entered(viewer_client, demo):
    # The paper's own 2021/22 figures, entered by an administrator, win over DfE's 2022/23.
    table, row = _quarterly_row(viewer_client, "Q2p")
    assert table.comparators == ["England", "Statistical Neighbours"]
    assert [cell.text for cell in row.benchmarks] == ["21.5% (2021/22)", "23.1% (2021/22)"]


def test_a_column_an_administrator_left_empty_is_filled_from_dfe_with_its_year(viewer_client, demo):
    Benchmark.objects.filter(indicator__reference="Q2p", comparator="england").delete()
    Benchmark.objects.filter(indicator__reference="Q4r").delete()
    table, row = _quarterly_row(viewer_client, "Q2p")
    # Q2 2023/24 ends in September 2023: 2022/23 is the latest year ended by then.
    assert [cell.text for cell in row.benchmarks] == ["22.4% (2022/23)", "23.1% (2021/22)"]
    _, rate = _quarterly_row(viewer_client, "Q4r")
    assert [cell.text for cell in rate.benchmarks] == ["42.7 (2022/23)", "55.4 (2022/23)"]
    # No region column comes with them: the report's tables keep the paper's columns.
    assert table.comparators == ["England", "Statistical Neighbours"]
    _, unlinked = _quarterly_row(viewer_client, "Q1")
    assert [cell.text for cell in unlinked.benchmarks] == ["Not benchmarked"] * 2


def test_an_earlier_quarter_compares_with_the_year_ended_by_its_end(viewer_client, demo):
    Benchmark.objects.filter(indicator__reference="Q2p").delete()
    Value.objects.create(
        indicator=Indicator.objects.get(reference="Q2p"), period="2022-12-01", value=20
    )
    publish(Month(2022, 12))
    response = viewer_client.get(reverse("quarterly_report", args=["2022-23-q3"]))
    row = next(
        row
        for table in response.context["report"].tables
        for row in table.rows
        if row.indicator.reference == "Q2p"
    )
    assert [cell.text for cell in row.benchmarks] == ["21.5% (2021/22)", "23.1% (2021/22)"]


# The demonstration ------------------------------------------------------------------------
def test_load_demo_imports_the_extract_and_links_the_seeds_lait_measures(db):
    out = io.StringIO()
    call_command("load_demo", "--history-months", "1", stdout=out)
    assert (
        "DfE LAIT benchmarks: measures 7 added, 0 changed, 0 removed, 0 unchanged; "
        "indicators 10, 20, 21, 54, Q2p, Q4r, Q7r linked to their LAIT measures."
    ) in out.getvalue()
    linked = dict(
        Indicator.objects.exclude(lait_measure=None).values_list("reference", "lait_measure")
    )
    assert linked == {reference: code for reference, (code, _) in DEMO_LINKS.items()}
    # A second run changes nothing of the benchmarks.
    summary, _ = load_demo_benchmarks()
    assert not summary.changed_anything
