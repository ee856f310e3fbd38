"""The production shape on loopback, for tests/test_production_shape.py (issue 24): a real
``redis-server``, two gunicorn app servers on two ports and one task worker
(``manage.py task_worker``), all on the test database (PostgreSQL: pytest-django's
``test_<name>``, reached as ``tests/support/import_process.database_url()`` reaches it) and
one shared ``MEDIA_ROOT``; and a person's browser reduced to what the test needs (cookies, the
CSRF token, forms posted as a browser posts them), speaking HTTP to either server.

Each process is started in a session of its own; stopping it stops what it started too
(the worker's Chromium and Playwright driver), as systemd stops a unit's whole control group."""

import contextlib
import http.cookiejar
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import redis

from .import_process import ROOT, database_url
from .redis_server import RedisServer
from .smtp import free_port

WORKER_ID = "production-shape-test"


def family(pid: int) -> list[int]:
    """``pid`` and every process descended from it (read from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def kill_all(pids: list[int], sig: int = signal.SIGKILL) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


class Process:
    """A child process logging to ``log_path``."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log_path: Path):
        self.name, self.command, self.env, self.log_path = name, command, env, log_path
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL to it and to everything it started (as the OOM killer or a lost machine)."""
        if self.popen is not None:
            kill_all(family(self.popen.pid))
            self.popen.wait(timeout=10)
            self.popen = None

    def stop(self) -> None:
        """SIGTERM (gunicorn and the worker finish what they are doing), then whatever it
        started and left behind is killed."""
        if self.popen is None:
            return
        started = family(self.popen.pid)
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        kill_all(started[1:])
        self.popen = None

    def log(self) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return f"--- {self.name} ({self.log_path}) ---\n{text[-4000:]}"


class AppServer(Process):
    def __init__(self, name: str, env: dict[str, str], log_path: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "gunicorn", "scorecard.wsgi"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--timeout", "90"]
        # gunicorn 27's control socket is one path per user: two servers would both claim it.
        command += ["--no-control-socket"]
        super().__init__(name, command, env, log_path)

    def wait_until_up(self, timeout: float = 40) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.running, self.log()
            try:
                with urllib.request.urlopen(f"{self.url}/accounts/login/", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"{self.name} did not answer within {timeout} s\n{self.log()}")


class Shape:
    """Redis, app servers ``a`` and ``b``, and the task worker, sharing ``media_root``."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.media_root = directory / "media"
        self.redis = RedisServer()
        env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
        env |= {
            "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "TASK_BACKEND": "database",
            "REDIS_URL": self.redis.url,
            "MEDIA_ROOT": str(self.media_root),
        }
        self.env = env
        self.a = AppServer("app server A", env, directory / "a.log")
        self.b = AppServer("app server B", env, directory / "b.log")
        worker = [sys.executable, "manage.py", "task_worker", "--no-reload", "--no-startup-delay"]
        worker += ["--interval", "0.1", "--worker-id", WORKER_ID]
        self.worker = Process("task worker", worker, env, directory / "worker.log")

    def start(self) -> None:
        self.redis.start()
        for process in (self.a, self.b, self.worker):
            process.start()
        self.a.wait_until_up()
        self.b.wait_until_up()

    def stop(self) -> None:
        for process in (self.worker, self.a, self.b):
            process.stop()
        self.redis.stop()

    def restart_redis(self) -> None:
        """Redis back on the same port (after a test stopped it), empty."""
        if self.redis.process is None:
            self.redis.directory = str(self.directory / "redis")
            os.makedirs(self.redis.directory, exist_ok=True)
            self.redis.start()

    def clear(self) -> None:
        """An empty cache and no stored packs (each test's database starts afresh)."""
        self.restart_redis()
        redis.Redis.from_url(self.redis.url).flushdb()
        for path in sorted(self.media_root.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()

    def stored_pdfs(self) -> list[Path]:
        return sorted((self.media_root / "packs").glob("*/pdf/*.pdf"))

    def logs(self) -> str:
        return "\n".join(process.log() for process in (self.a, self.b, self.worker))


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


class FormFields(HTMLParser):
    """The fields each POST form of a page submits, as a browser submits them unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self.inside = False
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attributes}
        if tag == "form" and found.get("method", "").lower() == "post":
            self.forms.append({})
            self.inside = True
        elif self.inside and tag == "input" and "name" in found:
            kind = found.get("type", "text")
            if kind not in ("checkbox", "radio", "submit") or "checked" in found:
                self.forms[-1][found["name"]] = found.get("value", "")
        elif self.inside and tag == "textarea":
            self.textarea = found["name"]
            self.forms[-1][self.textarea] = ""
        elif self.inside and tag == "select":
            self.select = found["name"]
            self.forms[-1].setdefault(self.select, "")
        elif self.select and tag == "option" and "selected" in found:
            self.forms[-1][self.select] = found.get("value", "")

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.forms[-1][self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None


def form_with(html: str, field: str) -> dict[str, str]:
    """The POST form of ``html`` that has ``field``, with its values."""
    parser = FormFields()
    parser.feed(html)
    forms = [form for form in parser.forms if field in form]
    assert forms, f"no form with {field} on the page"
    return forms[0]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Person:
    """One person's browser: one cookie jar for both servers (cookies are not kept per port,
    so a session begun on one server is sent to the other, as behind one address)."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def request(self, url: str, data: dict[str, str] | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.monotonic()
        try:
            with self.opener.open(url, body, timeout=30) as answer:
                result = Answer(answer.status, answer.read(), dict(answer.headers))
        except urllib.error.HTTPError as error:
            result = Answer(error.code, error.read(), dict(error.headers))
        result.headers["X-Test-Seconds"] = f"{time.monotonic() - started:.3f}"
        return result

    def csrf(self) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken") or ""

    def post(self, url: str, fields: dict[str, str]) -> Answer:
        return self.request(url, {"csrfmiddlewaretoken": self.csrf(), **fields})

    def sign_in(self, server: AppServer, username: str, password: str) -> None:
        page = self.request(f"{server.url}/accounts/login/")
        fields = form_with(page.text, "username") | {"username": username, "password": password}
        answer = self.post(f"{server.url}/accounts/login/", fields)
        assert answer.status == 302, (answer.status, answer.text[:2000])
