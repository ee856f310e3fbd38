"""Imports that accept a council's own file (issue 22, part 2): one indicator listed under
several priorities with the same figure is one figure, a conflicting pair is a problem naming
both rows; the month's template (CSV and XLSX) from /import/ and ``manage.py
import_template``, which imports as it is once filled in."""

import csv
import datetime
import io
import time
import types
import zipfile
from decimal import Decimal

import openpyxl
import openpyxl.packaging.core
import openpyxl.writer.excel
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators import roles
from indicators.models import Commentary, ImportBatch, Indicator, Priority, PriorityEditor, Value
from indicators.periods import Month
from intake.figure_import.reader import IndicatorSpec, read_upload
from intake.figure_import.template import template_file

from .support.factories import make_user

OCT = Month(2023, 10)
SPECS = {
    "7": IndicatorSpec("7", "percentage", 1),
    "69": IndicatorSpec("69", "percentage", 1),
    "78": IndicatorSpec("78", "days", 2),
}
TODAY = Month(2026, 12).first_day

# The council's paper: ID 69 under priority 1 and again under priority 6, the same figures.
COUNCILS_OWN = (
    "ID,Headline performance measures,Jul-23,Aug-23,Sep-23,Target,Direction of travel\n"
    "Priority 1,,,,,,\n"
    "69,Percentage of Social Workers with more 20 children allocated,52.0%,59.1%,47.6%,5.0%,\n"
    "Priority 2,,,,,,\n"
    "7,Percentage of MASH Contact decisions made within one working day,52.0%,52.2%,58.2%,90.0%,\n"
    "Priority 6,,,,,,\n"
    "69,Percentage of Social Workers with more 20 children allocated,52.0%,59.1%,47.6%,5.0%,\n"
    "78,Sickness Average Days Lost Per FTE,10.90,11.02,11.25,7.00,\n"
)


def read(text, name="report.csv"):
    return read_upload(text.encode(), name, SPECS, today=TODAY)


def figures(upload):
    return sorted((f.reference, f.month.label, f.row, f.figure.value) for f in upload.figures)


# One indicator under several priorities ------------------------------------------------------
def test_the_same_figure_under_two_priorities_is_one_figure_not_a_problem():
    upload = read(COUNCILS_OWN)
    assert upload.problems == []
    sixty_nine = [f for f in figures(upload) if f[0] == "69"]
    assert sixty_nine == [
        ("69", "Aug-23", 3, Decimal("59.1")),
        ("69", "Jul-23", 3, Decimal("52.0")),
        ("69", "Sep-23", 3, Decimal("47.6")),
    ]
    assert len(upload.figures) == 9  # 69, 7 and 78, three months each
    assert (
        "ID 69 is listed more than once with the same figures (rows 3 and 7): each figure "
        "was imported once." in upload.notices
    )


def test_two_different_figures_for_one_indicator_and_month_are_a_problem_naming_both_rows():
    text = COUNCILS_OWN.replace(
        "69,Percentage of Social Workers with more 20 children allocated,52.0%,59.1%,47.6%,5.0%,\n"
        "78",
        "69,Percentage of Social Workers with more 20 children allocated,52.0%,59.1%,48.6%,5.0%,\n"
        "78",
    )
    upload = read(text)
    [problem] = upload.problems
    assert (problem.row, problem.column) == (7, "Sep-23")
    assert problem.reason.startswith(
        "ID 69 for Sep-23 is 48.6% here but 47.6% on row 3: a month has one figure, so "
        "neither row's was imported"
    )
    kept = [f for f in figures(upload) if f[0] == "69"]
    assert [f[1] for f in kept] == ["Aug-23", "Jul-23"]  # the months that agree


def test_a_third_row_after_a_conflict_is_a_problem_too():
    text = (
        "reference,month,value\n"
        "69,Sep-23,47.6%\n"
        "69,Sep-23,48.6%\n"
        "69,Sep-23,47.6%\n"
        "78,Sep-23,11.25\n"
    )
    upload = read(text)
    assert [(p.row, p.reason) for p in upload.problems] == [
        (
            3,
            "ID 69 for Sep-23 is 48.6% here but 47.6% on row 2: a month has one figure, so "
            "neither row's was imported. Correct the one that is wrong",
        ),
        (
            4,
            "ID 69 for Sep-23 is also on rows 2 and 3, which differ, so this row was not "
            "imported either",
        ),
    ]
    assert figures(upload) == [("78", "Sep-23", 5, Decimal("11.25"))]
    assert not [n for n in upload.notices if "listed more than once" in n]


def test_a_pair_that_differs_only_in_numerator_and_denominator_is_a_conflict():
    text = (
        "reference,month,value,numerator,denominator\n69,Sep-23,50.0%,5,10\n69,Sep-23,50.0%,6,12\n"
    )
    [problem] = read(text).problems
    assert "is 50.0% (6/12) here but 50.0% (5/10) on row 2" in problem.reason


