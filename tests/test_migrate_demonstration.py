"""The demonstration database goes back to before councils and forward again without loss
(issue 23, part 3).

The demonstration (``manage.py load_demo``: the seed, its quarterly report, the synthetic
history, DfE's benchmarks, the three demonstration users and their meeting) is loaded at the
head of the migrations, and every page, export and API answer its councillor, advisor and
administrator can reach is read. The database is then migrated back to the state before
councils (indicators 0025, where the council is a single row and roles are Django groups),
checked to hold no trace of councils, kept as the "existing single-council database", and
migrated forward to the head with Django's MigrationExecutor, as ``manage.py migrate`` would.
Then every table's rows (every column, ordered by primary key) are as they were at the head,
every row of the single-council database is in the head's tables with the same values, and
every response is, byte for byte once normalised, the one read before.

The reverse operations this needs (0028's memberships back to groups, 0026's council back to
the single row, the refusal to roll back what the old schema cannot hold) are described in
docs/decisions/0017-many-councils.md.
"""

import io
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse

from indicators.changes import data_version
from indicators.models import (
    ApiToken,
    CommitteeMeeting,
    Council,
    Event,
    Indicator,
    Priority,
    Question,
)
from indicators.tenancy import council_scope
from intake.management.commands.load_demo import DEMO_USERS

from .support.routes import admin_model, named_routes

BEFORE_COUNCILS = [("indicators", "0025_events_and_signoff")]

# Not compared row for row, and why:
# - django_migrations: the rows of the migrations unapplied and applied again are written
#   anew (new ids and times); that is the executor's own record, not the data.
# - the history of memberships, which the old schema cannot hold: before councils a role was
#   a group, and groups keep no history, so HistoricalMembership is dropped by the rollback
#   and starts empty again.
# - the data version's counters (0032): before it one counter for the database; going back
#   adds every council's counter into it, and forward it becomes the shared counter. What is
#   compared is what the cache reads: the database's version, the same, and the council's,
#   never behind where it stood.
NOT_COMPARED = {
    "django_migrations",
    "indicators_historicalmembership",
    "indicators_dataversion",
}
# Memberships are made again by 0028 from the groups: the same people, council and roles,
# under ids the new table gives them.
COMPARED_WITHOUT_ID = {"indicators_membership"}
# The change log's council (0032) says which counter a change moved when it was written; the
# changes from before 0032 moved the one counter, which is the shared one once forward again.
COMPARED_WITHOUT_COUNCIL = {"indicators_datachange"}

# PDFs are printed by Chromium from the same judged rows the HTML pages print (and carry the
# time they were printed); the pages and spreadsheets are compared instead.
PDF_ROUTES = {"pack", "quarterly_report_pdf", "consortium_pdf", "issued_pack"}
# GET on these changes something or needs a secret link: not pages a user reads.
SKIPPED_ROUTES = {"logout", "admin:logout", "password_reset_confirm", "admin:view_on_site"}
# The admin's delete confirmations ("_delete") are left out too, to keep the test quick: each
# lists the rows its deletion would take (the council's, nearly every row), which the tables'
# comparison covers.
MONTHS = ["2023-07", "2023-08", "2023-09"]
# Pages that take no month: read once.
MONTHLESS = ("/admin/", "/accounts/", "/api/v1/schema/", "/api/v1/docs/")


def _rows():
    """{table: (columns, rows)} for every table in the database, every column, ordered by its
    primary key (by every column where there is none)."""
    introspection = connection.introspection
    found = {}
    with connection.cursor() as cursor:
        for table in sorted(introspection.table_names(cursor)):
            if table in NOT_COMPARED:
                continue
            columns = [c.name for c in introspection.get_table_description(cursor, table)]
            key = introspection.get_primary_key_column(cursor, table)
            order = [key] if key else columns
            quote = connection.ops.quote_name
            cursor.execute(
                f"SELECT {', '.join(map(quote, columns))} FROM {quote(table)} "
                f"ORDER BY {', '.join(map(quote, order))}"
            )
            found[table] = (columns, [tuple(row) for row in cursor.fetchall()])
    return found


