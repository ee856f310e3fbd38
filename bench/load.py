"""Load test: many signed-in councillors reading the dashboard at once, through gunicorn.

    .venv/bin/python bench/load.py                       # 200 readers for 60 s
    .venv/bin/python bench/load.py --connections 50 --duration 20 --workers 5

Starts gunicorn on a free loopback port with production settings (DEBUG off) and the
demonstration data in a throwaway SQLite file (or, with DATABASE_URL, in a throwaway
test_<name> database made on that server), signs a viewer in, and drives the dashboard with
``wrk`` (Debian package ``wrk``; installed with apt-get when run as root): N open
connections, each sending the next request as soon as the last is answered, for a bounded
time. Reports throughput, latency percentiles and errors (any answer that is not 200
counts, so a lost session shows), stops gunicorn, and writes bench/RESULTS.md.

wrk runs on the same machine as the server and takes CPU from it: on a small machine the
figures are a floor, not the server's capacity.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECRET_KEY = "bench-load-only-not-a-secret-" + "x" * 30
os.environ["SECRET_KEY"] = SECRET_KEY  # the server must sign sessions as this process does
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
THROWAWAY_SQLITE = "DATABASE_URL" not in os.environ
if THROWAWAY_SQLITE:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/load.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402

from bench.generate import generate  # noqa: E402
from bench.results import database_description, write_section  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url():
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    credentials = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{credentials}@{s['HOST']}{port}/{s['NAME']}"


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing wrk (apt-get)...")
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk, then run this again.")


def wait_until_up(url, process, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped (exit {process.returncode}) before it answered.")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer {url} within {seconds} s.")


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # gunicorn: graceful stop
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main():
    cpus = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=200, help="concurrent readers")
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--workers", type=int, default=2 * cpus + 1, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument("--no-record", action="store_true", help="do not write RESULTS.md")
    options = parser.parse_args()
    ensure_wrk()

    test_database = None
    if THROWAWAY_SQLITE:
        call_command("migrate", verbosity=0)
    else:
        test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    database = database_description()
    generate("seed")
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-viewer"))
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    url_db = database_url()
    connections.close_all()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="scorecard.settings",  # production settings, DEBUG off
        SECRET_KEY=SECRET_KEY,
        DATABASE_URL=url_db,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",  # plain HTTP on loopback, as behind a TLS-ending proxy
        SCORECARD_SIMPLE_STATIC="1",  # no collectstatic needed; pages render the same
        LOG_LEVEL="WARNING",
    )
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "scorecard.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(options.workers),
        "--threads",
        str(options.threads),
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    if not Path(command[0]).exists():
        command[0] = shutil.which("gunicorn") or command[0]
    log_path = Path(tempfile.mkdtemp()) / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        try:
            wait_until_up(f"{base}/accounts/login/", server)
            check = urllib.request.Request(f"{base}/", headers={"Cookie": cookie})
            with urllib.request.urlopen(check, timeout=10) as response:
                page = response.read().decode()
                assert response.status == 200 and "Improvement priorities" in page, "not signed in"
                page_bytes = len(page.encode())
            print(
                f"gunicorn: {options.workers} workers x {options.threads} threads on {base}; "
                f"{database}; wrk: {options.connections} connections for {options.duration} s"
            )
            wrk = subprocess.run(
                [
                    "wrk",
                    f"--threads={min(cpus, options.connections)}",
                    f"--connections={options.connections}",
                    f"--duration={options.duration}s",
                    "--timeout=30s",
                    f"--script={ROOT / 'bench' / 'load.lua'}",
                    f"--header=Cookie: {cookie}",
                    f"{base}/",
                ],
                capture_output=True,
                text=True,
                timeout=options.duration + 120,
                check=False,
            )
            if wrk.returncode:
                sys.exit(f"wrk failed:\n{wrk.stdout}\n{wrk.stderr}")
            line = next(x for x in wrk.stdout.splitlines() if x.startswith("WRK-JSON "))
            result = json.loads(line.removeprefix("WRK-JSON "))
        finally:
            stop(server)
            if test_database:
                connection.creation.destroy_test_db(test_database, verbosity=0)

    if server.returncode not in (0, -signal.SIGTERM):
        print(f"gunicorn exited {server.returncode}:\n{log_path.read_text()[-3000:]}")
    seconds = result["duration_us"] / 1e6
    errors = sum(result[k] for k in ("connect", "read", "write", "timeout")) + result["not_200"]
    summary = [
        ("readers (open connections)", f"{options.connections}"),
        ("duration", f"{seconds:.1f} s"),
        ("requests", f"{result['requests']:,}"),
        ("throughput", f"{result['requests'] / seconds:.1f} pages/s"),
        ("latency p50", f"{result['p50_us'] / 1000:.0f} ms"),
        ("latency p95", f"{result['p95_us'] / 1000:.0f} ms"),
        ("latency p99", f"{result['p99_us'] / 1000:.0f} ms"),
        ("latency max", f"{result['max_us'] / 1000:.0f} ms"),
        (
            "errors",
            f"{errors} (not 200: {result['not_200']}, connect {result['connect']}, read "
            f"{result['read']}, write {result['write']}, timeout {result['timeout']})",
        ),
        ("page size", f"{page_bytes / 1024:.0f} KB"),
    ]
    table = "| | |\n| --- | ---: |\n" + "\n".join(f"| {k} | {v} |" for k, v in summary)
    print(table)
    if not options.no_record:
        body = (
            f"`.venv/bin/python bench/load.py` (wrk {options.connections} connections, "
            f"{options.duration} s): signed-in viewers reading the dashboard (demonstration "
            f"data) through gunicorn ({options.workers} sync workers"
            + (f" x {options.threads} threads" if options.threads > 1 else "")
            + ", production settings) on loopback; wrk runs on the same machine.\n\n"
            + table
        )
        write_section(
            "load", "Load: 200 readers of the dashboard (`bench/load.py`)", body, database=database
        )
        print("written to bench/RESULTS.md")


if __name__ == "__main__":
    main()
