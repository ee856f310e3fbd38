"""Every upload path refuses, before parsing and in bounded memory, a file too large once
unpacked, with a message naming the limit: the figures import (a sheet whose rows carry no
``r=`` references), the set-up workbook (by its page and its command) and the LAIT data (a
parquet file's row count from its metadata, by the command)."""

import io
import time
import tracemalloc
import zipfile

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators.models import ImportBatch, LaitValue, SetupUpload
from intake.figure_import.sheets import MAX_ROWS, UploadRefused, read_rows
from intake.lait.file_reading import MAX_ROWS as MAX_LAIT_ROWS

PARTS = {
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


def workbook_without_references(title: str, header: list[str], rows: int) -> bytes:
    """A workbook of one sheet: a header, then ``rows`` rows whose rows and cells carry no
    ``r=`` reference (valid: each follows the one before)."""
    cells = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in header)
    body = "<row>" + '<c t="n"><v>1</v></c>' * len(header) + "</row>"
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main"><sheetData><row>{cells}</row>{body * rows}</sheetData></worksheet>'
    )
    book = (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in {
            **PARTS,
            "xl/workbook.xml": book,
            "xl/worksheets/sheet1.xml": sheet,
        }.items():
            archive.writestr(name, text)
    return buffer.getvalue()


class Measured:
    """The seconds of CPU this process spent on a block, and with ``memory`` its peak of Python
    memory (tracemalloc slows what it traces several times over: the seconds are then not the
    page's). CPU time, not the clock on the wall: the work is what is bounded, and on a loaded
    machine (the test command's workers beside other jobs) the wall clock also counts the time
    spent waiting for a CPU."""

    def __init__(self, memory: bool = False) -> None:
        self.memory = memory
        self.peak = 0

    def __enter__(self) -> "Measured":
        if self.memory:
            tracemalloc.start()
        self.started = time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.process_time() - self.started
        if self.memory:
            self.peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()


def test_a_figures_workbook_of_rows_without_references_is_refused_by_the_page(client, seed, editor):
    data = workbook_without_references("Figures", ["Reference", "Month", "Value"], 3 * MAX_ROWS)
    client.force_login(editor)
    with Measured() as measured:
        response = client.post(
            reverse("import_upload"), {"file": SimpleUploadedFile("rows.xlsx", data)}
        )
    errors = " ".join(response.context["form"].errors["file"])
    assert f"more than {MAX_ROWS:,} rows" in errors
    assert not ImportBatch.objects.exists()
    assert measured.seconds < 5, f"{measured.seconds:.1f} s"
    with Measured(memory=True) as measured, pytest.raises(UploadRefused):
        read_rows(data, "rows.xlsx", lambda rows: (0, "long"))
    assert measured.peak < 50 * 1024 * 1024, f"peak {measured.peak / 1e6:.0f} MB"


def test_a_set_up_workbook_of_too_many_rows_is_refused_by_the_page(client, administrator):
    data = workbook_without_references("Indicators", ["Reference", "Description"], MAX_ROWS + 10)
    client.force_login(administrator)
    with Measured() as measured:
        response = client.post(reverse("setup"), {"file": SimpleUploadedFile("set-up.xlsx", data)})
    errors = " ".join(response.context["form"].errors["file"])
    assert f"more than {MAX_ROWS:,} rows" in errors
    assert not SetupUpload.objects.exists()
    assert measured.seconds < 5, f"{measured.seconds:.1f} s"


def test_a_set_up_workbook_of_too_many_rows_is_refused_by_the_command(db, tmp_path):
    path = tmp_path / "set-up.xlsx"
    path.write_bytes(workbook_without_references("Indicators", ["Reference"], MAX_ROWS + 10))
    with pytest.raises(CommandError, match=f"more than {MAX_ROWS:,} rows"):
        call_command("import_setup", str(path))
    assert not SetupUpload.objects.exists()


def test_a_lait_parquet_of_too_many_rows_is_refused_from_its_metadata(db, tmp_path):
    rows = MAX_LAIT_ROWS + 1
    columns = ["Short Desc", "Years", "LA and Regions", "Values", "LA Number", "Region"]
    one = pa.table({column: pa.array(["1"], pa.string()) for column in columns})
    path = tmp_path / "lait_bds_long.parquet"
    pq.write_table(one.take(pa.array([0] * rows)), path, compression="zstd")
    assert path.stat().st_size < 1024 * 1024
    with Measured(memory=True) as measured, pytest.raises(CommandError) as refused:
        call_command("import_lait", str(path))
    assert f"{rows:,} rows" in str(refused.value)
    assert f"The most a file may hold is {MAX_LAIT_ROWS:,} rows" in str(refused.value)
    assert not LaitValue.objects.exists()
    assert measured.seconds < 5, f"{measured.seconds:.1f} s"
    assert measured.peak < 50 * 1024 * 1024, f"peak {measured.peak / 1e6:.0f} MB"
