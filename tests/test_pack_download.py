"""The committee pack is the first action on the dashboard and on every priority page: one
button for the page's month, with the council's committee already on the cover."""

import re

from django.urls import reverse

from indicators.models import CommitteeMeeting, Council


def main_content(html):
    return html[html.index('id="main-content"') :]


def test_the_dashboard_and_each_priority_page_open_with_the_pack_download(viewer_client, seed):
    council = Council.current()
    council.committee_name = "Children and Young People Scrutiny Panel"
    council.save()
    # No meeting in the calendar: the council's committee (a meeting's own name is in
    # tests/test_committee_meetings.py).
    CommitteeMeeting.objects.all().delete()
    for url in (reverse("dashboard"), *[reverse("priority", args=[n]) for n in (1, 4, 6)]):
        main = main_content(viewer_client.get(url, {"period": "2023-09"}).text)
        form = re.search(r"<form\b.*?</form>", main, flags=re.S).group(0)
        assert f'action="{reverse("pack")}"' in form, url
        assert 'name="period" value="2023-09"' in form
        assert 'value="Children and Young People Scrutiny Panel"' in form
        assert "Download the committee pack (PDF)" in form
        # Before the month's tables and any collapsed section: the first thing to do.
        button = main.index("Download the committee pack")
        assert button < main.index("<table") and button < main.index("<details")
