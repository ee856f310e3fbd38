"""Benchmark: the committee pack PDF for the seed month, charts included, with a warm
browser (the first render starts Chromium and is reported separately).

    .venv/bin/python bench/pack_pdf.py            # demo data in a throwaway SQLite database
"""

import io
import os
import statistics
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

from django.core.management import call_command  # noqa: E402
from pypdf import PdfReader  # noqa: E402

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


if __name__ == "__main__":
    main()
