"""The committee pack as a task (issue 24, part 2): printed once for its month, options, draft
visibility and data version, kept in Django's storage and served again from there; with the
database task backend the request returns at once, to a page that refreshes itself (no script)
into the download once the worker has printed it. Storage has no public address."""

import threading
import time
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.tasks import TaskResultStatus
from django.tasks.signals import task_enqueued
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from indicators.models import Indicator, Value
from scorecard import pdf
from scorecard.models import PrintSlot
from scorecard.stored_prints import first_to_ask, print_stored

from .support.factories import make_indicator, make_priority, make_target
from .support.pdf_text import text_of
from .support.tasks import Worker, database_tasks, wait_until

SEPTEMBER = {"period": "2023-09"}


@pytest.fixture
def enqueued():
    """The paths of the tasks enqueued during the test, as Django's task signal tells them."""
    paths = []

    def record(sender, task_result, **kwargs):
        paths.append(task_result.task.module_path)

    task_enqueued.connect(record, weak=False)
    yield paths
    task_enqueued.disconnect(record)


def stored_pdfs(settings):
    return sorted(path.name for path in (settings.MEDIA_ROOT / "packs").glob("*/pdf/*.pdf"))


def test_a_pack_is_printed_once_and_served_again_until_the_data_changes(
    viewer_client, seed, chromium, enqueued, settings
):
    first = viewer_client.get(reverse("pack"), SEPTEMBER)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert enqueued == ["scorecard.stored_prints.print_stored"]
    again = viewer_client.get(reverse("pack"), SEPTEMBER)
    assert again.status_code == 200
    assert again.content == first.content
    assert 'filename="scorecard-pack-2023-09.pdf"' in again["Content-Disposition"]
    assert len(enqueued) == 1, "served from storage, not printed again"
    assert stored_pdfs(settings) == ["scorecard-pack-2023-09.pdf"]

    # Other options are another pack; so is the same pack after any change to the data.
    viewer_client.get(reverse("pack"), {**SEPTEMBER, "committee": "Corporate Parenting Board"})
    assert len(enqueued) == 2
    Value.objects.filter(indicator__reference="78", period="2023-09-01").update(value=Decimal("1"))
    Indicator.objects.get(reference="78").save()  # a save moves the data version on
    changed = viewer_client.get(reverse("pack"), SEPTEMBER)
    assert changed.status_code == 200 and len(enqueued) == 3
    assert len(stored_pdfs(settings)) == 3


def test_an_editors_pack_is_kept_apart_from_a_viewers(
    viewer_client, editor, seed, chromium, enqueued, settings
):
    Value.objects.create(
        indicator=Indicator.objects.get(reference="78"), period="2023-10-01", value=Decimal("12.34")
    )
    editors = Client()
    editors.force_login(editor)
    draft = editors.get(reverse("pack"), {"period": "2023-10"})
    assert 'filename="scorecard-pack-2023-10-DRAFT.pdf"' in draft["Content-Disposition"]
    # September, as an editor sees it and as a viewer does: two packs, though both published.
    editors.get(reverse("pack"), SEPTEMBER)
    viewer_client.get(reverse("pack"), SEPTEMBER)
    assert len(enqueued) == 3
    assert len(stored_pdfs(settings)) == 3
    # A viewer is still refused October, stored for an editor or not.
    assert viewer_client.get(reverse("pack"), {"period": "2023-10"}).status_code == 404
    # And storage is never reached by an address of its own.
    assert viewer_client.get("/media/packs/").status_code == 404


