"""Django's task framework in the tests: the settings that make this process enqueue tasks in
the database (as production does), and a real ``manage.py db_worker`` process that runs them
against the test database (PostgreSQL only: another process must see the test's commits).

The test settings choose the immediate backend (``tests/settings.py``); a test that wants the
database backend uses ``database_tasks()``."""

import os
import signal
import subprocess
import sys
import time

from django.test import override_settings

from .import_process import ROOT, database_url

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def database_tasks():
    """Settings under which tasks are rows of the database, run by a worker."""
    return override_settings(TASKS=DATABASE_TASKS)


class Worker:
    """``manage.py db_worker`` on the test database, logging to ``log_path``; sending email to
    ``smtp_port`` and storing files under ``media_root`` when given."""

    def __init__(self, log_path, smtp_port=None, media_root=None):
        self.smtp_port = smtp_port
        self.media_root = media_root
        self.log_path = log_path
        self.process = None

    def start(self):
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "TASK_BACKEND": "database",
        }
        if self.smtp_port:
            env |= {
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(self.smtp_port),
                "EMAIL_USE_TLS": "0",
                "EMAIL_USE_SSL": "0",
            }
        if self.media_root:
            env["MEDIA_ROOT"] = str(self.media_root)
        env.pop("DEBUG", None)
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
            + ["--interval", "0.1"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()

    def stop(self):
        """Stop it as systemd does (SIGTERM: the task in hand is finished first)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def wait_until(condition, timeout=20, what="the condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout} s"
        time.sleep(0.1)


def a_queued_task():
    """A task row in the database, left for a worker (for the admin's lists): the delivery of
    an email that does not exist, which a worker would find nothing to send for."""
    from indicators.outbox import deliver_task

    with database_tasks():
        return deliver_task.enqueue(0)
