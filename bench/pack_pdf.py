"""Benchmark: the committee pack PDF for the seed month, charts included, with a warm
browser (the first render starts Chromium and is reported separately); then the pack as the
pack view serves it with the database task backend (issue 24): asked for, the request is
answered at once (202) and a real task worker (``manage.py task_worker``, another process on
the same database and MEDIA_ROOT) prints it; unchanged, it is served from storage (the bar:
under 100 ms); after a change to the data, answered at once again and printed again.

    .venv/bin/python bench/pack_pdf.py            # demo data in a throwaway SQLite database
"""

import io
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from indicators.changes import data_changed  # noqa: E402
from indicators.periods import Month  # noqa: E402
from scorecard.pack import PackOptions, pack_html, pack_pdf  # noqa: E402


def main(runs=5):
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    month, options = Month(2023, 9), PackOptions()
    start = time.perf_counter()
    pdf = pack_pdf(month, options)
    print(f"first pack (starts Chromium)      {time.perf_counter() - start:6.2f} s")
    times, html_times = [], []
    for _ in range(runs):
        start = time.perf_counter()
        pack_html(month, options)
        html_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        pdf = pack_pdf(month, options)
        times.append(time.perf_counter() - start)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        f"warm pack, median of {runs}          {statistics.median(times):6.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f})"
    )
    print(f"  of which HTML + figures (Python) {statistics.median(html_times):6.2f} s")
    print(f"pages {pages}, size {len(pdf) / 1024:.0f} KB, charts 39")
    through_the_worker()


def timed_get(client, url):
    started = time.perf_counter()
    response = client.get(url)
    return response, time.perf_counter() - started


def wait_for_pack(client, url, timeout=120):
    """Seconds until the pack view answers the download."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if client.get(url).status_code == 200:
            return time.perf_counter() - started
        time.sleep(0.1)
    sys.exit(f"the worker did not print the pack within {timeout} s")


def through_the_worker(runs=10):
    """The pack view with the database task backend and a real worker process."""
    media = tempfile.mkdtemp()
    env = {**os.environ, "TASK_BACKEND": "database", "MEDIA_ROOT": media}
    env.pop("DEBUG", None)
    command = [sys.executable, "manage.py", "task_worker", "--no-reload", "--no-startup-delay"]
    command += ["--interval", "0.1", "--worker-id", "bench-pack-pdf", "--verbosity", "0"]
    worker = subprocess.Popen(command, cwd=ROOT, env=env)
    database_tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    try:
        with override_settings(TASKS=database_tasks, MEDIA_ROOT=media):
            client = Client()
            client.force_login(get_user_model().objects.get(username="councillor"))
            url = "/export/pack.pdf?period=2023-09"
            client.get("/")  # this process's first page (templates, URLs) is not the pack's
            print("through the pack view, database task backend, a task_worker process:")
            for label in ("first request", "after a change to the data"):
                if label != "first request":
                    data_changed()
                asked, seconds = timed_get(client, url)
                assert asked.status_code == 202, asked.status_code
                printed = wait_for_pack(client, url)
                print(f"  {label}: answered {asked.status_code} in {seconds * 1000:.0f} ms; "
                      f"printed by the worker {printed:.2f} s later")  # fmt: skip
                times = []
                for _ in range(runs):
                    served, seconds = timed_get(client, url)
                    assert served["Content-Type"] == "application/pdf"
                    times.append(seconds)
                print(f"  unchanged, served from storage: median of {runs} "
                      f"{statistics.median(times) * 1000:.0f} ms (max {max(times) * 1000:.0f} ms)"
                      f", {len(served.content) / 1024:.0f} KB")  # fmt: skip
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)


if __name__ == "__main__":
    main()
