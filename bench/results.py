"""bench/RESULTS.md: each benchmark writes its own section, with the machine and the date.

    .venv/bin/python bench/results.py record import_10k .venv/bin/python bench/import_10k.py
runs a command and records what it printed as the section ``import_10k``.
"""

import datetime as dt
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = """# Benchmark results

Written by the scripts in `bench/` (see the README's "Benchmarks"); each section is replaced
when its benchmark runs again, and says on what machine and when it ran. Text outside the
sections is kept.
"""


def machine(database=None):
    """One line: CPUs, memory, CPU model, Python, Django and the database."""
    import django

    memory = ""
    try:
        kilobytes = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
        memory = f"{kilobytes / 1024 / 1024:.1f} GiB memory"
    except (OSError, TypeError):
        pass
    model = ""
    try:
        found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        model = found[1].strip() if found else ""
    except OSError:
        pass
    parts = [
        f"{os.cpu_count()} CPUs" + (f" ({model})" if model else ""),
        memory,
        f"Python {platform.python_version()}",
        f"Django {django.get_version()}",
        database or "",
    ]
    return ", ".join(part for part in parts if part)


def database_description():
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


def write_section(name, title, body, *, database=None):
    """Replace (or add) the section ``name`` of RESULTS.md."""
    text = RESULTS.read_text() if RESULTS.exists() else HEADER
    stamp = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    section = (
        f"<!-- section:{name} -->\n## {title}\n\n"
        f"Ran {stamp} on {machine(database)}.\n\n{body.rstrip()}\n<!-- /section:{name} -->"
    )
    pattern = re.compile(
        rf"<!-- section:{re.escape(name)} -->.*?<!-- /section:{re.escape(name)} -->", re.S
    )
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    RESULTS.write_text(text)


def record(name, command):
    """Run ``command``, print its output as it comes, and record it as section ``name``."""
    sys.path.insert(0, str(RESULTS.parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    process = subprocess.run(command, capture_output=True, text=True, check=False)
    sys.stdout.write(process.stdout)
    sys.stderr.write(process.stderr)
    if process.returncode:
        sys.exit(f"{' '.join(command)} failed ({process.returncode}): nothing recorded.")
    import django

    django.setup()
    shown = " ".join(".venv/bin/python" if part.endswith("/python") else part for part in command)
    if os.environ.get("DATABASE_URL"):
        database = database_description()
        shown = f"DATABASE_URL=... {shown}"
        where = f"on {database} (a throwaway database)"
    else:
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
        where = "on a throwaway SQLite file"
    body = f"`{shown}` {where}:\n\n```\n{process.stdout.strip()}\n```"
    write_section(name, f"`bench/{name}.py`", body, database=database)


if __name__ == "__main__":
    if len(sys.argv) < 4 or sys.argv[1] != "record":
        sys.exit(f"usage: {sys.argv[0]} record NAME COMMAND...")
    record(sys.argv[2], sys.argv[3:])
