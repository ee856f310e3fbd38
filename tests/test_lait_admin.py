"""The LAIT pages in the admin: the upload page (administrators only), the council setting
and adding indicators from the DfE catalogue."""

import pytest

from indicators.models import (
    Council,
    Indicator,
    LaitComparator,
    LaitMeasure,
    LaitValue,
    PriorityIndicator,
    StatisticalNeighbourList,
)

from .support.factories import make_indicator, make_priority
from .support.lait import APRIL_2021, DATA, DICTIONARY, MAY_2025, extract_frame, import_extract

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/indicators/laitmeasure/import/"
ADD_URL = "/admin/indicators/laitmeasure/add-indicators/"


def upload(client, data=DATA, **fields):
    with (
        open(data, "rb") as data_file,
        open(DICTIONARY, "rb") as dictionary,
        open(APRIL_2021, "rb") as april,
        open(MAY_2025, "rb") as may,
    ):
        return client.post(
            IMPORT_URL,
            {
                "data": data_file,
                "dictionary": dictionary,
                "neighbour_lists": [april, may],
                "authority_number": "879",
                **fields,
            },
        )


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_an_administrator_imports_the_extract_from_the_upload_page(admin_client):
    page = admin_client.get(IMPORT_URL)
    assert page.status_code == 200
    assert "Import DfE LAIT data" in page.text
    response = upload(admin_client)
    assert response.status_code == 200
    assert "Values: 11,730 added, 0 changed, 0 removed, 0 unchanged." in response.text
    assert "Statistical neighbours April 2021 (158 authorities): added." in response.text
    assert LaitValue.objects.count() == 11_730
    assert Council.current().authority_number == 879
    assert LaitComparator.objects.count() == 69
    again = upload(admin_client)
    assert "Nothing changed: the database already held these files." in again.text


def test_the_upload_page_lists_every_problem_and_saves_nothing(admin_client, tmp_path):
    bad = tmp_path / "lait.csv"
    frame = extract_frame().drop(columns=["LA Number"])
    frame.to_csv(bad, index=False)
    response = upload(admin_client, data=bad)
    assert response.status_code == 200
    assert "Nothing was imported:" in response.text
    assert "lait.csv: is missing the column LA Number" in response.text
    assert LaitValue.objects.count() == 0 and LaitMeasure.objects.count() == 0


def test_the_upload_page_refuses_a_file_of_another_kind(admin_client, tmp_path):
    other = tmp_path / "lait.json"
    other.write_text("{}")
    response = upload(admin_client, data=other)
    assert "lait.json is not a .parquet, .csv or .xlsx file." in response.text
    assert LaitValue.objects.count() == 0


@pytest.mark.parametrize("role_user", ["editor", "viewer", "no_role_user"])
def test_the_upload_page_is_refused_to_anyone_but_administrators(client, role_user, request):
    user = request.getfixturevalue(role_user)
    user.is_staff = True  # even with the admin's staff flag
    user.save()
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client).status_code == 403
    assert client.get(ADD_URL).status_code == 403
    assert LaitValue.objects.count() == 0


