"""The quarterly report's PDF (printed by the pack's Chromium, read back with pypdf) and Excel
downloads: the page's tables cell for cell, "x" exactly where the page has it, drafts marked,
the DfE benchmarks the page fills in."""

import io
import time

import openpyxl
import pytest
from django.tasks import TaskResultStatus
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from indicators.models import Benchmark
from indicators.numbers import round_half_up
from indicators.periods import Month
from intake.publishing import unpublish
from scorecard import pdf
from scorecard.exports.cell_text import neutralise
from scorecard.stored_prints import print_stored

from .support.tasks import database_tasks

Q2 = "2023-24-q2"
PAGE = reverse("quarterly_report", args=[Q2])
XLSX = reverse("quarterly_report_xlsx", args=[Q2])
PDF = reverse("quarterly_report_pdf", args=[Q2])
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(client):
    return client.get(PAGE).context["report"]


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _tables(sheet):
    """{table title: {"headings": [...], "rows": [[cells], ...]}} as the workbook lays them
    out: a title row, the group headings, the column headings, then a row per indicator."""
    tables, current, expect = {}, None, None
    for row in sheet.iter_rows(min_row=4):
        cells = list(row)
        first = cells[0].value
        if expect == "groups":
            expect = "headings"
            continue
        if expect == "headings":
            current["headings"] = [cell.value for cell in cells if cell.value is not None]
            expect = None
            continue
        if first is None and cells[1].value is None:
            current = None
            continue
        if current is None:
            current = tables[first] = {"rows": []}
            expect = "groups"
            continue
        current["rows"].append(cells)
    return tables


def _expected(cell, indicator):
    if cell.suppressed:
        return "x"
    if cell.value is not None:
        return float(round_half_up(cell.value, indicator.decimal_places))
    return neutralise(cell.text)  # "-" would start a formula: stored as text ("'-")


# Excel ------------------------------------------------------------------------------------
def test_the_workbook_holds_every_table_cell_for_cell_as_the_page(viewer_client, quarterly):
    report = _report(viewer_client)
    response = viewer_client.get(XLSX)
    assert 'filename="quarterly-report-2023-24-q2.xlsx"' in response["Content-Disposition"]
    sheet = _workbook(response)["Q2 2023-24"]
    assert sheet["A1"].value == "Plymouth City Council: Q2 2023/24 Performance Report"
    assert "shows 'x'" in sheet["A2"].value
    tables = _tables(sheet)
    assert list(tables) == [table.title for table in report.tables]
    compared = 0
    for table in report.tables:
        written = tables[table.title]
        assert written["headings"] == [
            "Ref",
            "Indicator Name",
            *[year.heading for year in table.years],
            *table.comparators,
            table.current_heading,
        ]
        assert len(written["rows"]) == len(table.rows)
        for row, cells in zip(table.rows, written["rows"], strict=True):
            assert (cells[0].value or "", cells[1].value) == (
                row.ref_label,
                row.indicator.description,
            )
            shown = [*row.years, *row.benchmarks, row.current]
            values = [cell.value for cell in cells[2 : 2 + len(shown)]]
            assert values == [_expected(cell, row.indicator) for cell in shown], row.indicator
            compared += len(shown)
    assert compared > 200


def test_the_workbook_has_x_exactly_where_the_page_does(viewer_client, quarterly):
    report = _report(viewer_client)
    on_page = sum(
        cell.suppressed
        for table in report.tables
        for row in table.rows
        for cell in [*row.years, row.current]
    )
    sheet = _workbook(viewer_client.get(XLSX)).active
    in_workbook = sum(cell.value == "x" for row in sheet.iter_rows() for cell in row)
    assert on_page >= 4  # the seed's placement types alone have four
    assert in_workbook == on_page


