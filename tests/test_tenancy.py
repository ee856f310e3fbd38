"""Many councils on one deployment (issue 23): each council is chosen by its host name and
sees only its own rows.

The attack: the demonstration council (A, a.example) and a second council (B, b.example)
share one database. Signed in to B, every route in the URLconf (the admin's and the API's
included) is walked with the ids, references, months and numbers of A's objects: each answers
with B's own page, a refusal or a 404, and none of A's names or commentary appears in any
response, whether HTML, JSON, CSV, a workbook or a PDF. B's emails go to B's people and say
nothing of A. A query that forgets the council refuses to run.
"""

import io
import re

import fitz
import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse
from django_scopes import scope
from django_scopes.exceptions import ScopeError

from indicators import roles
from indicators.models import (
    ApiToken,
    Commentary,
    CommitteeMeeting,
    Council,
    Indicator,
    Membership,
    OutboxEmail,
    Priority,
    PriorityIndicator,
    PublishedMonth,
    Question,
    Value,
)
from indicators.periods import Month
from indicators.tenancy import council_scope, every_council

from .support.factories import make_indicator, make_priority, make_target, make_user, make_values
from .support.routes import PATH_VALUES, admin_model, named_routes

A_HOST, B_HOST = "a.example", "b.example"
B_NAME = "Borsetshire County Council"
SEP_23 = Month(2023, 9)


@pytest.fixture
def councils(seed, settings):
    settings.ALLOWED_HOSTS = [A_HOST, B_HOST, "c.example", "testserver"]
    a = Council.objects.get()
    a.slug, a.host = "plymouth", A_HOST
    a.save()
    b = Council.objects.create(slug="borsetshire", name=B_NAME, host=B_HOST)
    with council_scope(b):
        priority = make_priority(1, title="Keeping Borsetshire's children safe at home")
        # The same reference as one of A's: references are each council's own.
        indicator = make_indicator("73", priority, description="Borsetshire re-referrals")
        make_target(indicator, 20)
        make_values(indicator, "2023-04", [18, 19, 21, 22, 20, 23])
        Commentary.objects.create(
            indicator=indicator, period=SEP_23.first_day, text="Borsetshire's own commentary."
        )
        PublishedMonth.objects.create(period=SEP_23.first_day, published_at="2023-10-05T09:00Z")
        b_admin = make_user("b-admin", roles.ADMINISTRATOR)
        b_admin.email = "b-admin@borsetshire.example"
        b_admin.is_staff = True
        b_admin.save()
        b_viewer = make_user("b-viewer", roles.VIEWER)
    with council_scope(a):
        # Something of A's behind every kind of id a route takes.
        a_admin = make_user("alpha-boss", roles.ADMINISTRATOR)
        a_indicator = Indicator.objects.get(reference="73")
        question = Question.objects.create(
            indicator=a_indicator, text="Why did re-referrals at A rise in the summer?"
        )
        token, _secret = ApiToken.issue(a_admin, "A's Power BI")
    return {
        "a": a,
        "b": b,
        "b_admin": b_admin,
        "b_viewer": b_viewer,
        "a_admin": a_admin,
        "a_question": question,
        "a_token": token,
        "b_indicator": indicator,
    }


def _a_markers(a):
    """Words only A's data holds: its name, its priorities' titles, its indicators'
    descriptions, its commentary and its questions (long enough not to occur by chance)."""
    with council_scope(a):
        texts = [a.name, a.committee_name]
        texts += Priority.objects.values_list("title", flat=True)
        texts += Indicator.objects.values_list("description", flat=True)
        texts += [text[:60] for text in Commentary.objects.values_list("text", flat=True)]
        texts += Question.objects.values_list("text", flat=True)
    return sorted({text for text in texts if len(text) >= 24})


def _a_values(a, councils):
    """A route's arguments, from A's objects."""
    with council_scope(a):
        indicator = Indicator.objects.order_by("pk").first()
        priority = Priority.objects.order_by("-number").first()
        meeting = CommitteeMeeting.objects.order_by("pk").first()
    return {
        "period": [SEP_23.iso],
        "label": ["2023-24-q2"],
        "number": [priority.number],
        "reference": [indicator.reference, "73"],
        "pk": [councils["a_question"].pk, meeting.pk],
        "id": [str(councils["a_question"].pk)],
        "token_id": [councils["a_token"].pk],
    }


