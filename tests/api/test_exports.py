"""Taking one's data home against the local stack: An starts an export, the exports queue's worker (run by the
local poller) builds the ZIP, An downloads it through its day-long link and finds every category and her files;
one running export at a time, replays, isolation, eID level, expiry after 7 days, the ready notice, a worker run
twice, and a worker that keeps failing."""

import io
import json
import uuid
import zipfile
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
import requests
from jsonschema import Draft202012Validator

from chalicelib import wiring
from chalicelib.domain.export_jobs import PENDING_SECONDS
from chalicelib.errors import ServiceUnavailableError
from chalicelib.events.exports import on_export
from chalicelib.services.citizen_data import CATEGORIES
from tests.adapters.test_images import phone_jpeg
from tests.adapters.test_pdf_documents import pdf_bytes, scan
from tests.api.test_citizen_data import SCHEMAS
from tests.api.test_issuer_pdf import settled_pdf, with_pdf
from tests.api.test_uploads import keys_of, post_file, s3, settled, upload
from tests.conftest import AgencyClient, RecordingPublisher, TellingRecorder, eventually
from tests.contract.openapi import assert_response_matches

EXPORTS, EXPORT = "/v1/me/exports", "/v1/me/exports/{export_id}"
DAY = 86400


def start(api, tokens, key=None):
    return api.post(EXPORTS, headers={**tokens.auth, "Idempotency-Key": key or str(uuid.uuid4())})


def read(api, tokens, export_id):
    return api.get(EXPORT.format(export_id=export_id), headers=tokens.auth)


def ready(api, tokens, export_id) -> dict:
    def done():
        answer = read(api, tokens, export_id).json()
        return answer if answer["state"] != "pending" else None

    return eventually(done, timeout=90)


def citizen_id_of(api, tokens) -> str:
    return api.get("/v1/me", headers=tokens.auth).json()["citizen_id"]


def message(citizen_id: str, export_id: str, receive_count: int = 1) -> dict:
    body = json.dumps({"type": "export_requested", "citizen_id": citizen_id, "export_id": export_id})
    attributes = {"ApproximateReceiveCount": str(receive_count)}
    return {"Records": [{"body": body, "messageId": "m", "receiptHandle": "r", "attributes": attributes}]}


@pytest.fixture
def queued():
    """The exports queue recorded instead of sent: the export stays pending until the test runs the worker."""
    publisher = RecordingPublisher()
    wiring.override("exports_publisher", publisher)
    yield publisher
    wiring.override("exports_publisher", None)  # built afresh on next use


@pytest.fixture(scope="module")
def issuer(stack, api) -> AgencyClient:
    return AgencyClient(api, stack.agency_clients[2], stack.agency_token_endpoint)


def test_an_downloads_her_export_with_every_category_and_her_files(api, an, issuer, stack, clock):
    photo = upload(api, an, phone_jpeg(640, 480))
    assert settled(api, an, photo["document_id"])["status"] == "ready"
    pdf = pdf_bytes(scan(1))
    issued = with_pdf(issuer, pdf)
    assert post_file(issued["pdf"], pdf, "extract.pdf").status_code in (200, 201, 204)
    assert settled_pdf(issuer, issued["document_id"])["pdf"]["status"] == "ready"
    answer = start(api, an)
    assert answer.status_code == 202, answer.text
    assert_response_matches(answer, EXPORTS, "POST")
    started = answer.json()
    assert started["state"] == "pending" and started["download"] is None and started["requested_at"].endswith("Z")
    done = ready(api, an, started["export_id"])
    assert_response_matches(read(api, an, started["export_id"]), EXPORT, "GET")
    assert done["state"] == "ready" and done["size"] > 0 and done["download"]["url"]
    archive = requests.get(done["download"]["url"])
    assert archive.status_code == 200 and len(archive.content) == done["size"]
    with zipfile.ZipFile(io.BytesIO(archive.content)) as opened:
        names = set(opened.namelist())
        assert {"README.txt"} | {f"{c.name}.json" for c in CATEGORIES} <= names
        assert f"files/{photo['document_id']}/full.jpg" in names and f"files/{photo['document_id']}/thumb.jpg" in names
        assert opened.read(f"files/{issued['document_id']}/document.pdf") == pdf
        assert "files/" in opened.read("README.txt").decode("utf-8")
        uploads = json.loads(opened.read("uploads.json"))["items"]
        assert photo["document_id"] in {item["document_id"] for item in uploads}
        for category in CATEGORIES:  # what the worker zipped follows the documented schemas too
            schema = json.loads((SCHEMAS / f"{category.name}.schema.json").read_text("utf-8"))
            jsonschema.validate(json.loads(opened.read(f"{category.name}.json")), schema, cls=Draft202012Validator)
    citizen_id = citizen_id_of(api, an)
    assert keys_of(stack, f"exports/{citizen_id}/{started['export_id']}.zip")  # the layout the erasure deletes


def test_the_link_lives_a_day_and_after_seven_days_the_export_reads_expired(api, an, clock):
    export_id = start(api, an).json()["export_id"]
    done = ready(api, an, export_id)
    query = parse_qs(urlsplit(done["download"]["url"]).query)
    assert query["X-Amz-Expires"] == [str(DAY)]
    assert done["expires_at"] > done["ready_at"]
    clock.advance(8 * DAY)
    expired = read(api, an, export_id)
    assert expired.status_code == 200 and expired.json()["state"] == "expired" and expired.json()["download"] is None
    listed = api.get(EXPORTS, headers=an.auth)
    assert_response_matches(listed, EXPORTS, "GET")
    assert {"export_id": export_id, "state": "expired"}.items() <= next(
        item for item in listed.json()["items"] if item["export_id"] == export_id
    ).items()


