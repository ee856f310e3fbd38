"""HTML to PDF with headless Chromium (Playwright), kept warm between requests.

Playwright's sync API belongs to the thread that started it, and a web server answers on many
threads, so one worker thread owns the browser and renders jobs from a queue, one at a time.
A request waits for its turn (at most ``QUEUE_TIMEOUT``), then for its render (at most its
``timeout``, counted from when rendering starts); a job whose requester has stopped waiting is
dropped before it starts, so an abandoned pack never delays the next one. The overall cap on a
request's wait is therefore ``QUEUE_TIMEOUT + timeout`` (and a two-second ``GRACE``).

The browser is closed when the process ends: at exit (``atexit``, which also runs when a
gunicorn worker stops) and on SIGTERM/SIGHUP where nothing else handles them
(``install_signal_handlers``, called once the app is ready).

The pack's HTML and our static files (plotly.js, CSS) are handed to Chromium by request
interception: no server round trip, no network, the same files the web pages use.
"""

import atexit
import base64
import hashlib
import io
import logging
import math
import mimetypes
import os
import queue
import re
import signal
import threading
import time
from concurrent.futures import CancelledError, Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.utils.html import escape
from playwright.sync_api import Browser, BrowserType
from playwright.sync_api import TimeoutError as PlaywrightTimeout

log = logging.getLogger(__name__)

CHROMIUM = Path(settings.SCORECARD_CHROMIUM)
# Chromium keeps trying to reach Google's hosts unless told not to; council networks refuse.
# Whether it runs in its sandbox is chosen at launch (``launch_plans``), not here.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ORIGIN = "http://pack.scorecard.invalid"
# The printed page's own policy, as strict as the web pages' (scripts from our static files and
# the page's own inline scripts by hash: no handler attribute, no eval, nothing a pack swapped
# in could add) and with no connections at all: request interception (``_open_shell``) refuses
# other hosts' URLs, and this also refuses what interception does not see (WebSockets).
# docs/operations.md, "Chromium's sandbox", says why both.
PACK_CSP = (
    "default-src 'self'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'none'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'"
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.I)


def pack_csp(shell: str) -> str:
    """The policy for ``shell`` (the page around the pack), allowing its inline scripts."""

    def digest(script: str) -> str:
        return base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()

    hashes = "".join(f" 'sha256-{digest(script)}'" for script in INLINE_SCRIPT.findall(shell))
    return PACK_CSP.format(hashes=hashes)


# Playwright's default window, in which a document printed without a scale is laid out.
DEFAULT_WINDOW = {"width": 1280, "height": 720}
# The printed page: A4 landscape and its margins (the footer sits in the bottom one).
PAGE_MM = (297, 210)
MARGIN_MM = {"top": 12, "bottom": 16, "left": 12, "right": 12}
PX_PER_MM = 96 / 25.4
CONTENT_MM = (
    PAGE_MM[0] - MARGIN_MM["left"] - MARGIN_MM["right"],
    PAGE_MM[1] - MARGIN_MM["top"] - MARGIN_MM["bottom"],
)


class Launch(NamedTuple):
    """One way of starting Chromium: in its sandbox or not, and why not (for the log)."""

    sandbox: bool
    why_not: str = ""

    def options(self) -> dict[str, Any]:
        """Playwright's launch options. Playwright itself adds ``--no-sandbox`` unless
        ``chromium_sandbox`` is true, so the sandbox is asked for there, not in the args."""
        no_sandbox = [] if self.sandbox else ["--no-sandbox"]
        return {"args": CHROMIUM_ARGS + no_sandbox, "chromium_sandbox": self.sandbox}


ROOT_WHY = "the server runs as root, and Chromium will not run its sandbox as root"


def launch_plans(mode: str, *, is_root: bool) -> list[Launch]:
    """The launches to try, in order, for ``SCORECARD_CHROMIUM_SANDBOX`` ``mode``: "on"
    always sandboxed (a machine that cannot sandbox cannot print, and says so); "off" never;
    "auto" sandboxed unless running as root, falling back to no sandbox when the sandboxed
    launch fails (no user namespaces, no setuid helper)."""
    if mode == "on":
        return [Launch(True)]
    if mode == "off":
        return [Launch(False, "SCORECARD_CHROMIUM_SANDBOX is off")]
    if is_root:
        return [Launch(False, ROOT_WHY)]
    return [Launch(True), Launch(False, "the sandboxed launch failed: {error}")]


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


