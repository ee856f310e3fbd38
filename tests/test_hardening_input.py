"""What an administrator or an address can type never answers 500 (the hardening issue,
point 3): a reference holding a slash, a target ending in December 9999, a LAIT file with
only its header row. (A NUL in an address is in test_bad_parameters.py; a database refusing
writes in test_hardening_read_only.py.)"""

import io

import pytest
from django.urls import reverse

from indicators.models import Indicator, PriorityIndicator, Target
from indicators.periods import Month
from scorecard.pack import PackOptions, pack_html

from .support.factories import make_indicator
from .support.lait import extract_frame
from .support.uploads import LAIT_IMPORT_URL, upload_lait, upload_setup
from .support.uploads import setup_workbook as workbook


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_a_stored_reference_with_a_slash_still_has_its_pages(admin_client, seed):
    """Stored before references had a rule: the pages that link to it and the pack work."""
    Indicator.objects.filter(reference="7").update(reference="7/8")
    number = PriorityIndicator.objects.get(indicator__reference="7/8").priority.number
    page = admin_client.get(reverse("priority", args=[number]))
    assert page.status_code == 200
    link = reverse("indicator", args=["7/8"])
    assert f'href="{link}"' in page.text
    indicator_page = admin_client.get(link)
    assert indicator_page.status_code == 200
    assert indicator_page.context["indicator"].reference == "7/8"
    assert admin_client.get(reverse("indicator_history_csv", args=["7/8"])).status_code == 200
    assert "7/8" in pack_html(Month(2023, 9), PackOptions(published_only=False))


@pytest.mark.parametrize("reference", ["7/8", "a?b", "..", "C 1,2"])
def test_the_admin_form_refuses_a_reference_outside_the_rule(admin_client, reference):
    response = admin_client.post(
        reverse("admin:indicators_indicator_add"),
        {
            "reference": reference,
            "description": "A new indicator",
            "unit": "percentage",
            "polarity": "higher_is_better",
            "frequency": "monthly",
            "measure_basis": "snapshot",
            "decimal_places": "1",
        },
    )
    assert response.status_code == 200
    assert "A reference is letters and digits" in response.text
    assert not Indicator.objects.filter(reference=reference).exists()


def test_the_set_up_preview_refuses_a_reference_with_a_slash_at_its_row_and_column(
    admin_client,
):
    data = workbook(
        Indicators=[
            ["Reference", "Description", "Unit", "Polarity", "Measure basis"],
            ["21", "Fine", "Percentage", "Lower is better", "Month-end snapshot"],
            ["22/23", "Slashed", "Percentage", "Lower is better", "Month-end snapshot"],
        ]
    )
    preview = admin_client.get(upload_setup(admin_client, data, "bad.xlsx")["Location"])
    assert preview.status_code == 200
    cells = preview.text.split('class="govuk-table problems-table"')[1].split("</table>")[0]
    for text in ("Indicators", ">3<", "Reference", "22/23", "A reference is letters and digits"):
        assert text in cells
    assert "Confirm and set up" not in preview.text


def test_the_workbooks_instructions_say_what_a_reference_may_hold(admin_client):
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(admin_client.get(reverse("setup_template")).content))
    text = " ".join(
        str(cell) for row in book["Instructions"].iter_rows(values_only=True) for cell in row
    )
    assert "no slash, comma or other sign" in text


@pytest.mark.parametrize("end", ["31/12/9999", "Dec-9999", "01/12/9999"])
def test_the_set_up_preview_refuses_a_target_ending_in_the_year_9999(admin_client, end):
    make_indicator("D1")
    data = workbook(Targets=[["Indicator", "Value", "From", "To"], ["D1", 1, "Apr-22", end]])
    preview = admin_client.get(upload_setup(admin_client, data, "far.xlsx")["Location"])
    assert preview.status_code == 200
    cells = preview.text.split('class="govuk-table problems-table"')[1].split("</table>")[0]
    assert "December 9999 is too far ahead" in cells
    assert not Target.objects.exists()


@pytest.mark.parametrize("end", ["9999-12-31", "9999-12-01"])
def test_the_admin_target_form_refuses_a_target_ending_in_the_year_9999(admin_client, end):
    indicator = make_indicator("D1")
    response = admin_client.post(
        reverse("admin:indicators_target_add"),
        {
            "indicator": indicator.id,
            "kind": "target",
            "value": "5",
            "valid_from": "2022-04-01",
            "valid_to": end,
        },
    )
    assert response.status_code == 200
    assert "December 9999 is too far ahead" in response.text
    assert not Target.objects.exists()


def test_a_lait_file_with_only_its_header_row_is_refused_clearly(admin_client, tmp_path):
    header_only = tmp_path / "lait.csv"
    extract_frame().head(0).to_csv(header_only, index=False)
    response = upload_lait(admin_client, data=header_only)
    assert response.status_code == 200
    assert "Nothing was imported:" in response.text
    assert "lait.csv: holds no rows under its header row." in response.text
    assert admin_client.get(LAIT_IMPORT_URL).status_code == 200