def test_figures_are_numbers_rounded_and_formatted_as_the_page_prints_them(
    viewer_client, quarterly
):
    tables = _tables(_workbook(viewer_client.get(XLSX)).active)
    referrals = tables["1.1 Referrals & re-referrals"]["rows"]
    count, rate, _, percentage = referrals
    assert (count[2].value, count[2].number_format) == (3616, "#,##0")
    # 3,093 referrals of 51,635 children: 599.0 per 10,000, printed bare as the report does.
    assert (rate[7].value, rate[7].number_format) == (599.0, "#,##0.0")
    assert (percentage[7].value, percentage[7].number_format) == (18.3, '0.0"%"')
    assert percentage[5].value == "21.5% (2021/22)"  # a benchmark keeps its year


def test_an_editors_workbook_of_a_draft_month_says_draft(client, quarterly, editor):
    unpublish(Month(2023, 9), editor, "A figure is being checked.")
    client.force_login(editor)
    response = client.get(XLSX)
    assert 'filename="quarterly-report-2023-24-q2-DRAFT.xlsx"' in response["Content-Disposition"]
    sheet = _workbook(response).active
    assert sheet["A1"].value.startswith("DRAFT: Sep-23 is not published")


def test_a_viewers_workbook_has_no_figure_of_a_draft_month(client, quarterly, viewer, editor):
    unpublish(Month(2023, 9), editor, "A figure is being checked.")
    client.force_login(viewer)
    response = client.get(XLSX)
    assert "DRAFT" not in response["Content-Disposition"]
    tables = _tables(_workbook(response).active)
    count = tables["1.1 Referrals & re-referrals"]["rows"][0]
    assert count[7].value == "No data"  # 3,093 is September's


def test_the_workbook_carries_the_dfe_figures_the_page_fills_in(viewer_client, demo):
    Benchmark.objects.filter(indicator__reference="Q2p").delete()
    tables = _tables(_workbook(viewer_client.get(XLSX)).active)
    percentage = tables["1.1 Referrals & re-referrals"]["rows"][3]
    assert [cell.value for cell in percentage[5:7]] == ["22.4% (2022/23)", "24.3% (2022/23)"]


# Access -----------------------------------------------------------------------------------
@pytest.mark.parametrize("url", [XLSX, PDF])
def test_anonymous_visitors_are_sent_to_sign_in(client, quarterly, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("url", [XLSX, PDF])
def test_a_user_with_no_role_is_refused(client, quarterly, no_role_user, url):
    client.force_login(no_role_user)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("name", ["quarterly_report_xlsx", "quarterly_report_pdf"])
def test_a_quarter_that_is_not_one_has_no_download(viewer_client, quarterly, name):
    assert viewer_client.get(reverse(name, args=["2023-q2"])).status_code == 404


def test_the_page_links_to_both_downloads(viewer_client, quarterly):
    html = viewer_client.get(PAGE).content.decode()
    assert f'href="{XLSX}"' in html and f'href="{PDF}"' in html


def test_a_pdf_that_cannot_be_made_says_so_and_offers_the_workbook(
    viewer_client, quarterly, monkeypatch
):
    # Configuration, not a mock: the server has no Chromium.
    monkeypatch.setattr(pdf, "CHROMIUM", pdf.Path("/nonexistent/chromium"))
    response = viewer_client.get(PDF)
    assert response.status_code == 503
    assert "Chromium is not installed" in response.text
    assert f'href="{XLSX}"' in response.text


# PDF (a real Chromium) ------------------------------------------------------------------
def _text(data):
    reader = PdfReader(io.BytesIO(data))
    return reader, [page.extract_text() for page in reader.pages]


@pytest.mark.browser
def test_the_pdf_prints_every_table_with_page_numbers(viewer_client, quarterly, browser):
    report = _report(viewer_client)
    response = viewer_client.get(PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="quarterly-report-2023-24-q2.pdf"' in response["Content-Disposition"]
    reader, pages = _text(response.content)
    whole = "\n".join(pages)
    assert "Q2 2023/24 Performance Report" in pages[0]
    for table in report.tables:
        assert table.title in whole, table.title
    for syntax in ("{#", "#}", "{%", "%}"):
        assert syntax not in whole
    count = len(reader.pages)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {count}" in page
        assert "Plymouth City Council · Q2 2023/24 Performance Report" in page
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])  # tagged
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 842) < 2 and abs(float(box.height) - 595) < 2  # A4 landscape
    # The seed's placement types, "x" where the page has it.
    line = next(line for line in whole.splitlines() if "Placement Type: Secure Units" in line)
    assert line.rstrip().endswith(" x")
    assert "3,093" in whole and "599.0" in whole


