"""The entry grid cannot be made unsaveable: commentary and milestone text are bounded
(MAX_TEXT_LENGTH) by the forms, the figures import and the database, with the count shown as
one types; a council has at most MAX_INDICATORS indicators (the set-up workbook refuses more,
by row), and a grid too large to post at once is entered a priority at a time."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse

from indicators.models import (
    MAX_INDICATORS,
    MAX_TEXT_LENGTH,
    Commentary,
    Indicator,
    Milestone,
    MilestoneUpdate,
)
from intake.figure_import.reader import IndicatorSpec, read_upload
from intake.grid import FIELDS_PER_ROW
from intake.setup.planner import plan_setup
from intake.setup.reader import read_setup
from tests.support.entry_grid import give_reasons, grid_data, key

SEP = "2023-09"

TOO_LONG = "x" * (MAX_TEXT_LENGTH + 1)


def test_a_comment_over_the_limit_is_refused_by_the_grid_and_the_month_still_saves(
    client, seed, editor
):
    client.force_login(editor)
    page = client.get(reverse("entry_month", args=[SEP]))
    assert b'data-module="govuk-character-count"' in page.content
    assert f'data-maxlength="{MAX_TEXT_LENGTH}"'.encode() in page.content
    data = grid_data(page)
    data[f"commentary_{key('7')}"] = TOO_LONG
    response = client.post(reverse("entry_month", args=[SEP]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors[f"commentary_{key('7')}"]
    assert errors == [f"Keep it to {MAX_TEXT_LENGTH:,} characters: it has {len(TOO_LONG)}."]
    assert not Commentary.objects.filter(text=TOO_LONG).exists()
    data[f"commentary_{key('7')}"] = "y" * MAX_TEXT_LENGTH
    give_reasons(data, "7")
    assert client.post(reverse("entry_month", args=[SEP]), data).status_code == 302
    again = grid_data(client.get(reverse("entry_month", args=[SEP])))
    assert client.post(reverse("entry_month", args=[SEP]), again).status_code == 302


def test_the_database_refuses_text_over_the_limit(seed):
    indicator = Indicator.objects.get(reference="7")
    with pytest.raises(IntegrityError), transaction.atomic():
        Commentary.objects.create(indicator=indicator, period=dt.date(2030, 1, 1), text=TOO_LONG)
    # Within the limit, the same rows are stored: only the length is refused.
    Commentary.objects.create(indicator=indicator, period=dt.date(2030, 2, 1), text=TOO_LONG[1:])
    milestone = Milestone.objects.first()
    assert milestone is not None
    for part in ("this_period", "next_period"):
        with pytest.raises(IntegrityError), transaction.atomic():
            MilestoneUpdate.objects.create(
                milestone=milestone, period=dt.date(2030, 1, 1), **{part: TOO_LONG}
            )


def test_the_milestone_form_refuses_text_over_the_limit(client, seed, editor):
    client.force_login(editor)
    milestone = Milestone.objects.select_related("priority").first()
    assert milestone is not None
    url = reverse("milestones_month", args=[SEP, milestone.priority.number])
    page = client.get(url)
    assert b'data-module="govuk-character-count"' in page.content
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data[f"this_period_{milestone.id}"] = TOO_LONG
    response = client.post(url, data)
    assert response.status_code == 200
    assert f"Keep it to {MAX_TEXT_LENGTH:,} characters" in str(response.context["form"].errors)
    assert not MilestoneUpdate.objects.filter(this_period=TOO_LONG).exists()


def test_the_import_refuses_a_comment_over_the_limit_naming_row_column_and_limit():
    data = f"reference,month,value,commentary\n7,2023-09,50%,{TOO_LONG}\n7,2023-08,49%,ok\n"
    specs = {"7": IndicatorSpec("7", "percentage", 1)}
    upload = read_upload(data.encode(), "f.csv", specs, today=dt.date(2023, 10, 15))
    assert [(p.row, p.column) for p in upload.problems] == [(2, "commentary")]
    assert f"at most {MAX_TEXT_LENGTH:,} fit" in upload.problems[0].reason
    assert [figure.row for figure in upload.figures] == [3]


def test_the_set_up_workbook_refuses_more_indicators_than_a_council_may_have():
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Indicators"
    sheet.append(["Reference", "Description", "Unit", "Polarity", "Measure basis"])
    for number in range(1, MAX_INDICATORS + 3):
        sheet.append([f"D{number}", f"Indicator {number}", "Count", "Higher is better", "In month"])
    buffer = io.BytesIO()
    book.save(buffer)
    read = read_setup(buffer.getvalue(), "set-up.xlsx")
    over = [p for p in read.problems if "at most" in p.reason]
    assert [(p.sheet, p.row, p.column) for p in over] == [
        ("Indicators", MAX_INDICATORS + 2, "Reference")
    ]
    assert f"at most {MAX_INDICATORS:,} indicators" in over[0].reason


def _fill_to(count):
    Indicator.objects.bulk_create(
        Indicator(
            reference=f"S{number}",
            description=f"Stored {number}",
            unit=Indicator.Unit.COUNT,
            polarity=Indicator.Polarity.HIGHER_IS_BETTER,
            measure_basis=Indicator.MeasureBasis.IN_MONTH,
        )
        for number in range(1, count + 1)
    )


def test_the_limit_counts_the_indicators_stored_as_well_as_the_sheets(db):
    _fill_to(MAX_INDICATORS - 2)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Indicators"
    sheet.append(["Reference", "Description", "Unit", "Polarity", "Measure basis"])
    sheet.append(["S1", "Stored 1, renamed", "Count", "Higher is better", "In month"])
    for number in range(1, 5):
        sheet.append([f"N{number}", f"New {number}", "Count", "Higher is better", "In month"])
    buffer = io.BytesIO()
    book.save(buffer)
    plan = plan_setup(buffer.getvalue(), "set-up.xlsx")
    over = [p for p in plan.problems if "at most" in p.reason]
    # Rows 2 (a stored one, changed) and 3-4 (indicators 499 and 500) fit; 5 and 6 do not.
    assert [(p.sheet, p.row, p.column) for p in over] == [
        ("Indicators", 5, "Reference"),
        ("Indicators", 6, "Reference"),
    ]
    assert over[0].reason == (
        f"a council may have at most {MAX_INDICATORS:,} indicators: "
        f"{MAX_INDICATORS - 2:,} are stored and this row would be indicator {MAX_INDICATORS + 1:,}"
    )


def test_the_admin_and_the_dfe_catalogue_cannot_add_one_beyond_the_limit(db):
    _fill_to(MAX_INDICATORS)
    beyond = Indicator(
        reference="X1",
        description="One too many",
        unit=Indicator.Unit.COUNT,
        polarity=Indicator.Polarity.HIGHER_IS_BETTER,
        measure_basis=Indicator.MeasureBasis.IN_MONTH,
    )
    with pytest.raises(ValidationError) as refused:
        beyond.full_clean()
    assert f"at most {MAX_INDICATORS:,} indicators" in refused.value.messages[0]
    # A stored one can still be changed.
    stored = Indicator.objects.get(reference="S1")
    stored.description = "Renamed"
    stored.full_clean()


def test_a_grid_too_large_to_post_at_once_is_entered_a_priority_at_a_time(client, seed, editor):
    client.force_login(editor)
    rows = len(grid_data(client.get(reverse("entry_month", args=[SEP])))) // FIELDS_PER_ROW
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=rows * FIELDS_PER_ROW // 2):
        response = client.get(reverse("entry_month", args=[SEP]))
        assert response.status_code == 302
        assert response["Location"].endswith("?priority=1")
        page = client.get(response["Location"])
        data = grid_data(page)
        assert len(data) < rows * FIELDS_PER_ROW // 2
        first = next(name for name in data if name.startswith("commentary_"))
        data[first] = "Entered a priority at a time."
        assert client.post(response["Location"], data).status_code == 302
    assert Commentary.objects.filter(text="Entered a priority at a time.").exists()
