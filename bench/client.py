"""Client-side benchmark: how soon a councillor's browser shows the pages, through gunicorn.

    .venv/bin/python bench/client.py                  # 5 runs of each page, cold and warm
    .venv/bin/python bench/client.py --runs 9 --no-record

Starts gunicorn with production settings (DEBUG off) on a free loopback port, with the
static files collected and compressed as in production (collectstatic into STATIC_ROOT:
WhiteNoise's CompressedManifestStaticFilesStorage, hashed names, far-future caching), the
demonstration data (``load_demo``) in a throwaway SQLite file (or, with DATABASE_URL, in a
throwaway test_<name> database on that server) and a signed-in viewer; the server, data and
sign-in are bench/load.py's. Then, in Debian's chromium (Playwright), for the dashboard, the
priority page with the most charts (priority 4 of the demonstration data: 13), an indicator
page and, as the floor, a signed-in page that is not there (404):

* DOMContentLoaded, from the start of the navigation;
* the charts in the first screen drawn (the last of those in view at load; where none is,
  the reader goes straight to the first chart at DOMContentLoaded, and those then in view);
* every chart drawn, scrolling a screen at a time as soon as the charts in view are drawn;
* JavaScript bytes over the network, compressed as sent (Resource Timing's encodedBodySize
  of every script that did not come from the browser's cache).

Cold: a new browser profile each run (empty cache). Warm: the same profile, after one visit.
Medians of N rounds (each round views every page cold and warm), and ratios to the floor.
Writes bench/RESULTS.md (section ``client``).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The server, the data and the signed-in viewer are bench/load.py's: importing it sets up
# Django with its environment (throwaway database, the secret the server signs sessions with).
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402

from bench import load as server  # noqa: E402
from bench.generate import LAST_MONTH, generate  # noqa: E402
from bench.results import database_description, write_section  # noqa: E402
from indicators.models import Priority  # noqa: E402
from indicators.periods import Month  # noqa: E402
from scorecard.pdf import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

#: A council laptop's screen.
VIEWPORT = {"width": 1366, "height": 768}
GOALS = {"dcl_ratio": 2.0, "js_kb": 600, "first_screen_ms": 400}

# Before any page script: note when each chart is marked drawn (static/js/charts.js sets
# data-drawn="true"). Injected through the DevTools protocol, so the page's CSP allows it.
RECORD_DRAWN = """
window.__drawn = {};
new MutationObserver((changes) => {
  for (const change of changes) {
    const element = change.target;
    if (element.dataset && element.dataset.drawn === 'true' && !(element.id in window.__drawn)) {
      window.__drawn[element.id] = performance.now();
    }
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-drawn']});
// A page with no chart in its first screen (the priority page's follow its tables): the reader
// goes straight to the first chart as soon as the page is there.
document.addEventListener('DOMContentLoaded', () => {
  const charts = [...document.querySelectorAll('[data-chart]')];
  const inView = charts.some((c) => {
    const r = c.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight;
  });
  if (charts.length && !inView) {
    charts[0].scrollIntoView();
    window.__scrolled = true;
  }
});
"""
IN_VIEW = """() => [...document.querySelectorAll('[data-chart]')].filter((c) => {
  const r = c.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight;
}).map((c) => c.id)"""
DRAWN = "(ids) => ids.every((id) => id in window.__drawn)"
SCRIPT_BYTES = """() => performance.getEntriesByType('resource')
  .filter((e) => /\\.m?js(\\?|$)/.test(e.name) && e.transferSize > 0)
  .reduce((total, e) => total + e.encodedBodySize, 0)"""


def visit(page, url):
    """One page view: DOMContentLoaded, first-screen and all charts drawn (ms from the start
    of the navigation), charts, script bytes sent over the network."""
    page.goto(url, wait_until="load")
    timing = page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " return [n.domContentLoadedEventEnd, n.responseStatus, n.responseStart]; }"
    )
    first_ids = page.evaluate(IN_VIEW)
    charts = page.locator("[data-chart]").count()
    first = every = None
    scrolled = page.evaluate("() => window.__scrolled === true")
    if first_ids:
        page.wait_for_function(DRAWN, arg=first_ids, timeout=30000)
        first = max(page.evaluate("(ids) => ids.map((id) => window.__drawn[id])", first_ids))
    if charts:
        while True:
            page.wait_for_function(DRAWN, arg=page.evaluate(IN_VIEW), timeout=30000)
            at_end = page.evaluate(
                "() => { const before = scrollY; scrollBy(0, innerHeight);"
                " return scrollY === before; }"
            )
            if at_end:
                break
        ids = page.evaluate("() => [...document.querySelectorAll('[data-chart]')].map(c => c.id)")
        page.wait_for_function(DRAWN, arg=ids, timeout=30000)
        every = max(page.evaluate("() => Object.values(window.__drawn)"))
    return {
        "dcl": timing[0],
        "status": timing[1],
        "ttfb": timing[2],
        "first": first,
        "scrolled": scrolled,
        "all": every,
        "charts": charts,
        "js": page.evaluate(SCRIPT_BYTES),
    }


def new_context(browser, base, cookie):
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
    context.add_init_script(RECORD_DRAWN)
    return context


def warm_up(base, cookie, pages, workers):
    """Every gunicorn worker answers each page a few times first (imports, templates,
    database connections): the figures are the pages', not a worker's first request."""
    for path, status in pages.values():
        for _ in range(3 * workers):
            request = urllib.request.Request(
                f"{base}{path}", headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    got = response.status
            except urllib.error.HTTPError as error:
                got = error.code
            assert got == status, (path, got, status)


def measure(browser, base, cookie, pages, runs):
    """Each round views every page once cold and once warm, so a busy moment on the machine
    (other processes share its CPUs) falls on all pages alike and the ratios hold."""
    warm_pages = {}
    for name, (path, _status) in pages.items():
        page = new_context(browser, base, cookie).new_page()
        visit(page, f"{base}{path}")  # fills the cache
        warm_pages[name] = page
    results = {name: {"cold": [], "warm": []} for name in pages}
    for _ in range(runs):
        for name, (path, status) in pages.items():
            url = f"{base}{path}"
            context = new_context(browser, base, cookie)
            cold = visit(context.new_page(), url)
            context.close()
            warm = visit(warm_pages[name], url)
            for view in (cold, warm):
                assert view["status"] == status, (name, view["status"], status)
            results[name]["cold"].append(cold)
            results[name]["warm"].append(warm)
    for page in warm_pages.values():
        page.context.close()
    return results


def median(views, key):
    values = [view[key] for view in views if view[key] is not None]
    return statistics.median(values) if values else None


def table(results, floor_name):
    floor = {kind: median(results[floor_name][kind], "dcl") for kind in ("cold", "warm")}

    def ms(value):
        return "–" if value is None else f"{value:.0f}"

    lines = [
        "| page | charts | DCL cold ms | x floor | DCL warm ms | x floor | first byte warm ms "
        "| DCL after first byte warm ms | first-screen charts warm / cold ms "
        "| all charts warm / cold ms | JS sent cold / warm KB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    verdicts = []
    for name, views in results.items():
        cold, warm = views["cold"], views["warm"]
        row = {kind: median(views[kind], "dcl") for kind in ("cold", "warm")}
        ratio = {kind: row[kind] / floor[kind] for kind in row}
        js_cold, js_warm = median(cold, "js") / 1024, median(warm, "js") / 1024
        first_warm = median(warm, "first")
        star = " \\*" if warm[0]["scrolled"] else ""
        lines.append(
            f"| {name} | {cold[0]['charts']} | {ms(row['cold'])} | {ratio['cold']:.1f}x "
            f"| {ms(row['warm'])} | {ratio['warm']:.1f}x | {ms(median(warm, 'ttfb'))} "
            f"| {ms(statistics.median(v['dcl'] - v['ttfb'] for v in warm))} "
            f"| {ms(first_warm)} / {ms(median(cold, 'first'))}{star} "
            f"| {ms(median(warm, 'all'))} / {ms(median(cold, 'all'))} "
            f"| {js_cold:.0f} / {js_warm:.0f} |"
        )
        if name == floor_name:
            continue
        verdicts.append(
            (f"{name}: DOMContentLoaded warm {ratio['warm']:.1f}x the floor", ratio["warm"])
        )
        verdicts.append(
            (f"{name}: DOMContentLoaded cold {ratio['cold']:.1f}x the floor", ratio["cold"])
        )
    goals = []
    for text, ratio in verdicts:
        verdict = "meets" if ratio <= GOALS["dcl_ratio"] else "MISSES"
        goals.append(f"- {text}: {verdict} the {GOALS['dcl_ratio']:g}x goal")
    js_max = max(median(views["cold"], "js") for views in results.values()) / 1024
    verdict = "meets" if js_max <= GOALS["js_kb"] else "MISSES"
    goals.append(
        f"- most JavaScript sent to one page (cold): {js_max:.0f} KB compressed: {verdict} "
        f"the {GOALS['js_kb']} KB goal"
    )
    for name, views in results.items():
        first = median(views["warm"], "first")
        if first is not None:
            verdict = "meets" if first <= GOALS["first_screen_ms"] else "MISSES"
            where = (
                "the charts in view after going straight to the first (none is in the first screen)"
                if views["warm"][0]["scrolled"]
                else "first-screen charts"
            )
            goals.append(
                f"- {name}: {where} drawn {first:.0f} ms warm: {verdict} the "
                f"{GOALS['first_screen_ms']} ms goal"
            )
    note = (
        "\n\n\\* no chart in the first screen: the charts in view after going straight to the "
        "first chart at DOMContentLoaded, from the start of the navigation."
    )
    return "\n".join(lines) + note, "\n".join(goals)


def collect_static(env):
    """collectstatic as a deployment runs it (DEBUG off): hashed, compressed files."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--clear", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    root = Path(settings.STATIC_ROOT)
    plotly = next((root / "plotly").glob("plotly-basic.min.*.js"))
    if not plotly.with_name(plotly.name + ".gz").exists():
        sys.exit(f"collectstatic made no compressed copy of {plotly.name}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="page views of each kind")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--no-record", action="store_true", help="do not write RESULTS.md")
    options = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} not found: apt-get install chromium, then run this again.")

    test_database = None
    if server.THROWAWAY_SQLITE:
        call_command("migrate", verbosity=0)
    else:
        test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    database = database_description()
    generate("seed")
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-viewer"))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    period = Month(*LAST_MONTH).iso
    by_charts = sorted(Priority.objects.all(), key=lambda p: (-p.indicators.count(), p.number))
    busiest = by_charts[0]
    first = Priority.objects.order_by("display_order", "number").first()
    indicator = first.indicators.order_by("priorityindicator__display_order").first()
    url_db = server.database_url()
    connections.close_all()

    port = server.free_port()
    base = f"http://127.0.0.1:{port}"
    # Not the test settings' SCORECARD_SIMPLE_STATIC: the server serves the collected files.
    dropped = {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    dropped.add("SCORECARD_SIMPLE_STATIC")
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update(
        DJANGO_SETTINGS_MODULE="scorecard.settings",  # production settings, DEBUG off
        SECRET_KEY=server.SECRET_KEY,
        DATABASE_URL=url_db,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",  # plain HTTP on loopback, as behind a TLS-ending proxy
        LOG_LEVEL="WARNING",
    )
    collect_static(env)
    load_before = os.getloadavg()[0]
    floor = "signed-in 404 (floor)"
    pages = {
        floor: ("/priorities/999999/", 404),
        "dashboard": (f"/?period={period}", 200),
        f"priority {busiest.number}": (f"/priorities/{busiest.number}/?period={period}", 200),
        f"indicator {indicator.reference}": (f"/indicators/{indicator.reference}/", 200),
    }
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "scorecard.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={options.workers}",
        "--log-level=warning",
    ]
    log_path = Path(tempfile.mkdtemp()) / "gunicorn.log"
    from playwright.sync_api import sync_playwright

    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        try:
            server.wait_until_up(f"{base}/accounts/login/", process)
            warm_up(base, cookie, pages, options.workers)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
                )
                version = browser.version
                results = measure(browser, base, cookie, pages, options.runs)
                browser.close()
        finally:
            server.stop(process)
            if test_database:
                connection.creation.destroy_test_db(test_database, verbosity=0)

    rows, goals = table(results, floor)
    load_after = os.getloadavg()[0]
    header = (
        f"Load average (1 min) {load_before:.1f} before, {load_after:.1f} after: the machine's "
        f"{os.cpu_count()} CPUs are shared, and a busy machine slows every page.\n\n"
        f"Chromium {version}, {VIEWPORT['width']}x{VIEWPORT['height']}, gunicorn "
        f"{options.workers} workers on loopback, production settings, collected and "
        f"compressed static files (WhiteNoise, gzip); {database}, demonstration data; "
        f"median of {options.runs} views (cold: a new profile each; warm: the same profile "
        "after one visit)."
    )
    output = f"{header}\n\n{rows}\n\n{goals}"
    print(output)
    if not options.no_record:
        body = (
            "`.venv/bin/python bench/client.py`: a signed-in viewer's browser. DCL is "
            "DOMContentLoaded from the start of the navigation (first byte: the server's part; "
            "DCL after first byte: the browser's); first-screen charts: the last "
            "chart in view at load drawn; all charts: every chart drawn, scrolling a screen at "
            "a time as soon as the charts in view are drawn; JS sent: scripts over the "
            "network, compressed (Resource Timing encodedBodySize; a warm view takes them "
            "from the cache).\n\n" + output
        )
        write_section("client", "Client: the pages in a browser (`bench/client.py`)", body)
        print("written to bench/RESULTS.md")


if __name__ == "__main__":
    main()
