"""The PDF printer's queue (scorecard.pdf), with real Chromium: jobs whose requester has gone
are dropped, the time limit runs from the start of rendering, the browser is closed when the
renderer or the server stops, and five packs asked for at once are printed within the limits
of scorecard.print_slots (one per person, two per server) and the rest refused at once.

The pages printed here have a chart drawing of a chosen length (tests/support/pdf_pages.py), so the
order of events is set by the test, not by the machine's speed.
"""

import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from indicators import roles
from scorecard import pdf

from .support.factories import make_user
from .support.pdf_pages import page_with_delay

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def chromium(browser):
    """Needs Debian's chromium, as the browser tests do (skipped or failed alike)."""
    return browser


@pytest.fixture
def renderer(chromium):
    """A renderer of our own, warmed up (Chromium started, the page open), stopped after."""
    # Starting Chromium on a busy machine can take longer than the tests' short queue limit:
    # warm up with a long one, then set the short one the tests use.
    instance = pdf.PdfRenderer(queue_timeout=60)
    assert instance.render(page_with_delay(0), timeout=60).startswith(b"%PDF")
    instance.queue_timeout = 1.5
    yield instance
    instance.shutdown()


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def in_background(function, *args, **kwargs):
    """Run ``function`` in a thread; the returned dict gets its "result" or "error"."""
    outcome = {}

    def run():
        try:
            outcome["result"] = function(*args, **kwargs)
        except Exception as error:
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    outcome["thread"] = thread
    return outcome


