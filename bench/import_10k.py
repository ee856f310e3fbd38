"""Benchmark: preview and import 10,000 figures (100 indicators x 100 months), CSV and XLSX.

    DATABASE_URL=postgres://... .venv/bin/python bench/import_10k.py
Without DATABASE_URL it uses a throwaway SQLite file. Prints seconds for each step.
"""

import io
import os
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

import random  # noqa: E402

from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from indicators.models import Indicator, Value  # noqa: E402
from indicators.periods import Month  # noqa: E402
from intake.figure_import.plan import apply_plan, plan_import  # noqa: E402

INDICATORS, MONTHS = 100, 100


def timed(label, function):
    start = time.perf_counter()
    result = function()
    print(f"{label:<44} {time.perf_counter() - start:7.2f} s")
    return result


def main():
    call_command("migrate", verbosity=0)
    Value.objects.all().delete()
    Indicator.objects.filter(reference__startswith="B").delete()
    Indicator.objects.bulk_create(
        Indicator(
            reference=f"B{n}",
            description=f"Benchmark indicator {n}",
            unit="percentage",
            polarity="higher_is_better",
            measure_basis="snapshot",
        )
        for n in range(INDICATORS)
    )
    rng = random.Random(1)
    first = Month(2015, 1)
    rows = [
        (f"B{n}", first.plus(m).iso, f"{rng.uniform(0, 100):.1f}")
        for n in range(INDICATORS)
        for m in range(MONTHS)
    ]
    csv_bytes = ("reference,month,value\n" + "\n".join(",".join(r) for r in rows)).encode()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["reference", "month", "value"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    xlsx_bytes = buffer.getvalue()
    print(
        f"{len(rows):,} figures; CSV {len(csv_bytes) / 1024:.0f} KB, XLSX "
        f"{len(xlsx_bytes) / 1024:.0f} KB; database {django.db.connection.vendor}"
    )

    plan = timed(
        "preview CSV (parse + compare, empty database)",
        lambda: plan_import(csv_bytes, "bench.csv"),
    )
    assert len(plan.added) == len(rows) and not plan.problems, plan.problems[:3]
    timed("preview XLSX (parse + compare)", lambda: plan_import(xlsx_bytes, "bench.xlsx"))
    timed(
        "import (one transaction, with history)",
        lambda: apply_plan(plan, None, accept_warnings=True),
    )
    again = timed("preview the same file again", lambda: plan_import(csv_bytes, "bench.csv"))
    assert not again.changes and again.unchanged == len(rows)
    rows2 = [(ref, month, f"{float(v) / 2:.1f}") for ref, month, v in rows]
    changed = ("reference,month,value\n" + "\n".join(",".join(r) for r in rows2)).encode()
    plan2 = timed("preview 10,000 changed figures", lambda: plan_import(changed, "b.csv"))
    timed("import 10,000 changed figures", lambda: apply_plan(plan2, None, accept_warnings=True))
    print(f"figures stored: {Value.objects.count():,}; history rows: {Value.history.count():,}")


if __name__ == "__main__":
    main()
