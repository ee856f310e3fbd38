import os

import pytest
from django.core.cache import cache
from django.db import connection

from indicators import roles, tenancy
from intake.quarterly_seed import load_quarterly_seed
from intake.seed import load_seed

from .support.factories import make_user
from .support.snapshots import Snapshot

# Playwright's sync API runs an event loop in the test's own thread, and Django refuses
# database calls from a thread with a running event loop unless this is set. Django reads it at
# each call, so setting it here (before any test runs) is enough: plain `pytest` needs no
# environment of its own. (Settings come from tests/settings.py, named in pyproject.toml.)
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = [
    "tests.support.browser",
    "tests.support.benchmark_demo",
    "tests.support.devon_fixture",
    "tests.support.smtp",
    "tests.support.redis_server",
]


@pytest.fixture(autouse=True, scope="session")
def every_council_outside_requests():
    """Tests read and write rows directly, outside any request: with one council, that is
    the council's. A request sets its own council's scope inside this one."""
    with tenancy.every_council():
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: data versions restart with each test's database,
    so a page cached by one test would be served to the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def own_media_root(settings, tmp_path):
    """Each test keeps what it stores (printed packs) in a folder of its own: data versions
    restart with each test's database, so a pack stored by one test would be served to the
    next."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def data_version_moves_at_each_write(request):
    """On PostgreSQL the data version moves as a writer commits (a deferred trigger,
    indicators.changes); a test on the ``db`` fixture runs in one transaction that never
    commits, so there the trigger runs at each write instead, as the test's writes would each
    have committed in use. Tests with real transactions (``transactional_db``) are left as
    they are."""
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in names or "live_server" in names
    if marker is not None:
        transactional = transactional or marker.kwargs.get("transaction", False)
    if transactional or not (marker is not None or "db" in names):
        yield
        return
    request.getfixturevalue("db")

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS indicators_data_version_at_commit IMMEDIATE")
    yield


@pytest.fixture(scope="session")
def seed_snapshots(django_db_setup, django_db_blocker):
    """Each seed loaded once for the whole session (tests/support/snapshots.py)."""
    with django_db_blocker.unblock():
        return {
            "scorecard": Snapshot(load_seed).capture(),
            "quarterly": Snapshot(load_quarterly_seed).capture(),
        }


@pytest.fixture
def seed(db, seed_snapshots):
    """The Plymouth Highlight Report (Jul-Sep 2023), exactly as published."""
    return seed_snapshots["scorecard"].restore()


@pytest.fixture
def quarterly(db, seed_snapshots):
    """The Q2 2023/24 Performance Report's tables, exactly as published."""
    return seed_snapshots["quarterly"].restore()


@pytest.fixture
def viewer(db):
    return make_user("councillor", roles.VIEWER)


@pytest.fixture
def editor(db):
    return make_user("advisor", roles.EDITOR)


@pytest.fixture
def administrator(db):
    user = make_user("admin", roles.ADMINISTRATOR)
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def no_role_user(db):
    return make_user("norole")


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client
