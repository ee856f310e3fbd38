#!/usr/bin/env bash
# Pictures of what a councillor is handed, to look at before a change goes in:
#   bash scripts/snapshots.sh            (prints the folder it wrote to)
# 1. The committee pack of the demonstration data (Sep-23) and of Devon's set-up (Oct-22,
#    tests/support/devon.py), printed by the app's own printer, then every page as a PNG (pdftoppm).
# 2. The dashboard, a priority page, an indicator page, the committee meetings and the August
#    2023 meeting's page at 1366, 1024 and 390 px wide.
# Each run uses throwaway SQLite databases; nothing of yours is touched.
# Environment: OUT (default snapshots/), PORT (default 8765), DPI (default 80).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PYTHON="$ROOT/.venv/bin/python"
OUT="${OUT:-$ROOT/snapshots}"
PORT="${PORT:-8765}"
DPI="${DPI:-80}"
WORK="$(mktemp -d)"
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v pdftoppm >/dev/null || { echo "pdftoppm is needed (apt-get install poppler-utils)"; exit 1; }
[ -x /usr/bin/chromium ] || { echo "/usr/bin/chromium is needed (apt-get install chromium)"; exit 1; }
rm -rf "$OUT/pack" "$OUT/pages"
mkdir -p "$OUT/pack" "$OUT/pages"
export DJANGO_SETTINGS_MODULE=tests.settings SCORECARD_CHROMIUM=/usr/bin/chromium

# The demonstration data: the seed with its synthetic history, as scripts/demo.sh loads it.
export DATABASE_URL="sqlite:///$WORK/demo.sqlite3"
"$PYTHON" manage.py migrate --noinput -v 0
"$PYTHON" manage.py load_demo >/dev/null
"$PYTHON" manage.py export_pack --period 2023-09 \
  --output "$OUT/pack/demo.pdf"

# Devon's set-up workbook and figures, as tests/test_second_council.py imports them.
DATABASE_URL="sqlite:///$WORK/devon.sqlite3" "$PYTHON" manage.py migrate --noinput -v 0
DATABASE_URL="sqlite:///$WORK/devon.sqlite3" "$PYTHON" - "$OUT/pack/devon.pdf" <<'PY'
import sys

import django

django.setup()
from indicators.periods import Month
from intake.figure_import.plan import apply_plan, plan_import
from intake.publishing import publish
from intake.setup.apply import apply_setup
from intake.setup.planner import plan_setup
from scorecard.pack import PackOptions, pack_pdf
from tests.support import devon

plan = plan_setup(devon.setup_workbook(), "devon.xlsx")
apply_setup(plan)
apply_plan(plan_import(devon.figures_csv(), "devon-figures.csv"), None)
for iso in ("2021-10", "2022-03", "2022-09", "2022-10"):
    publish(Month.parse(iso), None)
open(sys.argv[1], "wb").write(pack_pdf(Month(2022, 10), PackOptions()))
print(f"Wrote {sys.argv[1]}")
PY

for name in demo devon; do
  pdftoppm -r "$DPI" -png "$OUT/pack/$name.pdf" "$OUT/pack/$name"
done

# The web pages, signed in as the demonstration councillor.
"$PYTHON" manage.py runserver "127.0.0.1:$PORT" --noreload >"$WORK/server.log" 2>&1 &
SERVER=$!
"$PYTHON" - "$PORT" "$OUT/pages" <<'PY'
import sys
import time
import urllib.request

from playwright.sync_api import sync_playwright

port, folder = sys.argv[1], sys.argv[2]
base = f"http://127.0.0.1:{port}"
for _ in range(100):
    try:
        urllib.request.urlopen(f"{base}/accounts/login/", timeout=1)
        break
    except OSError:
        time.sleep(0.2)
pages = {
    "dashboard": "/?period=2023-09",
    "priority-4": "/priorities/4/?period=2023-09",
    "indicator-73": "/indicators/73/?period=2023-09",
}
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(
        executable_path="/usr/bin/chromium", args=["--no-sandbox"], headless=True
    )
    for width in (1366, 1024, 390):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
        page = context.new_page()
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", "councillor")
        page.fill("#id_password", "demo-councillor-2023")
        page.locator("form button[type=submit], form input[type=submit]").first.click()
        page.wait_for_load_state()
        for name, path in pages.items():
            page.goto(base + path)
            page.evaluate("() => window.scorecardCharts && window.scorecardCharts.draw()")
            page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
        # The committee meetings, and the August 2023 meeting's page (its actions).
        page.goto(f"{base}/meetings/")
        page.screenshot(path=f"{folder}/meetings-{width}.png", full_page=True)
        page.get_by_role("link", name="22 August 2023").click()
        page.wait_for_load_state()
        page.screenshot(path=f"{folder}/meeting-august-2023-{width}.png", full_page=True)
        context.close()
    browser.close()
PY
echo "Snapshots written to $OUT/pack/ and $OUT/pages/:"
ls "$OUT/pack" "$OUT/pages" | sed 's/^/  /'
