"""Load test: many signed-in councillors reading the dashboard at once, through gunicorn.

    .venv/bin/python bench/load.py                       # 200 readers for 60 s
    .venv/bin/python bench/load.py --connections 50 --duration 20 --workers 5
    .venv/bin/python bench/load.py --servers 2           # one server, then two plus Redis

Starts gunicorn on a free loopback port with production settings (DEBUG off) and the
demonstration data in a throwaway SQLite file (or, with DATABASE_URL, in a throwaway
test_<name> database made on that server), signs a viewer in, and drives the dashboard with
``wrk`` (Debian package ``wrk``; installed with apt-get when run as root): N open
connections, each sending the next request as soon as the last is answered, for a bounded
time. Reports throughput, latency percentiles and errors (any answer that is not 200
counts, so a lost session shows), stops gunicorn, and writes bench/RESULTS.md.

With ``--servers N`` (N > 1) it measures two shapes one after the other under the same load:
one server with each worker's own memory cache (today's), then N servers on N ports sharing
a Redis (``redis-server`` started here), wrk's threads given the servers in turn. After each
load, "the first reader after a change": for five changes to the data, readers one after
another round robin over the servers, then as many at once, counting the pages worked out
(with the shared cache, the writes of the page's body Redis announces: once per change, however
the readers come, as the first claims the work and the others wait for it (decision 0018);
with per-process caches, the answers slow enough to have worked the page out: once per worker
process that is asked).

wrk runs on the same machine as the server and takes CPU from it: on a small machine the
figures are a floor, not the server's capacity.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
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

#: Readers after a change, for each server: three for each of its five worker processes.
FIRST_READERS_PER_SERVER = 15


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


def wait_until_up(url, process, seconds=120):
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


def start_redis():
    """Debian's redis-server on a free loopback port, nothing written to disk."""
    redis_server = shutil.which("redis-server")
    if not redis_server:
        sys.exit("redis-server is not installed: apt-get install redis-server.")
    port = free_port()
    process = subprocess.Popen(
        [redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", tempfile.mkdtemp()],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
    sys.exit("redis-server did not start.")


def start_servers(servers, count, env, options):
    """``count`` gunicorn servers on free ports, added to ``servers`` as (process, base URL,
    log path) as each starts, so that the caller stops whatever started."""
    for _ in range(count):
        port = free_port()
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "scorecard.wsgi",
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(options.workers),
            "--threads", str(options.threads),
            "--backlog", "2048",
            "--log-level", "warning",
            # gunicorn 27's control socket is one path per user: two servers would both claim it.
            "--no-control-socket",
        ]  # fmt: skip
        if not Path(command[0]).exists():
            command[0] = shutil.which("gunicorn") or command[0]
        log_path = Path(tempfile.mkdtemp()) / "gunicorn.log"
        with log_path.open("w") as log:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        servers.append((process, f"http://127.0.0.1:{port}", log_path))
    for process, base, _ in servers:
        wait_until_up(f"{base}/accounts/login/", process)


def fetch_seconds(url, cookie):
    """Seconds to fetch ``url`` as the signed-in reader (asserting a 200)."""
    started = time.perf_counter()
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        assert response.status == 200
    return time.perf_counter() - started


def dashboard_writes(redis_url):
    """The writes of the dashboard's body into Redis, counted as the server announces them
    (tests/support/redis_server.py): each is one page worked out. None without Redis."""
    if not redis_url:
        return None
    from django.core.cache.backends.base import default_key_func
    from django.core.cache.utils import make_template_fragment_key

    from tests.support.redis_server import KeyWrites

    # As the servers name it: the production settings' KEY_PREFIX, the cache's version 1, then
    # Django's fragment key of the kept body (templates/scorecard/dashboard.html) up to its digest.
    body = make_template_fragment_key("dashboard").rsplit(".", 1)[0] + "."
    return KeyWrites(redis_url, default_key_func(body, "scorecard", 1))


def first_readers(bases, cookie, redis_url, changes=5):
    """After each of ``changes`` changes to the data: readers arriving one after another, round
    robin over the servers (fifteen a server: three for each worker process), then as many at
    once. How many of them worked the dashboard out afresh: with Redis, the writes of its body
    that Redis announced; without it, the readers one after another answered slower than three
    times a served-again page and than half the first reader (readers at once queue behind
    each other, so their times cannot tell)."""
    from concurrent.futures import ThreadPoolExecutor

    from indicators.changes import data_changed

    urls = [f"{base}/" for base in bases]
    writes = dashboard_writes(redis_url)
    for url in urls * 3:
        fetch_seconds(url, cookie)
    served_again = statistics.median(fetch_seconds(url, cookie) for url in urls * 5)
    slow = 3 * served_again
    sequential, burst, first, slowest = [], [], [], []
    readers = len(urls) * FIRST_READERS_PER_SERVER

    def worked_out(before, times):
        if writes is None:
            # Slower than three served-again pages and than half the first reader (who always
            # works the page out): noise from other processes does not count.
            return sum(t > max(slow, times[0] / 2) for t in times)
        return writes.count() - before

    for _ in range(changes):
        data_changed()
        before = writes.count() if writes else 0
        times = [fetch_seconds(urls[i % len(urls)], cookie) for i in range(readers)]
        first.append(times[0])
        sequential.append(worked_out(before, times))
        data_changed()
        before = writes.count() if writes else 0
        with ThreadPoolExecutor(readers) as pool:
            times = list(pool.map(lambda i: fetch_seconds(urls[i % len(urls)], cookie),
                                  range(readers)))  # fmt: skip
        slowest.append(max(times))
        burst.append(worked_out(before, times) if writes else "-")
    if writes:
        writes.close()
    connections.close_all()
    return {
        "served_again_ms": served_again * 1000,
        "first_ms": statistics.median(first) * 1000,
        "burst_slowest_ms": statistics.median(slowest) * 1000,
        "readers": readers,
        "sequential": sequential,
        "burst": burst,
    }


def run_shape(count, redis_url, cookie, url_db, options, cpus):
    """wrk against ``count`` servers (with the cache in Redis when ``redis_url``), then the
    first readers after a change; the figures."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}
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
    if redis_url:
        env["REDIS_URL"] = redis_url
    servers = []
    try:
        start_servers(servers, count, env, options)
        bases = [base for _, base, _ in servers]
        check = urllib.request.Request(f"{bases[0]}/", headers={"Cookie": cookie})
        with urllib.request.urlopen(check, timeout=10) as response:
            page = response.read().decode()
            assert response.status == 200 and "Improvement priorities" in page, "not signed in"
        # wrk's threads are given the servers in turn (load.lua): a multiple of the servers.
        threads = count * -(-min(cpus, options.connections) // count)
        print(
            f"{count} server(s) x gunicorn {options.workers} workers x {options.threads} "
            f"threads ({', '.join(bases)}); cache: {'Redis' if redis_url else 'per process'}; "
            f"wrk: {options.connections} connections, {threads} threads, {options.duration} s"
        )
        wrk = subprocess.run(
            [
                "wrk",
                f"--threads={threads}",
                f"--connections={options.connections}",
                f"--duration={options.duration}s",
                "--timeout=30s",
                f"--script={ROOT / 'bench' / 'load.lua'}",
                f"--header=Cookie: {cookie}",
                f"{bases[0]}/",
            ],
            capture_output=True,
            text=True,
            timeout=options.duration + 120,
            check=False,
            env={**os.environ, "WRK_SERVERS": ",".join(b.removeprefix("http://") for b in bases)},
        )
        if wrk.returncode:
            sys.exit(f"wrk failed:\n{wrk.stdout}\n{wrk.stderr}")
        line = next(x for x in wrk.stdout.splitlines() if x.startswith("WRK-JSON "))
        result = json.loads(line.removeprefix("WRK-JSON "))
        result["page_bytes"] = len(page.encode())
        result["first"] = first_readers(bases, cookie, redis_url)
    finally:
        for process, _, log_path in servers:
            stop(process)
            if process.returncode not in (0, -signal.SIGTERM):
                print(f"gunicorn exited {process.returncode}:\n{log_path.read_text()[-3000:]}")
    return result


def summary_rows(result, options):
    seconds = result["duration_us"] / 1e6
    errors = sum(result[k] for k in ("connect", "read", "write", "timeout")) + result["not_200"]
    first = result["first"]
    return [
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
        ("page size", f"{result['page_bytes'] / 1024:.0f} KB"),
        ("a served-again page, alone", f"{first['served_again_ms']:.0f} ms"),
        ("first reader after a change", f"{first['first_ms']:.0f} ms"),
        (
            "after each of 5 changes, pages worked out for readers one after another",
            f"{' '.join(map(str, first['sequential']))} (of {first['readers']})",
        ),
        (
            "the same, for readers all at once",
            f"{' '.join(map(str, first['burst']))} (of {first['readers']})",
        ),
        (
            "readers all at once: the last answered (median of 5)",
            f"{first['burst_slowest_ms']:.0f} ms",
        ),
    ]


def main():
    cpus = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=200, help="concurrent readers")
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--workers", type=int, default=2 * cpus + 1, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument(
        "--servers",
        type=int,
        default=1,
        help="app servers (round robin) sharing one Redis; above 1, one server with its "
        "per-process cache is measured first, for the figure beside it",
    )
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

    shapes = [(1, False)] + ([(options.servers, True)] if options.servers > 1 else [])
    results = []
    redis = None
    try:
        for count, with_redis in shapes:
            if with_redis:
                redis, redis_url = start_redis()
            results.append(run_shape(count, redis_url if with_redis else None, cookie, url_db,
                                     options, cpus))  # fmt: skip
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait()
        if test_database:
            connection.creation.destroy_test_db(test_database, verbosity=0)

    columns = [summary_rows(result, options) for result in results]
    names = ["one server, per-process cache"] + [
        f"{options.servers} servers, Redis" for _ in results[1:]
    ]
    table = (
        "| | " + " | ".join(names) + " |\n| --- |" + " ---: |" * len(names) + "\n"
        + "\n".join(
            f"| {rows[0]} | " + " | ".join(column[i][1] for column in columns) + " |"
            for i, rows in enumerate(columns[0])
        )
    )  # fmt: skip
    print(table)
    if not options.no_record:
        body = (
            "`.venv/bin/python bench/load.py"
            + (f" --servers {options.servers}" if options.servers > 1 else "")
            + f"` (wrk {options.connections} connections, {options.duration} s"
            + " per shape): signed-in viewers reading the dashboard (demonstration data)"
            + f" through gunicorn ({options.workers} sync workers a server"
            + (f" x {options.threads} threads" if options.threads > 1 else "")
            + ", production settings) on loopback, wrk's threads given the servers in turn;"
            + " wrk runs on the same machine. After the load, for each of five changes to the"
            + " data (`data_changed()`): readers one after another, round robin over the"
            + " servers, and then as many at once; pages worked out are counted as the writes of"
            + " the dashboard's body that Redis announces (keyspace notifications), and without"
            + " Redis as the readers slower than three served-again pages and than half the first"
            + " reader.\n\n"
            + table
        )
        name = "load" if options.servers == 1 else f"load_servers_{options.servers}"
        title = "Load: 200 readers of the dashboard (`bench/load.py"
        title += f" --servers {options.servers}`)" if options.servers > 1 else "`)"
        write_section(name, title, body, database=database)
        print("written to bench/RESULTS.md")


if __name__ == "__main__":
    main()
