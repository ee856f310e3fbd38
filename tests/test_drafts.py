"""An editor's downloads that hold figures of a month not yet published say DRAFT (the file
name, the first row or a last row, every page of the pack); a published month's say nothing
of drafts, to an editor or a viewer."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from indicators.models import Value

from .support.pdf_text import text_of


@pytest.fixture
def october_draft(seed):
    """October 2023 entered for ID 7, not published."""
    indicator_id = Value.objects.get(indicator__reference="7", period="2023-09-01").indicator_id
    Value.objects.create(indicator_id=indicator_id, period="2023-10-01", value="61.0")


def _download(client, name, args=(), period=None):
    params = {"period": period} if period else {}
    response = client.get(reverse(name, args=list(args)), params)
    assert response.status_code == 200
    return response


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_an_editors_draft_csvs_say_draft_in_the_name_and_the_last_row(
    client, editor, october_draft
):
    client.force_login(editor)
    response = _download(client, "scorecard_csv", period="2023-10")
    assert "scorecard-2023-10-DRAFT.csv" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0][0] == "reference"  # the header stays first for machine readers
    assert rows[-1] == ["DRAFT", "DRAFT: Oct-23 is not published; these figures may change."]
    history = _download(client, "indicator_history_csv", ["7"])
    assert "indicator-7-history-DRAFT.csv" in history["Content-Disposition"]
    assert _csv_rows(history)[-1][0] == "DRAFT"


def test_an_editors_draft_workbooks_say_draft_in_the_name_the_title_and_the_status(
    client, editor, october_draft
):
    client.force_login(editor)
    response = _download(client, "scorecard_xlsx", period="2023-10")
    assert "scorecard-2023-10-DRAFT.xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet["A1"].value.startswith("DRAFT: Oct-23 is not published")
    history = _download(client, "indicator_history_xlsx", ["7"])
    sheet = openpyxl.load_workbook(io.BytesIO(history.content)).worksheets[0]
    assert sheet["A1"].value.startswith("DRAFT")
    newest = next(sheet.iter_rows(min_row=3, max_row=3, values_only=True))
    assert newest[4] == "Actual (draft: not published)"


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_a_published_months_downloads_say_nothing_of_drafts(client, seed, request, role):
    client.force_login(request.getfixturevalue(role))
    for name, args in (("scorecard_csv", ()), ("indicator_history_csv", ["7"])):
        response = _download(client, name, args, period="2023-09")
        assert "DRAFT" not in response["Content-Disposition"]
        assert "DRAFT" not in response.content.decode()
    workbook = _download(client, "scorecard_xlsx", period="2023-09")
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).worksheets[0]
    assert not sheet["A1"].value.startswith("DRAFT")


@pytest.mark.browser
def test_every_page_of_a_draft_pack_says_draft(client, editor, october_draft, chromium):
    client.force_login(editor)
    response = _download(client, "pack", period="2023-10")
    assert "scorecard-pack-2023-10-DRAFT.pdf" in response["Content-Disposition"]
    _, pages = text_of(response.content)
    assert pages and all("DRAFT" in page for page in pages)


@pytest.mark.browser
def test_an_editors_pack_of_a_published_month_carries_no_draft_notice(
    client,
    editor,
    seed,
    chromium,
):
    client.force_login(editor)
    response = _download(client, "pack", period="2023-09")
    assert "DRAFT" not in response["Content-Disposition"]
    _, pages = text_of(response.content)
    whole = "\n".join(pages)
    assert "DRAFT" not in whole and "draft figures" not in whole
