"""Paging a django-tables2 table by ``?page=`` alone.

django-tables2's RequestConfig also reads ``?per_page=`` from the address, and ``per_page=0``
or ``-1`` raised an error (a 500) while ``per_page=100000000`` put every row on one page; the
page size here is the page's own. A page number that is not one, or is past the end, shows
the first or the last page.
"""

from django.core.paginator import EmptyPage


def paginate(table, request, per_page):
    table.request = request
    asked = request.GET.get(table.prefixed_page_field, "")
    page = int(asked) if asked.isdigit() and len(asked) <= 9 else 1
    try:
        table.paginate(per_page=per_page, page=max(page, 1))
    except EmptyPage:
        table.page = table.paginator.page(table.paginator.num_pages)
    return table