def _without(columns, rows, dropped):
    kept = [i for i, column in enumerate(columns) if column not in dropped]
    return [tuple(row[i] for i in kept) for row in rows]


def _comparable(table, columns, rows):
    if table in COMPARED_WITHOUT_ID:
        return sorted(_without(columns, rows, {"id"}))
    if table in COMPARED_WITHOUT_COUNCIL:
        return _without(columns, rows, {"council_id"})
    return rows


# What legitimately differs from one request to the next, and nothing else: the CSRF token
# (masked afresh for every response), the CSP nonce (new for every response), the time of the
# request an admin form offers a new row. A spreadsheet is compared cell by cell (its zip
# holds the time it was written), never byte by byte.
_PER_REQUEST = [
    (re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+'), rb"\1CSRF"),
    (re.compile(rb'(nonce=")[^"]+'), rb"\1NONCE"),
    # The admin's empty forms offer the time of the request as a new row's date and time.
    (re.compile(rb'(name="(?:initial-)?\w+_0" value=")\d\d/\d\d/\d{4}'), rb"\1TODAY"),
    (re.compile(rb'(name="(?:initial-)?\w+_1" value=")\d\d:\d\d:\d\d'), rb"\1NOW"),
]


def _body(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return [(sheet.title, list(sheet.iter_rows(values_only=True))) for sheet in book.worksheets]
    for pattern, replacement in _PER_REQUEST:
        body = pattern.sub(replacement, body)
    return body


def _demonstration_values():
    indicators = list(Indicator.objects.order_by("pk"))
    return {
        "period": MONTHS,
        "label": ["2023-24-q2"],
        "number": list(Priority.objects.order_by("number").values_list("number", flat=True)),
        "reference": [indicator.reference for indicator in indicators],
        "pk": sorted(
            {
                *Question.objects.values_list("pk", flat=True),
                *CommitteeMeeting.objects.values_list("pk", flat=True),
                *Event.objects.values_list("pk", flat=True),
            }
        ),
        "id": [str(pk) for pk in Question.objects.order_by("pk").values_list("pk", flat=True)],
        "token_id": list(ApiToken.objects.order_by("pk").values_list("pk", flat=True)),
        "app_label": ["indicators", "auth", "axes", "scorecard"],
    }


def _admin_object(name):
    """For an admin route of a model (admin:indicators_value_change), its first row's id."""
    model = admin_model(name, actions=("change", "history"))
    if model is None:
        return None
    row = model._base_manager.order_by("pk").first()
    return None if row is None else str(row.pk)


def _addresses(values):
    """Every address of the URLconf with the demonstration's own ids, references and months."""
    for name, arguments in named_routes(get_resolver()):
        if name in PDF_ROUTES | SKIPPED_ROUTES or name.endswith("_delete"):
            continue
        combinations = [{}]
        for argument in arguments:
            chosen = values.get(argument)
            if argument == "object_id":
                found = _admin_object(name)
                chosen = [found] if found else None
            if not chosen:
                combinations = []
                break
            combinations = [{**c, argument: v} for c in combinations for v in chosen]
        for kwargs in combinations:
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
            yield url
            if not arguments and not url.startswith(MONTHLESS):
                # The pages that take a month as a query: each of the demonstration's months.
                yield from (f"{url}?period={month}" for month in MONTHS)


def _read_every_page(clients, values):
    """{(user, url): (status, body)} for every address the demonstration's users reach: the
    councillor (published months only) and the advisor (drafts too) every page outside the
    admin site; the administrator the admin site and the pages the advisor may not open (the
    rest they see as the advisor does)."""
    cache.clear()  # what the pages show is worked out from the database, not remembered
    addresses = sorted(set(_addresses(values)))
    outside_admin = [url for url in addresses if not url.startswith("/admin/")]
    read = {}

    def read_as(username, urls):
        for url in urls:
            response = clients[username].get(url)
            assert response.status_code < 500, url
            read[username, url] = (response.status_code, _body(response))

    read_as("councillor", outside_admin)
    read_as("advisor", outside_admin)
    refused = [url for url in outside_admin if read["advisor", url][0] != 200]
    read_as("admin", [url for url in addresses if url.startswith("/admin/")] + refused)
    return read


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_the_demonstration_database_goes_back_before_councils_and_forward_without_loss():
    call_command("load_demo", stdout=io.StringIO())
    # A database from before councils had its council as the single row 1 (0008's check); the
    # sequences restart for this test so that the demonstration's council is made as row 1 on
    # PostgreSQL too, as it was in every such database.
    council = Council.objects.get()
    assert council.pk == 1
    clients = {}
    for username, _role, _password in DEMO_USERS:
        client = Client()
        user = get_user_model().objects.get(username=username)
        client.force_login(user)
        # A token each, never used: the API is read with the session (DRF's session
        # authentication), so reading it writes no token use and the pages that show them
        # read the same twice.
        ApiToken.issue(user, f"{username}'s Power BI")
        clients[username] = client
    values = _demonstration_values()
    pages_before = _read_every_page(clients, values)
    assert sum(status == 200 for status, _ in pages_before.values()) > 200
    tables_before = _rows()
    versions_before = (data_version(council.pk), data_version())

    _migrate(BEFORE_COUNCILS)
    single_council = _rows()
    # No trace of councils: no council key, no memberships or consortia, the council's
    # address and short name gone, roles held as groups again.
    for table, (columns, _) in single_council.items():
        assert "council_id" not in columns, table
    council_columns = single_council["indicators_council"][0]
    assert "slug" not in council_columns and "host" not in council_columns
    for gone in ("indicators_membership", "indicators_consortium", "indicators_sharedindicator"):
        assert gone not in single_council
    assert len(single_council["indicators_council"][1]) == 1
    assert len(single_council["auth_user_groups"][1]) == len(DEMO_USERS)

    _migrate(None)
    tables_after = _rows()
    # The database's version is as it was. The council's never goes back: going back adds
    # every counter into one (rows left by councils that are gone too: the counters are no
    # model, so a test's flush leaves them), which forward is the shared one; so the council's
    # is the database's, at or past where it stood.
    assert data_version() == versions_before[1]
    assert versions_before[0] <= data_version(council.pk) == versions_before[1]

    assert sorted(tables_after) == sorted(tables_before)
    different = [
        table
        for table, (columns, rows) in tables_before.items()
        if (columns, _comparable(table, columns, rows))
        != (tables_after[table][0], _comparable(table, *tables_after[table]))
    ]
    assert different == []
    # Every row of the single-council database, with every column it had, is at the head.
    for table, (columns, rows) in single_council.items():
        if table in NOT_COMPARED or table == "auth_user_groups":
            continue
        after_columns, after_rows = tables_after[table]
        new = set(after_columns) - set(columns)
        assert _without(after_columns, after_rows, new) == rows, table
    council_keys = {
        row[columns.index("council_id")]
        for table, (columns, rows) in tables_after.items()
        if "council_id" in columns and table not in COMPARED_WITHOUT_COUNCIL
        for row in rows
    }
    assert council_keys <= {council.pk}

    pages_after = _read_every_page(clients, values)
    assert sorted(pages_after) == sorted(pages_before)
    changed = [key for key, page in pages_before.items() if pages_after[key] != page]
    assert changed == []
    # The data version's triggers were made again: a change moves the council's version.
    with council_scope(council):
        Indicator.objects.order_by("pk").first().save()
    assert data_version(council.pk) > versions_before[0]