def test_commentary_on_one_of_the_rows_goes_with_the_one_figure():
    text = (
        "reference,month,value,commentary\n"
        "69,Sep-23,47.6%,\n"
        "69,Sep-23,47.6%,Additional capacity has been recruited.\n"
    )
    upload = read(text)
    assert upload.problems == []
    [item] = upload.figures
    assert (item.row, item.figure.value, item.commentary) == (
        2,
        Decimal("47.6"),
        "Additional capacity has been recruited.",
    )


def test_the_councils_own_file_imports_without_choosing_the_valid_rows(client, seed, editor):
    Value.objects.filter(indicator__reference__in=["69", "78"]).delete()
    client.force_login(editor)
    response = client.post(
        reverse("import_upload"),
        {"file": SimpleUploadedFile("priority-report.csv", COUNCILS_OWN.encode())},
    )
    assert response.status_code == 302
    page = client.get(response.url)
    plan = page.context["plan"]
    assert plan.problems == []
    assert "ID 69 is listed more than once with the same figures" in page.text
    added = sorted((c.indicator.reference, c.month.label) for c in plan.added)
    assert added == [(r, m) for r in ("69", "78") for m in ("Aug-23", "Jul-23", "Sep-23")]
    response = client.post(
        response.url,
        {"action": "confirm", "digest": plan.digest(), "revision_reason": "Loaded from the paper."},
    )
    assert response.status_code == 302
    assert Value.objects.get(indicator__reference="69", period="2023-09-01").value == Decimal(
        "47.6"
    )


# The template ---------------------------------------------------------------------------------
def csv_rows(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(data):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]


HEADER = [
    "Reference",
    "Description",
    "Unit",
    "Last month (Sep-23)",
    "Target (Oct-23)",
    "Month",
    "Value",
    "Numerator",
    "Denominator",
    "Status",
    "Commentary",
]


@pytest.mark.parametrize(("file_format", "rows_of"), [("csv", csv_rows), ("xlsx", xlsx_rows)])
def test_the_template_lists_every_active_indicator_with_last_month_and_the_target(
    seed, file_format, rows_of
):
    rows = rows_of(template_file(OCT, file_format))
    assert rows[0] == HEADER
    by_reference = {row[0]: row for row in rows[1:]}
    assert len(rows) - 1 == len(by_reference) == 38  # each active indicator once (ID 69 too)
    assert by_reference["7"] == [
        "7",
        "Percentage of MASH Contact decisions made within one working day (in month)",
        "Percentage",
        "58.2%",
        "90.0%",
        "Oct-23",
        "",
        "",
        "",
        "",
        "",
    ]
    assert by_reference["20"][2:5] == ["Rate per 10,000 children", "39.1r", "42.1r England"]
    assert by_reference["62"][3:5] == ["190", "Monitor"]


def fill(data, file_format, figures_by_reference):
    """The template with some rows' blank columns filled in, as an advisor would."""
    if file_format == "csv":
        rows = csv_rows(data)
        for row in rows[1:]:
            for column, value in figures_by_reference.get(row[0], {}).items():
                row[HEADER.index(column)] = value
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return out.getvalue().encode("utf-8-sig")
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    for row in sheet.iter_rows(min_row=2):
        for column, value in figures_by_reference.get(str(row[0].value), {}).items():
            row[HEADER.index(column)].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FILLED = {
    "7": {"Value": "61.0%", "Commentary": "Improvement maintained in October."},
    "73": {"Value": "12.5% (5/40)"},
    "78": {"Value": "11.30"},
    "20": {"Value": "40.2", "Status": "Provisional"},
    "76": {"Value": "Not available"},
}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_template_downloaded_filled_in_and_imported_stores_the_figures(
    client, seed, editor, file_format
):
    client.force_login(editor)
    download = client.get(reverse("import_template"), {"month": "2023-10", "format": file_format})
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        f'attachment; filename="figures-template-2023-10.{file_format}"'
    )
    filled = fill(download.content, file_format, FILLED)
    response = client.post(
        reverse("import_upload"),
        {"file": SimpleUploadedFile(f"october.{file_format}", filled)},
    )
    assert response.status_code == 302, response.context["form"].errors
    plan = client.get(response.url).context["plan"]
    assert plan.problems == []  # imports cleanly: no row to leave out
    assert sorted(c.indicator.reference for c in plan.changes) == ["20", "7", "73", "76", "78"]
    assert [c.indicator.reference for c in plan.warned] == []
    response = client.post(response.url, {"action": "confirm", "digest": plan.digest()})
    assert response.status_code == 302

    def stored(reference):
        return Value.objects.get(indicator__reference=reference, period="2023-10-01")

    assert stored("7").value == Decimal("61.0") and stored("7").entered_by == editor
    assert (stored("73").value, stored("73").numerator, stored("73").denominator) == (
        Decimal("12.5"),
        Decimal(5),
        Decimal(40),
    )
    assert stored("78").value == Decimal("11.30")
    assert stored("20").status == "provisional"
    assert stored("76").status == "not_available"
    assert Commentary.objects.get(indicator__reference="7", period="2023-10-01").text == (
        "Improvement maintained in October."
    )
    assert Value.objects.filter(period="2023-10-01").count() == 5  # blank rows left alone
    assert ImportBatch.objects.get().status == ImportBatch.Status.APPLIED


