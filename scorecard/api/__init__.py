"""The read-only JSON (and CSV) API under ``/api/v1/``: one more way of showing the data, so
it prints the judged rows the pages print (decision 0006)."""
