"""A ``manage.py import_figures`` process writing to the test database, and how to see its
connection from the test (PostgreSQL's pg_stat_activity): for the tests that kill an import
or race one (test_kill_import.py, test_concurrent_writes.py)."""

import os
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
# The child's connection is found by this name: one per pytest process (an xdist worker has its
# own test database on the same server), so one worker never sees another's import.
APPLICATION = f"scorecard-import-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def database_url():
    """The test database (committed data is visible to another process), named so its
    connection can be found in pg_stat_activity."""
    s = connection.settings_dict
    credentials = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        credentials += ":" + quote(s["PASSWORD"], safe="")
    host = s["HOST"] or "localhost"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{s['NAME']}?application_name={APPLICATION}"


def writing_backend():
    """The import's database backend once its transaction has written something (a
    transaction id is assigned at the first write), else None."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, state, left(query, 60) FROM pg_stat_activity "
            "WHERE application_name = %s AND backend_xid IS NOT NULL",
            [APPLICATION],
        )
        return cursor.fetchone()