def test_the_upload_page_asks_a_visitor_to_sign_in(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_imported_data_is_read_only_in_the_admin(admin_client):
    import_extract()
    measure = LaitMeasure.objects.get(code="ReReferral")
    for url in (
        "/admin/indicators/laitmeasure/",
        "/admin/indicators/laitvalue/",
        "/admin/indicators/laitcomparator/",
        "/admin/indicators/statisticalneighbourlist/",
        f"/admin/indicators/laitmeasure/{measure.pk}/change/",
    ):
        assert admin_client.get(url).status_code == 200, url
    assert admin_client.get("/admin/indicators/laitvalue/add/").status_code == 403
    page = admin_client.get(f"/admin/indicators/laitmeasure/{measure.pk}/change/")
    assert 'name="title"' not in page.text  # shown, not editable
    assert "Import DfE LAIT data" in admin_client.get("/admin/indicators/laitmeasure/").text


def test_changing_the_council_in_the_admin_works_its_comparators_out_again(admin_client):
    import_extract()
    council = Council.current()
    may = StatisticalNeighbourList.objects.get(name="May 2025")
    assert admin_client.get("/admin/indicators/council/").status_code == 302
    response = admin_client.post(
        f"/admin/indicators/council/{Council.current().pk}/change/",
        {
            "name": council.name,
            "service_name": council.service_name,
            "committee_name": council.committee_name,
            "authority_number": "879",
            "neighbour_list": str(may.pk),
            "deadline_working_day": "5",
            "reminder_days_before": "3",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Comparators worked out again: 0 added, 69 changed" in response.text
    assert set(LaitComparator.objects.values_list("neighbour_list__name", flat=True)) == {
        "May 2025"
    }


def test_the_council_must_be_an_authority_of_the_data(admin_client):
    import_extract()
    council = Council.current()
    response = admin_client.post(
        f"/admin/indicators/council/{Council.current().pk}/change/",
        {
            "name": council.name,
            "service_name": council.service_name,
            "committee_name": council.committee_name,
            "authority_number": "969",
            "neighbour_list": str(council.neighbour_list_id),
        },
    )
    assert response.status_code == 200
    assert "969 is not an authority in the imported LAIT data" in response.text
    assert Council.current().authority_number == 879


def test_an_administrator_adds_indicators_from_the_catalogue(admin_client):
    import_extract()
    picked = LaitMeasure.objects.filter(code__in=["ReReferral", "CPP_rate"])
    response = admin_client.post(
        "/admin/indicators/laitmeasure/",
        {"action": "add_as_indicators", "_selected_action": [m.pk for m in picked]},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{ADD_URL}?measures=CPP_rate,ReReferral"
    form = admin_client.get(response["Location"])
    assert form.status_code == 200
    # The guesses are shown to confirm: a rate per 10,000 at 31 March, a percentage.
    assert '<option value="rate_per_10000" selected>' in form.text
    assert '<option value="snapshot_31_march" selected>' in form.text
    assert '<option value="percentage" selected>' in form.text
    assert "Polarity Neither" in form.text or "polarity Neither" in form.text
    fields = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-measure": "CPP_rate",
        "form-0-reference": "20",
        "form-0-description": "Rate of children subject to a child protection plan per 10,000",
        "form-0-unit": "rate_per_10000",
        "form-0-polarity": "neither",
        "form-0-decimal_places": "1",
        "form-0-measure_basis": "snapshot",
        "form-0-lait_years": "snapshot_31_march",
        "form-0-frequency": "annual",
        "form-1-measure": "ReReferral",
        "form-1-reference": "10",
        "form-1-description": "Re-referrals within 12 months",
        "form-1-unit": "percentage",
        "form-1-polarity": "lower_is_better",
        "form-1-decimal_places": "1",
        "form-1-measure_basis": "rolling_12_months",
        "form-1-lait_years": "financial_year",
        "form-1-frequency": "monthly",
    }
    response = admin_client.post(ADD_URL, fields)
    assert response.status_code == 302
    assert response["Location"] == "/admin/indicators/indicator/"
    rereferrals = Indicator.objects.get(reference="10")
    assert rereferrals.lait_measure_id == "ReReferral"
    assert (rereferrals.unit, rereferrals.polarity, rereferrals.lait_years) == (
        "percentage",
        "lower_is_better",
        "financial_year",
    )
    assert rereferrals.definition.startswith(
        "Percentage of referrals to children's social care within 12 months of a previous"
    )
    assert rereferrals.definition.endswith("measure ReReferral.")
    assert rereferrals.history.count() == 1
    assert Indicator.objects.get(reference="20").lait_measure_id == "CPP_rate"

    # A reference already taken is refused, with nothing added.
    fields["form-0-reference"] = "10"
    fields["form-1-reference"] = "11"
    response = admin_client.post(ADD_URL, fields)
    assert response.status_code == 200
    assert "Indicator with this Reference already exists." in response.text
    assert not Indicator.objects.filter(reference="11").exists()


def catalogue_fields(**more):
    """The catalogue form for ReReferral as an administrator fills it in."""
    return {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-measure": "ReReferral",
        "form-0-reference": "10",
        "form-0-description": "Re-referrals within 12 months",
        "form-0-unit": "percentage",
        "form-0-polarity": "lower_is_better",
        "form-0-decimal_places": "1",
        "form-0-measure_basis": "rolling_12_months",
        "form-0-lait_years": "financial_year",
        **more,
    }


def test_the_catalogue_asks_for_the_frequency_and_the_priorities(admin_client):
    import_extract()
    one, six = make_priority(1), make_priority(6)
    make_indicator("7", one)
    form = admin_client.get(f"{ADD_URL}?measures=ReReferral").text
    # Nothing is assumed: no frequency is chosen and no priority ticked.
    assert '<option value="" selected>Choose how often</option>' in form
    assert 'value="1"' in form and "Priority 1: Priority 1" in form
    assert "checked" not in form
    response = admin_client.post(ADD_URL, catalogue_fields())
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors
    assert set(errors) == {"frequency", "priorities"}
    assert not Indicator.objects.filter(reference="10").exists()

    fields = catalogue_fields(**{"form-0-frequency": "monthly", "form-0-priorities": ["1", "6"]})
    response = admin_client.post(ADD_URL, fields)
    assert response.status_code == 302
    added = Indicator.objects.get(reference="10")
    assert added.frequency == "monthly"
    placed = PriorityIndicator.objects.filter(indicator=added).order_by("priority__number")
    # Last in each priority's table.
    assert [(p.priority, p.display_order) for p in placed] == [(one, 1), (six, 0)]


def test_before_any_priority_the_catalogue_says_the_indicator_will_be_under_none(admin_client):
    import_extract()
    form = admin_client.get(f"{ADD_URL}?measures=ReReferral").text
    assert "No priorities are set up yet" in form
    fields = catalogue_fields(**{"form-0-frequency": "annual"})
    response = admin_client.post(ADD_URL, fields, follow=True)
    assert Indicator.objects.get(reference="10").frequency == "annual"
    assert (
        "Under no priority: 10. They appear on no page until they are put under a priority"
        in response.text
    )
    setup_page = admin_client.get("/setup/").text
    assert "This indicator appears on no page until it is put under a priority." in setup_page
    assert '<th scope="row" class="govuk-table__header">10</th>' in setup_page


def test_an_indicator_links_to_a_measure_by_its_code_in_the_admin(admin_client):
    import_extract()
    page = admin_client.get("/admin/indicators/indicator/add/")
    assert 'id="id_lait_measure"' in page.text and 'id="id_lait_years"' in page.text
    found = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "indicators",
            "model_name": "indicator",
            "field_name": "lait_measure",
            "term": "re-referrals",
        },
    ).json()
    assert [result["id"] for result in found["results"]] == ["ReReferral"]
    response = admin_client.post(
        "/admin/indicators/indicator/add/",
        {
            "reference": "10",
            "description": "Re-referrals within 12 months",
            "unit": "percentage",
            "polarity": "lower_is_better",
            "frequency": "monthly",
            "measure_basis": "rolling_12_months",
            "decimal_places": "1",
            "active": "on",
            "lait_measure": "ReReferral",
            "lait_years": "",
            **{
                f"{prefix}-{key}": "0"
                for prefix in ("targets", "benchmarks", "annual_figures")
                for key in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    # A measure with no year alignment is refused, as the database refuses it.
    assert response.status_code == 200
    assert "An indicator linked to a LAIT measure says how its years line up" in response.text
    assert not Indicator.objects.filter(reference="10").exists()


def test_the_upload_page_takes_six_queries_before_and_after_an_import(
    admin_client, django_assert_num_queries
):
    # 1 session, 2 user, 3 the council of the address (which gives the form's defaults and
    # whether a council exists, for its "add" link), 4 the user's roles there, 5-6 the
    # user's and their roles' permissions (the admin's menu).
    with django_assert_num_queries(6):
        assert admin_client.get(IMPORT_URL).status_code == 200
    import_extract()
    with django_assert_num_queries(6):
        assert admin_client.get(IMPORT_URL).status_code == 200


def test_the_catalogue_form_takes_ten_queries_for_two_measures_or_seven(
    admin_client, django_assert_num_queries
):
    import_extract()
    every = ",".join(LaitMeasure.objects.order_by("code").values_list("code", flat=True))
    for measures in ("CPP_rate,ReReferral", every):
        # 1 session, 2 user, 3 roles, 4 the measures, 5 the priorities to choose from, 6 the
        # references taken, 7 indicators already linked to them, 8-9 permissions (the menu),
        # 10 whether a council exists.
        with django_assert_num_queries(10):
            page = admin_client.get(f"{ADD_URL}?measures={measures}")
        total = measures.count(",") + 1
        assert f'name="form-TOTAL_FORMS" value="{total}"' in page.text
