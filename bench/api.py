"""Benchmark: the API's 12-month pull of every figure at the council size.

    .venv/bin/python bench/api.py                  # throwaway SQLite database
    DATABASE_URL=postgres://... .venv/bin/python bench/api.py   # a throwaway test_<name>
    .venv/bin/python bench/api.py --size stress --runs 5

Generates the data (bench/generate.py: ``council`` is 100 indicators x 120 months, every month
published), makes a viewer's token and times, through Django's whole handler in-process (no
network), what a BI tool's refresh asks for: every figure of the last 12 months in one page
(``/api/v1/figures/?from=&to=&page_size=10000``) as JSON and as CSV, and the judged scorecard
of the last month, each the median of N requests. The goal: the
12-month pull under 1 s at the council size. Prints a table and writes it to
bench/RESULTS.md.
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
warnings.filterwarnings("ignore", message="No directory at")
if THROWAWAY_SQLITE:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.generate import LAST_MONTH, generate  # noqa: E402
from bench.results import database_description, write_section  # noqa: E402
from indicators.models import ApiToken  # noqa: E402
from indicators.periods import Month  # noqa: E402
from scorecard.api.authentication import TokenRateThrottle  # noqa: E402

GOAL_SECONDS = 1.0


def timed(client, url, headers, runs):
    """(median seconds, bytes, rows) of ``runs`` GETs after one warm-up. (The SQL queries of
    each are pinned by tests/test_api_query_counts.py.)"""
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append(time.perf_counter() - start)
    body = response.content
    rows = body.count(b"\n") - 1 if b"format=csv" in url.encode() else body.count(b'"month"')
    return statistics.median(times), len(body), rows


def measure(size, runs):
    counts = generate(size)
    # A refresh is one request a minute at most; the benchmark asks far faster.
    TokenRateThrottle.THROTTLE_RATES = {"api_token": "1000000/minute"}
    viewer = get_user_model().objects.get(username="bench-viewer")
    headers = {"Authorization": f"Bearer {ApiToken.issue(viewer, 'bench')[1]}"}
    last = Month(*LAST_MONTH)
    pull = f"/api/v1/figures/?from={last.plus(-11).iso}&to={last.iso}&page_size=10000"
    client = Client()
    rows = [
        ("12-month pull, JSON", *timed(client, pull, headers, runs)),
        ("12-month pull, CSV", *timed(client, pull + "&format=csv", headers, runs)),
        ("scorecard, JSON", *timed(client, f"/api/v1/scorecard/?month={last.iso}", headers, runs)),
    ]
    return counts, rows


def table(size, rows):
    lines = [
        f"| {size} | median | bytes | records |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, seconds, size_bytes, records in rows:
        lines.append(f"| {name} | {seconds * 1000:.0f} ms | {size_bytes:,} | {records:,} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="council", choices=["seed", "council", "stress"])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--no-record", action="store_true", help="do not write RESULTS.md")
    options = parser.parse_args()
    test_database = None
    if not THROWAWAY_SQLITE:
        test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0)
    database = database_description()
    print(f"database: {database}{' (throwaway file)' if THROWAWAY_SQLITE else ''}")
    try:
        counts, rows = measure(options.size, options.runs)
    finally:
        if test_database:
            connection.creation.destroy_test_db(test_database, verbosity=0)
    output = table(options.size, rows)
    pull = max(seconds for name, seconds, *_ in rows if name.startswith("12-month"))
    verdict = "meets" if pull < GOAL_SECONDS else "misses"
    output += f"\n\n12-month pull: {pull * 1000:.0f} ms ({verdict} the {GOAL_SECONDS:.0f} s goal)"
    data = ", ".join(f"{n:,} {what}" for what, n in counts.items())
    print(f"{options.size}: {data}; {options.runs} runs each")
    print(output)
    if not options.no_record:
        body = (
            "`.venv/bin/python bench/api.py`: a viewer's token, in-process through Django's "
            "whole handler (median), every figure of the last 12 months in one page, and the "
            f"judged scorecard of the last month.\n\nData: **{options.size}** {data} "
            f"({options.runs} runs each).\n\n{output}\n"
        )
        write_section(
            f"api-{connection.vendor}",
            f"The API on {database.split()[0]} (`bench/api.py`)",
            body,
            database=database,
        )
        print("written to bench/RESULTS.md")


if __name__ == "__main__":
    main()
