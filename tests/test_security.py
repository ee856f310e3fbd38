"""Security and reliability gates: sign-in throttling, escaping, permissions, CSRF, hostile
uploads, injection-looking input, and the production settings and headers."""

import hashlib
import io
import os
import re
import secrets
import struct
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from indicators import roles
from indicators.models import (
    MAX_TEXT_LENGTH,
    Commentary,
    ImportBatch,
    Indicator,
    Milestone,
    MilestoneUpdate,
    Priority,
    PublicationEvent,
    PublishedMonth,
    Value,
)
from intake.figure_import.sheets import MAX_UNPACKED_BYTES, MAX_UPLOAD_BYTES

from .support.factories import make_user

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a-long-test-password"
SEP = "2023-09"
SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
#: 10,000 characters of markup that would run script if it were not escaped.
LONG_HTML = ('<img src=x onerror="alert(2)"><b>bold</b> & more ' * 300)[:10_000]


def database_state():
    """Everything an editor action could change, as one comparable value."""
    values = Value.objects.order_by("indicator_id", "period").values_list(
        "indicator_id", "period", "value", "status"
    )
    digest = hashlib.sha256(repr(list(values)).encode()).hexdigest()
    return {
        "values": digest,
        "commentary": list(
            Commentary.objects.order_by("pk").values_list("indicator_id", "period", "text")
        ),
        "published": list(PublishedMonth.objects.order_by("period").values_list("period")),
        "events": PublicationEvent.objects.count(),
        "batches": ImportBatch.objects.count(),
    }


