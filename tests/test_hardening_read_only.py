"""A database that refuses writes (PostgreSQL's ``default_transaction_read_only``, as in a
maintenance window or on a promoted replica) answers a page saying the service cannot save
just now, with status 503 and Retry-After: not a 500 (scorecard/unavailable.py). Pages that
only read still work.

PostgreSQL only: the test database itself is set read-only for new connections."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from indicators import roles
from indicators.models import Value

from .support.entry_grid import grid_data
from .support.factories import make_indicator, make_priority, make_user

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL's default_transaction_read_only "
        "(run with DATABASE_URL=postgres://..., as scripts/test.sh does)",
    ),
    pytest.mark.django_db(transaction=True),
]

MONTH = "2023-09"


@pytest.fixture
def read_only_database():
    """Every new connection to the test database is read-only until the test ends."""
    name = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    connection.close()  # the next query opens a new, read-only, connection
    yield
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SET default_transaction_read_only = off")
        cursor.execute(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
    connection.close()


def test_a_save_while_the_database_refuses_writes_says_so_with_a_503(read_only_database_setup):
    client, data, indicator = read_only_database_setup
    response = client.post(reverse("entry_month", args=[MONTH]), data)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Sorry, the service cannot save just now" in response.text
    assert "Nothing you sent was saved" in response.text
    # Reading still works.
    assert client.get(reverse("indicator", args=[indicator.reference])).status_code == 200
    assert not Value.objects.filter(indicator=indicator).exists()


@pytest.fixture
def read_only_database_setup(request):
    indicator = make_indicator("C1", make_priority(1))
    client = Client(raise_request_exception=False)
    client.force_login(make_user("advisor", roles.EDITOR))
    data = grid_data(client.get(reverse("entry_month", args=[MONTH])))
    data[f"value_{indicator.id}"] = "42.0%"
    request.getfixturevalue("read_only_database")
    return client, data, indicator