def wait_until(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def children_by_parent():
    tree = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:  # ended while we looked
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(parent, []).append(int(entry))
    return tree


def descendants(pid):
    tree, found, todo = children_by_parent(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def command_of(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:120]
    except OSError:
        return None


def still_running(pids):
    """The processes of ``pids`` that still exist (zombies, which have ended, excepted)."""
    alive = {}
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive[pid] = command_of(pid)
    return alive


def is_browser_or_driver(command):
    return command and ("chromium" in command or "playwright/driver" in command)


# The queue ------------------------------------------------------------------------------------
def test_a_job_whose_requester_gave_up_before_it_started_is_never_printed(renderer):
    slow = in_background(renderer.render, page_with_delay(3000), timeout=30)
    wait_until(lambda: renderer.started == 2)  # the slow job is being printed

    started = time.monotonic()
    with pytest.raises(pdf.PdfUnavailable, match="busy with other packs for 1.5 seconds"):
        renderer.render(page_with_delay(0, "Given up"), timeout=30)
    assert 1.4 < time.monotonic() - started < 2.5

    slow["thread"].join(30)
    assert slow["result"].startswith(b"%PDF")
    # The abandoned job was dropped, not printed after the slow one: the next pack starts at
    # once rather than behind it.
    started = time.monotonic()
    assert renderer.render(page_with_delay(0), timeout=30).startswith(b"%PDF")
    assert time.monotonic() - started < 1.5
    assert (renderer.started, renderer.rendered, renderer.dropped) == (3, 3, 1)


def test_the_time_limit_counts_from_when_rendering_starts(renderer):
    """A 2-second limit is enough for a quick pack even after waiting 2.5 s behind another
    (counting from joining the queue, as before, it would have failed)."""
    renderer.queue_timeout = 30
    slow = in_background(renderer.render, page_with_delay(2500), timeout=30)
    wait_until(lambda: renderer.started == 2)

    started = time.monotonic()
    data = renderer.render(page_with_delay(0, "Quick after a wait"), timeout=2)
    waited = time.monotonic() - started
    assert data.startswith(b"%PDF")
    assert "Quick after a wait" in pdf_text(data)
    assert waited > 2, "the quick pack should have waited behind the slow one"
    slow["thread"].join(30)
    assert slow["result"].startswith(b"%PDF")


def test_a_render_longer_than_its_limit_is_stopped_and_the_next_one_prints(renderer):
    started = time.monotonic()
    with pytest.raises(pdf.PdfUnavailable, match="took longer than 1 seconds"):
        renderer.render(page_with_delay(20_000), timeout=1)
    # Stopped by the worker at the limit, not left to draw for 20 s.
    assert time.monotonic() - started < 1 + pdf.GRACE
    assert renderer.render(page_with_delay(0), timeout=30).startswith(b"%PDF")


# Stopping ---------------------------------------------------------------------------------
def test_shutdown_closes_chromium_and_its_driver_and_fails_queued_jobs_at_once(chromium):
    before = descendants(os.getpid())
    instance = pdf.PdfRenderer(queue_timeout=30)
    assert instance.render(page_with_delay(0), timeout=60).startswith(b"%PDF")
    started_here = descendants(os.getpid()) - before
    commands = [command_of(pid) for pid in started_here]
    assert any("playwright/driver" in (c or "") for c in commands), commands
    assert any("chromium" in (c or "") for c in commands), commands

    printing = in_background(instance.render, page_with_delay(1500), timeout=30)
    wait_until(lambda: instance.started == 2)
    queued = in_background(instance.render, page_with_delay(0), timeout=30)
    wait_until(lambda: instance._jobs.qsize() == 1)
    instance.shutdown()

    queued["thread"].join(5)
    assert "server is restarting" in str(queued["error"])
    printing["thread"].join(5)
    assert printing["result"].startswith(b"%PDF"), "the pack being printed was finished"
    wait_until(lambda: not still_running(started_here), seconds=10)
    # A later request starts a fresh browser.
    assert instance.render(page_with_delay(0), timeout=60).startswith(b"%PDF")
    instance.shutdown()


def test_sigterm_closes_the_browser_before_the_process_dies(chromium, tmp_path):
    """A process that leaves SIGTERM to its default (manage.py commands, runserver) closes the
    printer's Chromium first, then dies of the signal as before."""
    script = tmp_path / "print_then_wait.py"
    script.write_text(
        "import os, sys, time\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'tests.settings')\n"
        "import django\n"
        "django.setup()\n"
        "from scorecard.pdf import renderer\n"
        "from tests.support.pdf_pages import page_with_delay\n"
        "renderer.render(page_with_delay(0), timeout=60)\n"
        "print('printed', flush=True)\n"
        "time.sleep(120)\n"
    )
    process = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=child_env()
    )
    try:
        assert process.stdout.readline().strip() == "printed"
        browser = {p for p in descendants(process.pid) if is_browser_or_driver(command_of(p))}
        assert browser
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == -signal.SIGTERM
        # Gone by the time the process has died: closed by it, not left to notice on their own.
        assert not still_running(browser)
    finally:
        if process.poll() is None:
            process.kill()


def child_env():
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", "test-only-not-secret")
    env["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    return env


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """A real gunicorn serving tests/support/pdf_server.py, for ``ps``-style checks of what it
    leaves."""

    def __init__(self, *options):
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "tests.support.pdf_server:application"]
            + ["--chdir", str(ROOT), "--bind", f"127.0.0.1:{self.port}", "--log-level", "error"]
            + list(options),
            env=child_env(),
            # Its own process group, so the test can never signal anything but gunicorn.
            start_new_session=True,
        )
        wait_until(self.listening, seconds=30)

    def listening(self):
        assert self.process.poll() is None, "gunicorn exited"
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def get(self, delay=0, timeout=60):
        url = f"http://127.0.0.1:{self.port}/?delay={delay}"
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.headers["X-Worker-Pid"]), response.read()

    def browser_processes(self):
        return {
            pid: command_of(pid)
            for pid in descendants(self.process.pid)
            if is_browser_or_driver(command_of(pid))
        }

    def stop(self, signum=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(signum)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise


@pytest.mark.parametrize(
    "signum", [signal.SIGTERM, signal.SIGINT, signal.SIGQUIT], ids=["SIGTERM", "SIGINT", "SIGQUIT"]
)
def test_stopping_gunicorn_leaves_no_chromium_or_driver_running(chromium, signum):
    server = Gunicorn("--workers", "2")
    try:
        workers = set()
        for _ in range(6):
            worker, data = server.get()
            assert data.startswith(b"%PDF")
            workers.add(worker)
        browser = server.browser_processes()
        # Each worker that printed runs its own Chromium, under its own driver.
        drivers = [c for c in browser.values() if "playwright/driver" in c]
        assert len(drivers) == len(workers) >= 1, browser
    finally:
        server.stop(signum)
    # Each worker closed its browser as it exited, before the master did.
    assert not still_running(browser)


@pytest.mark.parametrize("how", ["SIGQUIT", "worker timeout"])
def test_a_gunicorn_worker_ended_mid_pack_leaves_no_chromium_and_the_next_worker_prints(
    chromium, how
):
    """A worker told to quit at once, or killed by gunicorn for taking too long (SIGABRT,
    then SIGKILL), while Chromium is drawing a pack."""
    options = ["--workers", "1"] + (["--timeout", "10"] if how == "worker timeout" else [])
    server = Gunicorn(*options)
    try:
        first_worker, _ = server.get()
        printing = in_background(server.get, delay=30_000, timeout=60)
        time.sleep(1)
        browser = server.browser_processes()
        assert browser
        if how == "SIGQUIT":
            os.kill(first_worker, signal.SIGQUIT)
        wait_until(lambda: not still_running(browser), seconds=20)
        printing["thread"].join(60)
        assert "error" in printing, "the pack being printed was not delivered"
        worker, data = server.get()
        assert worker != first_worker and data.startswith(b"%PDF")
    finally:
        server.stop()


# Five at once --------------------------------------------------------------------------------
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: the live server's threads write the printer's slots at once, and "
    "SQLite's shared in-memory test database refuses concurrent writers (table is locked)",
)
@pytest.mark.parametrize("people", [1, 5], ids=["one person", "five people"])
@pytest.mark.django_db(transaction=True)
def test_five_packs_asked_for_at_once_print_within_the_limits_and_refuse_the_rest_at_once(
    live_server, seed, chromium, people
):
    """One person asking on five connections gets one pack and four refusals; five people
    asking at once get the server's two (SCORECARD_PDF_TOTAL) and three refusals. A refusal
    comes at once, with Retry-After, not after waiting behind the others. (Each person asks
    for their own committee's pack: one pack asked for by several at once is printed once,
    tests/test_pack_store.py.)"""
    assert (pdf.DEFAULT_TIMEOUT, pdf.QUEUE_TIMEOUT) == (60, 60), "run with the defaults"
    assert (settings.SCORECARD_PDF_PER_USER, settings.SCORECARD_PDF_TOTAL) == (1, 2)
    cookies = []
    for number in range(people):
        client = Client()
        client.force_login(make_user(f"councillor{number}", roles.VIEWER))
        value = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={value}")
    url = f"{live_server.url}{reverse('pack')}?period=2023-09&committee=Panel+"

    def fetch(cookie):
        request = urllib.request.Request(url + cookie[-6:], headers={"Cookie": cookie})
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=180) as response:
                body = response.read()
                return response.status, response.headers, body, time.monotonic() - started
        except urllib.error.HTTPError as refused:
            body = refused.read()
            return refused.code, refused.headers, body, time.monotonic() - started

    requests = [in_background(fetch, cookies[n % people]) for n in range(5)]
    for request in requests:
        request["thread"].join(180)
    errors = [r.get("error") for r in requests if "error" in r]
    assert not errors, errors
    results = [r["result"] for r in requests]
    printed = [r for r in results if r[0] == 200]
    refused = [r for r in results if r[0] != 200]
    assert len(printed) == min(people, 2)
    assert [r[0] for r in refused] == [429] * (5 - len(printed))
    for _, headers, body, _ in printed:
        assert headers["Content-Type"] == "application/pdf"
        assert "end of September 2023" in pdf_text(body)
    slowest_print = max(took for *_, took in printed)
    for _, headers, body, took in refused:
        assert headers["Retry-After"] == "15"
        assert b"try again in 15 seconds" in body.replace(b"\n", b" ")
        assert took < slowest_print, "a refusal waited behind the packs being printed"
    print(f"{people} people, five packs: printed in {slowest_print:.1f} s")