def test_with_the_database_backend_the_request_returns_at_once_to_a_refreshing_page(
    viewer_client, seed, chromium
):
    with database_tasks():
        started = time.monotonic()
        waiting = viewer_client.get(reverse("pack"), SEPTEMBER)
        assert time.monotonic() - started < 2
        assert waiting.status_code == 202
        page = waiting.text
        assert '<meta http-equiv="refresh" content="3">' in page
        assert "Printing the PDF pack" in page and "September 2023" in page
        assert "<script>" not in page.split("</head>")[0]
        (queued,) = DBTaskResult.objects.all()
        assert queued.task_path == "scorecard.stored_prints.print_stored"
        assert queued.status == TaskResultStatus.READY

        # The page refreshing while the pack waits does not ask for it again.
        assert viewer_client.get(reverse("pack"), SEPTEMBER).status_code == 202
        assert DBTaskResult.objects.count() == 1

        # The worker runs the task (here in this process: the worker process is tested on
        # PostgreSQL below); the next refresh is the download.
        assert print_stored.call(*queued.args_kwargs["args"]) == "printed"
        done = viewer_client.get(reverse("pack"), SEPTEMBER)
        assert done.status_code == 200 and done["Content-Type"] == "application/pdf"
        assert "end of September 2023" in text_of(done.content)[1][0]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: a task worker process reads the test database "
    "(run with DATABASE_URL=postgres://..., as scripts/test.sh does)",
)
@pytest.mark.django_db(transaction=True)
def test_the_task_worker_prints_the_pack_that_the_page_then_downloads(
    editor, chromium, settings, tmp_path
):
    indicator = make_indicator("A1", make_priority(1))
    make_target(indicator, 90)
    Value.objects.create(indicator=indicator, period="2023-09-01", value=Decimal("40"))
    client = Client()
    client.force_login(editor)
    worker = Worker(tmp_path / "worker.log", media_root=settings.MEDIA_ROOT)
    try:
        with database_tasks():
            assert client.get(reverse("pack"), SEPTEMBER).status_code == 202
            worker.start()
            wait_until(
                lambda: client.get(reverse("pack"), SEPTEMBER).status_code == 200,
                timeout=90,
                what="the pack printed by the worker",
            )
            done = client.get(reverse("pack"), SEPTEMBER)
        assert 'filename="scorecard-pack-2023-09-DRAFT.pdf"' in done["Content-Disposition"]
        assert "end of September 2023" in text_of(done.content)[1][0], worker.log()
        assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    finally:
        worker.stop()


def test_a_pack_that_could_not_be_printed_says_why_once_and_is_printed_when_asked_again(
    viewer_client, seed, chromium, monkeypatch
):
    chromium_path = pdf.CHROMIUM
    # Configuration, not a mock: the worker's server has no Chromium.
    monkeypatch.setattr(pdf, "CHROMIUM", pdf.Path("/nonexistent/chromium"))
    with database_tasks():
        assert viewer_client.get(reverse("pack"), SEPTEMBER).status_code == 202
        (queued,) = DBTaskResult.objects.all()
        assert print_stored.call(*queued.args_kwargs["args"]) == "failed"
        failed = viewer_client.get(reverse("pack"), SEPTEMBER)
        assert failed.status_code == 503
        assert "Chromium is not installed" in failed.text

        monkeypatch.setattr(pdf, "CHROMIUM", chromium_path)
        again = viewer_client.get(reverse("pack"), SEPTEMBER)
        assert again.status_code == 202, "asked again, the pack is printed again"
        assert DBTaskResult.objects.count() == 2
        queued = DBTaskResult.objects.order_by("enqueued_at").last()
        assert print_stored.call(*queued.args_kwargs["args"]) == "printed"
        assert viewer_client.get(reverse("pack"), SEPTEMBER)["Content-Type"] == "application/pdf"


def test_a_pack_is_asked_for_once_however_many_processes_and_caches_ask(viewer_client, seed):
    """The mark that a pack was asked for is a unique row of the database, not a cache key:
    each app server process without Redis has a memory cache of its own, emptied here
    between requests as another process's would be."""
    with database_tasks():
        for _ in range(3):
            cache.clear()
            assert viewer_client.get(reverse("pack"), SEPTEMBER).status_code == 202
        assert DBTaskResult.objects.count() == 1
        assert PrintSlot.objects.filter(key__startswith="asked:packs:").count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: threads writing at once (SQLite's shared in-memory test "
    "database refuses concurrent writers)",
)
@pytest.mark.django_db(transaction=True)
def test_of_many_asking_at_once_exactly_one_is_first():
    answers = []

    def ask():
        try:
            answers.append(first_to_ask("packs", "f" * 32))
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [False] * 7 + [True]