_warned_unsandboxed = threading.Event()


def launch_chromium(browser_type: BrowserType, mode: str | None = None) -> Browser:
    """Chromium started by Playwright's ``browser_type`` (headless, our flags), in its
    sandbox where ``launch_plans`` allows. Printing without the sandbox is logged once per
    process as a warning, with the reason."""
    mode = settings.SCORECARD_CHROMIUM_SANDBOX if mode is None else mode
    plans = launch_plans(mode, is_root=running_as_root())
    error = None
    for plan in plans:
        try:
            browser = browser_type.launch(
                executable_path=str(CHROMIUM), headless=True, **plan.options()
            )
        except Exception as failed:
            error = failed
            if plan is not plans[-1]:
                first_line = str(failed).strip().splitlines()[0] if str(failed).strip() else ""
                log.warning("Chromium could not start in its sandbox: %s", first_line)
            continue
        if not plan.sandbox and not _warned_unsandboxed.is_set():
            _warned_unsandboxed.set()
            why = plan.why_not.format(error=error)
            log.warning(
                "Chromium prints without its sandbox (--no-sandbox): %s. See docs/operations.md, "
                "'Chromium's sandbox'.",
                why,
            )
        return browser
    assert error is not None
    raise error


def content_size(scale: float = 1.0) -> tuple[int, int]:
    """(width, height) in CSS pixels of what one page holds, printed at ``scale``. The page is
    laid out, and its charts drawn, at this width: a chart sized for its cell is the size of its
    cell on paper. (Laid out wider, say at a 1280-pixel window, a chart drawn at a fixed width
    runs past its cell, and Chromium shrinks the whole document or cuts it at the page edge.)"""
    return (
        math.floor(CONTENT_MM[0] * PX_PER_MM / scale),
        math.floor(CONTENT_MM[1] * PX_PER_MM / scale),
    )


DEFAULT_TIMEOUT = settings.SCORECARD_PDF_TIMEOUT
# Long enough for a burst of packs at one worker (a warm pack takes 2-5 s, the first one also
# starts Chromium), short enough that nobody waits behind a stuck printer for ever.
QUEUE_TIMEOUT = settings.SCORECARD_PDF_QUEUE_TIMEOUT
# The worker enforces the time limit itself (and says which step was too slow); the request
# waits this much longer so that the worker's answer, not a bare timeout, reaches the user.
GRACE = 2.0
# How long a stopping process waits for a pack being printed before closing the browser.
SHUTDOWN_WAIT = 5.0

FOOTER = (
    '<div style="font-family: Arial, sans-serif; font-size: 8pt; color: #505a5f; width: 100%;'
    ' padding: 0 12mm; display: flex; justify-content: space-between;">'
    "<span>{footer}</span>"
    '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span>'
    "</div>"
)


class PdfUnavailable(Exception):
    """The PDF could not be made; the message is for the person who asked for it."""


def _too_long(timeout):
    return (
        f"Making the PDF took longer than {timeout:g} seconds and was stopped. Try again in a "
        "few minutes; if it keeps happening, tell your administrator."
    )


def _busy(waited):
    return (
        f"The PDF printer was busy with other packs for {waited:g} seconds, so this one was not "
        "started. Try again in a few minutes; if it keeps happening, tell your administrator."
    )


CRASHED = (
    "The PDF printer stopped while this pack was waiting. Try again; if it keeps happening, "
    "tell your administrator."
)
STOPPING = (
    "The server is restarting, so the PDF was not made. Try again in a minute; if it keeps "
    "happening, tell your administrator."
)


def _static_file(path):
    """A file under STATIC_URL: from the finders (development, tests) or STATIC_ROOT."""
    name = path.removeprefix(settings.STATIC_URL).split("?")[0]
    found = finders.find(name)
    if found:
        return Path(found)
    try:
        candidate = Path(staticfiles_storage.path(name))
    except NotImplementedError:
        return None
    return candidate if candidate.is_file() else None


