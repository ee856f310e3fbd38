import pytest

from indicators import roles
from indicators.seed import load_seed

from .factories import make_user

pytest_plugins = ["tests.browser"]


@pytest.fixture
def seed(db):
    """The Plymouth Highlight Report (Jul-Sep 2023), exactly as published."""
    return load_seed()


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
