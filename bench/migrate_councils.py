"""Benchmark: what `manage.py migrate` costs for many councils, by the two ways of keeping them
apart (issue 23; decision 0014), on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres \\
        .venv/bin/python bench/migrate_councils.py --schemas 3 --runs 3 --councils 150

* a council key per row (what the code does): one database, one `migrate`, whatever the number
  of councils; timed into a fresh empty database ``--runs`` times;
* a schema per council: `migrate` once per council, each into its own schema of one database
  (``?options=-c search_path=council_n`` on DATABASE_URL); timed into ``--schemas`` schemas,
  then again with nothing to apply (what every deploy costs per council), and extrapolated to
  ``--councils``.

Each `migrate` is a separate `manage.py` process (Python and Django's start-up included, as in
a deploy). The databases are made on the server DATABASE_URL names (never that database
itself) and dropped afterwards. Prints a table and writes it to bench/RESULTS.md.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROW_DATABASE = "bench_migrate_rows"
SCHEMA_DATABASE = "bench_migrate_schemas"


def url_for(database, search_path=None):
    parts = urlsplit(os.environ["DATABASE_URL"])
    query = f"options={quote(f'-c search_path={search_path}')}" if search_path else ""
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", query, ""))


def server(statement):
    """Run ``statement`` on the server's maintenance database (outside a transaction)."""
    run_in("postgres", statement)


def migrate(database_url):
    """(seconds, migrations applied) of one `manage.py migrate` process."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
    }
    start = time.perf_counter()
    process = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if process.returncode:
        sys.exit(f"migrate failed:\n{process.stdout}\n{process.stderr}")
    applied = sum(line.strip().startswith("Applying ") for line in process.stdout.splitlines())
    return seconds, applied


def fresh(database):
    server(f"DROP DATABASE IF EXISTS {database}")
    server(f"CREATE DATABASE {database}")


def spread(times):
    return (
        f"median {statistics.median(times):.1f} s "
        f"(min {min(times):.1f}, max {max(times):.1f}; {', '.join(f'{t:.1f}' for t in times)})"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schemas", type=int, default=3, help="councils' schemas migrated")
    parser.add_argument("--runs", type=int, default=3, help="migrations into an empty database")
    parser.add_argument("--councils", type=int, default=150, help="extrapolated to this many")
    parser.add_argument("--no-record", action="store_true", help="do not write RESULTS.md")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (databases are made beside it).")

    # Interleaved (an empty database, then a schema, then again), so that the load of a
    # shared machine drifting falls on both alike.
    row_times, schema_times, again_times, applied = [], [], [], 0
    try:
        fresh(SCHEMA_DATABASE)
        for n in range(1, max(options.runs, options.schemas) + 1):
            if n <= options.runs:
                fresh(ROW_DATABASE)
                seconds, applied = migrate(url_for(ROW_DATABASE))
                row_times.append(seconds)
                server(f"DROP DATABASE {ROW_DATABASE}")
            if n <= options.schemas:
                in_schema(f"CREATE SCHEMA council_{n}")
                seconds, _ = migrate(url_for(SCHEMA_DATABASE, f"council_{n}"))
                schema_times.append(seconds)
        for n in range(1, options.schemas + 1):
            seconds, nothing = migrate(url_for(SCHEMA_DATABASE, f"council_{n}"))
            assert nothing == 0, nothing
            again_times.append(seconds)
        tables = in_schema(
            "SELECT table_schema, count(*) FROM information_schema.tables "
            "WHERE table_schema LIKE 'council_%' GROUP BY 1 ORDER BY 1"
        )
    finally:
        server(f"DROP DATABASE IF EXISTS {ROW_DATABASE}")
        server(f"DROP DATABASE IF EXISTS {SCHEMA_DATABASE}")

    row = statistics.median(row_times)
    schema = statistics.median(schema_times)
    again = statistics.median(again_times)
    n = options.councils
    output = "\n".join(
        [
            f"{applied} migrations, each `manage.py migrate` a process of its own; tables per "
            "schema: " + ", ".join(f"{schema} {count}" for schema, count in tables) + ".",
            "",
            "| layout | what | seconds |",
            "| --- | --- | --- |",
            f"| key per row | migrate into an empty database ({options.runs} runs) "
            f"| {spread(row_times)} |",
            f"| key per row | {n} councils: the same one migrate | {row:.1f} |",
            f"| schema per council | migrate into an empty schema ({options.schemas} schemas) "
            f"| {spread(schema_times)} |",
            f"| schema per council | migrate again, nothing to apply ({options.schemas} schemas) "
            f"| {spread(again_times)} |",
            f"| schema per council | {n} councils, first migrate ({n} x median) "
            f"| {n * schema:.0f} ({n * schema / 60:.1f} min) |",
            f"| schema per council | {n} councils, every deploy even with nothing to apply "
            f"({n} x median) | {n * again:.0f} ({n * again / 60:.1f} min) |",
        ]
    )
    print(output)
    if not options.no_record:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
        os.environ["DATABASE_URL"] = url_for("postgres")
        import django

        django.setup()
        from bench.results import database_description, write_section

        database = database_description()
        command = " ".join(["bench/migrate_councils.py", *sys.argv[1:]])
        body = (
            f"`DATABASE_URL=... .venv/bin/python {command}` on {database}: `manage.py migrate` "
            "for a council key per row (one database, one migrate whatever the number of "
            "councils) against a schema per council (one migrate per council, each with "
            "`?options=-c search_path=council_n` on DATABASE_URL), sequential, extrapolated "
            f"to {n} councils.\n\n{output}\n"
        )
        write_section(
            "migrate-councils",
            "Many councils: migrate on PostgreSQL (`bench/migrate_councils.py`)",
            body,
            database=database,
        )
        print("written to bench/RESULTS.md")


def in_schema(statement):
    """Run ``statement`` in the schemas' database; its rows, if it returns any."""
    return run_in(SCHEMA_DATABASE, statement)


def run_in(database, statement):
    """Run ``statement`` in ``database`` on DATABASE_URL's server, outside a transaction; its
    rows, if it returns any."""
    import psycopg2

    parts = urlsplit(os.environ["DATABASE_URL"])
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname=database,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()


if __name__ == "__main__":
    main()