class _Job:
    """One pack waiting for, or being, printed. ``left_queue`` tells the waiting request that
    the worker has taken the job: started (its time limit runs from ``started_at``), or
    failed or dropped without starting (``result`` is then already done)."""

    def __init__(self, html, footer, timeout, scale=None):
        self.html, self.footer, self.timeout, self.scale = html, footer, timeout, scale
        self.result = Future()
        self.left_queue = threading.Event()
        self.started_at = None

    def settle(self, error=None):
        """Finish a job that never started: cancelled, or failed with ``error``."""
        if error is not None and self.result.set_running_or_notify_cancel():
            self.result.set_exception(error)
        else:
            self.result.cancel()
        self.left_queue.set()


_STOP = object()


class PdfRenderer:
    def __init__(self, queue_timeout: float | None = None) -> None:
        self.queue_timeout = QUEUE_TIMEOUT if queue_timeout is None else queue_timeout
        self._jobs: queue.Queue[_Job | object] = queue.Queue()  # a job, or _STOP
        self._thread = None
        # Re-entrant: the signal handler may stop the worker while the main thread holds it.
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._atexit_registered = False
        # Counts for the log and the tests: jobs started, packs printed, and jobs dropped
        # unprinted because their requester had gone.
        self.started = self.rendered = self.dropped = 0
        # Owned by the worker thread only.
        self._page = self._context = self._shell = None

    def render(
        self,
        html: str,
        *,
        footer: str = "",
        timeout: float = DEFAULT_TIMEOUT,
        scale: float | None = None,
    ) -> bytes:
        """The PDF of ``html``. With ``scale`` (1.0: a CSS inch is an inch) it is laid out at
        the printed page's width and printed at that scale, so what is drawn to fit a cell fits
        it on paper (the pack); without, it is laid out in the browser's default window and
        printed at 1.0 (the quarterly report, designed so)."""
        if not CHROMIUM.exists():
            raise PdfUnavailable(
                "The PDF pack cannot be made on this server: Chromium is not installed "
                "(ask your administrator to install the Debian package 'chromium')."
            )
        self._ensure_worker()
        job = _Job(html, footer, timeout, scale)
        self._jobs.put(job)
        try:
            if not job.left_queue.wait(self.queue_timeout) and job.result.cancel():
                raise PdfUnavailable(_busy(self.queue_timeout))
            # Taken by the worker, perhaps just as we gave up (it sets the event at once).
            job.left_queue.wait()
            if job.result.done():
                return job.result.result()  # failed or cancelled without starting: raises
            # Started: the limit counts from the start, not from joining the queue.
            remaining = job.timeout - (time.monotonic() - job.started_at)
            return job.result.result(timeout=max(remaining, 0) + GRACE)
        except FutureTimeout:
            raise PdfUnavailable(_too_long(timeout)) from None
        except CancelledError:
            raise PdfUnavailable(STOPPING) from None
        finally:
            # Whatever ended the wait (an answer, a limit, the worker process stopping), a job
            # not yet started is never printed: nobody is left to receive it.
            job.result.cancel()

    def _ensure_worker(self):
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._stopping.clear()
                self._thread = threading.Thread(target=self._work, name="pdf-renderer", daemon=True)
                self._thread.start()
                if not self._atexit_registered:
                    # A daemon thread is simply frozen at exit; close the browser first.
                    atexit.register(self.shutdown)
                    self._atexit_registered = True

    def shutdown(self, wait: float = SHUTDOWN_WAIT) -> None:
        """Stop the worker and close Chromium and its driver. Jobs still queued are failed
        at once; a pack being printed gets up to ``wait`` seconds to finish."""
        with self._lock:
            thread = self._thread
            if thread is None or not thread.is_alive():
                return
            self._stopping.set()
            self._fail_waiting(PdfUnavailable(STOPPING))
            self._jobs.put(_STOP)
        thread.join(wait)
        if thread.is_alive():
            log.warning("The PDF worker was still printing after %ss; exiting anyway", wait)

    def _next_job(self):
        """The next job whose requester is still waiting; None when told to stop."""
        while True:
            job = self._jobs.get()
            if job is _STOP or self._stopping.is_set():
                if job is not _STOP:
                    job.settle(PdfUnavailable(STOPPING))
                return None
            job.started_at = time.monotonic()
            started = job.result.set_running_or_notify_cancel()
            job.left_queue.set()
            if started:
                self.started += 1
                return job
            self.dropped += 1
            log.info("PDF job dropped before printing: its requester stopped waiting")

    def _work(self):
        from playwright.sync_api import sync_playwright

        try:
            playwright = sync_playwright().start()
            browser = launch_chromium(playwright.chromium)
        except Exception as error:  # the browser could not start: fail every waiting job
            log.exception("Chromium could not be started for PDFs")
            self._fail_waiting(PdfUnavailable(f"Chromium could not be started: {error}"))
            return
        try:
            while (job := self._next_job()) is not None:
                deadline = job.started_at + job.timeout
                try:
                    data = self._render(browser, job, deadline)
                    self.rendered += 1
                    job.result.set_result(data)
                except Exception as error:
                    if isinstance(error, PlaywrightTimeout) or time.monotonic() >= deadline:
                        # Whichever step ran out of time (the page, the charts, printing).
                        job.result.set_exception(PdfUnavailable(_too_long(job.timeout)))
                    else:
                        log.exception("PDF rendering failed")
                        job.result.set_exception(
                            PdfUnavailable(f"The PDF could not be made: {error}".splitlines()[0])
                        )
                if not browser.is_connected():
                    break
        finally:
            try:
                self._close_shell()
                browser.close()
                playwright.stop()
            except Exception:
                log.warning("Chromium did not close cleanly", exc_info=True)
            if not self._stopping.is_set():
                # The browser went away: nobody would print what is still queued.
                self._fail_waiting(PdfUnavailable(CRASHED))

    def _fail_waiting(self, error):
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if job is not _STOP:
                job.settle(error)

    def _render(self, browser, job, deadline):
        """Swap the pack into the warm page (plotly.js and the CSS already loaded), draw its
        charts, print, all before ``deadline`` (a ``time.monotonic()`` value). A fresh page is
        made when the layout around the pack changes."""
        shell, main = split_pack(job.html)

        def milliseconds_left():
            left = deadline - time.monotonic()
            if left <= 0:
                raise PlaywrightTimeout("the time limit passed")
            return left * 1000

        if self._page is None or self._page.is_closed() or self._shell != shell:
            self._open_shell(browser, shell, milliseconds_left())
        page = self._page
        page.set_default_timeout(milliseconds_left())
        # The page is warm across jobs: each sets the window it is laid out in.
        if job.scale is None:
            page.set_viewport_size(DEFAULT_WINDOW)
        else:
            width, height = content_size(job.scale)
            page.set_viewport_size({"width": width, "height": height})
        try:
            page.evaluate(
                """async ([main, limit]) => {
                    document.getElementById('pack-main').innerHTML = main
                    const late = new Promise((_, reject) => setTimeout(
                        () => reject(new Error('the charts took too long to draw')), limit))
                    await Promise.race([window.scorecardCharts.draw(), late])
                    // A drawn chart's name (its summary in words) moves onto its drawing:
                    // Chromium writes an svg's role="img" and aria-label into the tagged PDF
                    // as the figure's alternative text (/Alt); on a div it writes nothing.
                    document.querySelectorAll('[data-chart][role="img"][aria-label]')
                      .forEach((chart) => {
                        const svgs = chart.querySelectorAll('svg')
                        if (!svgs.length) { return }
                        svgs.forEach((svg) => svg.setAttribute('aria-hidden', 'true'))
                        svgs[0].removeAttribute('aria-hidden')
                        svgs[0].setAttribute('role', 'img')
                        svgs[0].setAttribute('aria-label', chart.getAttribute('aria-label'))
                        chart.removeAttribute('role')
                        chart.removeAttribute('aria-label')
                      })
                }""",
                [main, milliseconds_left()],
            )
            page.set_default_timeout(milliseconds_left())
            options = {
                "format": "A4",
                "landscape": True,
                "print_background": True,
                "tagged": True,
                "outline": True,
                "display_header_footer": True,
                "header_template": "<span></span>",
                "footer_template": FOOTER.format(footer=escape(job.footer)),
                "scale": job.scale or 1.0,
                "margin": {side: f"{mm}mm" for side, mm in MARGIN_MM.items()},
            }
            pdf = page.pdf(**options)
            if page.locator("[data-page-of]").count():
                # A contents list: print once to learn where each heading landed (the PDF's
                # outline), write the page numbers in, print again. The numbers are short and
                # right-aligned, so filling them in moves nothing.
                page.evaluate(FILL_PAGE_NUMBERS, heading_pages(pdf))
                page.set_default_timeout(milliseconds_left())
                pdf = page.pdf(**options)
            return pdf
        except Exception:
            self._close_shell()  # start from a clean page next time
            raise
        finally:
            if self._page is not None and not self._page.is_closed():
                # Leave the warm page empty: no pack's figures linger between jobs.
                self._page.evaluate(
                    "() => { const main = document.getElementById('pack-main');"
                    " if (main) { main.innerHTML = '' } }"
                )

    def _open_shell(self, browser, shell, timeout_ms):
        self._close_shell()
        context = browser.new_context(locale="en-GB")
        page = context.new_page()

        def serve(route):
            path = route.request.url.removeprefix(ORIGIN)
            if path == "/pack":
                return route.fulfill(
                    body=shell,
                    content_type="text/html; charset=utf-8",
                    headers={"Content-Security-Policy": pack_csp(shell)},
                )
            file = _static_file(path) if path.startswith(settings.STATIC_URL) else None
            if file is None:
                return route.fulfill(status=404, body="not found")
            content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            return route.fulfill(body=file.read_bytes(), content_type=content_type)

        page.route(f"{ORIGIN}/**", serve)
        # Anything else (a CDN, the internet) is refused: the pack is self-contained.
        page.route(lambda url: not url.startswith(ORIGIN), lambda route: route.abort())
        page.goto(f"{ORIGIN}/pack", wait_until="load", timeout=timeout_ms)
        self._page, self._context, self._shell = page, context, shell

    def _close_shell(self):
        if self._context is not None:
            try:
                self._context.close()
            except Exception:
                log.warning("The PDF page did not close cleanly", exc_info=True)
        self._page = self._context = self._shell = None


