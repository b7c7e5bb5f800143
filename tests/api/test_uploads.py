"""Citizens' uploads through HTTP and the embedded AWS: the presigned POST's policy (decoded: the embedded S3 does
not enforce it), the file posted as a phone would, S3's notification through the uploads queue to the worker,
the document ready with stripped derivatives or rejected with its reason, redelivery, deletion, isolation."""

import base64
import io
import json
import uuid
from datetime import UTC, datetime

import pytest
import requests
from botocore.config import Config
from PIL import Image

from chalicelib.domain.uploads import MAX_UPLOAD_BYTES, raw_key
from tests.adapters.test_images import assert_bare_upright_portrait, phone_jpeg
from tests.adapters.test_pdf_documents import pdf_bytes, scan
from tests.api.test_dossiers import record
from tests.api.test_wallet import issue
from tests.conftest import BINH, AgencyClient, eventually
from tests.contract.openapi import assert_response_matches

UPLOADS, DOCS, DOC = "/v1/me/documents/uploads", "/v1/me/documents", "/v1/me/documents/{document_id}"


def ask(api, tokens, key=None, **body):
    body = {"purpose": "wallet", "content_type": "image/jpeg", "size": 1000, **body}
    return api.post(UPLOADS, json=body, headers={**tokens.auth, "Idempotency-Key": key or str(uuid.uuid4())})


def post_file(granted: dict, data: bytes, name: str = "photo.jpg") -> requests.Response:
    """What the README's curl -F does: every field of the policy, then the file last."""
    return requests.post(granted["upload"]["url"], data=granted["upload"]["fields"], files={"file": (name, data)})


def upload(api, tokens, data: bytes, content_type: str = "image/jpeg", **body) -> dict:
    answer = ask(api, tokens, content_type=content_type, size=len(data), **body)
    assert answer.status_code == 201, answer.text
    assert post_file(answer.json(), data).status_code in (200, 201, 204)
    return answer.json()


def settled(api, tokens, document_id: str) -> dict:
    def done():
        answer = api.get(f"{DOCS}/{document_id}", headers=tokens.auth).json()
        return answer if answer["status"] != "pending" else None

    return eventually(done, timeout=60)


def s3(stack):
    return stack.aws_session().client("s3", endpoint_url=stack.aws_endpoint, config=Config(signature_version="s3v4"))


def keys_of(stack, prefix: str) -> list[str]:
    listed = s3(stack).list_objects_v2(Bucket=stack.env["DOCUMENTS_BUCKET"], Prefix=prefix)
    return [item["Key"] for item in listed.get("Contents", [])]


