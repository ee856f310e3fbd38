"""The one upload-preview-confirm mechanism (intake/kept_uploads.py) as both kinds use it: a
file read once and its plan kept as JSON, a compare-and-set confirm, a cancel only of what is
still a preview. Each kind's own pages and words are tested in test_imports.py and
test_setup_pages.py."""

from decimal import Decimal

import pytest

from indicators.models import ImportBatch, Indicator, SetupUpload
from indicators.periods import Month
from intake.figure_import.plan import ImportRefused, figure_uploads
from intake.kept_uploads import from_json, to_json
from intake.setup.apply import SetupRefused, setup_uploads

from .support import devon
from .support.factories import make_priority


@pytest.mark.parametrize(
    "value",
    [None, True, 3, "text", Decimal("7.40"), Month(2023, 10), ["10", "22"], {"a": Decimal(1)}],
)
def test_a_plans_values_come_back_from_json_as_they_went_in(value):
    assert from_json(to_json(value)) == value


def test_a_set_up_workbook_is_read_once_and_its_plan_kept(db, administrator):
    kept = setup_uploads.keep(devon.setup_workbook(), "devon.xlsx", administrator)
    planned = setup_uploads.read(devon.setup_workbook(), "devon.xlsx")
    # The kept file is no longer readable: a preview that read it again would fail.
    SetupUpload.objects.filter(pk=kept.pk).update(content=b"\x00not a file")
    kept.refresh_from_db()
    plan = setup_uploads.preview(kept)
    assert plan.digest() == planned.digest()
    assert [(i.sheet, i.key, i.values) for i in plan.planned] == [
        (i.sheet, i.key, i.values) for i in planned.planned
    ]


def test_a_set_up_confirmed_after_the_stored_set_up_changed_writes_nothing(db, administrator):
    kept = setup_uploads.keep(devon.setup_workbook(), "devon.xlsx", administrator)
    digest = setup_uploads.preview(kept).digest()
    make_priority(1, title="Somebody else's priority 1")
    with pytest.raises(SetupRefused, match="changed since you previewed this workbook"):
        setup_uploads.confirm(kept, administrator, digest=digest, choices=None)
    assert not Indicator.objects.exists()
    kept.refresh_from_db()
    assert kept.status == SetupUpload.Status.PREVIEWED
    # Read again against what is stored now, it is confirmed.
    digest = setup_uploads.replan(kept).digest()
    setup_uploads.confirm(kept, administrator, digest=digest, choices=None)
    kept.refresh_from_db()
    assert kept.status == SetupUpload.Status.APPLIED and Indicator.objects.count() == 10


def test_only_a_preview_is_cancelled(seed, editor):
    batch = figure_uploads.keep(b"reference,month,value\n7,2023-10,61.0%\n", "f.csv", editor)
    figure_uploads.cancel(batch)
    with pytest.raises(ImportRefused, match="already been imported or cancelled"):
        figure_uploads.cancel(batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED
