"""Every path that writes a figure, target, commentary, publication or anything else a page
shows moves the data version on, so no cached page outlives the data it was made from
(indicators.changes, scorecard.cache).

Each write path is tried for real (the page, the command, the admin, the loader) and checked
twice: the version grew, and the cached page then shows the new data.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from indicators.changes import data_version
from indicators.models import Commentary, MilestoneUpdate, Target, Value
from indicators.periods import Month

from .support.entry_grid import give_reasons, grid_data, key
from .support.lait import import_extract

SEP = "2023-09"


def _grid_save(client, editor, seed):
    client.force_login(editor)
    data = grid_data(client.get(reverse("entry_month", args=[SEP])))
    data[f"value_{key('7')}"] = "66.6%"
    give_reasons(data, "7")
    client.post(reverse("entry_month", args=[SEP]), data)
    return "66.6%"


def _grid_commentary(client, editor, seed):
    client.force_login(editor)
    data = grid_data(client.get(reverse("entry_month", args=[SEP])))
    data[f"commentary_{key('7')}"] = "A new comment for the version test."
    client.post(reverse("entry_month", args=[SEP]), data)
    return "A new comment for the version test."


def _import_page(client, editor, seed):
    client.force_login(editor)
    csv = "reference,month,value\n7,2023-09,64.4%\n"
    response = client.post(
        reverse("import_upload"), {"file": SimpleUploadedFile("f.csv", csv.encode())}
    )
    page = client.get(response.url)
    client.post(
        response.url,
        {
            "action": "confirm",
            "digest": page.context["plan"].digest(),
            "revision_reason": "Re-sent.",
        },
    )
    return "64.4%"


def _import_command(client, editor, seed, tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text("reference,month,value\n7,2023-09,63.3%\n")
    call_command("import_figures", str(path), "--revision-reason", "Re-sent.", stdout=io.StringIO())
    return "63.3%"


def _admin_value(client, administrator, seed):
    value = Value.objects.get(indicator__reference="7", period="2023-09-01")
    value.value = "62.2"
    value._change_reason = "Corrected in the admin."
    value.save()
    return "62.2%"


def _admin_target(client, administrator, seed):
    target = Target.objects.get(indicator__reference="7")
    target.value = "77.7"
    target.save()
    return "77.7%"


def _commentary_deleted(client, editor, seed):
    comment = Commentary.objects.filter(period="2023-09-01", indicator__reference="7").get()
    text = comment.text[:40]
    comment.delete()
    return ("gone", text)


def _unpublish(client, editor, seed):
    client.force_login(editor)
    client.post(
        reverse("publish_month", args=[SEP]), {"action": "unpublish", "reason": "A mistake."}
    )
    return ("unpublished", None)


def _milestones(client, editor, seed):
    update = MilestoneUpdate.objects.filter(period="2023-09-01", milestone__priority__number=2)[0]
    update.this_period = "Milestone text for the version test."
    update.save()
    return "Milestone text for the version test."


def _synthetic_history(client, editor, seed):
    from intake.seed import add_synthetic_history

    add_synthetic_history(months=3)
    return None


def _lait_import(client, editor, seed):
    import_extract()
    return None


WRITES = {
    "the entry grid saves a figure": _grid_save,
    "the entry grid saves commentary": _grid_commentary,
    "an import is confirmed on its page": _import_page,
    "the import command": _import_command,
    "a figure is changed in the admin": _admin_value,
    "a target is changed in the admin": _admin_target,
    "commentary is deleted": _commentary_deleted,
    "a month is unpublished": _unpublish,
    "a milestone update is saved": _milestones,
    "the synthetic history is loaded": _synthetic_history,
    "DfE's LAIT data is imported": _lait_import,
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_path_moves_the_version_on_and_the_cached_page_follows(
    client, seed, editor, viewer, administrator, tmp_path, write
):
    client.force_login(editor)
    priority = reverse("priority", args=[2])
    before_page = client.get(priority, {"period": SEP}).content.decode()
    assert client.get(priority, {"period": SEP}).content.decode().count("<main") == 1
    before = data_version()
    arguments = [client, editor, seed] + ([tmp_path] if write is _import_command else [])
    shown = write(*arguments)
    assert data_version() > before
    client.force_login(editor)
    after_page = client.get(priority, {"period": SEP}).content.decode()
    if isinstance(shown, str):
        assert shown in after_page and shown not in before_page
    elif isinstance(shown, tuple) and shown[0] == "gone":
        assert shown[1] not in after_page
    elif isinstance(shown, tuple) and shown[0] == "unpublished":
        assert "Draft: September 2023 is not published" in after_page


INDICATOR_WRITES = {
    name: WRITES[name]
    for name in (
        "the entry grid saves a figure",
        "the entry grid saves commentary",
        "an import is confirmed on its page",
        "the import command",
        "a figure is changed in the admin",
        "a target is changed in the admin",
        "commentary is deleted",
    )
}


@pytest.mark.parametrize("write", INDICATOR_WRITES.values(), ids=INDICATOR_WRITES.keys())
def test_the_cached_indicator_page_follows_every_write_of_its_figures(
    client, seed, editor, tmp_path, write
):
    client.force_login(editor)
    page = reverse("indicator", args=["7"])
    before_page = client.get(page).content.decode()
    assert client.get(page).content.decode().count("<main") == 1  # now from the cache
    arguments = [client, editor, seed] + ([tmp_path] if write is _import_command else [])
    shown = write(*arguments)
    client.force_login(editor)
    after_page = client.get(page).content.decode()

    def cached_part(text):  # the change history below it is read afresh and keeps the old text
        return text[: text.index('id="changes"')]

    if isinstance(shown, str):
        assert shown in after_page and shown not in before_page
    else:
        assert shown[1] in cached_part(before_page)
        assert shown[1] not in cached_part(after_page)


def test_a_write_that_is_rolled_back_leaves_the_version_as_it_was(seed):
    from django.db import transaction

    before = data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        Value.objects.filter(indicator__reference="7").first().save()
        raise RuntimeError("the save fails")
    assert data_version() == before


def test_a_page_reads_its_body_from_the_cache_until_the_data_changes(
    client, seed, viewer, django_assert_num_queries
):
    client.force_login(viewer)
    url = reverse("dashboard")
    client.get(url, {"period": SEP})
    # Session, user, groups, the data version, and the council for the header (outside the
    # cached body): nothing else while nothing has changed.
    with django_assert_num_queries(5):
        client.get(url, {"period": SEP})
    Value.objects.filter(indicator__reference="7", period=Month(2023, 9).first_day).update(
        value="1.0"
    )  # a bulk UPDATE sends no signal: only a path that says so moves the version on
    from indicators.changes import data_changed

    data_changed()
    response = client.get(url, {"period": SEP})
    assert response.status_code == 200
    assert response.context["scorecard"].rows  # worked out afresh
