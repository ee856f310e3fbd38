"""The data version moves in commit order, so a cached page follows the later commit.

Two real writers, each a thread with its own connection to the test database, write a figure
the way the imports do (one UPDATE, which sends no signal, and ``data_changed()``). The first
logs its change first; they then commit in either order, and a page read in between is cached.
Whichever commits last, the page read after it shows its figure: with the log's largest id as
the version, a writer that logged first and committed last left the version where the shorter
writer had put it, and the page stayed stale.

PostgreSQL only: SQLite lets one writer at a time into a transaction, so there the two cannot
interleave at all.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from indicators import roles
from indicators.changes import data_changed, data_version
from indicators.models import Value
from indicators.tenancy import every_council

from .support.factories import make_indicator, make_priority, make_user, make_values

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: two writers' transactions interleave "
        "(run with DATABASE_URL=postgres://..., as scripts/test.sh does)",
    ),
    pytest.mark.django_db(transaction=True),
]


class Writer(threading.Thread):
    """Logs its change and writes ``figure`` to the indicator's month, then waits for
    ``commit`` before committing (on its own connection)."""

    def __init__(self, indicator_id: int, figure: str) -> None:
        super().__init__()
        self.indicator_id = indicator_id
        self.figure = figure
        self.logged = threading.Event()
        self.commit = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        # A new thread starts outside the tests' every-council scope (indicators.tenancy).
        with every_council():
            self.write()

    def write(self) -> None:
        try:
            with transaction.atomic():
                data_changed()  # the log's id is taken here, at INSERT
                Value.objects.filter(indicator_id=self.indicator_id).update(
                    value=Decimal(self.figure)
                )
                self.logged.set()
                assert self.commit.wait(30)
        except BaseException as error:  # reported by the test
            self.error = error
            self.logged.set()
        finally:
            connections.close_all()

    def finish(self) -> None:
        self.commit.set()
        self.join(30)
        assert self.error is None, self.error


@pytest.fixture
def setting():
    priority = make_priority(1)
    first = make_indicator("A1", priority)
    second = make_indicator("B2", priority)
    make_values(first, "2023-09", ["10"])
    make_values(second, "2023-09", ["20"])
    client = Client()
    client.force_login(make_user("advisor", roles.EDITOR))  # sees the draft figures
    return first, second, client


def page(client: Client, reference: str) -> str:
    response = client.get(reverse("indicator", args=[reference]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("first_commits_last", [True, False])
def test_the_cached_page_follows_the_later_commit(setting, first_commits_last):
    first_indicator, second_indicator, client = setting
    assert "10.0%" in page(client, "A1")
    first = Writer(first_indicator.id, "61")
    second = Writer(second_indicator.id, "72")
    first.start()
    assert first.logged.wait(30)
    second.start()
    assert second.logged.wait(30)
    early, late = (second, first) if first_commits_last else (first, second)

    before = data_version()
    early.finish()
    assert data_version() > before
    # Read (and cached) between the two commits: the early writer's figure is there.
    early_reference = "A1" if early is first else "B2"
    assert f"{early.figure}.0%" in page(client, early_reference)
    late_reference = "A1" if late is first else "B2"
    assert f"{late.figure}.0%" not in page(client, late_reference)

    between = data_version()
    late.finish()
    # The later commit moved the version on: the cached page is computed afresh.
    assert f"{late.figure}.0%" in page(client, late_reference)
    assert data_version() > between
