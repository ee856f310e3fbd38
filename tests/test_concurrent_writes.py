"""A grid save while a command-line import runs: nothing is lost either way round.

The import (a real ``manage.py import_figures`` process, as in test_kill_import.py) and the
grid both lock the indicators they write, and both compare every figure with what they read
first. So:

- a grid save made while the import writes waits for it, then finds the figure changed and
  is refused as a conflict showing both values; saved again, having seen the import's value,
  it replaces it;
- a grid save made after the import read the figures but before it wrote them makes the
  import refuse the whole file, naming the row, and the grid's figure stands.

PostgreSQL only: another process writes to the test database, which the in-memory SQLite test
database cannot share. (On SQLite each write transaction takes the database's write lock when
it begins, so the two cannot interleave at all; the compare-and-set itself is tested on both
in test_import_trust.py.)
"""

import os
import random
import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from indicators import roles
from indicators.models import Indicator, Value
from indicators.periods import Month
from indicators.tenancy import every_council
from intake.figure_import.cell_values import parse_figure
from intake.grid import Change, entry_groups
from intake.grid_save import save_changes

from .support.factories import make_indicator, make_priority, make_user
from .support.import_process import APPLICATION, ROOT, database_url, writing_backend

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: a second process writes to the test database "
        "(run with DATABASE_URL=postgres://..., as scripts/test.sh does)",
    ),
    pytest.mark.django_db(transaction=True),
]

MONTH = Month(2023, 10)
FIRST = MONTH.plus(-99)
IMPORTED = "45.5"


@pytest.fixture
def setting(tmp_path):
    """Indicator C0 in the grid, 99 others, and a file of 100 months of each: C0's October is
    45.5 in the file."""
    priority = make_priority(1)
    grid_indicator = make_indicator("C0", priority)
    Indicator.objects.bulk_create(
        Indicator(
            reference=f"K{n}",
            description=f"Volume {n}",
            unit="percentage",
            polarity="higher_is_better",
            measure_basis="snapshot",
        )
        for n in range(1, 100)
    )
    rng = random.Random(11)
    lines = ["reference,month,value"]
    for reference in ["C0", *(f"K{n}" for n in range(1, 100))]:
        for offset in range(100):
            month = FIRST.plus(offset)
            value = (
                IMPORTED if (reference, month) == ("C0", MONTH) else f"{rng.uniform(40, 60):.1f}"
            )
            lines.append(f"{reference},{month.iso},{value}")
    path = tmp_path / "feed.csv"
    path.write_text("\n".join(lines) + "\n")
    editor = make_user("advisor", roles.EDITOR)
    return {"indicator": grid_indicator, "path": path, "editor": editor}


def start_import(path, output):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "import_figures", str(path)],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )


def wait_for(check, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.005)
    raise AssertionError("waited too long")


def grid_form(client):
    response = client.get(reverse("entry_month", args=[MONTH.iso]))
    form = response.context["form"]
    return {name: "" if form[name].value() is None else form[name].value() for name in form.fields}


def test_a_grid_save_while_the_import_writes_is_a_conflict_and_nothing_is_lost(setting, tmp_path):
    client = Client()
    client.force_login(setting["editor"])
    key = setting["indicator"].id
    data = grid_form(client)  # opened before the import
    data[f"value_{key}"] = "33.3%"
    with (tmp_path / "import.txt").open("w") as output:
        process = start_import(setting["path"], output)
        wait_for(writing_backend)  # the import holds its locks and is writing
        response = client.post(reverse("entry_month", args=[MONTH.iso]), data)
        assert process.wait(timeout=120) == 0, (tmp_path / "import.txt").read_text()[-2000:]
    assert Value.objects.count() == 10_000
    # The grid waited for the import, then found C0's October changed: refused, both shown.
    assert response.status_code == 200
    message = response.context["form"].errors[f"value_{key}"][0]
    assert f"It is now “{IMPORTED}%”; you entered “33.3%”" in message  # with its unit
    stored = Value.objects.get(indicator=setting["indicator"], period=MONTH.first_day)
    assert stored.value == Decimal(IMPORTED)
    # Saved again having seen it, the grid's figure replaces the import's; both are kept.
    form = response.context["form"]
    again = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    assert client.post(reverse("entry_month", args=[MONTH.iso]), again).status_code == 302
    stored.refresh_from_db()
    assert stored.value == Decimal("33.3")
    assert [h.value for h in stored.history.order_by("history_id")] == [
        Decimal(IMPORTED),
        Decimal("33.3"),
    ]


def import_waiting_for_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
            "AND wait_event_type = 'Lock'",
            [APPLICATION],
        )
        return cursor.fetchone()[0] > 0


def test_a_grid_save_between_the_imports_reading_and_writing_makes_it_refuse_the_row(
    setting, tmp_path
):
    """The grid saves (with its own save, in another connection) while the import, having
    planned, waits for the lock the grid holds: the import then refuses the file."""
    locked, saved, failures = threading.Event(), threading.Event(), []
    release = threading.Event()
    editor, indicator = setting["editor"], setting["indicator"]

    def grid_save():
        try:
            with transaction.atomic():
                Indicator.objects.lock_for_writing([indicator.id])
                locked.set()
                release.wait(60)
                ((_, entries),) = entry_groups(MONTH)
                form_entry = next(e for e in entries if e.indicator.id == indicator.id)
                change = Change(
                    entry=form_entry,
                    figure=parse_figure("33.3%", "percentage"),
                    figure_changed=True,
                    commentary="",
                    commentary_changed=False,
                    seen="",
                    seen_commentary="",
                )
                save_changes(MONTH, [change], editor)
            saved.set()
        except Exception as error:  # noqa: BLE001 - reported by the test
            failures.append(error)
        finally:
            connections.close_all()  # this thread's connection

    def in_every_council():
        # A new thread starts outside the tests' every-council scope (indicators.tenancy).
        with every_council():
            grid_save()

    thread = threading.Thread(target=in_every_council)
    thread.start()
    assert locked.wait(30)
    output_path = tmp_path / "import.txt"
    with output_path.open("w") as output:
        process = start_import(setting["path"], output)
        wait_for(import_waiting_for_a_lock)  # planned, and waiting to write
        release.set()
        thread.join(60)
        returncode = process.wait(timeout=120)
    assert not failures and saved.is_set()
    text = output_path.read_text()
    assert returncode != 0, text[-2000:]
    assert "Figures changed since you previewed this file, so nothing was imported" in text
    assert "(ID C0, Oct-23) is now 33.3%; it was no figure" in text
    # The grid's figure stands; the import wrote nothing.
    assert Value.objects.get(indicator=indicator, period=MONTH.first_day).value == Decimal("33.3")
    assert Value.objects.count() == 1
