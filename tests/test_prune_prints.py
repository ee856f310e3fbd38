"""``manage.py prune_prints`` (scorecard/print_pruning.py): stored PDFs of old data versions
deleted once they are older than ``--older-than`` days, never a print of the current version
nor anything outside the folders the stored prints own (an issued meeting pack under
``issued-packs/``); lapsed "asked for" rows and old finished task rows deleted too. The files are
real files in the test's storage (MEDIA_ROOT), aged by their modification time."""

import os
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from indicators.changes import data_changed, data_version
from indicators.models import Council
from indicators.tenancy import council_scope
from scorecard.models import PrintSlot
from scorecard.stored_prints import ASKED_FOR, print_stored

from .support.tasks import database_tasks

DAY = 24 * 60 * 60


def store(where, files, days_old, settings):
    """Files under ``where`` in storage, last written ``days_old`` days ago."""
    for name, content in files.items():
        path = default_storage.save(f"{where}/{name}", ContentFile(content.encode()))
        stamp = time.time() - days_old * DAY
        os.utime(settings.MEDIA_ROOT / path, (stamp, stamp))


def printed(folder, name, version, days_old, settings, council=None):
    """A print as ``stored_prints`` keeps it: its PDF, then ``done`` naming its version (and,
    since each council has its own version, the council)."""
    done = f"report.pdf\nreport.pdf\n{version}"
    if council is not None:
        done += f"\n{council.pk}"
    store(f"{folder}/{name}", {"pdf/report.pdf": "%PDF-1.7", "done": done}, days_old, settings)


def prune(*args):
    out = StringIO()
    call_command("prune_prints", *args, stdout=out)
    return out.getvalue()


def test_old_prints_of_old_versions_go_and_the_rest_stay(db, settings):
    data_changed()
    old_version = data_version()
    data_changed()
    current = data_version()
    printed("packs", "a" * 32, old_version, 40, settings)  # old version, old: deleted
    printed("quarterly", "b" * 32, old_version, 40, settings)  # the same, the report's
    printed("packs", "c" * 32, old_version, 2, settings)  # old version, recent: kept
    printed("packs", "d" * 32, current, 400, settings)  # the current version: kept
    store("packs/" + "e" * 32, {"failed": "Chromium is not installed."}, 40, settings)
    store("packs/" + "f" * 32, {"pdf/half.pdf": "%PDF"}, 40, settings)  # never finished
    store("issued-packs/2023-10-meeting", {"pack.pdf": "%PDF"}, 400, settings)  # not ours
    store("other", {"note.txt": "x"}, 400, settings)

    output = prune("--older-than", "30")

    left = sorted(
        str(path.relative_to(settings.MEDIA_ROOT))
        for path in settings.MEDIA_ROOT.rglob("*")
        if path.is_file()
    )
    assert left == [
        "issued-packs/2023-10-meeting/pack.pdf",
        "other/note.txt",
        f"packs/{'c' * 32}/done",
        f"packs/{'c' * 32}/pdf/report.pdf",
        f"packs/{'d' * 32}/done",
        f"packs/{'d' * 32}/pdf/report.pdf",
    ]
    assert not (settings.MEDIA_ROOT / "packs" / ("a" * 32)).exists(), "its folders too"
    assert "Stored prints deleted: 4; kept, of the current data version: 1." in output


def test_the_default_keeps_thirty_days(db, settings):
    data_changed()
    version = data_version()
    data_changed()
    printed("packs", "a" * 32, version, 29, settings)
    printed("packs", "b" * 32, version, 31, settings)
    prune()
    assert sorted(p.name for p in (settings.MEDIA_ROOT / "packs").iterdir()) == ["a" * 32]


def test_a_print_is_current_at_its_own_council_s_version(db, settings):
    """Another council's change leaves a council's print current; its own makes it old."""
    a = Council.objects.create(slug="a", name="A", host="a.example")
    b = Council.objects.create(slug="b", name="B", host="b.example")
    printed("packs", "a" * 32, data_version(a.pk), 400, settings, council=a)
    printed("packs", "b" * 32, data_version(b.pk), 400, settings, council=b)
    with council_scope(b):
        data_changed()
    prune()
    assert sorted(p.name for p in (settings.MEDIA_ROOT / "packs").iterdir()) == ["a" * 32]


def test_with_nothing_stored_it_deletes_nothing(db, settings):
    assert "Stored prints deleted: 0" in prune()


def test_lapsed_asked_for_rows_go_and_printer_slots_stay(db):
    now = timezone.now()
    PrintSlot.objects.create(key="asked:packs:old", token="t1", held_until=now - timedelta(1))
    PrintSlot.objects.create(key="asked:packs:new", token="t2", held_until=now + timedelta(1))
    PrintSlot.objects.create(key="user:1:0", token="t3", held_until=now - timedelta(1))
    assert "Lapsed 'asked for' rows deleted: 1." in prune()
    assert sorted(PrintSlot.objects.values_list("key", flat=True)) == [
        "asked:packs:new",
        "user:1:0",  # the printer's slots are print_slots' own to clear
    ]
    assert ASKED_FOR == 600


def test_finished_task_rows_older_than_the_days_go(db):
    with database_tasks():
        old = print_stored.enqueue("packs", "a" * 32, {}, 1)
        recent = print_stored.enqueue("packs", "b" * 32, {}, 1)
        waiting = print_stored.enqueue("packs", "c" * 32, {}, 1)
        DBTaskResult.objects.filter(id=old.id).update(
            status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now() - timedelta(days=40)
        )
        DBTaskResult.objects.filter(id=recent.id).update(
            status=TaskResultStatus.FAILED, finished_at=timezone.now() - timedelta(days=3)
        )
        prune("--older-than", "30")
    left = sorted(str(id) for id in DBTaskResult.objects.values_list("id", flat=True))
    assert left == sorted([str(recent.id), str(waiting.id)])


def test_a_negative_number_of_days_is_refused(db):
    with pytest.raises(SystemExit):
        prune("--older-than", "-1")
