"""An import killed half-way (SIGKILL: no cleanup, no exception handler) leaves the database
exactly as it was: the whole import is one PostgreSQL transaction, rolled back by the server
when the connection dies.

PostgreSQL only: it needs a second process writing to the same test database, which the
in-memory SQLite test database cannot share.
"""

import hashlib
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from indicators.models import Indicator, Value
from indicators.periods import Month

from .support.import_process import APPLICATION, ROOT, database_url, writing_backend

INDICATORS, MONTHS = 100, 100

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: a second process writes to the test database "
        "(run with DATABASE_URL=postgres://..., as scripts/test.sh does)",
    ),
    pytest.mark.django_db(transaction=True),
]


def snapshot():
    rows = Value.objects.order_by("indicator_id", "period").values_list(
        "indicator_id", "period", "value"
    )
    digest = hashlib.sha256()
    count = 0
    for row in rows.iterator(chunk_size=5000):
        digest.update(repr(row).encode())
        count += 1
    return count, digest.hexdigest(), Value.history.count()


def write_csv(path, attempt):
    rng = random.Random(attempt)
    first = Month(2014, 1)
    lines = ["reference,month,value"]
    for n in range(INDICATORS):
        for m in range(MONTHS):
            lines.append(f"K{n},{first.plus(m).iso},{rng.uniform(0, 100):.1f}")
    path.write_text("\n".join(lines) + "\n")
    return len(lines) - 1


def backend_gone():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [APPLICATION]
        )
        return cursor.fetchone()[0] == 0


def test_an_import_killed_mid_way_leaves_the_database_exactly_as_before(tmp_path):
    Indicator.objects.bulk_create(
        Indicator(
            reference=f"K{n}",
            description=f"Kill-test indicator {n}",
            unit="percentage",
            polarity="higher_is_better",
            measure_basis="snapshot",
        )
        for n in range(INDICATORS)
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    killed_mid_way = []
    for attempt in range(5):
        csv = tmp_path / f"figures-{attempt}.csv"
        assert write_csv(csv, attempt) == 10_000
        before = snapshot()
        output = (tmp_path / f"output-{attempt}.txt").open("w")
        process = subprocess.Popen(
            [sys.executable, "manage.py", "import_figures", str(csv)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        seen = None
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            seen = writing_backend()
            if seen:
                break
            time.sleep(0.005)
        if seen:
            # The first attempt kills at the first write, later ones further in.
            time.sleep(0.1 * attempt)
            seen = writing_backend() or seen
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)
        returncode = process.wait(timeout=30)
        output.close()
        # The server notices the dead connection and rolls its transaction back.
        deadline = time.monotonic() + 30
        while not backend_gone() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert backend_gone()

        if returncode == -signal.SIGKILL:
            killed_mid_way.append(seen)
            print(f"attempt {attempt}: killed while the import ran {seen[2]!r}")
            assert "to add" in (tmp_path / f"output-{attempt}.txt").read_text()
            assert snapshot() == before, f"killed during {seen}: the database changed"
        else:
            # It finished before it could be killed: it must then have saved everything.
            assert returncode == 0, (tmp_path / f"output-{attempt}.txt").read_text()[-2000:]
            assert snapshot() != before
        if len(killed_mid_way) >= 2:
            break
    assert killed_mid_way, "the import always finished before it could be killed"
