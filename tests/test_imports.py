"""Spreadsheet imports through the pages and the command: preview, confirm, atomicity,
idempotence. Parsing and row-level problems are tested in test_import_reader.py."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from indicators.models import ImportBatch, Value
from intake.figure_import.plan import ImportRefused, confirm_batch

SAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "samples"

LONG_CSV = (
    "reference,month,value,numerator,denominator,status,commentary\n"
    "7,2023-10,61.0%,,,,Improvement maintained in October.\n"
    "10,2023-10,18.0,,,,\n"
    "73,2023-10,7.4%,15,204,,\n"
    "76,2023-10,Not available,,,,\n"
    "7,2023-09,58.2%,,,,\n"
)


def upload(client, content, name="figures.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(reverse("import_upload"), {"file": SimpleUploadedFile(name, data)})


def preview(client, content, name="figures.csv"):
    response = upload(client, content, name)
    assert response.status_code == 302, response.context["form"].errors
    return client.get(response.url), response.url


def october(reference):
    return Value.objects.filter(indicator__reference=reference, period="2023-10-01").first()


def test_the_preview_lists_every_change_and_saves_nothing(client, seed, editor):
    client.force_login(editor)
    page, _ = preview(client, LONG_CSV)
    plan = page.context["plan"]
    assert [(c.indicator.reference, c.month.iso, c.action) for c in plan.changes] == [
        ("7", "2023-10", "add"),
        ("10", "2023-10", "add"),
        ("73", "2023-10", "add"),
        ("76", "2023-10", "add"),
    ]
    assert plan.unchanged == 1  # ID 7 Sep-23 is already 58.2%
    assert "61.0%" in page.text and "7.4%" in page.text
    assert october("7") is None


def test_confirming_writes_every_figure_and_comment_in_one_go(client, seed, editor):
    client.force_login(editor)
    page, url = preview(client, LONG_CSV)
    response = client.post(url, {"action": "confirm", "digest": page.context["plan"].digest()})
    assert response.status_code == 302
    assert october("7").value == Decimal("61.0")
    assert october("7").entered_by == editor
    assert (october("73").numerator, october("73").denominator) == (
        Decimal(15),
        Decimal(204),
    )
    assert october("76").status == "not_available" and october("76").value is None
    assert october("7").history.get().history_user == editor
    assert ImportBatch.objects.get().status == ImportBatch.Status.APPLIED


def test_importing_the_same_file_twice_changes_nothing_the_second_time(client, seed, editor):
    client.force_login(editor)
    page, url = preview(client, LONG_CSV)
    client.post(url, {"action": "confirm", "digest": page.context["plan"].digest()})
    history_before = Value.history.count()
    page, url = preview(client, LONG_CSV)
    plan = page.context["plan"]
    assert plan.changes == [] and plan.unchanged == 5
    assert "nothing to import" in page.text
    client.post(url, {"action": "confirm", "digest": plan.digest()})
    assert Value.history.count() == history_before


def test_a_change_to_the_line_between_preview_and_confirm_is_refused(client, seed, editor):
    client.force_login(editor)
    page, url = preview(client, LONG_CSV.replace("7,2023-09,58.2%", "7,2023-09,59.0%"))
    digest = page.context["plan"].digest()
    figure = Value.objects.get(indicator__reference="7", period="2023-09-01")
    figure.value = Decimal("57.0")
    figure.save()  # someone else corrects it meanwhile
    response = client.post(
        url,
        {"action": "confirm", "digest": digest, "revision_reason": "Corrected."},
        follow=True,
    )
    assert "Figures changed since you previewed this file" in response.text
    assert october("7") is None


def test_a_file_with_problems_imports_only_if_the_editor_chooses_the_valid_rows(
    client, seed, editor
):
    client.force_login(editor)
    content = LONG_CSV + "999,2023-10,5,,,,\n7,2023-10,x,,,,\n"
    page, url = preview(client, content)
    plan = page.context["plan"]
    problems = {(p.row, p.column) for p in plan.problems}
    assert (7, "reference") in problems  # unknown indicator 999
    assert any(row == 8 for row, _ in problems)  # 'x' refused, also a duplicate of row 2
    assert "999" in page.text
    response = client.post(url, {"action": "confirm", "digest": plan.digest()}, follow=True)
    assert "The file has problems" in response.text
    assert october("7") is None
    client.post(url, {"action": "confirm", "digest": plan.digest(), "accept_valid_rows": "yes"})
    assert october("7").value == Decimal("61.0")


@pytest.fixture
def refuse_999_at_the_database(db):
    """A real database trigger that rejects one value, to prove the import is atomic."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_999() RETURNS trigger AS $$ BEGIN "
                "IF NEW.value = 999 THEN RAISE EXCEPTION 'refused by test trigger'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_999 BEFORE INSERT OR UPDATE ON indicators_value "
                "FOR EACH ROW EXECUTE FUNCTION refuse_999()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse_999 BEFORE INSERT ON indicators_value "
                "WHEN NEW.value = 999 BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END"
            )


