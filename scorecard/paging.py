"""Paging a django-tables2 table by ``?page=`` alone.

django-tables2's RequestConfig also reads ``?per_page=`` from the address, and ``per_page=0``
or ``-1`` raised an error (a 500) while ``per_page=100000000`` put every row on one page; the
page size here is the page's own. A page that is not a number shows the first page; a number
that is not a page (0, -1, 99) shows the last, as RequestConfig did.
"""

import django_tables2 as tables
from django.core.paginator import EmptyPage
from django.http import HttpRequest


def asked_page(asked: str) -> int:
    """The page number an address asks for: 1 when it is not a number."""
    try:
        return int(asked) if len(asked) <= 10 else 1
    except ValueError:
        return 1


def paginate(table: tables.Table, request: HttpRequest, per_page: int) -> tables.Table:
    table.request = request
    page = asked_page(request.GET.get(table.prefixed_page_field, ""))
    try:
        table.paginate(per_page=per_page, page=page)
    except EmptyPage:
        table.page = table.paginator.page(table.paginator.num_pages)
    return table