# Sign-in throttling ------------------------------------------------------------------------
def attempt(client, username, password, address="127.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def councillor(db):
    return make_user("councillor", roles.VIEWER, PASSWORD)


def test_five_failed_sign_ins_lock_that_user_out_even_with_the_right_password(
    client, seed, councillor
):
    for _ in range(4):
        response = attempt(client, "councillor", "wrong-password")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.text
    assert attempt(client, "councillor", "wrong-password").status_code == 429

    response = attempt(client, "councillor", PASSWORD)
    assert response.status_code == 429
    assert "Sign-in locked" in response.text
    assert "There have been 5 unsuccessful attempts to sign in as councillor" in response.text
    assert "signing in is locked for\n  1 hour\n  from the last attempt" in response.text
    assert "_auth_user_id" not in client.session


def test_a_locked_out_user_does_not_lock_out_anyone_else(client, seed, councillor):
    make_user("advisor", roles.EDITOR, PASSWORD)
    for _ in range(5):
        attempt(client, "councillor", "wrong-password")
    assert attempt(client, "councillor", PASSWORD).status_code == 429

    # Another user from the same address, and the same user from another address, sign in.
    assert attempt(Client(), "advisor", PASSWORD).status_code == 302
    assert attempt(Client(), "councillor", PASSWORD, address="10.1.2.3").status_code == 302


def test_an_administrator_can_unlock_a_locked_out_user(client, seed, councillor):
    for _ in range(5):
        attempt(client, "councillor", "wrong-password")
    assert attempt(client, "councillor", PASSWORD).status_code == 429
    call_command("axes_reset_username", "councillor", stdout=io.StringIO())
    assert attempt(client, "councillor", PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_failed_attempts(client, seed, councillor):
    for _ in range(4):
        attempt(client, "councillor", "wrong-password")
    assert attempt(client, "councillor", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "councillor", "wrong-password").status_code == 200
    assert attempt(client, "councillor", PASSWORD).status_code == 302


# Escaping ------------------------------------------------------------------------------------
@pytest.fixture
def hostile_text(seed):
    """Script and markup in every free text a user can write that the pages show."""
    indicator = Indicator.objects.get(reference="78")
    indicator.description = f"Sickness {SCRIPT}"
    indicator.definition = LONG_HTML
    indicator.save()
    priority = Priority.objects.get(number=6)
    priority.title = f"Workforce {SCRIPT}"
    priority.commitment = f"{SCRIPT}\n{LONG_HTML}"
    priority.save()
    Commentary.objects.update_or_create(
        indicator=indicator,
        period="2023-09-01",
        # As much as a commentary holds (MAX_TEXT_LENGTH).
        defaults={"text": f"{SCRIPT} {LONG_HTML}"[:MAX_TEXT_LENGTH]},
    )
    milestone = Milestone.objects.filter(priority=priority).first()
    if milestone is not None:
        MilestoneUpdate.objects.update_or_create(
            milestone=milestone, period="2023-09-01", defaults={"this_period": SCRIPT}
        )
    return indicator


@pytest.mark.parametrize(
    "url",
    [
        f"/?period={SEP}",
        f"/priorities/6/?period={SEP}",
        "/indicators/78/",
        f"/entry/{SEP}/",
    ],
    ids=["dashboard", "priority", "indicator", "entry-grid"],
)
def test_script_and_markup_in_user_text_are_shown_as_text(client, editor, hostile_text, url):
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    page = response.text
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page or "\\u003Cscript\\u003Ealert(1)" in page
    assert "<img src=x" not in page and "<b>bold</b>" not in page
    if not url.startswith("/?"):  # the dashboard shows titles and descriptions only
        # The grid shows the commentary alone: as much of LONG_HTML as a commentary holds.
        shown = LONG_HTML if "/entry/" not in url else LONG_HTML[: MAX_TEXT_LENGTH - 30]
        expected = shown.count("<img src=x")
        assert expected >= 30
        assert page.count("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;") >= expected


def test_long_commentary_is_shown_in_full(client, editor, hostile_text):
    client.force_login(editor)
    page = client.get("/indicators/78/").text
    escaped = LONG_HTML.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.replace('"', "&quot;")
    assert escaped in page


# Permissions and CSRF ------------------------------------------------------------------------
def editor_posts(month_key):
    """(url, data) for each state-changing editor page, with data that would change things."""
    csv = b"reference,month,value\n7,2023-09,61.0%\n"
    return [
        (
            f"/entry/{SEP}/",
            {f"value_{month_key}": "61.0", f"seen_{month_key}": "", "commentary_x": ""},
        ),
        (f"/entry/{SEP}/publish/", {"action": "unpublish", "reason": "Figures were wrong"}),
        ("/entry/2023-10/publish/", {"action": "publish", "confirm": "yes"}),
        ("/import/", {"file": SimpleUploadedFile("figures.csv", csv)}),
    ]


@pytest.mark.parametrize("user_fixture", ["viewer", "no_role_user"])
def test_editor_actions_by_viewers_and_users_without_a_role_are_refused_and_change_nothing(
    client, seed, request, user_fixture
):
    seven = Indicator.objects.get(reference="7").pk
    before = database_state()
    client.force_login(request.getfixturevalue(user_fixture))
    for url, data in editor_posts(seven):
        assert client.post(url, data).status_code == 403, url
    batch = ImportBatch.objects.create(filename="f.csv", content=b"x", uploaded_by=None)
    before = {**before, "batches": before["batches"] + 1}
    response = client.post(f"/import/{batch.pk}/", {"action": "confirm", "digest": "x"})
    assert response.status_code == 403
    assert database_state() == before


def test_posts_without_a_csrf_token_are_refused_and_change_nothing(seed, editor):
    seven = Indicator.objects.get(reference="7").pk
    before = database_state()
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    for url, data in editor_posts(seven):
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert "CSRF" in response.text or "Forbidden" in response.text
    assert database_state() == before
    # The sign-in form is protected too.
    assert Client(enforce_csrf_checks=True).post(reverse("login"), {}).status_code == 403


def test_the_same_posts_with_a_token_do_change_things(client, seed, editor):
    """The refusals above are not an accident of bad data: an editor's posts succeed."""
    seven = Indicator.objects.get(reference="7").pk
    client.force_login(editor)
    grid = client.get(f"/entry/{SEP}/").context["form"]
    data = {name: grid[name].value() or "" for name in grid.fields}
    data[f"value_{seven}"] = "61.0"
    data[f"reason_{seven}"] = "Sep-23 is published: a revision needs a reason."
    assert client.post(f"/entry/{SEP}/", data).status_code == 302
    assert Value.objects.get(indicator_id=seven, period="2023-09-01").value == 61
    for url, post in editor_posts(seven)[1:]:
        assert client.post(url, post).status_code == 302, url
    assert not PublishedMonth.objects.filter(period="2023-09-01").exists()
    assert PublishedMonth.objects.filter(period="2023-10-01").exists()
    assert ImportBatch.objects.count() == 1


# Hostile uploads -----------------------------------------------------------------------------
def upload(client, name, data):
    return client.post(reverse("import_upload"), {"file": SimpleUploadedFile(name, data)})


def refusal(response):
    assert response.status_code == 200
    return " ".join(response.context["form"].errors["file"])


SAMPLE_XLSX = ROOT / "fixtures" / "samples" / "priority6_report_layout.xlsx"
SHEET = "xl/worksheets/sheet1.xml"


def zip_bomb(unpacked_bytes, *, understate=False):
    """The sample workbook with its sheet replaced by one whose XML unpacks to
    ``unpacked_bytes`` but compresses to a few hundred kilobytes. With ``understate`` the
    zip's headers claim the sheet is 1 kB, as a crafted bomb would, to get past a check of
    the declared sizes."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(SAMPLE_XLSX) as sample,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
    ):
        for member in sample.infolist():
            if member.filename != SHEET:
                archive.writestr(member, sample.read(member))
        with archive.open(SHEET, "w") as sheet:
            sheet.write(
                b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr">'
                b"<is><t>"
            )
            chunk = b"A" * (1024 * 1024)
            for _ in range(unpacked_bytes // len(chunk)):
                sheet.write(chunk)
            sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    data = bytearray(buffer.getvalue())
    if understate:
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
            info = archive.getinfo(SHEET)
            central = archive.start_dir
        # The uncompressed size: offset 22 of the local header, 24 of the central record.
        struct.pack_into("<I", data, info.header_offset + 22, 1000)
        record = data.index(b"PK\x01\x02", central)
        while data[record + 46 : record + 46 + len(SHEET)] != SHEET.encode():
            record = data.index(b"PK\x01\x02", record + 4)
        struct.pack_into("<I", data, record + 24, 1000)
    return bytes(data)


def test_a_file_over_5_mb_is_refused_with_a_message(client, seed, editor):
    client.force_login(editor)
    big = b"reference,month,value\n" + b"7,2023-10,1\n" * (MAX_UPLOAD_BYTES // 12 + 10)
    assert len(big) > MAX_UPLOAD_BYTES
    assert "the limit is 5 MB" in refusal(upload(client, "big.csv", big))
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("name", ["figures.csv", "figures.xlsx", "figures.bin"])
def test_binary_files_are_refused_with_a_message(client, seed, editor, name):
    client.force_login(editor)
    noise = secrets.token_bytes(200_000)
    message = refusal(upload(client, name, noise))
    assert re.search(r"binary|not an Excel workbook|can be imported", message), message
    assert not ImportBatch.objects.exists()


def test_a_zip_bomb_is_refused_before_unpacking_in_bounded_memory(client, seed, editor):
    bomb = zip_bomb(MAX_UNPACKED_BYTES + 20 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024  # tiny packed, over 100 MB unpacked
    client.force_login(editor)
    opened = mock.Mock(side_effect=AssertionError("the workbook was opened"))
    tracemalloc.start()
    try:
        with mock.patch("openpyxl.load_workbook", opened):
            response = upload(client, "bomb.xlsx", bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "too large once unpacked" in refusal(response)
    assert not opened.called
    assert peak < 50 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    assert not ImportBatch.objects.exists()


def test_a_zip_bomb_that_understates_its_size_is_refused_in_bounded_memory(client, seed, editor):
    bomb = zip_bomb(MAX_UNPACKED_BYTES + 20 * 1024 * 1024, understate=True)
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert sum(i.file_size for i in archive.infolist()) < MAX_UNPACKED_BYTES
    client.force_login(editor)
    tracemalloc.start()
    try:
        response = upload(client, "bomb.xlsx", bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Python's zipfile stops at the declared size and the checksum then fails.
    assert "could not be read as an Excel workbook" in refusal(response)
    assert peak < 50 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    assert not ImportBatch.objects.exists()


# Injection-looking input ---------------------------------------------------------------------
DROP = "'; DROP TABLE indicators_value; --"


def test_sql_in_the_month_parameter_is_inert(client, viewer, seed):
    count = Value.objects.count()
    client.force_login(viewer)
    for url in ("/", "/priorities/6/", "/export/scorecard.csv"):
        assert client.get(url, {"period": DROP}).status_code == 404
    assert Value.objects.count() == count
    assert "indicators_value" in connection.introspection.table_names()


def test_sql_in_the_admin_search_is_inert(client, administrator, seed):
    count = Value.objects.count()
    client.force_login(administrator)
    for model in ("indicator", "value", "commentary"):
        response = client.get(f"/admin/indicators/{model}/", {"q": DROP})
        assert response.status_code == 200, model
    assert Value.objects.count() == count
    assert "indicators_value" in connection.introspection.table_names()


# Production settings and headers -------------------------------------------------------------
def production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        # What the test run sets that a production server must not have.
        if key
        not in {
            "DEBUG",
            "DJANGO_SETTINGS_MODULE",
            "SCORECARD_SIMPLE_STATIC",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="scorecard.example.gov.uk",
        DJANGO_SETTINGS_MODULE="scorecard.settings",
        **extra,
    )
    return env


def test_production_settings_pass_the_deploy_check_with_no_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


HEADERS_SCRIPT = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)  # the pages read the council's row
from django.test import Client
client = Client(headers={"host": "scorecard.example.gov.uk"})
plain = client.get("/accounts/login/")
secure = client.get("/accounts/login/", secure=True)
print(json.dumps({"plain": [plain.status_code, plain.get("Location")],
                  "secure": [secure.status_code, dict(secure.headers)],
                  "body": secure.text}))
"""


def test_production_responses_carry_the_security_headers(tmp_path):
    import json

    result = subprocess.run(
        [sys.executable, "-c", HEADERS_SCRIPT],
        cwd=ROOT,
        # Static files from the finders: no collectstatic manifest is needed to render. A
        # database of its own, migrated by the script.
        env=production_env(
            SCORECARD_SIMPLE_STATIC="1", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["plain"] == [301, "https://scorecard.example.gov.uk/accounts/login/"]
    status, headers = answer["secure"]
    assert status == 200
    assert headers["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    csp = headers["Content-Security-Policy"]
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", csp).group(1)
    assert f'<script nonce="{nonce}">' in answer["body"]
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_SSL_REDIRECT=True)
def test_signed_in_pages_carry_a_fresh_csp_nonce_on_every_script(seed, viewer):
    client = Client()
    client.force_login(viewer)
    nonces = set()
    for _ in range(2):
        response = client.get(f"/priorities/3/?period={SEP}", secure=True)
        assert response.status_code == 200
        assert response["Strict-Transport-Security"].startswith("max-age=31536000")
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        nonces.add(nonce)
        inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.text)
        assert inline and all(
            f'nonce="{nonce}"' in attrs or "application/json" in attrs for attrs in inline
        )
    assert len(nonces) == 2
