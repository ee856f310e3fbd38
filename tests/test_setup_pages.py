"""The set-up pages (administrators only): the template and the current set-up as downloads,
upload, preview with problems by sheet, row and column, confirm and cancel; exact query
counts at two sizes; the empty dashboard's way in."""

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from indicators import roles
from indicators.models import Indicator, Priority, SetupUpload, Target

from .support import devon
from .support.factories import make_indicator, make_priority, make_target, make_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGES = ["setup", "setup_template", "setup_current"]


def upload(client, data, name="devon.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("setup"), {"file": file})


def workbook(**sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


# Who may ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "role", [roles.VIEWER, roles.EDITOR, None], ids=["viewer", "editor", "none"]
)
@pytest.mark.parametrize("page", PAGES)
def test_only_administrators_may_set_up(db, role, page):
    client = Client()
    client.force_login(make_user(f"someone-{role}", role))
    assert client.get(reverse(page)).status_code == 403
    kept = SetupUpload.objects.create(filename="x.xlsx", content=b"x")
    assert client.get(reverse("setup_preview", args=[kept.pk])).status_code == 403
    assert (
        client.post(reverse("setup_preview", args=[kept.pk]), {"action": "confirm"}).status_code
        == 403
    )


def test_the_header_links_administrators_to_the_set_up_page(admin_client, viewer):
    assert 'href="/setup/"' in admin_client.get(reverse("dashboard")).text
    other = Client()
    other.force_login(viewer)
    assert 'href="/setup/"' not in other.get(reverse("dashboard")).text


# The journey ------------------------------------------------------------------------------
def test_an_administrator_downloads_the_template_and_the_current_set_up(admin_client, seed):
    template = admin_client.get(reverse("setup_template"))
    assert template["Content-Type"] == XLSX
    assert "scorecard-set-up-template.xlsx" in template["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    assert book["Indicators"].max_column == 18 and book["Indicators"]["A2"].value is None
    current = admin_client.get(reverse("setup_current"))
    book = openpyxl.load_workbook(io.BytesIO(current.content))
    assert book["Council"]["A2"].value == "Plymouth City Council"  # the seed's, as stored
    assert book["Priorities"]["B7"].value == "A Stable and Able workforce"


def test_upload_preview_and_confirm_set_up_devon(admin_client, administrator):
    response = upload(admin_client, devon.setup_workbook())
    kept = SetupUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/setup/{kept.pk}/"
    preview = admin_client.get(response["Location"])
    text = preview.text
    assert "Preview: nothing has been saved yet" in text
    assert "Indicators: 10 to add, 0 to change" in text
    assert "Trajectory of D08 from Oct-22" in text
    assert "Confirm and set up" in text
    assert not Indicator.objects.exists()
    done = admin_client.post(
        preview.request["PATH_INFO"],
        {"action": "confirm", "digest": preview.context["plan"].digest()},
        follow=True,
    )
    assert "Set up from devon.xlsx: Council: 1 added" in done.text
    assert Indicator.objects.count() == 10 and Priority.objects.count() == 3
    kept.refresh_from_db()
    assert (kept.status, kept.applied_by) == (SetupUpload.Status.APPLIED, administrator)
    assert Target.objects.get(indicator__reference="D08").history.first().history_user == (
        administrator
    )
    # Now the dashboard is Devon's.
    dashboard = admin_client.get(reverse("dashboard")).text
    assert devon.COUNCIL in dashboard and "Plymouth" not in dashboard
    assert "Not set up yet" not in dashboard


def test_a_workbook_with_problems_cannot_be_confirmed(admin_client):
    data = workbook(Targets=[["Indicator", "Value", "From"], ["D99", 1, "Apr-22"]])
    preview = admin_client.get(upload(admin_client, data, "bad.xlsx")["Location"])
    assert "There is a problem in the workbook" in preview.text
    cells = preview.text.split('class="govuk-table problems-table"')[1].split("</table>")[0]
    for text in ("Targets", ">2<", "Indicator", "D99 is not an indicator"):
        assert text in cells
    assert "Confirm and set up" not in preview.text
    refused = admin_client.post(
        preview.request["PATH_INFO"],
        {"action": "confirm", "digest": preview.context["plan"].digest()},
        follow=True,
    )
    assert "The workbook has problems" in refused.text
    assert not Target.objects.exists()


def test_a_confirm_after_the_stored_set_up_changed_is_refused(admin_client):
    preview = admin_client.get(upload(admin_client, devon.setup_workbook())["Location"])
    make_priority(1, title="Somebody else's priority 1")
    refused = admin_client.post(
        preview.request["PATH_INFO"],
        {"action": "confirm", "digest": preview.context["plan"].digest()},
        follow=True,
    )
    assert "changed since you previewed this workbook" in refused.text
    assert not Indicator.objects.exists()
    assert "Priority 1: Front door, assessment and child protection" in refused.text


def test_cancel_keeps_nothing_and_the_upload_cannot_then_be_confirmed(admin_client):
    location = upload(admin_client, devon.setup_workbook())["Location"]
    plan_digest = admin_client.get(location).context["plan"].digest()
    cancelled = admin_client.post(location, {"action": "cancel"}, follow=True)
    assert "Cancelled devon.xlsx: nothing was saved." in cancelled.text
    again = admin_client.post(location, {"action": "confirm", "digest": plan_digest}, follow=True)
    assert "already been set up or cancelled" in again.text
    assert not Indicator.objects.exists()


def test_a_file_that_cannot_be_read_is_refused_on_the_upload_page(admin_client):
    response = upload(admin_client, b"Reference,Description\n1,x\n", "set-up.csv")
    assert response.status_code == 200
    assert "a set-up workbook is an Excel workbook (.xlsx)" in response.text
    assert not SetupUpload.objects.exists()


def test_an_empty_councils_dashboard_points_an_administrator_to_the_template(admin_client, viewer):
    page = admin_client.get(reverse("dashboard")).text
    assert "Not set up yet" in page
    assert f'href="{reverse("setup_template")}"' in page
    assert "Council not yet named" in page  # no council's name is assumed
    other = Client()
    other.force_login(viewer)
    text = other.get(reverse("dashboard")).text
    assert "An administrator sets them up." in text
    assert reverse("setup_template") not in text


# Query counts -----------------------------------------------------------------------------
# Session, user, the council of the address (scorecard.tenancy), the user's role there.
SIGNED_IN = 4
# The council's row (the header, the stored set-up's council, the steps): the address's,
# read with the request, so no query of its own.
COUNCIL = 0
# The stored set-up: the headline measures, the priorities, the indicators (with the counts
# they are rates and categories of), the targets (with their indicators), the populations,
# the milestones (with their priorities), the report sections; and the council (COUNCIL).
STORED = 7 + COUNCIL
# The set-up page's steps (intake/setup/steps.py): DfE's measures, its neighbour lists, the
# council (COUNCIL); the priorities, indicators, targets and milestones counted, the last
# workbook set up; the users by role; the latest publication, the latest month with figures;
# and the indicators under no priority.
STEPS = 2 + COUNCIL + 5 + 1 + 2 + 1
# The set-up page: the recent uploads; the steps; the header's council.
INDEX_QUERIES = SIGNED_IN + 1 + STEPS + COUNCIL
# The template: nothing stored is read.
TEMPLATE_QUERIES = SIGNED_IN
CURRENT_QUERIES = SIGNED_IN + STORED
# A preview of priorities, indicators and targets: the upload, the stored set-up, the
# header's council.
# The planner's list of who may own an indicator's figures (editors and administrators) too.
PREVIEW_QUERIES = SIGNED_IN + 1 + STORED + 1 + COUNCIL


def _build(count):
    priorities = [make_priority(number) for number in range(1, 7)]
    for index in range(count):
        indicator = make_indicator(str(index + 1), priorities[index % 6], order=index)
        make_target(indicator, 80)
    for index in range(count):
        SetupUpload.objects.create(filename=f"{index}.xlsx", content=b"x")


def _workbook_for(count):
    return workbook(
        Priorities=[["Number", "Title"], *[[n, f"Priority {n} renamed"] for n in range(1, 7)]],
        Indicators=[
            ["Reference", "Description", "Unit", "Polarity", "Measure basis"],
            *[
                [str(n), f"Indicator {n}", "Percentage", "Lower is better", "Month-end snapshot"]
                for n in range(1, count + 1)
            ],
        ],
        Targets=[
            ["Indicator", "Value", "From"],
            *[[str(n), 70, "Jan-20"] for n in range(1, count + 1)],
        ],
    )


@pytest.mark.parametrize("count", [10, 100])
@pytest.mark.parametrize(
    ("page", "queries"),
    [
        ("setup", INDEX_QUERIES),
        ("setup_template", TEMPLATE_QUERIES),
        ("setup_current", CURRENT_QUERIES),
    ],
)
def test_the_set_up_pages_query_counts_are_constant(
    admin_client, django_assert_num_queries, count, page, queries
):
    _build(count)
    with django_assert_num_queries(queries):
        response = admin_client.get(reverse(page))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 100])
def test_the_previews_query_count_is_constant(admin_client, django_assert_num_queries, count):
    _build(count)
    kept = SetupUpload.objects.create(filename="big.xlsx", content=_workbook_for(count))
    with django_assert_num_queries(PREVIEW_QUERIES):
        response = admin_client.get(reverse("setup_preview", args=[kept.pk]))
    plan = response.context["plan"]
    assert plan.problems == []
    # Every priority renamed, every indicator's polarity changed, every target changed.
    assert len(plan.changed) == 6 + 2 * count