def _admin_object(name, a):
    """For an admin route of a model (admin:indicators_value_change), the id of one of A's
    rows of that model, if the model is A's to own."""
    model = admin_model(name)
    if model is None:
        return None
    with council_scope(a):
        row = model._default_manager.order_by("pk").first()
    return None if row is None else str(row.pk)


def _text(response):
    """What a person could read in a response, whatever its kind."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "pdf" in kind:
        with fitz.open(stream=body, filetype="pdf") as document:
            return "\n".join(page.get_text() for page in document)
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        cells = (
            cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
        return "\n".join(str(cell) for cell in cells if cell is not None)
    return body.decode("utf-8", "replace").replace("&#x27;", "'").replace("&amp;", "&")


def _addresses(a, councils):
    values = {**PATH_VALUES, **_a_values(a, councils)}
    for name, arguments in named_routes(get_resolver()):
        combinations = [{}]
        for argument in arguments:
            chosen = values[argument]
            if argument == "object_id":
                found = _admin_object(name, a)
                chosen = [found] if found else ["1"]
            combinations = [{**c, argument: v} for c in combinations for v in chosen]
        for kwargs in combinations:
            try:
                yield reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue


@pytest.mark.django_db(transaction=False)
def test_signed_in_to_b_no_route_shows_anything_of_a(councils):
    a, b = councils["a"], councils["b"]
    markers = _a_markers(a)
    assert len(markers) > 20  # the seed's priorities, indicators and commentary at least
    client = Client(HTTP_HOST=B_HOST)
    client.force_login(councils["b_admin"])
    with council_scope(b):
        _, secret = ApiToken.issue(councils["b_admin"], "B's Power BI")
    found, statuses = [], {}
    a_ids = _a_values(a, councils)
    queries = ["", f"?period={SEP_23.iso}&indicator={a_ids['reference'][0]}&priority=1"]
    for url in sorted(set(_addresses(a, councils))):
        if url.startswith(("/accounts/logout", "/admin/logout")):
            continue
        for query in queries:
            headers = {"Authorization": f"Bearer {secret}"} if url.startswith("/api/") else {}
            response = client.get(url + query, headers=headers)
            statuses[url + query] = response.status_code
            assert response.status_code < 500, url + query
            if response.status_code == 200:
                text = _text(response)
                found += [f"{url}{query}: {marker!r}" for marker in markers if marker in text]
    assert found == []
    # The walk reached B's own pages (not only refusals): B's name on its dashboard.
    assert statuses["/"] == 200
    assert B_NAME in client.get("/").text


def test_b_s_pages_show_b_s_own_indicator_of_the_same_reference(councils):
    client = Client(HTTP_HOST=B_HOST)
    client.force_login(councils["b_viewer"])
    page = client.get("/indicators/73/")
    assert page.status_code == 200
    assert "Borsetshire re-referrals" in page.text
    client = Client(HTTP_HOST=A_HOST)
    client.force_login(councils["a_admin"])
    page = client.get("/indicators/73/")
    assert "Borsetshire" not in page.text


def test_a_person_of_a_has_no_role_at_b(councils):
    """The same session at B's address: signed in, but no role there, so every page is
    refused, and the admin shows nothing of B or A."""
    client = Client(HTTP_HOST=B_HOST)
    client.force_login(councils["a_admin"])
    assert client.get("/").status_code == 403
    assert client.get("/indicators/73/").status_code == 403
    admin_page = client.get("/admin/indicators/indicator/")
    assert admin_page.status_code in (302, 403)


def test_an_unknown_host_is_a_404_once_there_are_two_councils(councils):
    client = Client(HTTP_HOST="c.example")
    client.force_login(councils["b_admin"])
    response = client.get("/")
    assert response.status_code == 404
    assert "No council" in response.text


def test_b_s_admin_sees_only_b_s_people_and_rows(councils):
    client = Client(HTTP_HOST=B_HOST)
    client.force_login(councils["b_admin"])
    users = client.get("/admin/auth/user/")
    assert users.status_code == 200
    assert "b-viewer" in users.text and "alpha-boss" not in users.text
    assert "councillor" not in users.text  # the demonstration's users are A's
    indicators = client.get("/admin/indicators/indicator/")
    assert "Borsetshire re-referrals" in indicators.text
    with council_scope(councils["a"]):
        a_indicator = Indicator.objects.get(reference="73")
        a_value = Value.objects.filter(indicator=a_indicator).first()
    assert client.get(f"/admin/indicators/indicator/{a_indicator.pk}/change/").status_code in (
        302,
        404,
    )
    assert client.get(f"/admin/indicators/value/{a_value.pk}/change/").status_code in (302, 404)
    council = client.get("/admin/indicators/council/", follow=True)
    assert B_NAME in council.text and councils["a"].name not in council.text


def test_a_question_cannot_be_raised_in_b_about_a_s_indicator(councils):
    client = Client(HTTP_HOST=B_HOST)
    client.force_login(councils["b_viewer"])
    with council_scope(councils["a"]):
        a_indicator = Indicator.objects.get(reference="73")
        before = Question.objects.count()
    client.post(reverse("raise_question"), {"text": "Planted in A", "indicator": a_indicator.pk})
    with every_council():
        assert not Question.objects.filter(text="Planted in A").exists()
    with council_scope(councils["a"]):
        assert Question.objects.count() == before


def test_b_s_digest_goes_to_b_s_people_and_says_nothing_of_a(councils, settings):
    from intake.publishing import publish

    settings.TASK_BACKEND = "immediate"
    b = councils["b"]
    markers = _a_markers(councils["a"])
    with council_scope(b):
        PublishedMonth.objects.filter(period=SEP_23.first_day).delete()
        publish(SEP_23, councils["b_admin"])
    with every_council():
        emails = list(OutboxEmail.objects.filter(kind=OutboxEmail.Kind.DIGEST))
    assert emails, "publishing B's month wrote B's digest"
    assert {email.council_id for email in emails} == {b.pk}
    assert {email.to for email in emails} == {"b-admin@borsetshire.example"}
    for email in emails:
        assert [marker for marker in markers if marker in email.text + email.html] == []


def test_a_query_that_forgets_the_council_refuses_to_run(councils):
    """Outside any council (a scope with none chosen), every council-owned model's default
    manager refuses; inside B, A's rows are not there, however they are asked for."""
    with scope():
        for model in (Indicator, Priority, Value, Commentary, PriorityIndicator, Question):
            with pytest.raises(ScopeError):
                list(model.objects.all())
        with pytest.raises(ScopeError):
            Value.objects.filter(period=SEP_23.first_day).count()
    with council_scope(councils["a"]):
        a_ids = list(Indicator.objects.values_list("pk", flat=True))
    with council_scope(councils["b"]):
        assert Indicator.objects.filter(pk__in=a_ids).count() == 0
        assert not Value.objects.filter(indicator_id__in=a_ids).exists()
        assert councils["b_indicator"].values.count() == 6
        assert Membership.objects.filter(user=councils["a_admin"]).count() == 0


