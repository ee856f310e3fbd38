"""Benchmark: import the full DfE LAIT data set (641,070 values) with ``import_lait``.

    DATABASE_URL=postgres://... .venv/bin/python bench/lait_import.py [LAIT_FOLDER]
Without DATABASE_URL it uses a throwaway SQLite file. LAIT_FOLDER defaults to ../shared/lait
beside the repository. Runs the command as a user would (a child process), three times: into
an empty database, the same files again (changes nothing), and again with the council on the
other statistical-neighbour list (comparators worked out again). Prints each run's wall time
and the child's own CPU time and peak memory (its resource usage, from os.wait4); the target
is under 15 s and 1 GB.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from indicators.models import (  # noqa: E402
    Council,
    LaitComparator,
    LaitMeasure,
    LaitValue,
    StatisticalNeighbourList,
)

TARGET_SECONDS, TARGET_MB = 15, 1024


def run(label, arguments):
    """Run manage.py in a child process: its wall time and its own peak memory (os.wait4
    gives the child's resource usage), and the line of its summary about values."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), *arguments], stdout=out, stderr=err, cwd=ROOT
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if child.returncode:
        print(stdout, stderr, file=sys.stderr)
        raise SystemExit(f"{label}: manage.py failed ({child.returncode}).")
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    cpu = usage.ru_utime + usage.ru_stime
    verdict = "ok" if seconds < TARGET_SECONDS and peak_mb < TARGET_MB else "OVER TARGET"
    summary = [line for line in stdout.splitlines() if line.startswith(("Values:", "Comparators:"))]
    print(
        f"| {label} | {seconds:.1f} | {cpu:.1f} | {peak_mb:,.0f} | {verdict} | "
        f"{' '.join(summary)} |"
    )
    return seconds, peak_mb


def main():
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "lait"
    data = folder / "lait_bds_long.parquet"
    if not data.is_file():
        raise SystemExit(f"No LAIT data at {data}.")
    call_command("migrate", verbosity=0)
    # Start from nothing: the first run is the import into an empty database.
    LaitComparator.objects.all().delete()
    Council.objects.all().delete()
    LaitValue.objects.all().delete()
    LaitMeasure.objects.filter(indicators__isnull=True).delete()
    StatisticalNeighbourList.objects.all().delete()
    print(f"Database: {django.db.connection.vendor}; data {data} ({data.stat().st_size:,} bytes)")
    # The machine is shared: the load says how much of its 2 CPUs the runs had.
    print(f"Load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("\n| run | seconds | CPU seconds | peak MB | under 15 s and 1 GB | what it did |")
    print("| --- | ---: | ---: | ---: | --- | --- |")
    lists = [
        "--statistical-neighbours",
        str(folder / "sn_april_2021.xlsx"),
        "--statistical-neighbours",
        str(folder / "sn_may_2025.xlsx"),
    ]
    command = ["import_lait", str(data), *lists, "--la", "879"]
    run("first import, empty database", command)
    run("the same files again", command)
    run("council moves to the May 2025 list", [*command, "--in-force", "May 2025"])
    print(f"Load average after: {os.getloadavg()[0]:.1f}")
    print(
        f"\n{LaitValue.objects.count():,} values, {LaitMeasure.objects.count()} measures, "
        f"{LaitComparator.objects.count():,} comparators stored."
    )


if __name__ == "__main__":
    main()
