"""Uploading a set-up workbook and a LAIT extract the way an administrator's browser does."""

import io

import openpyxl
from django.urls import reverse

from .lait import APRIL_2021, DATA, DICTIONARY, MAY_2025

LAIT_IMPORT_URL = "/admin/indicators/laitmeasure/import/"


def setup_workbook(**sheets):
    """An .xlsx workbook with these sheets, each a list of rows."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        # A sheet's title with spaces is given with underscores: Report_sections=[...].
        sheet = book.create_sheet(title.replace("_", " "))
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload_setup(client, data, name="devon.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("setup"), {"file": file})


def upload_lait(client, data=DATA, **fields):
    with (
        open(data, "rb") as data_file,
        open(DICTIONARY, "rb") as dictionary,
        open(APRIL_2021, "rb") as april,
        open(MAY_2025, "rb") as may,
    ):
        return client.post(
            LAIT_IMPORT_URL,
            {
                "data": data_file,
                "dictionary": dictionary,
                "neighbour_lists": [april, may],
                "authority_number": "879",
                **fields,
            },
        )
