"""Exports of the scorecard and of an indicator's history, as CSV and as XLSX.

CSV is machine-readable: one row per indicator and priority, unformatted numbers, ISO months
in the header. XLSX is for people: formatted headers, real numbers with a number format that
matches each unit, RAG and direction of travel as words.

Every text cell goes through ``neutralise`` first, so a description or a comment that begins
like a formula (``=HYPERLINK(...)``, ``+1+1``, ``@SUM(A1)``) is shown, never run, by the
spreadsheet that opens the file (OWASP, "CSV injection"). Numbers are written as numbers and
are never neutralised: a negative figure stays a number.

By what they hold:
- ``cell_text``: what a cell says in every export (formulas neutralised, the draft notice, SPC in
  words, the suppressed ``x``, the target's source, an indicator's history month by month);
- ``csv_files``: the scorecard and an indicator's history as CSV;
- ``xlsx_sheets``: writing an XLSX sheet (styles, one cell, title and header rows, the key, the
  bytes), shared with ``quarterly_exports``;
- ``workbooks``: the scorecard and an indicator's history as XLSX;
- ``dfe_columns``: DfE's LAIT benchmarks in those CSV files and workbooks.
"""
