"""Benchmark: the largest upload of each kind that is accepted, and the smallest refused for
its size, read as the import reads it; each in a child process, so its peak memory is its own.

    .venv/bin/python bench/uploads.py

Generates the files under a temporary folder: figures CSV and XLSX (``intake.figure_import``:
MAX_ROWS rows, then one more), a set-up workbook (a Targets sheet of MAX_ROWS rows, then one
more), LAIT parquet and CSV (``intake.lait.file_reading.MAX_ROWS`` records, then one more).
Prints each file's size, the outcome, the wall time and the child's peak memory (os.wait4).
"""

import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")

WORKBOOK_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
    'formats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"'
    '/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1'
    '.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet'
    '+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org'
    '/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>",
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets'
    '/sheet1.xml"/></Relationships>',
}


def workbook(title: str, header: list[str], row: list[str], rows: int) -> bytes:
    """One sheet: ``header``, then ``rows`` copies of ``row`` (inline strings, as Excel's
    r= references)."""

    def cells(values: list[str], number: int) -> str:
        return "".join(
            f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
            for i, value in enumerate(values)
        )

    body = "".join(f'<row r="{n}">{cells(row, n)}</row>' for n in range(2, rows + 2))
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main"><sheetData><row r="1">{cells(header, 1)}</row>{body}</sheetData></worksheet>'
    )
    book = (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    buffer = io.BytesIO()
    parts = {**WORKBOOK_PARTS, "xl/workbook.xml": book, "xl/worksheets/sheet1.xml": sheet}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


LAIT_COLUMNS = [
    "Short Desc",
    "Data item",
    "Years",
    "LA and Regions",
    "Values",
    "LA Number",
    "Region",
]


def lait_frame(rows: int):  # -> pandas.DataFrame
    """``rows`` distinct records in LAIT's long layout: measures of 3,000 values each (20
    years of 150 areas)."""
    import numpy as np
    import pandas as pd

    i = np.arange(rows)
    code = (201 + i % 150).astype(str)
    return pd.DataFrame(
        {
            "Short Desc": np.char.add("M", (i // 3000).astype(str)),
            "Data item": "",
            "Years": (2000 + (i // 150) % 20).astype(str),
            "LA and Regions": np.char.add("Area ", code),
            "Values": (i % 97).astype(str),
            "LA Number": code,
            "Region": "South West",
        }
    )


def generate(folder: Path) -> list[tuple[str, Path]]:
    from intake.figure_import.sheets import MAX_ROWS
    from intake.lait.file_reading import MAX_ROWS as LAIT_ROWS

    files = []
    for label, rows in (("accepted", MAX_ROWS - 1), ("refused", MAX_ROWS)):
        # The header is a row too: MAX_ROWS rows in all, then one more.
        path = folder / f"figures-{label}.csv"
        path.write_bytes(b"reference,month,value\n" + b"7,2023-09,52%\n" * rows)
        files.append(("figures", path))
        path = folder / f"figures-{label}.xlsx"
        header, row = ["reference", "month", "value"], ["7", "2023-09", "52%"]
        path.write_bytes(workbook("Figures", header, row, rows))
        files.append(("figures", path))
        path = folder / f"set-up-{label}.xlsx"
        header, row = ["Indicator", "Kind", "Value", "From"], ["D1", "Target", "5", "Apr-23"]
        path.write_bytes(workbook("Targets", header, row, rows))
        files.append(("setup", path))

    for label, rows in (("accepted", LAIT_ROWS), ("refused", LAIT_ROWS + 1)):
        frame = lait_frame(rows)
        path = folder / f"lait-{label}.parquet"
        frame.to_parquet(path, compression="zstd", index=False)
        files.append(("lait", path))
        path = folder / f"lait-{label}.csv"
        frame.to_csv(path, index=False)
        files.append(("lait", path))
    return files


def read_one(kind: str, path: str) -> str:
    """In the child: read the file as its import does; the outcome in a few words."""
    import django

    django.setup()
    data = Path(path).read_bytes() if kind != "lait" else b""
    started = time.perf_counter()
    try:
        outcome = _read(kind, path, data)
    finally:
        seconds = time.perf_counter() - started
        # The child's own peak: VmHWM starts afresh at exec (ru_maxrss would carry the
        # parent's over).
        status = Path("/proc/self/status").read_text()
        peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
    return f"{int(peak) / 1024:.0f}|{seconds:.2f}|{outcome}"


def _read(kind: str, path: str, data: bytes) -> str:
    from intake.figure_import.reader import IndicatorSpec, read_upload
    from intake.figure_import.sheets import UploadRefused
    from intake.lait.file_reading import LaitFileError
    from intake.lait.reader import read_data
    from intake.setup.reader import read_setup

    try:
        if kind == "figures":
            specs = {"7": IndicatorSpec("7", "percentage", 1)}
            import datetime as dt

            upload = read_upload(data, Path(path).name, specs, today=dt.date(2023, 10, 15))
            return f"accepted: {len(upload.figures):,} figures, {len(upload.problems):,} problems"
        if kind == "setup":
            workbook = read_setup(data, Path(path).name)
            rows = sum(len(sheet.rows) for sheet in workbook.sheets.values())
            return f"accepted: {rows:,} rows, {len(workbook.problems):,} problems"
        frame = read_data(path, Path(path).name)
        return f"accepted: {len(frame):,} records"
    except UploadRefused as refused:
        return "refused: " + refused.message[:90]
    except LaitFileError as error:
        return "refused: " + str(error)[:90]


def measure(kind: str, path: Path) -> tuple[str, float, float, float]:
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, __file__, "--read", kind, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    peak, reading, outcome = child.stdout.read().strip().split("|", 2)
    child.wait()
    return outcome, time.perf_counter() - started, float(reading), float(peak)


def main() -> None:
    print(f"{'file':<24} {'size':>9}  {'read s':>6} {'wall s':>6} {'peak MB':>8}  outcome")
    with tempfile.TemporaryDirectory() as folder:
        for kind, path in generate(Path(folder)):
            outcome, seconds, reading, peak = measure(kind, path)
            size = path.stat().st_size
            print(
                f"{path.name:<24} {size / 1024:>7,.0f}KB  {reading:>6.2f} {seconds:>6.1f} "
                f"{peak:>8,.0f}  {outcome}"
            )
    print("(read s: the reading alone; wall s and peak MB include the child's start: Python,")
    print(" Django and pandas imported, about 150 MB)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--read"]:
        print(read_one(sys.argv[2], sys.argv[3]))
    else:
        main()
