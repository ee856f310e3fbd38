"""Benchmark (issue 23): the read pages with one council against 150, timed in pairs.

    DATABASE_URL=postgres://... .venv/bin/python bench/councils_paired.py \\
        --sizes council --councils 150 --runs 30

``bench/pages.py --councils N`` times one council and then, minutes later, N councils: on a
shared, loaded machine the load moves in between, and its ratios scattered both ways by far
more than the 10% issue 23 allows. Here the two are timed side by side. Two throwaway
PostgreSQL databases on DATABASE_URL's server: ``test_<name>`` with council one generated
(``bench.generate``), and ``test_<name>_<N>``, a copy of it (``CREATE DATABASE ... TEMPLATE``,
so council one's rows are the same rows, laid out the same) to which N - 1 more councils are
then copied (``bench.generate.copy_council``). Both are vacuumed and analysed (so autovacuum
has nothing left to do on either while they are timed), and each keeps its own open, warmed
connection: between two requests the benchmark swaps which one Django's ``default`` alias is,
outside the timed part.

For each page of ``bench/pages.py`` (and its signed-in 404, the floor), uncached and cached as
there, each run times one request on each side in turn: council one in the one-council
database, council one (the same rows) in the N-council database, and council N at its own host
in the N-council database; run by run in every order of the three, so that no side is always
first, or always after the same one. Each
run gives a ratio (N councils / one council) from requests a fraction of a second apart;
the table has the median ratio over the runs with their min-max, each side's median in ms and
each side's query count for one request. Written to bench/RESULTS.md with the load average
(``uptime``) at the start and the end.
"""

import argparse
import itertools
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.test import Client

import bench.pages  # noqa: F401  (sets Django up: before the app's imports)
from bench.generate import SIZES, bench_host, copy_council, generate
from bench.pages import (
    SIGNED_IN_FLOOR_URL,
    THROWAWAY_SQLITE,
    captured_queries,
    fetch,
    page_urls,
    time_request,
)
from bench.results import database_description, write_section
from indicators import roles
from indicators.models import Council
from indicators.tenancy import council_scope

#: Issue 23's bar: each page's time at N councils within this of one council's.
BAR = 1.10


class Side:
    """One column of the table: a client of one council in one of the two databases."""

    def __init__(self, name, database, host):
        self.name, self.database = name, database
        use(database)
        with council_scope(Council.objects.get(host=host)):
            viewer = get_user_model().objects.get(username="bench-viewer")
            roles.grant(viewer, roles.VIEWER)
            self.urls = page_urls()
        self.client = Client(HTTP_HOST=host)
        self.client.force_login(viewer)  # the session is in this side's database

    def time(self, url, status, cold):
        use(self.database)  # the swap is not timed; the connection is already open
        return time_request(self.client, url, status, cold)


def use(database):
    """Make ``database`` (an open DatabaseWrapper) Django's ``default`` connection."""
    connections["default"] = database