def test_the_policy_pins_the_citizens_key_the_type_ten_megabytes_and_five_minutes(api, an):
    before = datetime.now(UTC).replace(microsecond=0)
    answer = ask(api, an, content_type="image/heic", size=4_000_000)
    assert answer.status_code == 201, answer.text
    assert_response_matches(answer, UPLOADS, "POST")
    granted = answer.json()
    citizen_id = api.get("/v1/me", headers=an.auth).json()["citizen_id"]
    policy = json.loads(base64.b64decode(granted["upload"]["fields"]["policy"]))
    key = raw_key(citizen_id, granted["upload_id"])
    assert {"key": key} in policy["conditions"] and granted["upload"]["fields"]["key"] == key
    assert {"Content-Type": "image/heic"} in policy["conditions"]
    assert ["content-length-range", 1, MAX_UPLOAD_BYTES] in policy["conditions"]
    expires = datetime.strptime(policy["expiration"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert 0 < (expires - before).total_seconds() <= 301 and granted["expires_at"] == policy["expiration"]


def test_a_declared_upload_outside_the_rules_is_refused_with_its_fields(api, an):
    answer = ask(api, an, content_type="application/x-msdownload", size=MAX_UPLOAD_BYTES + 1, purpose="dossier")
    assert answer.status_code == 400
    assert_response_matches(answer, UPLOADS, "POST")
    fields = {(e["field"], e["code"]) for e in answer.json()["errors"]}
    assert fields == {("content_type", "type_not_allowed"), ("size", "too_large"), ("dossier_id", "dossier_required")}


def test_a_phone_photo_becomes_a_ready_document_stripped_upright_and_small(api, an, stack):
    granted = upload(api, an, phone_jpeg())
    document = settled(api, an, granted["document_id"])
    assert_response_matches(api.get(f"{DOCS}/{granted['document_id']}", headers=an.auth), DOC, "GET")
    assert document["status"] == "ready" and document["kind"] == "upload" and document["reason"] is None
    files = {f["name"]: f["url"] for f in document["files"]}
    assert set(files) == {"image", "thumbnail"}
    assert_bare_upright_portrait(requests.get(files["image"]).content, 1600)
    assert max(Image.open(io.BytesIO(requests.get(files["thumbnail"]).content)).size) == 320
    citizen_id = api.get("/v1/me", headers=an.auth).json()["citizen_id"]
    assert keys_of(stack, raw_key(citizen_id, granted["upload_id"])) == []  # the raw upload is gone
    listed = api.get(DOCS, headers=an.auth)
    assert_response_matches(listed, DOCS, "GET")
    assert any(d["document_id"] == granted["document_id"] and d["status"] == "ready" for d in listed.json()["items"])
    inbox = api.get("/v1/me/notifications", headers=an.auth).json()["items"]
    assert any(n["data"].get("document_id") == granted["document_id"] for n in inbox)


def test_a_pdf_scan_is_kept_with_a_first_page_thumbnail(api, an):
    document = settled(api, an, upload(api, an, pdf_bytes(scan(2)), "application/pdf")["document_id"])
    assert document["status"] == "ready" and document["page_count"] == 2
    files = {f["name"]: f["url"] for f in document["files"]}
    assert set(files) == {"document", "thumbnail"}
    assert requests.get(files["document"]).content.startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("content", "declared", "reason"),
    [
        (pdf_bytes(scan()), "image/jpeg", "type_mismatch"),  # a PDF renamed .jpg
        (b"MZ\x90\x00" + bytes(200), "image/png", "content_unrecognised"),  # an executable renamed .png
        (phone_jpeg(800, 600)[:3000], "image/jpeg", "image_damaged"),  # truncated
    ],
)
def test_a_file_that_is_not_what_it_claims_is_rejected_with_its_reason(api, an, stack, content, declared, reason):
    document = settled(api, an, upload(api, an, content, declared)["document_id"])
    assert document["status"] == "rejected" and document["files"] == []
    assert document["reason"]["code"] == reason and document["reason"]["vi"] and document["reason"]["en"]


def test_ten_megabytes_and_one_byte_are_refused_by_the_worker_too(api, an, stack):
    """The embedded S3 does not enforce the policy's content-length-range: the worker's own check does."""
    granted = ask(api, an, size=MAX_UPLOAD_BYTES).json()
    post_file(granted, b"\xff\xd8\xff" + bytes(MAX_UPLOAD_BYTES - 2))
    document = settled(api, an, granted["document_id"])
    assert document["status"] == "rejected" and document["reason"]["code"] == "too_large"


def test_a_redelivered_notification_changes_nothing(api, an, stack):
    from chalicelib.events.uploads import on_upload

    granted = upload(api, an, phone_jpeg(1200, 900))
    before = settled(api, an, granted["document_id"])
    citizen_id = api.get("/v1/me", headers=an.auth).json()["citizen_id"]
    key = raw_key(citizen_id, granted["upload_id"])
    record = {"eventName": "ObjectCreated:Post", "s3": {"object": {"key": key.replace("/", "%2F")}}}
    sqs_message = {"Records": [{"body": json.dumps({"Records": [record]}), "messageId": "m", "receiptHandle": "r"}]}
    on_upload(sqs_message, None)
    after = api.get(f"{DOCS}/{granted['document_id']}", headers=an.auth).json()
    assert {k: v for k, v in after.items() if k != "files"} == {k: v for k, v in before.items() if k != "files"}
    assert {f["name"] for f in after["files"]} == {"image", "thumbnail"}


def test_binh_cannot_see_fetch_or_delete_ans_upload(api, an, binh):
    granted = ask(api, an).json()
    path = f"{DOCS}/{granted['document_id']}"
    assert api.get(path, headers=an.auth).status_code == 200
    assert api.get(path, headers=binh.auth).status_code == 404
    assert api.delete(path, headers=binh.auth).status_code == 404
    assert granted["document_id"] not in {d["document_id"] for d in api.get(DOCS, headers=binh.auth).json()["items"]}
    assert api.get(path, headers=an.auth).status_code == 200


def test_deleting_an_upload_deletes_its_files_and_an_issued_document_is_refused(api, an, stack):
    granted = upload(api, an, phone_jpeg(1200, 900))
    settled(api, an, granted["document_id"])
    citizen_id = api.get("/v1/me", headers=an.auth).json()["citizen_id"]
    assert keys_of(stack, f"documents/{citizen_id}/{granted['document_id']}/")
    answer = api.delete(f"{DOCS}/{granted['document_id']}", headers=an.auth)
    assert answer.status_code == 204, answer.text
    assert keys_of(stack, f"documents/{citizen_id}/{granted['document_id']}/") == []
    assert api.get(f"{DOCS}/{granted['document_id']}", headers=an.auth).status_code == 404
    assert api.delete(f"{DOCS}/{granted['document_id']}", headers=an.auth).status_code == 404


@pytest.fixture(scope="module")
def wallet_issuer(stack, api) -> AgencyClient:
    return AgencyClient(api, stack.agency_clients[2], stack.agency_token_endpoint)


def test_an_issued_document_cannot_be_deleted_by_its_holder(api, an, wallet_issuer):
    issued = issue(wallet_issuer).json()
    answer = api.delete(f"{DOCS}/{issued['document_id']}", headers=an.auth)
    assert answer.status_code == 409 and answer.json()["code"] == "document_not_deletable"
    assert_response_matches(answer, DOC, "DELETE")


def test_a_dossier_upload_needs_the_citizens_own_dossier(api, an, agency):
    mine, theirs = record(agency).json()["dossier_id"], record(agency, personal_id=BINH).json()["dossier_id"]
    assert ask(api, an, purpose="dossier", dossier_id=mine).status_code == 201
    answer = ask(api, an, purpose="dossier", dossier_id=theirs)
    assert answer.status_code == 404 and answer.json()["code"] == "dossier_not_found"


def test_a_replay_answers_the_same_upload_and_another_body_with_the_key_is_refused(api, an):
    key = str(uuid.uuid4())
    first, again = ask(api, an, key=key).json(), ask(api, an, key=key).json()
    assert (first["upload_id"], first["document_id"]) == (again["upload_id"], again["document_id"])
    answer = ask(api, an, key=key, size=2000)
    assert answer.status_code == 409 and answer.json()["code"] == "idempotency_key_reused"


def test_an_upload_needs_eid_level_2(api, cuong):
    answer = ask(api, cuong)
    assert answer.status_code == 403
    assert_response_matches(answer, UPLOADS, "POST")


def test_pending_uploads_are_capped_per_citizen(api, binh, limits):
    """Bình uploads nothing else here: the two pending ones are this test's."""
    limits(pending_uploads_per_citizen=2)
    assert [ask(api, binh).status_code for _ in range(2)] == [201, 201]
    answer = ask(api, binh)
    assert answer.status_code == 409 and answer.json()["code"] == "too_many_pending_uploads"
    assert_response_matches(answer, UPLOADS, "POST")
