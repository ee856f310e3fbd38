"""The indicator page's table of every month: 24 to a page, GOV.UK pagination markup."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import PublishedMonth
from indicators.periods import Month

from .support.factories import make_indicator, make_priority, make_values

FIRST = Month(2021, 4)  # 30 months: Apr-21 to Sep-23
VALUES = [40 + n for n in range(30)]
URL = reverse("indicator", args=["950"])


@pytest.fixture
def thirty_months(db):
    indicator = make_indicator("950", make_priority(1))
    make_values(indicator, FIRST.iso, VALUES)
    PublishedMonth.objects.bulk_create(
        PublishedMonth(period=FIRST.plus(n).first_day, published_at=timezone.now())
        for n in range(len(VALUES))
    )
    return indicator


def _months_in_table(html):
    table = html[html.index('id="history-table"') :]
    table = table[: table.index("</table>")]
    return re.findall(r'<th scope="row"[^>]*>([A-Z][a-z]{2}-\d{2})</th>', table)


def test_the_first_page_shows_the_newest_24_months(viewer_client, thirty_months):
    html = viewer_client.get(URL).content.decode()
    months = _months_in_table(html)
    assert len(months) == 24
    assert months[0] == "Sep-23" and months[-1] == "Oct-21"
    assert "Every month, newest first: 1 to 24 of 30 (page 1 of 2)" in html
    nav = html[html.index('<nav class="govuk-pagination"') :]
    nav = nav[: nav.index("</nav>")]
    assert 'aria-current="page">1</a>' in nav
    assert 'href="?page=2#history-table" rel="next"' in nav
    assert 'rel="prev"' not in nav  # no "Previous" on the first page


def test_the_second_page_shows_the_oldest_months(viewer_client, thirty_months):
    html = viewer_client.get(URL, {"page": 2}).content.decode()
    assert _months_in_table(html) == ["Sep-21", "Aug-21", "Jul-21", "Jun-21", "May-21", "Apr-21"]
    assert "25 to 30 of 30 (page 2 of 2)" in html
    assert 'href="?page=1#history-table" rel="prev"' in html


@pytest.mark.parametrize(("asked", "shown"), [("abc", 1), ("0", 2), ("99", 2), ("-1", 2)])
def test_a_page_that_is_not_there_shows_the_nearest(viewer_client, thirty_months, asked, shown):
    response = viewer_client.get(URL, {"page": asked})
    assert response.status_code == 200
    assert f"(page {shown} of 2)" in response.content.decode()


def test_a_short_history_has_no_pagination(viewer_client, thirty_months):
    PublishedMonth.objects.filter(period__lt=Month(2022, 1).first_day).delete()
    html = viewer_client.get(URL).content.decode()
    assert len(_months_in_table(html)) == 21  # Jan-22 to Sep-23: published months only
    assert "govuk-pagination" not in html
    assert "Every month, newest first</caption>" in html


def test_the_chart_still_draws_every_month(viewer_client, thirty_months):
    """Paging the table does not page the chart: it shows the whole history."""
    response = viewer_client.get(URL, {"page": 2})
    assert response.context["history"].row.history()[0][0] == FIRST
    assert len(response.context["history"].row.history()) == 30