def test_one_running_export_at_a_time_and_a_replay_answers_the_same(api, an, queued, clock):
    key = str(uuid.uuid4())
    first = start(api, an, key)
    assert first.status_code == 202, first.text
    again = start(api, an, key)
    assert again.status_code == 202 and again.json()["export_id"] == first.json()["export_id"]
    other = start(api, an)
    assert other.status_code == 409 and other.json()["code"] == "export_running"
    assert_response_matches(other, EXPORTS, "POST")
    english = api.post(EXPORTS, headers={**an.auth, "Idempotency-Key": "k-en", "Accept-Language": "en"})
    assert english.status_code == 409 and "still being prepared" in english.json()["detail"]
    assert {m["export_id"] for m in queued.messages} == {first.json()["export_id"]}
    on_export(message(citizen_id_of(api, an), first.json()["export_id"]), None)
    assert read(api, an, first.json()["export_id"]).json()["state"] == "ready"
    assert start(api, an).status_code == 202  # the lock went with it
    on_export(message(citizen_id_of(api, an), queued.messages[-1]["export_id"]), None)


def test_a_pending_export_older_than_an_hour_no_longer_blocks(api, an, queued, clock):
    stuck = start(api, an).json()["export_id"]
    clock.advance(PENDING_SECONDS + 1)
    assert read(api, an, stuck).json()["state"] == "failed"
    fresh = start(api, an)
    assert fresh.status_code == 202, fresh.text
    citizen_id = citizen_id_of(api, an)
    on_export(message(citizen_id, stuck), None)  # its message, late: refused, it stays failed
    on_export(message(citizen_id, fresh.json()["export_id"]), None)
    assert read(api, an, stuck).json()["state"] == "failed"
    assert read(api, an, fresh.json()["export_id"]).json()["state"] == "ready"


def test_binh_cannot_see_ans_export_and_a_level_1_citizen_cannot_start_one(api, an, binh, cuong, queued, clock):
    export_id = start(api, an).json()["export_id"]
    answer = read(api, binh, export_id)
    assert answer.status_code == 404 and answer.json()["code"] == "export_not_found"
    assert_response_matches(answer, EXPORT, "GET")
    assert export_id not in {item["export_id"] for item in api.get(EXPORTS, headers=binh.auth).json()["items"]}
    assert read(api, an, "not.an.id").status_code == 404
    refused = start(api, cuong)
    assert refused.status_code == 403 and refused.json()["code"] == "eid_level_too_low"
    assert_response_matches(refused, EXPORTS, "POST")
    missing = api.post(EXPORTS, headers=an.auth)
    assert missing.status_code == 400 and missing.json()["code"] == "idempotency_key_required"
    on_export(message(citizen_id_of(api, an), export_id), None)


def test_export_requests_are_limited_per_citizen(api, an, limits):
    limits(export_requests_per_day=1)
    first = start(api, an)
    if first.status_code == 202:  # An's first today when this test runs alone: let it finish
        ready(api, an, first.json()["export_id"])
    answer = start(api, an)
    assert answer.status_code == 429 and answer.json()["code"] == "rate_limited" and answer.headers["Retry-After"]
    assert_response_matches(answer, EXPORTS, "POST")


@pytest.fixture
def telling():
    """The real notifications queue, keeping what went through it."""
    real = wiring.notifications_publisher()
    recorder = TellingRecorder(real)
    wiring.override("notifications_publisher", recorder)
    yield recorder
    wiring.override("notifications_publisher", real)


def test_the_worker_run_twice_makes_one_zip_and_one_notice(api, an, queued, telling, stack, clock):
    export_id = start(api, an).json()["export_id"]
    citizen_id = citizen_id_of(api, an)
    on_export(message(citizen_id, export_id), None)
    on_export(message(citizen_id, export_id), None)
    versions = s3(stack).list_object_versions(
        Bucket=stack.env["DOCUMENTS_BUCKET"], Prefix=f"exports/{citizen_id}/{export_id}.zip"
    )
    assert len(versions.get("Versions", [])) == 1
    assert [m["export_id"] for m in telling.messages if m["type"] == "export_ready"] == [export_id]

    def notices():
        items = api.get("/v1/me/notifications", headers=an.auth, params={"limit": 100}).json()["items"]
        return [n for n in items if n["data"].get("export_id") == export_id]

    (notice,) = eventually(notices)
    assert notice["category"] == "account" and notice["title"]


class _BrokenStore:
    """The documents bucket down: every read and write fails as S3 would make the real store fail."""

    def read(self, key):
        raise ServiceUnavailableError("storage_unavailable")

    put_derivative = read


def test_a_worker_failing_every_attempt_marks_the_export_failed(api, an, queued, clock):
    export_id = start(api, an).json()["export_id"]
    citizen_id = citizen_id_of(api, an)
    real = wiring.document_store()
    wiring.override("document_store", _BrokenStore())
    try:
        with pytest.raises(ServiceUnavailableError):
            on_export(message(citizen_id, export_id, receive_count=1), None)
        assert read(api, an, export_id).json()["state"] == "pending"  # SQS will hand it out again
        on_export(message(citizen_id, export_id, receive_count=3), None)
    finally:
        wiring.override("document_store", real)
    assert read(api, an, export_id).json()["state"] == "failed"
    assert start(api, an).status_code == 202
    on_export(message(citizen_id, queued.messages[-1]["export_id"]), None)
