"""A WSGI application that only prints PDFs with the app's renderer (scorecard.pdf), for the
test that stops real gunicorn processes and looks for Chromium left behind
(tests/test_pdf_queue.py). ``?delay=ms`` makes the page's chart drawing take that long."""

import os
import sys
from pathlib import Path
from urllib.parse import parse_qs

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from scorecard.pdf import renderer  # noqa: E402

from .pdf_pages import page_with_delay  # noqa: E402


def application(environ, start_response):
    delay = int(parse_qs(environ.get("QUERY_STRING", "")).get("delay", ["0"])[0])
    body = renderer.render(page_with_delay(delay), timeout=60)
    start_response(
        "200 OK", [("Content-Type", "application/pdf"), ("X-Worker-Pid", str(os.getpid()))]
    )
    return [body]