FILL_PAGE_NUMBERS = """(pages) => {
    document.querySelectorAll('[data-page-of]').forEach((element) => {
        const page = pages[element.dataset.pageOf]
        element.textContent = page ? String(page) : ''
    })
}"""


def heading_pages(pdf: bytes) -> dict[str, int]:
    """{heading text: the page (from 1) it is on}, from the PDF's outline (Chromium makes one
    of the document's headings)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    pages: dict[str, int] = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
                continue
            title = " ".join(str(item.title).split())
            half = len(title) // 2
            if len(title) % 2 == 0 and title[:half] == title[half:]:
                # Chromium names a heading twice when it opens a page ("KeyKey").
                title = title[:half]
            pages.setdefault(title, reader.get_destination_page_number(item) + 1)

    walk(reader.outline)
    return pages


MAIN_START, MAIN_END = "<!--pack-main-start-->", "<!--pack-main-end-->"


def split_pack(html: str) -> tuple[str, str]:
    """The page around the pack (head, scripts) and the pack itself."""
    start, end = html.index(MAIN_START), html.index(MAIN_END) + len(MAIN_END)
    return html[:start] + html[end:], html[start:end]


renderer = PdfRenderer()


def install_signal_handlers(
    signals: tuple[signal.Signals, ...] = (signal.SIGTERM, signal.SIGHUP),
) -> list[signal.Signals]:
    """Close the browser before the process dies of ``signals``. Only a signal that would
    otherwise kill the process outright (SIG_DFL) is taken over: a server that handles them
    itself (gunicorn's workers) exits through ``sys.exit`` and so through ``atexit``. Must run
    in the main thread (Python's rule for signal handlers); elsewhere it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        return []
    installed = []
    for signum in signals:
        if signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, _close_then_die)
            installed.append(signum)
    return installed


def _close_then_die(signum, frame):
    renderer.shutdown()
    # Then die of the signal as before, with the same exit status.
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
