"""Benchmark: server time and SQL queries of the read pages at three data sizes.

    .venv/bin/python bench/pages.py                 # throwaway SQLite database
    DATABASE_URL=postgres://... .venv/bin/python bench/pages.py   # a throwaway database
                                                    # (test_<name>) made on that server
    .venv/bin/python bench/pages.py --sizes seed,council --runs 10

For each size (bench/generate.py) it times, as a signed-in viewer, the dashboard, a priority
page, an indicator page and the CSV and XLSX exports: the median of N requests through Django's
whole handler in-process (middleware, session, queries, templates; no network), and the SQL query
count of one request, each both uncached (the cache emptied before every request: what the
first reader after a change waits for) and cached (the page's data unchanged since it was last
worked out). Beside them, two floors: a signed-in page that does nothing (a 404: session,
user, role check, base template), which no signed-in page can beat, and the same HTML bytes
served as a static file by WhiteNoise through the same handler. Prints a table and writes it
to bench/RESULTS.md.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
THROWAWAY_SQLITE = "DATABASE_URL" not in os.environ
# WhiteNoise warns that STATIC_ROOT is missing: the benchmark does not collect static files.
warnings.filterwarnings("ignore", message="No directory at")
if THROWAWAY_SQLITE:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.generate import LAST_MONTH, SIZES, generate  # noqa: E402
from bench.results import database_description, write_section  # noqa: E402
from indicators.models import Priority  # noqa: E402
from indicators.periods import Month  # noqa: E402

RUNS = {"seed": 30, "council": 20, "stress": 5}
#: The goal at the council size: a cached page within this many times the signed-in floor.
TARGET_RATIO = 2


def timed(client, url, runs, status=200, cold=False):
    """(median seconds, body bytes) of ``runs`` GETs after one warm-up; ``cold`` empties the
    cache before each (not timed)."""
    body = fetch(client, url, status)
    times = []
    for _ in range(runs):
        if cold:
            cache.clear()
        start = time.perf_counter()
        fetch(client, url, status)
        times.append(time.perf_counter() - start)
    return statistics.median(times), body


def fetch(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def query_count(client, url, cold=False):
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        fetch(client, url)
    return len(queries.captured_queries)


def measure(size, runs):
    counts = generate(size)
    viewer = get_user_model().objects.get(username="bench-viewer")
    client = Client()
    client.force_login(viewer)
    period = Month(*LAST_MONTH).iso
    priority = Priority.objects.order_by("display_order", "number").first()
    indicator = priority.indicators.order_by("priorityindicator__display_order").first()
    pages = {
        "dashboard": f"/?period={period}",
        "priority page": f"/priorities/{priority.number}/?period={period}",
        "indicator page": f"/indicators/{indicator.reference}/",
        "CSV export": f"/export/scorecard.csv?period={period}",
        "XLSX export": f"/export/scorecard.xlsx?period={period}",
    }
    rows = []
    # What any signed-in page costs before it does its own work: session, user, role check
    # and the base template, timed on a page that is not there (404). A cache of rendered
    # pages could at best bring a page down to about this.
    signed_in_floor, _ = timed(client, "/priorities/999999/", runs, status=404)
    static_root = Path(tempfile.mkdtemp())
    bodies = {}
    for name, url in pages.items():
        cold, body = timed(client, url, runs, cold=True)
        cold_queries = query_count(client, url, cold=True)
        median, body = timed(client, url, runs)
        bodies[name] = body
        rows.append([name, cold, cold_queries, median, query_count(client, url), len(body)])
    # The floor: the same bytes as static files, served by WhiteNoise in the same handler.
    for name, body in bodies.items():
        (static_root / f"{name.replace(' ', '-')}.html").write_bytes(body)
    with override_settings(WHITENOISE_ROOT=str(static_root)):
        static_client = Client()  # a new handler: WhiteNoise finds the files when it starts
        for row in rows:
            url = f"/{row[0].replace(' ', '-')}.html"
            median, body = timed(static_client, url, runs)
            assert body == bodies[row[0]]
            row.append(median)
    return counts, rows, signed_in_floor


def table(results):
    lines = [
        "| size | page | uncached ms | queries | cached ms | queries | KB "
        "| signed-in floor ms | cached / floor | uncached / floor | static file ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, (_counts, rows, _runs, signed_in) in results.items():
        for name, cold, cold_queries, median, queries, length, static in rows:
            lines.append(
                f"| {size} | {name} | {cold * 1000:.1f} | {cold_queries} | {median * 1000:.1f} "
                f"| {queries} | {length / 1024:.0f} | {signed_in * 1000:.1f} "
                f"| {median / signed_in:.1f}x | {cold / signed_in:.1f}x | {static * 1000:.2f} |"
            )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--runs", type=int, help="requests per page (default by size)")
    parser.add_argument("--no-record", action="store_true", help="do not write RESULTS.md")
    options = parser.parse_args()
    sizes = options.sizes.split(",")

    test_database = None
    if not THROWAWAY_SQLITE:
        # Never the database DATABASE_URL names: a fresh test_<name> beside it.
        test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    database = database_description()
    print(f"database: {database}{' (throwaway file)' if THROWAWAY_SQLITE else ''}")
    results = {}
    try:
        for size in sizes:
            runs = options.runs or RUNS[size]
            start = time.perf_counter()
            counts, rows, signed_in_floor = measure(size, runs)
            print(
                f"{size}: "
                + ", ".join(f"{n:,} {what}" for what, n in counts.items())
                + f"; {runs} runs per page ({time.perf_counter() - start:.0f} s)"
            )
            results[size] = (counts, rows, runs, signed_in_floor)
    finally:
        if test_database:
            connection.creation.destroy_test_db(test_database, verbosity=0)
    output = table(results)
    if "council" in results:
        _counts, rows, _runs, signed_in = results["council"]
        for row in rows:
            if row[0] in ("dashboard", "priority page", "CSV export", "XLSX export"):
                ratio = row[3] / signed_in
                verdict = "meets" if ratio <= TARGET_RATIO else "misses"
                output += (
                    f"\ncouncil {row[0]}, cached: {ratio:.1f}x the signed-in floor "
                    f"({verdict} the {TARGET_RATIO}x goal)"
                )
    print(output)
    if not options.no_record:
        sizes_text = "; ".join(
            f"**{size}** "
            + ", ".join(f"{n:,} {what}" for what, n in counts.items())
            + f" ({runs} runs per page)"
            for size, (counts, _rows, runs, _floor) in results.items()
        )
        body = (
            "`.venv/bin/python bench/pages.py`: server time in-process through Django's whole "
            "handler as a signed-in viewer (median), uncached (the cache emptied before each "
            "request) and cached, SQL queries of one request, against a signed-in 404 (the "
            "floor no signed-in page can beat) and the same bytes served as a static file by "
            "WhiteNoise through the same handler.\n\n"
            f"Data: {sizes_text}.\n\n{output}\n"
        )
        write_section(
            f"pages-{connection.vendor}",
            f"Read pages on {database.split()[0]} (`bench/pages.py`)",
            body,
            database=database,
        )
        print("written to bench/RESULTS.md")


if __name__ == "__main__":
    main()
