"""HTML to PDF with headless Chromium (Playwright), kept warm between requests.

Playwright's sync API belongs to the thread that started it, and a web server answers on many
threads, so one worker thread owns the browser and renders jobs from a queue; a request waits
for its job with a time limit and never hangs the server. The pack's HTML and our static files
(plotly.js, CSS) are handed to Chromium by request interception: no server round trip, no
network, the same files the web pages use.
"""

import logging
import mimetypes
import queue
import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.utils.html import escape
from playwright.sync_api import TimeoutError as PlaywrightTimeout

log = logging.getLogger(__name__)

CHROMIUM = Path(settings.SCORECARD_CHROMIUM)
# Chromium keeps trying to reach Google's hosts unless told not to; council networks refuse.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ORIGIN = "http://pack.scorecard.invalid"
DEFAULT_TIMEOUT = settings.SCORECARD_PDF_TIMEOUT

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


class PdfRenderer:
    def __init__(self):
        self._jobs = queue.Queue()
        self._thread = None
        self._lock = threading.Lock()
        # Owned by the worker thread only.
        self._page = self._context = self._shell = None

    def render(self, html, *, footer="", timeout=DEFAULT_TIMEOUT):
        if not CHROMIUM.exists():
            raise PdfUnavailable(
                "The PDF pack cannot be made on this server: Chromium is not installed "
                "(ask your administrator to install the Debian package 'chromium')."
            )
        self._ensure_worker()
        job = Future()
        self._jobs.put((html, footer, timeout, job))
        try:
            # The request waits no longer than the limit; a job still running finishes in
            # the worker and is thrown away, so one slow pack never hangs the server.
            return job.result(timeout=timeout)
        except FutureTimeout:
            raise PdfUnavailable(_too_long(timeout)) from None

    def _ensure_worker(self):
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="pdf-renderer", daemon=True)
                self._thread.start()

    def _work(self):
        from playwright.sync_api import sync_playwright

        try:
            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
        except Exception as error:  # the browser could not start: fail every waiting job
            log.exception("Chromium could not be started for PDFs")
            self._fail_waiting(PdfUnavailable(f"Chromium could not be started: {error}"))
            return
        try:
            while True:
                html, footer, timeout, job = self._jobs.get()
                if not job.set_running_or_notify_cancel():
                    continue
                try:
                    job.set_result(self._render(browser, html, footer, timeout))
                except PlaywrightTimeout:
                    job.set_exception(PdfUnavailable(_too_long(timeout)))
                except Exception as error:
                    log.exception("PDF rendering failed")
                    job.set_exception(
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

    def _fail_waiting(self, error):
        while True:
            try:
                *_, job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if job.set_running_or_notify_cancel():
                job.set_exception(error)

    def _render(self, browser, html, footer, timeout):
        """Swap the pack into the warm page (plotly.js and the CSS already loaded), draw its
        charts, print. A fresh page is made when the layout around the pack changes."""
        shell, main = split_pack(html)
        if self._page is None or self._page.is_closed() or self._shell != shell:
            self._open_shell(browser, shell)
        page = self._page
        page.set_default_timeout(timeout * 1000)
        try:
            page.evaluate(
                """async ([main, limit]) => {
                    document.getElementById('pack-main').innerHTML = main
                    const late = new Promise((_, reject) => setTimeout(
                        () => reject(new Error('the charts took too long to draw')), limit))
                    await Promise.race([window.scorecardCharts.draw(), late])
                }""",
                [main, timeout * 1000],
            )
            return page.pdf(
                format="A4",
                landscape=True,
                print_background=True,
                tagged=True,
                outline=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER.format(footer=escape(footer)),
                margin={"top": "12mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
            )
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

    def _open_shell(self, browser, shell):
        self._close_shell()
        context = browser.new_context(locale="en-GB")
        page = context.new_page()

        def serve(route):
            path = route.request.url.removeprefix(ORIGIN)
            if path == "/pack":
                return route.fulfill(body=shell, content_type="text/html; charset=utf-8")
            file = _static_file(path) if path.startswith(settings.STATIC_URL) else None
            if file is None:
                return route.fulfill(status=404, body="not found")
            content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            return route.fulfill(body=file.read_bytes(), content_type=content_type)

        page.route(f"{ORIGIN}/**", serve)
        # Anything else (a CDN, the internet) is refused: the pack is self-contained.
        page.route(lambda url: not url.startswith(ORIGIN), lambda route: route.abort())
        page.goto(f"{ORIGIN}/pack", wait_until="load")
        self._page, self._context, self._shell = page, context, shell

    def _close_shell(self):
        if self._context is not None:
            try:
                self._context.close()
            except Exception:
                log.warning("The PDF page did not close cleanly", exc_info=True)
        self._page = self._context = self._shell = None


MAIN_START, MAIN_END = "<!--pack-main-start-->", "<!--pack-main-end-->"


def split_pack(html):
    """The page around the pack (head, scripts) and the pack itself."""
    start, end = html.index(MAIN_START), html.index(MAIN_END) + len(MAIN_END)
    return html[:start] + html[end:], html[start:end]


renderer = PdfRenderer()
