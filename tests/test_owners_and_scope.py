"""Who answers for each indicator (a data owner and a lead officer) and editors limited to some
priorities, walked through every write path a limited editor has (issue 22)."""

from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators import roles
from indicators.models import (
    Indicator,
    MilestoneUpdate,
    Priority,
    PriorityEditor,
    PublishedMonth,
    Value,
)
from indicators.scope import scope_of

from .support.entry_grid import grid_data, key
from .support.factories import make_user
from .support.uploads import setup_workbook, upload_setup

OCT = "2023-10"


@pytest.fixture
def limited(seed):
    """An editor of priority 6 only (69, 76, 77, 78; 69 is also under priority 1)."""
    user = make_user("priority6", roles.EDITOR)
    PriorityEditor.objects.create(user=user, priority=Priority.objects.get(number=6))
    return user


def october(reference):
    return Value.objects.filter(indicator__reference=reference, period="2023-10-01").first()


# Owners and lead officers ---------------------------------------------------------------------
def test_the_indicator_page_names_its_lead_officer_and_data_owner(seed, viewer_client, editor):
    editor.first_name, editor.last_name = "Sam", "Advisor"
    editor.save()
    Indicator.objects.filter(reference="10").update(owner=editor)
    page = viewer_client.get(reverse("indicator", args=["10"])).content.decode()
    # The paper's lead officer of priority 2, the first (and only) priority 10 sits under.
    assert "HoS Targeted Support / HoS Front Door" in page
    assert "Sam Advisor" in page
    # 69 sits under priorities 1 and 6: its lead is the first's.
    assert Indicator.objects.get(reference="69").lead_officer == "Service Director CYPFS"


def test_an_owner_sees_what_is_still_to_enter_linked_to_its_row(client, seed, editor):
    Indicator.objects.filter(reference__in=["7", "73"]).update(owner=editor)
    client.force_login(editor)
    Value.objects.create(
        indicator=Indicator.objects.get(reference="7"), period="2023-10-01", value=Decimal("61")
    )
    page = client.get(reverse("my_indicators", args=[OCT]))
    assert [item.indicator.reference for item, _ in page.context["missing"]] == ["73"]
    assert [item.indicator.reference for item, _ in page.context["entered"]] == ["7"]
    link = page.context["missing"][0][1]
    assert link == f"/entry/{OCT}/?priority=1#row-73"
    # The link opens the grid with that row in it.
    grid = client.get(link.split("#")[0]).content.decode()
    assert 'id="row-73"' in grid
    assert "61.0%" in page.content.decode()


def test_someone_who_owns_nothing_is_told_how_owners_are_named(client, seed, editor):
    client.force_login(editor)
    page = client.get(reverse("my_indicators", args=[OCT])).content.decode()
    assert "You are the data owner of no indicator" in page


def test_the_workbook_sets_owners_and_lead_officers_and_names_an_unknown_owner(
    client, seed, administrator, editor
):
    client.force_login(administrator)
    header = ["Reference", "Description", "Unit", "Polarity", "Measure basis"]
    header += ["Lead officer", "Data owner"]
    row = ["10", "Re-referrals", "Percentage", "Lower is better", "Month-end snapshot"]
    good = setup_workbook(Indicators=[header, [*row, "HoS Front Door", editor.username]])
    response = upload_setup(client, good)
    assert response.status_code == 302
    preview = client.get(response.url)
    assert not preview.context["plan"].problems
    confirmed = client.post(
        response.url, {"action": "confirm", "digest": preview.context["plan"].digest()}
    )
    assert confirmed.status_code == 302
    stored = Indicator.objects.get(reference="10")
    assert (stored.lead_officer, stored.owner) == ("HoS Front Door", editor)
    # The export carries them back out, under the same headers.
    export = client.get(reverse("setup_current"))
    book = openpyxl.load_workbook(__import__("io").BytesIO(export.content))
    sheet = book["Indicators"]
    headers = [cell.value for cell in sheet[1]]
    row_10 = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "10")
    assert row_10[headers.index("Lead officer")] == "HoS Front Door"
    assert row_10[headers.index("Data owner")] == editor.username
    # A viewer, or nobody, cannot own figures: the row and column are named.
    bad = setup_workbook(Indicators=[header, [*row, "", "councillor"]])
    make_user("councillor", roles.VIEWER)
    problems = client.get(upload_setup(client, bad).url).context["plan"].problems
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Indicators", 2, "Data owner")]
    assert "'councillor' is not the username of an active editor" in problems[0].reason


# An editor limited to some priorities, on every write path ------------------------------------
def test_the_scope_rule(seed, limited, editor, administrator, viewer):
    six = Priority.objects.get(number=6)
    assert scope_of(limited).priorities == frozenset({six.pk})
    assert scope_of(limited).indicator_ids() == frozenset(
        Indicator.objects.filter(reference__in=["69", "76", "77", "78"]).values_list(
            "pk", flat=True
        )
    )
    assert scope_of(limited).describe() == "priority 6"
    assert scope_of(editor).priorities is None  # no limit: every priority
    assert scope_of(administrator).priorities is None
    assert scope_of(viewer).priorities == frozenset()