def test_the_import_page_offers_the_template_for_a_month(client, seed, editor):
    client.force_login(editor)
    html = client.get(reverse("import_upload")).text
    assert f'action="{reverse("import_template")}"' in html
    assert '<option value="2023-10" selected>October 2023</option>' in html
    assert 'value="csv"' in html and 'value="xlsx"' in html


@pytest.mark.parametrize(
    "query",
    [
        {"month": "2023-13", "format": "csv"},
        {"month": "", "format": "csv"},
        {"month": "2999-01", "format": "xlsx"},
        {"month": "2023-10", "format": "pdf"},
        {"format": "xlsx"},
    ],
)
def test_a_template_that_cannot_be_made_is_a_404_never_a_500(client, seed, editor, query):
    client.force_login(editor)
    assert client.get(reverse("import_template"), query).status_code == 404


def test_the_template_is_for_editors_only(client, seed, viewer):
    client.force_login(viewer)
    assert client.get(reverse("import_template"), {"month": "2023-10"}).status_code == 403
    client.logout()
    response = client.get(reverse("import_template"), {"month": "2023-10"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_text_a_spreadsheet_could_run_is_written_as_text(seed):
    Indicator.objects.filter(reference="7").update(description='=HYPERLINK("x")')
    rows = csv_rows(template_file(OCT, "csv"))
    seven = next(row for row in rows if row[0] == "7")
    assert seven[1] == '\'=HYPERLINK("x")'
    sheet = openpyxl.load_workbook(io.BytesIO(template_file(OCT, "xlsx"))).active
    cell = next(row[1] for row in sheet.iter_rows(min_row=2) if row[0].value == "7")
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("x")'


# The command ----------------------------------------------------------------------------------
@pytest.fixture
def stopped_clock(monkeypatch):
    """The clock stopped for what stamps an XLSX file with the time it is written (openpyxl's
    document properties, to the second; zipfile's entry times, to two seconds, from the clock or
    from the modification time of the temporary file openpyxl writes a sheet to): the same
    workbook written twice is then the same bytes, however far apart a loaded machine wrote
    them."""
    instant = time.time()
    moment = datetime.datetime.fromtimestamp(instant, datetime.UTC)

    class Stopped(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return moment.astimezone(tz) if tz else moment.astimezone().replace(tzinfo=None)

    stopped = types.SimpleNamespace(datetime=Stopped, timezone=datetime.timezone)
    monkeypatch.setattr(openpyxl.packaging.core, "datetime", stopped)
    monkeypatch.setattr(openpyxl.writer.excel, "datetime", stopped)
    clock = types.SimpleNamespace(
        time=lambda: instant, localtime=lambda seconds=None: time.localtime(instant)
    )
    monkeypatch.setattr(zipfile, "time", clock)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_command_writes_the_template_and_it_imports_as_it_is(
    seed, tmp_path, file_format, stopped_clock
):
    path = tmp_path / f"october.{file_format}"
    out = io.StringIO()
    call_command(
        "import_template",
        "--month",
        "2023-10",
        "--format",
        file_format,
        "-o",
        str(path),
        stdout=out,
    )
    assert f"Wrote the figures template for October 2023 to {path}" in out.getvalue()
    assert path.read_bytes() == template_file(OCT, file_format)
    path.write_bytes(fill(path.read_bytes(), file_format, FILLED))
    out = io.StringIO()
    call_command("import_figures", str(path), stdout=out)
    assert "0 problems" in out.getvalue()
    assert Value.objects.filter(period="2023-10-01").count() == 5


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--month", "2023-13"], "--month: Month must be 1-12, not 13"),
        (["--month", "2999-01"], "--month: 2999-01 is out of range"),
        (["--month", "2023-10", "--format", "pdf"], "invalid choice: 'pdf'"),
    ],
)
def test_the_command_refuses_a_month_or_format_it_cannot_make(seed, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_template", *arguments, "-o", str(tmp_path / "t.csv"))
    assert not (tmp_path / "t.csv").exists()


def test_an_editor_limited_to_some_priorities_gets_their_indicators_only(client, seed):
    user = make_user("priority6", roles.EDITOR)
    PriorityEditor.objects.create(user=user, priority=Priority.objects.get(number=6))
    client.force_login(user)
    response = client.get(reverse("import_template"), {"month": "2023-10", "format": "csv"})
    references = [row[0] for row in csv_rows(response.content)[1:]]
    assert references == ["69", "76", "77", "78"]
