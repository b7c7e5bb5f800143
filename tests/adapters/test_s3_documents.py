"""The documents bucket adapter against moto in-process. moto does not enforce POST policies, so the
policy is decoded and its conditions asserted; the worker's own size re-check is exercised for real."""

import base64
import json
import uuid
from datetime import UTC, datetime

import boto3
import pytest
import requests
from botocore.config import Config

from chalicelib.adapters.s3_documents import S3DocumentStore
from chalicelib.domain.export_jobs import export_key
from chalicelib.domain.uploads import MAX_UPLOAD_BYTES, UploadRejectedError, derivative_key, raw_key
from chalicelib.errors import NotFoundError, ServiceUnavailableError

REGION, BUCKET = "ap-southeast-1", "documents"
KEY = raw_key("c-an", "u-1")


@pytest.fixture
def s3(stack, monkeypatch):
    """A fresh bucket in the embedded AWS per test. (moto's in-process mock_aws would reset the backends that the
    embedded AWS of the shared stack serves, wiping every other test's tables.)"""
    client = stack.aws_session().client("s3", endpoint_url=stack.aws_endpoint, config=Config(signature_version="s3v4"))
    bucket = f"documents-{uuid.uuid4().hex[:16]}"
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    monkeypatch.setitem(globals(), "BUCKET", bucket)
    return client


@pytest.fixture
def store(s3):
    return S3DocumentStore(s3, BUCKET)


def decoded_policy(fields: dict) -> dict:
    return json.loads(base64.b64decode(fields["policy"]))


def test_the_upload_policy_pins_key_type_and_size_and_expires_within_five_minutes(store):
    before = datetime.now(UTC).replace(microsecond=0)
    upload = store.presigned_upload(KEY, "image/heic", MAX_UPLOAD_BYTES, expires_seconds=300)
    policy = decoded_policy(upload.fields)
    conditions = policy["conditions"]
    assert {"key": KEY} in conditions and {"bucket": BUCKET} in conditions
    assert {"Content-Type": "image/heic"} in conditions
    assert ["content-length-range", 1, MAX_UPLOAD_BYTES] in conditions
    assert upload.fields["key"] == KEY and upload.fields["Content-Type"] == "image/heic"
    expires = datetime.strptime(upload.expires_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert policy["expiration"] == upload.expires_at and 299 <= (expires - before).total_seconds() <= 301
    assert BUCKET in upload.url and upload.fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    assert {"x-amz-algorithm": "AWS4-HMAC-SHA256"} in conditions


def test_ten_megabytes_and_one_byte_is_outside_the_policys_range(store):
    low, high = next(
        c[1:]
        for c in decoded_policy(store.presigned_upload(KEY, "image/jpeg", MAX_UPLOAD_BYTES).fields)["conditions"]
        if isinstance(c, list) and c[0] == "content-length-range"
    )
    assert low <= MAX_UPLOAD_BYTES <= high and not low <= MAX_UPLOAD_BYTES + 1 <= high


@pytest.mark.parametrize("seconds", [0, 301, 3600])
def test_an_upload_url_lives_at_most_five_minutes(store, seconds):
    with pytest.raises(ValueError):
        store.presigned_upload(KEY, "image/jpeg", MAX_UPLOAD_BYTES, expires_seconds=seconds)


def test_the_worker_reads_an_upload_within_the_limit(s3, store):
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=b"\xff\xd8\xff" + b"\x00" * 100)
    assert store.read_raw(KEY, MAX_UPLOAD_BYTES) == b"\xff\xd8\xff" + b"\x00" * 100


def test_the_worker_refuses_ten_megabytes_and_one_byte_the_policy_would_have_refused(s3, store):
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=b"\x00" * (MAX_UPLOAD_BYTES + 1))
    with pytest.raises(UploadRejectedError) as refused:
        store.read_raw(KEY, MAX_UPLOAD_BYTES)
    assert refused.value.code == "too_large"


def test_the_worker_refuses_an_empty_upload(s3, store):
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=b"")
    with pytest.raises(UploadRejectedError) as refused:
        store.read_raw(KEY, MAX_UPLOAD_BYTES)
    assert refused.value.code == "empty"


def test_a_missing_upload_is_not_found(store):
    with pytest.raises(NotFoundError):
        store.read_raw(raw_key("c-an", "never-uploaded"), MAX_UPLOAD_BYTES)


def test_derivatives_are_written_with_kms_encryption_when_a_key_is_given(s3, stack):
    key_id = stack.client("kms").create_key()["KeyMetadata"]["KeyId"]
    full = derivative_key("c-an", "d-1", "full.jpg")
    S3DocumentStore(s3, BUCKET, kms_key_id=key_id).put_derivative(full, b"\xff\xd8jpeg", "image/jpeg")
    head = s3.head_object(Bucket=BUCKET, Key=full)
    assert head["ContentType"] == "image/jpeg" and head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"].endswith(key_id)


def test_a_download_url_is_presigned_for_the_object_and_short_lived(s3, store):
    thumb = derivative_key("c-an", "d-1", "thumb.jpg")
    store.put_derivative(thumb, b"\xff\xd8thumb", "image/jpeg")
    download = store.presigned_download(thumb, expires_seconds=120)
    assert thumb in download.url and "X-Amz-Expires=120" in download.url and download.expires_at.endswith("Z")
    with pytest.raises(ValueError):
        store.presigned_download(thumb, expires_seconds=86_400)


def test_an_export_link_lives_up_to_a_day_downloads_as_a_file_and_only_for_exports(s3, store):
    archive = export_key("c-an", "e-1")
    store.put_derivative(archive, b"PK\x05\x06" + bytes(18), "application/zip")
    download = store.presigned_archive_download(archive, expires_seconds=86_400)
    assert archive in download.url and "X-Amz-Expires=86400" in download.url
    answer = requests.get(download.url)
    assert answer.content == store.read(archive) and "e-1.zip" in answer.headers["Content-Disposition"]
    with pytest.raises(ValueError):
        store.presigned_archive_download(archive, expires_seconds=86_401)
    with pytest.raises(ValueError):
        store.presigned_archive_download(derivative_key("c-an", "d-1", "full.jpg"), expires_seconds=600)
    with pytest.raises(NotFoundError):
        store.read(export_key("c-an", "e-2"))


def test_delete_removes_every_key_and_ignores_missing_ones(s3, store):
    keys = [derivative_key("c-an", "d-1", name) for name in ("full.jpg", "thumb.jpg")]
    for key in keys:
        store.put_derivative(key, b"x", "image/jpeg")
    store.delete(keys + [derivative_key("c-an", "d-2", "full.jpg")])
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0


def test_a_client_signing_with_sigv2_is_refused_at_construction():
    client = boto3.client(
        "s3",
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(signature_version="s3"),
    )
    with pytest.raises(ValueError):
        S3DocumentStore(client, BUCKET)


def test_an_unreachable_s3_is_a_retryable_outage():
    client = boto3.client(
        "s3",
        region_name=REGION,
        endpoint_url="http://127.0.0.1:9",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(signature_version="s3v4", retries={"max_attempts": 1}, connect_timeout=0.5),
    )
    with pytest.raises(ServiceUnavailableError) as failed:
        S3DocumentStore(client, BUCKET).read_raw(KEY, MAX_UPLOAD_BYTES)
    assert failed.value.code == "storage_unavailable"
