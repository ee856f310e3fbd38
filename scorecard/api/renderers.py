"""Every list of the API as CSV (``?format=csv``), for Power BI's web connector and Excel's
"From Web": a header row, then one row per record; numbers unformatted, text neutralised
so no spreadsheet runs it, true/false, blank for null. Nested lists (an indicator's targets)
are left out: each has a list of its own (``/api/v1/targets/``). A page of a long list says
where the next page is in a ``Link`` header (RFC 8288), as JSON says it in ``next``."""

import csv
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from rest_framework.renderers import BaseRenderer

from indicators.numbers import plain
from scorecard.exports.cell_text import neutralise


def csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain(value, normalise=True)
    if isinstance(value, int | float):
        return str(value)
    text = neutralise(str(value))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _records(data: Any) -> Sequence[Mapping[str, Any]]:
    if isinstance(data, Mapping) and "results" in data:
        return list(data["results"])
    if isinstance(data, Mapping):
        return [data]
    return list(data or [])


def _columns(records: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every scalar column, in the first record's order (a view names its own columns, so
    that an empty list still has its header)."""
    columns: list[str] = []
    for record in records:
        for name, value in record.items():
            if name not in columns and not isinstance(value, list | dict):
                columns.append(name)
    return columns


def _link_header(data: Any) -> str:
    if not isinstance(data, Mapping):
        return ""
    links = [f'<{data[rel]}>; rel="{rel}"' for rel in ("next", "previous") if data.get(rel)]
    return ", ".join(links)


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        records = _records(data)
        response = (renderer_context or {}).get("response")
        if response is not None:
            if link := _link_header(data):
                response["Link"] = link
            if isinstance(data, Mapping) and "count" in data:
                response["X-Total-Count"] = str(data["count"])
        stream = io.StringIO()
        writer = csv.writer(stream, lineterminator="\n")
        view = (renderer_context or {}).get("view")
        columns = getattr(view, "csv_columns", None) or _columns(records)
        writer.writerow(columns)
        for record in records:
            writer.writerow([csv_cell(record.get(name)) for name in columns])
        return stream.getvalue().encode("utf-8")
