"""Printed PDFs in an S3-compatible bucket (django-storages; ``SCORECARD_S3_BUCKET``, decision
0013): the settings that choose it, then the stored prints and their pruning against a real
S3 server on loopback (moto's server, a test requirement, started and stopped here): the
quarterly report's PDF is printed once into the bucket and served again from it, private
(no grant to anyone but its owner), and ``prune_prints`` deletes from the bucket only what
it owns."""

import socket

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from moto.server import ThreadedMotoServer

from indicators.changes import data_changed, data_version
from scorecard.settings import default_storage_from_environment

BUCKET = "scorecard-prints"
KEYS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}


# The settings ------------------------------------------------------------------------------
def test_local_files_unless_a_bucket_is_named():
    assert default_storage_from_environment({}) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
    assert default_storage_from_environment({"SCORECARD_S3_BUCKET": " "})["BACKEND"].endswith(
        "FileSystemStorage"
    )


def test_a_bucket_is_django_storages_s3_private_and_never_overwritten():
    chosen = default_storage_from_environment(
        {
            "SCORECARD_S3_BUCKET": "prints",
            "SCORECARD_S3_ENDPOINT_URL": "https://s3.example.net",
            "SCORECARD_S3_ACCESS_KEY_ID": "id",
            "SCORECARD_S3_SECRET_ACCESS_KEY": "secret",
            "SCORECARD_S3_REGION": "eu-west-2",
            "SCORECARD_S3_PREFIX": "/scorecard/",
        }
    )
    assert chosen == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "prints",
            "endpoint_url": "https://s3.example.net",
            "access_key": "id",
            "secret_key": "secret",
            "region_name": "eu-west-2",
            "location": "scorecard",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    aws = default_storage_from_environment({"SCORECARD_S3_BUCKET": "prints"})["OPTIONS"]
    assert aws["endpoint_url"] is None and aws["access_key"] is None


def test_an_endpoint_without_its_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="SCORECARD_S3_ENDPOINT_URL='s3.example"):
        default_storage_from_environment(
            {"SCORECARD_S3_BUCKET": "p", "SCORECARD_S3_ENDPOINT_URL": "s3.example.net"}
        )


# A real S3 server ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def s3_endpoint():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """An empty bucket on the server, and the settings that keep prints in it."""
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **KEYS)
    client.create_bucket(Bucket=BUCKET)
    environ = {
        "SCORECARD_S3_BUCKET": BUCKET,
        "SCORECARD_S3_ENDPOINT_URL": s3_endpoint,
        "SCORECARD_S3_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
        "SCORECARD_S3_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
        "SCORECARD_S3_REGION": "us-east-1",
    }
    settings.STORAGES = {**settings.STORAGES, "default": default_storage_from_environment(environ)}
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client):
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


@pytest.mark.browser
def test_the_quarterly_pdf_is_printed_into_the_bucket_and_served_again_from_it(
    viewer_client, quarterly, browser, bucket, settings
):
    assert "s3" in settings.STORAGES["default"]["BACKEND"]
    url = reverse("quarterly_report_pdf", args=["2023-24-q2"])
    first = viewer_client.get(url)
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    stored = keys(bucket)
    assert len(stored) == 2 and all(key.startswith("quarterly/") for key in stored)
    pdf_key = next(key for key in stored if key.endswith(".pdf"))
    assert pdf_key.endswith("/pdf/quarterly-report-2023-24-q2.pdf")
    assert bucket.get_object(Bucket=BUCKET, Key=pdf_key)["Body"].read() == first.content
    # Private: its only grant is its owner's (no AllUsers, no AuthenticatedUsers).
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=pdf_key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all("URI" not in grant["Grantee"] for grant in grants)
    # Nothing on the local disk.
    assert not (settings.MEDIA_ROOT / "quarterly").exists()
    # Asked again, it comes from the bucket: nothing new is written.
    again = viewer_client.get(url)
    assert again.content == first.content
    assert keys(bucket) == stored


def test_prune_prints_deletes_old_versions_from_the_bucket_and_nothing_it_does_not_own(db, bucket):
    data_changed()
    old = data_version()
    data_changed()
    for folder, version in (("packs/" + "a" * 32, old), ("packs/" + "b" * 32, data_version())):
        default_storage.save(f"{folder}/pdf/pack.pdf", ContentFile(b"%PDF"))
        default_storage.save(
            f"{folder}/done", ContentFile(f"pack.pdf\npack.pdf\n{version}".encode())
        )
    default_storage.save("issued-packs/2023-10/pack.pdf", ContentFile(b"%PDF"))
    call_command("prune_prints", "--older-than", "0")
    assert keys(bucket) == [
        "issued-packs/2023-10/pack.pdf",
        f"packs/{'b' * 32}/done",
        f"packs/{'b' * 32}/pdf/pack.pdf",
    ]
