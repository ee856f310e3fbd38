"""Benchmark: server time and SQL queries of the read pages at three data sizes.

    .venv/bin/python bench/pages.py                 # throwaway SQLite database
    DATABASE_URL=postgres://... .venv/bin/python bench/pages.py   # a throwaway database
                                                    # (test_<name>) made on that server
    .venv/bin/python bench/pages.py --sizes seed,council --runs 10
    DATABASE_URL=postgres://... .venv/bin/python bench/pages.py --sizes council --councils 150

For each size (bench/generate.py) it times, as a signed-in viewer, the dashboard, a priority
page, an indicator page and the CSV and XLSX exports: the median of N requests through Django's
whole handler in-process (middleware, session, queries, templates; no network), and the SQL query
count of one request, each both uncached (the cache emptied before every request: what the
first reader after a change waits for) and cached (the page's data unchanged since it was last
worked out). Beside them, two floors: a signed-in page that does nothing (a 404: session,
user, role check, base template), which no signed-in page can beat, and the same HTML bytes
served as a static file by WhiteNoise through the same handler. Prints a table and writes it
to bench/RESULTS.md.

With ``--councils N`` (issue 23), each size's council is then copied to N - 1 more councils
(``bench.generate.copy_council``: INSERT ... SELECT per table, not the generator N times) and the
pages are timed again as a viewer of the last council at its own host, printed beside council
one's with the ratio: what serving many councils from one database costs a page.
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

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.generate import LAST_MONTH, SIZES, copy_council, generate  # noqa: E402
from bench.results import database_description, write_section  # noqa: E402
from indicators import roles  # noqa: E402
from indicators.models import Council, Priority  # noqa: E402
from indicators.periods import Month  # noqa: E402
from indicators.tenancy import council_scope  # noqa: E402

# The councils answer at council-1.bench, council-2.bench... (bench.generate.bench_host).
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".bench"]

RUNS = {"seed": 30, "council": 20, "stress": 5}
#: The goal at the council size: a cached page within this many times the signed-in floor.
TARGET_RATIO = 2


def timed(client, url, runs, status=200, cold=False):
    """(median seconds, body bytes) of ``runs`` GETs after one warm-up; ``cold`` empties the
    cache before each (not timed)."""
    body = fetch(client, url, status)
    times = [time_request(client, url, status, cold) for _ in range(runs)]
    return statistics.median(times), body


def time_request(client, url, status=200, cold=False):
    """Seconds of one GET; ``cold`` empties the cache first (not timed)."""
    if cold:
        cache.clear()
    start = time.perf_counter()
    fetch(client, url, status)
    return time.perf_counter() - start


def fetch(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def query_count(client, url, cold=False):
    return len(captured_queries(client, url, cold))


def captured_queries(client, url, cold=False):
    """The SQL of one GET (Django's captured queries: ``sql`` and ``time``)."""
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        fetch(client, url)
    return queries.captured_queries


def measure(size, runs, councils=1):
    """Generate ``size`` (council one), time its pages; with ``councils`` over one, copy it
    to that many councils and time the last one's pages too, at its own host."""
    counts = generate(size)
    analyze()
    viewer = get_user_model().objects.get(username="bench-viewer")
    one = Council.objects.get()
    client = Client()
    client.force_login(viewer)
    with council_scope(one):
        rows, signed_in_floor = time_pages(client, runs)
    many = None
    if councils > 1:
        start = time.perf_counter()
        made, written = copy_council(councils)
        copied = time.perf_counter() - start
        analyze()
        last = made[-1]
        with council_scope(last):
            roles.grant(viewer, roles.VIEWER)
        client = Client(HTTP_HOST=last.host)
        client.force_login(viewer)
        with council_scope(last):
            many_rows, many_floor = time_pages(client, runs)
        many = (councils, last, copied, written, many_rows, many_floor)
    return counts, rows, signed_in_floor, many


def analyze():
    """PostgreSQL's planner statistics brought up to date after the bulk writes, as
    autovacuum would before long: the pages are timed with the plans a live database has."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


#: What any signed-in page costs before it does its own work: session, user, role check and
#: the base template, timed on a page that is not there (404). A cache of rendered pages could
#: at best bring a page down to about this.
SIGNED_IN_FLOOR_URL = "/priorities/999999/"


def page_urls():
    """The timed pages' addresses (name: URL), for the council in force."""
    period = Month(*LAST_MONTH).iso
    priority = Priority.objects.order_by("display_order", "number").first()
    indicator = priority.indicators.order_by("priorityindicator__display_order").first()
    return {
        "dashboard": f"/?period={period}",
        "priority page": f"/priorities/{priority.number}/?period={period}",
        "indicator page": f"/indicators/{indicator.reference}/",
        "CSV export": f"/export/scorecard.csv?period={period}",
        "XLSX export": f"/export/scorecard.xlsx?period={period}",
    }


def time_pages(client, runs):
    """The rows of the table and the signed-in floor, for the council in force."""
    pages = page_urls()
    rows = []
    signed_in_floor, _ = timed(client, SIGNED_IN_FLOOR_URL, runs, status=404)
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
        static_client = Client(**client.defaults)  # a new handler: WhiteNoise finds the files
        for row in rows:
            url = f"/{row[0].replace(' ', '-')}.html"
            median, body = timed(static_client, url, runs)
            assert body == bodies[row[0]]
            row.append(median)
    return rows, signed_in_floor


def table(results):
    lines = [
        "| size | page | uncached ms | queries | cached ms | queries | KB "
        "| signed-in floor ms | cached / floor | uncached / floor | static file ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, (_counts, rows, _runs, signed_in, _many) in results.items():
        for name, cold, cold_queries, median, queries, length, static in rows:
            lines.append(
                f"| {size} | {name} | {cold * 1000:.1f} | {cold_queries} | {median * 1000:.1f} "
                f"| {queries} | {length / 1024:.0f} | {signed_in * 1000:.1f} "
                f"| {median / signed_in:.1f}x | {cold / signed_in:.1f}x | {static * 1000:.2f} |"
            )
    return "\n".join(lines)


def councils_table(results):
    """One council's figures beside the last of N councils', with the ratio (N over one)."""
    lines = []
    for size, (_counts, rows, _runs, signed_in, many) in results.items():
        if many is None:
            continue
        councils, last, copied, written, many_rows, many_floor = many
        if not lines:
            n = councils
            lines = [
                f"| size | page | uncached ms: 1 council | {n} councils | ratio | queries: 1 "
                f"| {n} | cached ms: 1 | {n} | ratio | queries: 1 | {n} | KB: 1 | {n} |",
                "| --- | --- |" + " ---: |" * 12,
            ]
        floor = ["signed-in 404", signed_in, "-", signed_in, "-", 0]
        pairs = [(floor, [None, many_floor, "-", many_floor, "-", 0])]
        pairs += list(zip(rows, many_rows, strict=True))
        for one, other in pairs:
            lines.append(
                f"| {size} | {one[0]} | {one[1] * 1000:.1f} | {other[1] * 1000:.1f} "
                f"| {other[1] / one[1]:.2f} | {one[2]} | {other[2]} "
                f"| {one[3] * 1000:.1f} | {other[3] * 1000:.1f} | {other[3] / one[3]:.2f} "
                f"| {one[4]} | {other[4]} | {one[5] / 1024:.0f} | {other[5] / 1024:.0f} |"
            )
        rows_written = sum(written.values())
        lines.append(
            f"\n{size}: {councils - 1} councils copied from council one in {copied:.1f} s "
            f"({rows_written:,} rows in {len(written)} tables); timed as a viewer of "
            f"{last.slug} at {last.host}."
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--runs", type=int, help="requests per page (default by size)")
    parser.add_argument("--no-record", action="store_true", help="do not write RESULTS.md")
    parser.add_argument(
        "--councils",
        type=int,
        default=1,
        help="copy each size's council to this many councils and time the last one's pages "
        "too, beside council one's (issue 23)",
    )
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
            counts, rows, signed_in_floor, many = measure(size, runs, options.councils)
            print(
                f"{size}: "
                + ", ".join(f"{n:,} {what}" for what, n in counts.items())
                + f"; {runs} runs per page ({time.perf_counter() - start:.0f} s)"
            )
            results[size] = (counts, rows, runs, signed_in_floor, many)
    finally:
        if test_database:
            connection.creation.destroy_test_db(test_database, verbosity=0)
    output = table(results)
    if "council" in results:
        _counts, rows, _runs, signed_in, _many = results["council"]
        for row in rows:
            if row[0] in ("dashboard", "priority page", "CSV export", "XLSX export"):
                ratio = row[3] / signed_in
                verdict = "meets" if ratio <= TARGET_RATIO else "misses"
                output += (
                    f"\ncouncil {row[0]}, cached: {ratio:.1f}x the signed-in floor "
                    f"({verdict} the {TARGET_RATIO}x goal)"
                )
    many_output = councils_table(results)
    if many_output:
        output += "\n\n" + many_output
    print(output)
    if not options.no_record:
        sizes_text = "; ".join(
            f"**{size}** "
            + ", ".join(f"{n:,} {what}" for what, n in counts.items())
            + f" ({runs} runs per page)"
            for size, (counts, _rows, runs, _floor, _many) in results.items()
        )
        body = (
            "`.venv/bin/python bench/pages.py`: server time in-process through Django's whole "
            "handler as a signed-in viewer (median), uncached (the cache emptied before each "
            "request) and cached, SQL queries of one request, against a signed-in 404 (the "
            "floor no signed-in page can beat) and the same bytes served as a static file by "
            "WhiteNoise through the same handler.\n\n"
            f"Data: {sizes_text}.\n\n{output}\n"
        )
        name, title = f"pages-{connection.vendor}", f"Read pages on {database.split()[0]}"
        if options.councils > 1:
            command = " ".join(["bench/pages.py", *sys.argv[1:]])
            rest = body.split(": ", 1)[1]
            body = (
                f"`{'DATABASE_URL=... ' if not THROWAWAY_SQLITE else ''}.venv/bin/python "
                f"{command}`: council one generated, timed, then copied to "
                f"{options.councils - 1} more councils and the last one's pages timed at its "
                "own host (issue 23: within 10% of one council's). " + rest[:1].upper() + rest[1:]
            )
            name = f"councils-{connection.vendor}"
            title = f"Many councils: read pages on {database.split()[0]}"
        write_section(name, f"{title} (`bench/pages.py`)", body, database=database)
        print("written to bench/RESULTS.md")


if __name__ == "__main__":
    main()
