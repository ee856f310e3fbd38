"""Only whoever uploaded a kept upload, or an administrator, may confirm, cancel or re-read it
(intake/kept_uploads.py, ``may_decide``): another editor sees the preview saying so, and an
action they post is refused with a page naming the uploader, changing nothing. Both kinds,
over HTTP: the figures import (editors' pages) and the set-up workbook (administrators')."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from indicators import roles
from indicators.models import ImportBatch, Indicator, SetupUpload, Value

from .support import devon
from .support.factories import make_user

FIGURES = "reference,month,value\n7,2023-10,61.0%\n10,2023-10,18.0\n"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def uploader(db):
    user = make_user("uploader", roles.EDITOR)
    user.first_name, user.last_name = "Uma", "Loader"
    user.save()
    return user


@pytest.fixture
def colleague(db):
    return make_user("colleague", roles.EDITOR)


@pytest.fixture
def kept_import(seed, uploader):
    """A figures import uploaded and previewed by ``uploader``: (its preview URL, digest)."""
    client = signed_in(uploader)
    response = client.post(
        reverse("import_upload"), {"file": SimpleUploadedFile("october.csv", FIGURES.encode())}
    )
    assert response.status_code == 302
    page = client.get(response.url)
    assert b'value="confirm"' in page.content
    return response.url, page.context["plan"].digest()


def october_figures():
    return Value.objects.filter(period="2023-10-01").count()


# The figures import ---------------------------------------------------------------------------
@pytest.mark.parametrize("action", ["confirm", "cancel", "replan"])
def test_another_editor_may_not_act_on_an_import_they_did_not_upload(
    kept_import, colleague, action
):
    url, digest = kept_import
    batch = ImportBatch.objects.get()
    plan_before = batch.plan

    refused = signed_in(colleague).post(url, {"action": action, "digest": digest})

    assert refused.status_code == 403
    text = refused.content.decode()
    assert "october.csv was uploaded by Uma Loader" in text
    assert "Only they or an administrator may confirm or cancel it" in text
    assert "Nothing has been changed" in text
    batch.refresh_from_db()
    assert (batch.status, batch.plan) == (ImportBatch.Status.PREVIEWED, plan_before)
    assert october_figures() == 0


def test_another_editor_sees_the_preview_without_the_buttons(kept_import, colleague):
    url, _ = kept_import
    page = signed_in(colleague).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "2 figures to add" in text
    assert (
        "Uploaded by Uma Loader: only they or an administrator may confirm, check again or "
        "cancel this import." in text
    )
    for button in ('value="confirm"', 'value="cancel"', 'value="replan"'):
        assert button not in text


def test_the_uploader_confirms_their_own_import(kept_import, uploader):
    url, digest = kept_import
    assert signed_in(uploader).get(url).context["may_decide"] is True
    response = signed_in(uploader).post(url, {"action": "confirm", "digest": digest})
    assert response.status_code == 302
    assert october_figures() == 2


def test_an_administrator_may_confirm_an_editors_import(kept_import, administrator):
    url, digest = kept_import
    page = signed_in(administrator).get(url)
    assert page.context["may_decide"] is True and b'value="confirm"' in page.content
    response = signed_in(administrator).post(url, {"action": "confirm", "digest": digest})
    assert response.status_code == 302
    assert october_figures() == 2
    assert ImportBatch.objects.get().applied_by == administrator


def test_an_administrator_may_cancel_an_editors_import(kept_import, administrator):
    url, _ = kept_import
    signed_in(administrator).post(url, {"action": "cancel"})
    assert ImportBatch.objects.get().status == ImportBatch.Status.CANCELLED


def test_an_import_with_no_known_uploader_is_for_administrators_only(kept_import, colleague):
    url, digest = kept_import
    ImportBatch.objects.update(uploaded_by=None)
    refused = signed_in(colleague).post(url, {"action": "confirm", "digest": digest})
    assert refused.status_code == 403
    assert "uploaded by someone whose account has since been removed" in refused.content.decode()
    assert october_figures() == 0


# The set-up workbook --------------------------------------------------------------------------
def upload_setup(client):
    file = io.BytesIO(devon.setup_workbook())
    file.name = "devon.xlsx"
    response = client.post(reverse("setup"), {"file": file})
    assert response.status_code == 302
    return response.url


@pytest.mark.parametrize("action", ["confirm", "cancel"])
def test_an_editor_may_not_act_on_a_set_up_workbook(administrator, colleague, action):
    url = upload_setup(signed_in(administrator))
    digest = signed_in(administrator).get(url).context["plan"].digest()
    refused = signed_in(colleague).post(url, {"action": action, "digest": digest})
    assert refused.status_code == 403
    assert SetupUpload.objects.get().status == SetupUpload.Status.PREVIEWED
    assert not Indicator.objects.exists()


def test_another_administrator_sees_who_uploaded_a_set_up_and_may_confirm_it(administrator):
    url = upload_setup(signed_in(administrator))
    other = make_user("other-admin", roles.ADMINISTRATOR)
    page = signed_in(other).get(url)
    assert page.context["may_decide"] is True
    assert page.context["uploaded_by"] == "admin"
    assert b'value="confirm"' in page.content
    signed_in(other).post(url, {"action": "confirm", "digest": page.context["plan"].digest()})
    upload = SetupUpload.objects.get()
    assert (upload.status, upload.applied_by) == (SetupUpload.Status.APPLIED, other)
    assert Indicator.objects.count() == 10
