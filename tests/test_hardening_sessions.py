"""A session ends after the council's idle time (SCORECARD_SESSION_IDLE_MINUTES, default 60)
and 14 days after signing in however busy (accounts/idle.py)."""

import time

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.idle import LAST_SEEN, SIGNED_IN


def _set(client, **values):
    session = client.session
    for name, value in values.items():
        session[name] = value
    session.save()


def test_a_session_idle_for_longer_than_the_council_allows_ends(viewer_client):
    assert viewer_client.get(reverse("dashboard")).status_code == 200
    idle = settings.SCORECARD_SESSION_IDLE_MINUTES * 60
    _set(viewer_client, **{LAST_SEEN: time.time() - idle - 5})
    response = viewer_client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_session_used_within_the_idle_time_goes_on(viewer_client):
    idle = settings.SCORECARD_SESSION_IDLE_MINUTES * 60
    assert viewer_client.get(reverse("dashboard")).status_code == 200
    _set(viewer_client, **{LAST_SEEN: time.time() - idle + 120})
    assert viewer_client.get(reverse("dashboard")).status_code == 200


def test_a_busy_session_still_ends_14_days_after_signing_in(viewer_client):
    assert viewer_client.get(reverse("dashboard")).status_code == 200
    _set(viewer_client, **{SIGNED_IN: time.time() - 14 * 24 * 3600 - 5, LAST_SEEN: time.time()})
    assert viewer_client.get(reverse("dashboard")).status_code == 302


@pytest.mark.parametrize("minutes", [15])
def test_the_council_sets_the_idle_time(viewer_client, settings, minutes):
    settings.SCORECARD_SESSION_IDLE_MINUTES = minutes
    assert viewer_client.get(reverse("dashboard")).status_code == 200
    _set(viewer_client, **{LAST_SEEN: time.time() - minutes * 60 - 5})
    assert viewer_client.get(reverse("dashboard")).status_code == 302