def vacuum_analyze():
    """Settle the bulk writes as autovacuum would before long (visibility map, planner
    statistics), so that it has nothing to do on either database while they are timed."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def build(size, councils, one):
    """Council one generated in ``one``'s database, which is then copied (CREATE DATABASE ...
    TEMPLATE: Django's clone of a test database, which closes ``one``) to the N-council
    database, where the other councils are copied. Returns the N-council connection, made
    Django's ``default``, the councils made and the copy's seconds and rows per table."""
    generate(size)
    vacuum_analyze()
    one.creation.clone_test_db(suffix=str(councils), verbosity=0, autoclobber=True)
    many = type(one)(one.creation.get_test_db_clone_settings(str(councils)), "default")
    use(many)
    start = time.perf_counter()
    made, written = copy_council(councils)
    copied = time.perf_counter() - start
    vacuum_analyze()
    return many, made, copied, written


def measure(sides, runs):
    """Rows: (page, mode, [per side: (median s, [s per run], queries, bytes)])."""
    pages = [("signed-in 404", None, 404), *((name, name, 200) for name in sides[0].urls)]
    rows = []
    for name, key, status in pages:
        for cold in (True, False) if status == 200 else (False,):
            urls = [SIGNED_IN_FLOOR_URL if key is None else side.urls[key] for side in sides]
            found, sqls = [], []
            for side, url in zip(sides, urls, strict=True):
                use(side.database)
                body = fetch(side.client, url, status)  # warm-up: connection, caches
                sql = [] if status != 200 else captured_queries(side.client, url, cold=cold)
                found.append((len(sql) if status == 200 else "-", len(body)))
                sqls.append(sql)
            for side, sql in zip(sides[1:], sqls[1:], strict=True):
                if len(sql) != len(sqls[0]):  # said in the table; what differs, printed here
                    for who, queries in ((sides[0].name, sqls[0]), (side.name, sql)):
                        print(f"{name}, {mode(cold, status)}, {who}: {len(queries)} queries")
                        print("\n".join(f"  {query['sql'][:300]}" for query in queries))
            times = [[] for _ in sides]
            # Every order of the sides in turn: each side is first, last and after each
            # other side (the same database or the other) equally often.
            orders = list(itertools.permutations(range(len(sides))))
            for run in range(runs):
                for k in orders[run % len(orders)]:
                    times[k].append(sides[k].time(urls[k], status, cold))
            rows.append((name, mode(cold, status), times, found))
    return rows


def mode(cold, status):
    return "uncached" if cold else ("cached" if status == 200 else "-")


def ratios(times, k):
    """Side ``k``'s time over side 0's, run by run."""
    return [b / a for a, b in zip(times[0], times[k], strict=True)]


def table(rows, sides, councils):
    n = councils
    lines = [
        f"| page | mode | ms: 1 council | {n} councils, council-1 | ratio: median (min-max) "
        f"| {n} councils, council-{n} | ratio: median (min-max) | queries: 1 / {n} (council-1) "
        f"/ {n} (council-{n}) | KB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, mode, times, found in rows:
        cells = [name, mode, f"{statistics.median(times[0]) * 1000:.1f}"]
        for k in range(1, len(sides)):
            r = ratios(times, k)
            cells.append(f"{statistics.median(times[k]) * 1000:.1f}")
            cells.append(f"**{statistics.median(r):.2f}** ({min(r):.2f}-{max(r):.2f})")
        cells.append(" / ".join(str(q) for q, _ in found))
        cells.append(" / ".join(f"{length / 1024:.0f}" for _, length in found))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdicts(rows, sides, councils):
    """Issue 23's bar in words, page by page (the floor is a control, not a page)."""
    lines = []
    for name, mode, times, found in rows:
        if mode == "-":
            continue
        words = []
        for k in range(1, len(sides)):
            r = ratios(times, k)
            median = statistics.median(r)
            over = sum(ratio > BAR for ratio in r)
            verdict = "meets" if median <= BAR else "misses"
            words.append(
                f"{sides[k].name} {median:.2f}x ({over} of {len(r)} runs over {BAR:.2f}): "
                f"{verdict} the bar"
            )
        same = len({queries for queries, _ in found}) == 1
        words.append("queries equal" if same else "QUERIES DIFFER: misses the bar")
        lines.append(f"- {name}, {mode}: " + "; ".join(words) + ".")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="council", help="one size of bench/generate.py")
    parser.add_argument("--councils", type=int, default=150)
    parser.add_argument("--runs", type=int, default=30, help="pairs of requests per page")
    parser.add_argument("--no-record", action="store_true", help="do not write RESULTS.md")
    options = parser.parse_args()
    size = options.sizes
    if THROWAWAY_SQLITE or connection.vendor != "postgresql" or size not in SIZES:
        sys.exit("Give DATABASE_URL of a PostgreSQL server, and one size: " + ", ".join(SIZES))
    if options.councils < 2:
        sys.exit("--councils: two or more")
    load_before = uptime()
    print(f"start: {load_before}")
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    one, many = connections["default"], None
    try:
        database = database_description()
        start = time.perf_counter()
        many, made, copied, written = build(size, options.councils, one)
        last = made[-1]
        print(
            f"{size}: generated, copied to {options.councils - 1} more councils in "
            f"{copied:.1f} s ({sum(written.values()):,} rows), vacuumed and analysed "
            f"({time.perf_counter() - start:.0f} s in all)"
        )
        sides = [
            Side("1 council", one, bench_host(1)),
            Side(f"{options.councils} councils, council-1", many, bench_host(1)),
            Side(f"{options.councils} councils, {last.slug}", many, last.host),
        ]
        start = time.perf_counter()
        rows = measure(sides, options.runs)
        print(f"timed in {time.perf_counter() - start:.0f} s")
    finally:
        use(one)
        if many is not None:
            many.close()
            one.creation.destroy_test_db(verbosity=0, suffix=str(options.councils))
        connection.creation.destroy_test_db(original_name, verbosity=0)
    load_after = uptime()
    print(f"end: {load_after}")
    output = table(rows, sides, options.councils) + "\n\n" + verdicts(rows, sides, options.councils)
    print(output)
    if not options.no_record:
        command = " ".join(["bench/councils_paired.py", *sys.argv[1:]])
        body = (
            f"`DATABASE_URL=... .venv/bin/python {command}`: council one of the **{size}** "
            f"size in a database of its own, against the same rows in a copy of that database "
            f"to which {options.councils - 1} more councils were copied ({copied:.0f} s, "
            f"{sum(written.values()):,} rows), and against {last.slug} at {last.host} there; "
            f"{options.runs} runs per page, each run one request on each side in turn (run by "
            "run, every order of the sides in turn), the ratio taken within the run (N councils "
            "/ one council). Server time in-process through Django's whole handler as a signed-in "
            "viewer, uncached (the cache emptied before each request) and cached; queries of "
            "one request on each side; issue 23's bar is a ratio within "
            f"{BAR:.2f}.\n\nLoad at the start: `{load_before}`; at the end: `{load_after}`.\n\n"
            f"{output}\n"
        )
        title = f"Many councils, paired: read pages on {database.split()[0]}"
        write_section(
            f"councils-paired-{connection.vendor}",
            f"{title} (`bench/councils_paired.py`)",
            body,
            database=database,
        )
        print("written to bench/RESULTS.md")


if __name__ == "__main__":
    main()