def test_a_limited_editors_grid_holds_their_priorities_only(client, limited):
    client.force_login(limited)
    page = client.get(reverse("entry_month", args=[OCT]))
    shown = [entry.indicator.reference for _, group in page.context["groups"] for entry, _ in group]
    assert shown == ["69", "76", "77", "78"]  # 69 under priority 6, not 1
    assert [p.number for p in page.context["priorities"]] == [6]
    # A figure of another priority posted anyway is not a field of the form: nothing saved.
    data = grid_data(page)
    data[f"value_{key('69')}"] = "48.0%"
    data[f"value_{key('7')}"] = "99.0%"
    assert client.post(reverse("entry_month", args=[OCT]), data).status_code == 302
    assert october("69").value == Decimal("48.0")
    assert october("7") is None
    # Another priority's grid is refused, in words.
    refused = client.get(reverse("entry_month", args=[OCT]), {"priority": "1"})
    assert refused.status_code == 403
    assert "You may change priority 6 only, not priority 1" in refused.content.decode()


def test_a_limited_editors_import_may_not_touch_other_priorities(client, limited):
    client.force_login(limited)
    content = "reference,month,value\n76,2023-10,15.0%\n7,2023-10,61.0%\n"
    uploaded = client.post(
        reverse("import_upload"), {"file": SimpleUploadedFile("f.csv", content.encode())}
    )
    preview = client.get(uploaded.url)
    message = preview.context["outside_scope"]
    assert message.startswith("You may change priority 6 only, and row 3 (ID 7) is outside")
    assert message in preview.content.decode()
    confirm = {"action": "confirm", "digest": preview.context["plan"].digest()}
    response = client.post(uploaded.url, confirm, follow=True)
    assert "row 3 (ID 7) is outside" in response.content.decode()
    assert october("7") is None and october("76") is None  # nothing half-saved
    # Their own rows only: imported.
    own = client.post(
        reverse("import_upload"),
        {"file": SimpleUploadedFile("g.csv", b"reference,month,value\n76,2023-10,15.0%\n")},
    )
    page = client.get(own.url)
    assert page.context["outside_scope"] == ""
    client.post(own.url, {"action": "confirm", "digest": page.context["plan"].digest()})
    assert october("76").value == Decimal("15.0")


def test_the_limit_is_checked_again_when_the_file_is_confirmed(client, seed, editor):
    client.force_login(editor)  # no limit when the file is previewed
    uploaded = client.post(
        reverse("import_upload"),
        {"file": SimpleUploadedFile("f.csv", b"reference,month,value\n7,2023-10,61.0%\n")},
    )
    preview = client.get(uploaded.url)
    assert preview.context["outside_scope"] == ""
    PriorityEditor.objects.create(user=editor, priority=Priority.objects.get(number=6))
    client.post(uploaded.url, {"action": "confirm", "digest": preview.context["plan"].digest()})
    assert october("7") is None


def test_a_limited_editor_may_not_update_another_prioritys_milestones(client, limited):
    client.force_login(limited)
    other = reverse("milestones_month", args=["2023-09", 1])
    assert client.get(other).status_code == 403
    before = MilestoneUpdate.objects.count()
    assert client.post(other, {"priority_status": "complete"}).status_code == 403
    assert MilestoneUpdate.objects.count() == before
    assert client.get(reverse("milestones_month", args=["2023-09", 6])).status_code == 200


def test_a_limited_editor_checks_but_does_not_publish(client, limited):
    client.force_login(limited)
    url = reverse("publish_month", args=[OCT])
    page = client.get(url).content.decode()
    assert "You work on priority 6" in page
    assert 'name="confirm"' not in page
    response = client.post(url, {"action": "publish", "confirm": "yes"})
    assert response.status_code == 403
    assert not PublishedMonth.objects.filter(period="2023-10-01").exists()
    unpublish = client.post(reverse("publish_month", args=["2023-09"]), {"action": "unpublish"})
    assert unpublish.status_code == 403
    assert PublishedMonth.objects.filter(period="2023-09-01").exists()


def test_a_limited_editor_has_no_way_in_through_the_admin(client, limited):
    client.force_login(limited)
    for url in ("/admin/indicators/value/add/", "/admin/indicators/indicator/", "/setup/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert response.status_code == 403 or "/admin/login/" in response.url


def test_an_administrator_limits_an_editor_on_their_user_page(client, seed, administrator):
    editor = make_user("scoped", roles.EDITOR)
    client.force_login(administrator)
    url = reverse("admin:auth_user_change", args=[editor.pk])
    page = client.get(url)
    assert "Limited to priorities" in page.content.decode()
    form = page.context["adminform"].form
    data = {
        "username": "scoped",
        "first_name": "",
        "last_name": "",
        "email": "",
        "role": roles.EDITOR,
        "is_active": "on",
        "priorities": [str(Priority.objects.get(number=n).pk) for n in (2, 6)],
    }
    assert "priorities" in form.fields
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert scope_of(editor).describe() == "priorities 2 and 6"
    assert PriorityEditor.history.count() == 2  # each change recorded
    # Made a viewer: the limit goes with the editor role.
    client.post(url, {**data, "role": roles.VIEWER})
    assert not PriorityEditor.objects.filter(user=editor).exists()
