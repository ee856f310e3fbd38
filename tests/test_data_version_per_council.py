"""Each council's data version moves on its own (indicators.changes, migration 0032): one
council's month end does not make every other council's cached pages be worked out again,
while a change to what every council shows (DfE's LAIT data, a consortium, the platform's own
work outside any council) moves every council's version.

The two councils share one database: the demonstration council (A) and a second one (B).
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from indicators import roles
from indicators.changes import VERSION_TABLE, data_changed, data_version
from indicators.models import Consortium, Council, Value
from indicators.periods import Month
from indicators.tenancy import council_scope

from .support.entry_grid import give_reasons, grid_data, key
from .support.factories import make_indicator, make_priority, make_user, make_values
from .support.lait import import_extract

A_HOST, B_HOST = "a.example", "b.example"
SEP = "2023-09"


@pytest.fixture
def councils(seed, settings):
    settings.ALLOWED_HOSTS = [A_HOST, B_HOST, "testserver"]
    a = Council.objects.get()
    a.host = A_HOST
    a.save()
    b = Council.objects.create(slug="borsetshire", name="Borsetshire", host=B_HOST)
    with council_scope(b):
        indicator = make_indicator("73", make_priority(1))
        make_values(indicator, "2023-04", [18, 19, 21, 22, 20, 23])
    return a, b


def _versions(a, b):
    return data_version(a.pk), data_version(b.pk)


def test_a_change_in_one_council_moves_its_version_only(councils):
    a, b = councils
    a_before, b_before = _versions(a, b)
    with council_scope(b):
        value = Value.objects.get(indicator__reference="73", period="2023-09-01")
        value.value = "24"
        value._change_reason = "Corrected."
        value.save()
    assert _versions(a, b) == (a_before, b_before + 1)
    with council_scope(a):
        data_changed()  # a bulk path of A's (an import) says so itself
    assert _versions(a, b) == (a_before + 1, b_before + 1)


def test_what_every_council_shows_moves_every_council_s_version(councils):
    a, b = councils
    a_before, b_before = _versions(a, b)
    with council_scope(a):
        # A consortium belongs to no council, whichever council's address it was saved at.
        Consortium.objects.create(name="South West", slug="south-west")
    assert _versions(a, b) == (a_before + 1, b_before + 1)
    with council_scope(a):
        # DfE's LAIT data, shared by every council, imported at A's address (it sets A's
        # authority number too).
        import_extract()
    a_after, b_after = _versions(a, b)
    # B's version moved on though nothing of B's was written; A's moved further, by the
    # comparators worked out for A (A's own rows).
    assert b_after > b_before + 1
    assert a_after - a_before > b_after - b_before
    data_changed()  # outside any council: the platform's own work
    assert _versions(a, b) == (a_after + 1, b_after + 1)


def test_every_council_together_moves_on_any_change(councils):
    a, b = councils
    before = data_version()
    with council_scope(b):
        data_changed()
    with council_scope(a):
        data_changed()
    assert data_version() == before + 2


def test_b_s_change_leaves_a_s_cached_page_served_from_the_cache(
    councils, django_assert_num_queries
):
    a, b = councils
    with council_scope(a):
        viewer = make_user("a-viewer", roles.VIEWER)
    with council_scope(b):
        editor = make_user("b-editor", roles.EDITOR)
    reader = Client(HTTP_HOST=A_HOST)
    reader.force_login(viewer)
    url = reverse("dashboard")
    assert reader.get(url, {"period": SEP}).status_code == 200
    # B's editor changes a figure through B's grid page.
    writer = Client(HTTP_HOST=B_HOST)
    writer.force_login(editor)
    b_before = data_version(b.pk)
    page = writer.get(reverse("entry_month", args=[SEP]))
    assert page.status_code == 200
    data = grid_data(page)
    with council_scope(b):
        data[f"value_{key('73')}"] = "25"
        give_reasons(data, "73")
    assert writer.post(reverse("entry_month", args=[SEP]), data).status_code == 302
    assert data_version(b.pk) > b_before
    # Session, user, the council of the address, the role there, the data version: A's body
    # comes from the cache, as it did before B's change.
    with django_assert_num_queries(5):
        response = reader.get(url, {"period": SEP})
    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_single_version_becomes_every_council_s_and_back(seed):
    """Migration 0032 moves the one counter to the shared row, so every council's version
    starts where the single version stood; undoing it adds the rows back into one."""
    council = Council.objects.get()
    data_changed()
    executor = MigrationExecutor(connection)
    executor.migrate([("indicators", "0031_about_an_indicator_or_a_priority")])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, number FROM {VERSION_TABLE}")
        (one,) = cursor.fetchall()
    assert one[0] == 1
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert data_version(council.pk) == one[1] == data_version()
    with council_scope(council):
        data_changed()
    assert data_version(council.pk) == one[1] + 1
    # The change log's trigger was made again: a change still moves the version.
    month = Month(2023, 9)
    with council_scope(council):
        Value.objects.filter(period=month.first_day).first().save()
    assert data_version(council.pk) == one[1] + 2
    executor = MigrationExecutor(connection)
    executor.migrate([("indicators", "0031_about_an_indicator_or_a_priority")])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, number FROM {VERSION_TABLE}")
        assert cursor.fetchall() == [(1, one[1] + 2)]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert data_version(council.pk) == one[1] + 2
