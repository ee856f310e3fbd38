"""Upgrading a database that holds text longer than the 2,000-character limit (migration 0014):
the upgrade goes through, each long text is shortened with a mark saying so, and its history
keeps the full text. Runs on SQLite and, in the test command, on PostgreSQL."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("indicators", "0013_setupupload_plan")
LIMIT = ("indicators", "0014_text_limits")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.fixture
def before_the_limit(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    migrate(executor_latest())


def executor_latest():
    executor = MigrationExecutor(connection)
    return max(
        (key for key in executor.loader.graph.leaf_nodes() if key[0] == "indicators"),
        default=None,
    )


def test_text_over_the_limit_is_shortened_on_upgrade_and_kept_whole_in_the_history(
    before_the_limit,
):
    apps = before_the_limit
    priority = apps.get_model("indicators", "Priority").objects.create(
        number=1, title="Early help", commitment="", lead_officer="", display_order=1
    )
    indicator = apps.get_model("indicators", "Indicator").objects.create(
        reference="10", description="Re-referrals", unit="percent", polarity="low"
    )
    long_comment = "Commentary sentence. " * 150  # 3,150 characters
    short_comment = "Within the limit."
    commentary = apps.get_model("indicators", "Commentary")
    long_row = commentary.objects.create(
        indicator=indicator, period=dt.date(2023, 9, 1), text=long_comment
    )
    short_row = commentary.objects.create(
        indicator=indicator, period=dt.date(2023, 8, 1), text=short_comment
    )
    milestone = apps.get_model("indicators", "Milestone").objects.create(
        priority=priority, workstream="Recruitment"
    )
    long_next = "Next step. " * 300  # 3,300 characters
    update = apps.get_model("indicators", "MilestoneUpdate").objects.create(
        milestone=milestone, period=dt.date(2023, 9, 1), this_period="Done.", next_period=long_next
    )

    after = migrate(LIMIT)

    stored = after.get_model("indicators", "Commentary").objects.get(pk=long_row.pk)
    assert len(stored.text) == 2000
    assert stored.text.startswith(long_comment[:1000])
    assert stored.text.endswith(
        "(shortened to 2,000 characters on upgrade: the full text is in the history)"
    )
    history = after.get_model("indicators", "HistoricalCommentary").objects.filter(id=long_row.pk)
    assert long_comment in {record.text for record in history}
    assert stored.text in {record.text for record in history}
    # A text within the limit is untouched and gets no history of the upgrade.
    untouched = after.get_model("indicators", "Commentary").objects.get(pk=short_row.pk)
    assert untouched.text == short_comment
    assert (
        not after.get_model("indicators", "HistoricalCommentary")
        .objects.filter(id=short_row.pk)
        .exists()
    )
    # The milestone update: only the long part shortened; the full text in its history.
    stored_update = after.get_model("indicators", "MilestoneUpdate").objects.get(pk=update.pk)
    assert stored_update.this_period == "Done."
    assert len(stored_update.next_period) == 2000
    update_history = after.get_model("indicators", "HistoricalMilestoneUpdate").objects.filter(
        id=update.pk
    )
    assert long_next in {record.next_period for record in update_history}