def test_an_import_whose_last_row_fails_at_the_database_saves_nothing(
    seed, editor, refuse_999_at_the_database
):
    content = LONG_CSV + "63,2023-10,999,,,,\n"
    batch = ImportBatch.objects.create(filename="f.csv", content=content.encode())
    from intake.figure_import.plan import preview_batch

    plan = preview_batch(batch)
    assert plan.changes[-1].figure.value == Decimal("999")
    with pytest.raises(Exception, match="refused by test trigger"):
        confirm_batch(batch, editor, digest=plan.digest())
    assert october("7") is None and october("10") is None
    assert not Value.history.filter(period="2023-10-01").exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED


def test_a_confirmed_batch_cannot_be_confirmed_again(seed, editor):
    batch = ImportBatch.objects.create(filename="f.csv", content=LONG_CSV.encode())
    from intake.figure_import.plan import preview_batch

    digest = preview_batch(batch).digest()
    confirm_batch(batch, editor, digest=digest)
    with pytest.raises(ImportRefused, match="already been imported"):
        confirm_batch(batch, editor, digest=digest)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "empty"),
        ("report.pdf", b"%PDF-1.7 binary", "CSV"),
        ("junk.csv", bytes(range(256)) * 10, "not a text"),
    ],
)
def test_unreadable_uploads_get_a_clear_message(client, seed, editor, name, content, message):
    client.force_login(editor)
    response = upload(client, content, name)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert message.lower() in errors.lower()
    assert not ImportBatch.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, seed, editor, settings):
    client.force_login(editor)
    big = b"reference,month,value\n" + b"7,2023-10,1\n" * 600_000
    response = upload(client, big)
    assert "the limit is 5 MB" in response.context["form"].errors["file"][0]


def test_the_report_layout_xlsx_from_the_seed_imports(client, seed, editor):
    Value.objects.filter(indicator__reference__in=["69", "76", "77", "78"]).delete()
    client.force_login(editor)
    content = (SAMPLES / "priority6_report_layout.xlsx").read_bytes()
    page, url = preview(client, content, "priority6.xlsx")
    plan = page.context["plan"]
    assert len(plan.added) == 12 and not plan.problems
    assert "Target column was not imported" in page.text
    # Jul-Sep 23 are published: the figures are revisions, with a reason.
    assert "September 2023 are published" in page.text
    client.post(
        url,
        {"action": "confirm", "digest": plan.digest(), "revision_reason": "Priority 6 re-sent."},
    )
    assert Value.objects.get(indicator__reference="78", period="2023-09-01").value == Decimal(
        "11.25"
    )
    assert Value.objects.get(indicator__reference="76", period="2023-08-01").status == (
        "not_available"
    )


def test_the_command_dry_run_prints_the_preview_and_saves_nothing(seed, tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text(LONG_CSV)
    out = io.StringIO()
    call_command("import_figures", str(path), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "add    row 2: 7 Oct-23: (none) -> 61.0%" in text
    assert "4 to add, 0 to change, 1 unchanged" in text
    assert "Dry run: nothing was saved." in text
    assert october("7") is None
    call_command("import_figures", str(path), stdout=io.StringIO())
    assert october("7").value == Decimal("61.0")


def test_the_command_refuses_a_file_with_problems_unless_told(seed, tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text(LONG_CSV + "999,2023-10,5,,,,\n")
    with pytest.raises(CommandError, match="Nothing was saved"):
        call_command("import_figures", str(path), stdout=io.StringIO())
    assert october("7") is None
    call_command("import_figures", str(path), "--accept-valid-rows", stdout=io.StringIO())
    assert october("7").value == Decimal("61.0")