def test_commands_need_a_council_once_there_are_two(councils):
    with scope():  # a command runs outside the tests' every-council scope
        with pytest.raises(CommandError, match="borsetshire.*plymouth|plymouth.*borsetshire"):
            call_command("export_scorecard", "--period", SEP_23.iso, stdout=io.StringIO())
        out = io.StringIO()
        call_command(
            "export_scorecard", "--period", SEP_23.iso, "--council", "borsetshire", stdout=out
        )
    assert "Borsetshire re-referrals" in out.getvalue()
    assert "Rate of re-referrals" not in out.getvalue()


def test_create_council_makes_a_council_and_its_first_administrator(db, settings):
    settings.ALLOWED_HOSTS = ["devon.example", "testserver"]
    out = io.StringIO()
    with scope():
        call_command(
            "create_council",
            "devon",
            "--name",
            "Devon County Council",
            "--host",
            "Devon.example",
            "--administrator",
            "devon-admin",
            stdout=out,
        )
        with pytest.raises(CommandError, match="exists already"):
            call_command(
                "create_council", "devon", "--name", "X", "--administrator", "x", stdout=out
            )
    password = re.search(r"password: (\S+)", out.getvalue()).group(1)
    council = Council.objects.get(slug="devon")
    assert council.host == "devon.example"
    client = Client(HTTP_HOST="devon.example")
    signed_in = client.post(reverse("login"), {"username": "devon-admin", "password": password})
    assert signed_in.status_code == 302
    assert "Devon County Council" in client.get("/").text
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_an_existing_single_council_database_moves_over():
    """Migrated from before councils (0024) with data and a role holder: every row becomes
    council one's, the role a membership, and nothing is lost. The ids start afresh, as in a
    new database, so that on PostgreSQL the council made by hand as row 1 meets an id
    sequence that never gave 1: a second council must still be made."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("indicators", "0024_questions")])
    old = executor.loader.project_state([("indicators", "0024_questions")]).apps
    Group, User = old.get_model("auth", "Group"), old.get_model("auth", "User")
    priority = old.get_model("indicators", "Priority").objects.create(
        number=1, title="Old priority", display_order=1
    )
    indicator = old.get_model("indicators", "Indicator").objects.create(
        reference="1", description="Old indicator", unit="percentage", polarity="higher"
    )
    old.get_model("indicators", "PriorityIndicator").objects.create(
        priority=priority, indicator=indicator, display_order=0
    )
    editor = User.objects.create(username="old-editor")
    editor.groups.add(Group.objects.get_or_create(name="editor")[0])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    with every_council():
        council = Council.objects.get()
        assert Priority.objects.get().council_id == council.pk
        assert Indicator.objects.get().council_id == council.pk
        assert Membership.objects.get().role == roles.EDITOR
        assert not editor.groups.exists()  # the groups now hold only the roles' permissions
    with council_scope(council):
        assert list(Indicator.objects.values_list("description", flat=True)) == ["Old indicator"]
    with every_council():
        assert Council.objects.create(slug="second").pk != council.pk


def test_reminders_run_for_every_council_in_turn(councils):
    out = io.StringIO()
    with scope():
        call_command("send_reminders", "--every-council", "--today", "2023-10-04", stdout=out)
    text = out.getvalue()
    assert text.index("Council borsetshire:") < text.index("Council plymouth:")


AXES_MODELS = ("accessattempt", "accesslog", "accessfailurelog")


def test_b_s_admin_sees_none_of_a_s_sign_ins_and_a_s_admin_sees_them(councils):
    """django-axes' records carry no council: a sign-in of A's administrator (the access log)
    and a failed one from elsewhere (an attempt and the failure log) are in no list, change,
    history or delete page of B's administrator, and are in A's administrator's."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    a_admin = councils["a_admin"]
    a_admin.is_staff = True
    a_admin.save()
    signed_in, failed = "198.51.100.7", "203.0.113.99"
    a_client = Client(HTTP_HOST=A_HOST)
    sign_in = {"username": "alpha-boss", "password": "a-long-test-password"}
    assert a_client.post(reverse("login"), sign_in, REMOTE_ADDR=signed_in).status_code == 302
    wrong = {**sign_in, "password": "not-the-password"}
    assert (
        Client(HTTP_HOST=A_HOST).post(reverse("login"), wrong, REMOTE_ADDR=failed).status_code
        == 200
    )
    rows = {
        "accessattempt": AccessAttempt.objects.get(username="alpha-boss"),
        "accesslog": AccessLog.objects.get(username="alpha-boss"),
        "accessfailurelog": AccessFailureLog.objects.get(username="alpha-boss"),
    }
    b_client = Client(HTTP_HOST=B_HOST)
    b_client.force_login(councils["b_admin"])
    for model in AXES_MODELS:
        pk = rows[model].pk
        pages = [f"/admin/axes/{model}/", f"/admin/axes/{model}/?q=alpha"]
        pages += [f"/admin/axes/{model}/{pk}/{view}/" for view in ("change", "history", "delete")]
        for url in pages:
            response = b_client.get(url, follow=True)
            assert response.status_code in (200, 404), url
            for secret in ("alpha-boss", signed_in, failed):
                assert secret not in response.text, (url, secret)
        changed = b_client.get(f"/admin/axes/{model}/{pk}/change/")
        assert changed.status_code in (302, 404), model  # Django's "does not exist"
        # A's administrator, at A's address, sees A's records.
        listed = a_client.get(f"/admin/axes/{model}/")
        assert listed.status_code == 200, model
        assert "alpha-boss" in listed.text, model
        assert a_client.get(f"/admin/axes/{model}/{pk}/change/").status_code == 200, model
    a_list = a_client.get("/admin/axes/accessattempt/").text
    assert failed in a_list
    assert signed_in in a_client.get("/admin/axes/accesslog/").text
    # Nor can B's administrator delete A's records through a list action.
    b_client.post(
        "/admin/axes/accessattempt/",
        {
            "action": "delete_selected",
            "_selected_action": [rows["accessattempt"].pk],
            "post": "yes",
        },
    )
    b_client.post(
        "/admin/axes/accessattempt/",
        {"action": "cleanup_expired_attempts", "_selected_action": [rows["accessattempt"].pk]},
    )
    assert AccessAttempt.objects.filter(pk=rows["accessattempt"].pk).exists()