@pytest.mark.browser
def test_an_editors_pdf_of_a_draft_month_says_draft_on_every_page(
    client, quarterly, editor, browser
):
    unpublish(Month(2023, 9), editor, "A figure is being checked.")
    client.force_login(editor)
    response = client.get(PDF)
    assert 'filename="quarterly-report-2023-24-q2-DRAFT.pdf"' in response["Content-Disposition"]
    _, pages = _text(response.content)
    assert "DRAFT: includes figures for Sep-23, not yet published." in pages[0]
    assert all("DRAFT, not published" in page for page in pages)
    assert "3,093" in "\n".join(pages)


@pytest.mark.browser
def test_the_pdf_carries_the_dfe_figures_the_page_fills_in(viewer_client, demo, browser):
    Benchmark.objects.filter(indicator__reference="Q7r").delete()
    _, pages = _text(viewer_client.get(PDF).content)
    # Children looked after at 31 March 2023 per 10,000: England 70.0, neighbours 96.6.
    assert "70.0 (2022/23) 96.6 (2022/23)" in "\n".join(pages)


# The PDF as a task, kept in storage (scorecard.quarterly_store) --------------------------
@pytest.mark.browser
def test_the_pdf_is_printed_by_a_task_once_and_served_again_from_storage(
    viewer_client, quarterly, browser, settings
):
    with database_tasks():
        started = time.monotonic()
        waiting = viewer_client.get(PDF)
        assert time.monotonic() - started < 2, "the request does not wait for Chromium"
        assert waiting.status_code == 202
        assert '<meta http-equiv="refresh" content="3">' in waiting.text
        assert "Printing the PDF of the Q2 2023/24 report" in waiting.text
        assert f'href="{XLSX}"' in waiting.text
        (queued,) = DBTaskResult.objects.all()
        assert queued.task_path == "scorecard.stored_prints.print_stored"
        assert queued.status == TaskResultStatus.READY
        # Refreshing while it waits does not ask for it again.
        assert viewer_client.get(PDF).status_code == 202
        assert DBTaskResult.objects.count() == 1
        # The worker runs the task (here in this process); the next refresh is the download.
        assert print_stored.call(*queued.args_kwargs["args"]) == "printed"
        done = viewer_client.get(PDF)
    assert done.status_code == 200 and done["Content-Type"] == "application/pdf"
    assert 'filename="quarterly-report-2023-24-q2.pdf"' in done["Content-Disposition"]
    assert "Q2 2023/24 Performance Report" in _text(done.content)[1][0]
    # Asked again (with either backend), it is served from storage, not printed again.
    assert viewer_client.get(PDF).content == done.content
    stored = sorted(p.name for p in (settings.MEDIA_ROOT / "quarterly").glob("*/pdf/*.pdf"))
    assert stored == ["quarterly-report-2023-24-q2.pdf"]
    assert DBTaskResult.objects.count() == 1


@pytest.mark.browser
def test_an_editors_pdf_is_kept_apart_from_a_viewers(client, quarterly, editor, viewer, browser):
    unpublish(Month(2023, 9), editor, "A figure is being checked.")
    client.force_login(editor)
    drafted = client.get(PDF)
    assert 'filename="quarterly-report-2023-24-q2-DRAFT.pdf"' in drafted["Content-Disposition"]
    client.force_login(viewer)
    published = client.get(PDF)
    assert 'filename="quarterly-report-2023-24-q2.pdf"' in published["Content-Disposition"]
    assert "DRAFT" not in "\n".join(_text(published.content)[1])
