"""The whole dossier story over HTTP: an agency records and updates, the citizen follows it."""

import uuid
from datetime import UTC

import pytest

from chalicelib import wiring
from tests.conftest import AN, BINH, RecordingPublisher
from tests.contract.openapi import assert_response_matches


def record(agency, personal_id=AN, code="KHAI_SINH", key=None, **extra):
    body = {
        "personal_id": personal_id,
        "procedure_code": code,
        "applicant_name": "Nguyễn Văn An",
        "received_at": "2026-03-02T08:00:00+07:00",
        **extra,
    }
    return agency.post("/v1/agency/dossiers", json=body, headers={"Idempotency-Key": key or str(uuid.uuid4())})


def event(agency, receipt, status, occurred_at, event_id=None, **extra):
    body = {
        "event_id": event_id or str(uuid.uuid4()),
        "occurred_at": occurred_at,
        "status": status,
        "step_name": "Thẩm định",
        "agency_unit": "Bộ phận một cửa",
        "officer_role": "Công chức tư pháp",
        **extra,
    }
    return agency.post(f"/v1/agency/dossiers/{receipt}/events", json=body)


def test_counter_dossier_then_events_appear_in_the_citizens_app(agency, api, published):
    created = record(agency)
    assert created.status_code == 201, created.text
    assert_response_matches(created, "/v1/agency/dossiers", "POST")
    receipt = created.json()["receipt_code"]
    first = event(agency, receipt, "processing", "2026-03-02T09:00:00+07:00", step_name="Thẩm định hồ sơ")
    assert first.status_code == 201, first.text
    assert_response_matches(first, "/v1/agency/dossiers/{receipt_code}/events", "POST")
    asking = event(
        agency,
        receipt,
        "additional_info_required",
        "2026-03-02T10:00:00+07:00",
        requested_documents=["Bản sao giấy chứng sinh"],
    )
    assert asking.status_code == 201
    an = api.login(AN)
    listed = api.get("/v1/me/dossiers", headers=an.auth)
    assert listed.status_code == 200, listed.text
    assert_response_matches(listed, "/v1/me/dossiers", "GET")
    mine = next(d for d in listed.json()["items"] if d["receipt_code"] == receipt)
    detail = api.get(f"/v1/me/dossiers/{mine['dossier_id']}", headers=an.auth)
    assert detail.status_code == 200, detail.text
    assert_response_matches(detail, "/v1/me/dossiers/{dossier_id}", "GET")
    body = detail.json()
    assert body["status"] == "additional_info_required" and body["procedure"]["code"] == "KHAI_SINH"
    assert [s["status"] for s in body["timeline"]][-2:] == ["processing", "additional_info_required"]
    assert body["timeline"][-1]["requested_documents"] == ["Bản sao giấy chứng sinh"]


def test_duplicate_event_changes_and_publishes_nothing(agency, api, published):
    receipt = record(agency).json()["receipt_code"]
    api.login(AN)  # An has logged in: the published messages name her
    event_id = str(uuid.uuid4())
    assert event(agency, receipt, "processing", "2026-03-02T09:00:00+07:00", event_id).status_code == 201
    again = event(agency, receipt, "processing", "2026-03-02T09:00:00+07:00", event_id)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert_response_matches(again, "/v1/agency/dossiers/{receipt_code}/events", "POST")
    assert [m["event_id"] for m in published.messages].count(event_id) == 1


def test_out_of_order_events_never_move_status_back(agency, api, published):
    created = record(agency).json()
    receipt = created["receipt_code"]
    assert event(agency, receipt, "result_ready", "2026-03-05T09:00:00+07:00").status_code == 201
    late = event(agency, receipt, "processing", "2026-03-03T09:00:00+07:00")
    assert late.status_code == 201 and late.json()["dossier_status"] == "result_ready"
    an = api.login(AN)
    detail = api.get(f"/v1/me/dossiers/{created['dossier_id']}", headers=an.auth).json()
    assert detail["status"] == "result_ready"
    times = [s["occurred_at"] for s in detail["timeline"] if s["status"] != "received"]
    assert [s["status"] for s in detail["timeline"] if s["status"] != "received"] == ["processing", "result_ready"]
    assert times == sorted(times)


def test_binh_and_another_agency_get_404(agency, other_agency, api, published):
    created = record(agency).json()
    binh = api.login(BINH)
    theirs = api.get(f"/v1/me/dossiers/{created['dossier_id']}", headers=binh.auth)
    assert theirs.status_code == 404
    assert_response_matches(theirs, "/v1/me/dossiers/{dossier_id}", "GET")
    foreign = event(other_agency, created["receipt_code"], "processing", "2026-03-02T09:00:00+07:00")
    assert foreign.status_code == 404
    assert_response_matches(foreign, "/v1/agency/dossiers/{receipt_code}/events", "POST")


def test_idempotency_key_replays_or_conflicts(agency, published):
    key = str(uuid.uuid4())
    first, again = record(agency, key=key), record(agency, key=key)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    other = record(agency, key=key, applicant_name="Người khác")
    assert other.status_code == 409
    assert_response_matches(other, "/v1/agency/dossiers", "POST")


def test_out_of_scope_procedure_is_403(other_agency, published):
    answer = record(other_agency, code="THUONG_TRU")
    assert answer.status_code == 403 and answer.json()["code"] == "procedure_not_in_scope"


@pytest.mark.parametrize(
    "body", [{}, {"personal_id": "12345", "procedure_code": 7}, {"personal_id": AN, "procedure_code": "NO_SUCH"}]
)
def test_bad_counter_dossiers_are_400(agency, body):
    answer = agency.post("/v1/agency/dossiers", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert answer.status_code == 400 and answer.json()["errors"], answer.text
    assert_response_matches(answer, "/v1/agency/dossiers", "POST")


def test_bad_events_and_missing_headers_are_400(agency, published):
    receipt = record(agency).json()["receipt_code"]
    answer = agency.post(
        f"/v1/agency/dossiers/{receipt}/events",
        json={"event_id": "a b", "occurred_at": "2026-03-02T09:00:00", "status": "lost", "requested_documents": "x"},
    )
    assert answer.status_code == 400
    assert {e["field"] for e in answer.json()["errors"]} == {"event_id", "occurred_at", "status", "requested_documents"}
    assert_response_matches(answer, "/v1/agency/dossiers/{receipt_code}/events", "POST")
    no_key = agency.post("/v1/agency/dossiers", json={"personal_id": AN, "procedure_code": "KHAI_SINH"})
    assert no_key.status_code == 400 and no_key.json()["errors"][0]["field"] == "Idempotency-Key"
    no_purpose = agency.api.get("/v1/agency/dossiers", headers={"Authorization": f"Bearer {agency.token}"})
    assert no_purpose.status_code == 400
    assert_response_matches(no_purpose, "/v1/agency/dossiers", "GET")
    no_token = agency.api.get("/v1/agency/dossiers")
    assert no_token.status_code == 401
    assert_response_matches(no_token, "/v1/agency/dossiers", "GET")


def test_bad_citizen_queries_are_400(api):
    an = api.login(AN)
    assert api.get("/v1/me/dossiers?status=lost", headers=an.auth).status_code == 400
    forged = api.get("/v1/me/dossiers?cursor=eyJ4IjoxfQ.forged", headers=an.auth)
    assert forged.status_code == 400
    assert_response_matches(forged, "/v1/me/dossiers", "GET")
    assert api.get("/v1/me/access-log?cursor=nope", headers=an.auth).status_code == 400


def test_failed_publish_gives_503_and_the_retry_completes_it(agency, api):
    wiring.override("notifications_publisher", RecordingPublisher())
    receipt = record(agency).json()["receipt_code"]
    api.login(AN)
    wiring.override("notifications_publisher", RecordingPublisher(fail=True))
    event_id = str(uuid.uuid4())
    failed = event(agency, receipt, "processing", "2026-03-02T09:00:00+07:00", event_id)
    assert failed.status_code == 503 and int(failed.headers["Retry-After"]) > 0
    working = RecordingPublisher()
    wiring.override("notifications_publisher", working)
    retried = event(agency, receipt, "processing", "2026-03-02T09:00:00+07:00", event_id)
    assert retried.status_code == 200
    assert [m["event_id"] for m in working.messages].count(event_id) == 1  # only ours: the clock publishes too
    wiring.reset()


def test_agency_list_and_access_log(agency, api, published):
    receipt = record(agency).json()["receipt_code"]
    listed = agency.get("/v1/agency/dossiers?status=received")
    assert listed.status_code == 200, listed.text
    assert_response_matches(listed, "/v1/agency/dossiers", "GET")
    an = api.login(AN)
    log = api.get("/v1/me/access-log", headers=an.auth)
    assert log.status_code == 200
    assert_response_matches(log, "/v1/me/access-log", "GET")
    mine = [e for e in log.json()["items"] if e["target"] == f"dossier:{receipt}"]
    assert {e["action"] for e in mine} >= {"dossier.create"}
    assert all(e["purpose"] and e["agency_id"] == "ubnd-hoan-kiem" for e in mine)


def test_throttled_dynamodb_gives_503_and_the_event_is_not_lost(agency, api, stack, published):
    from chalicelib.adapters.dynamo_table import DynamoTable
    from tests.api.test_faults import _throttled_dynamodb

    created = record(agency).json()
    event_id = str(uuid.uuid4())
    wiring.override("table", DynamoTable(_throttled_dynamodb(stack), stack.env["TABLE_NAME"]))
    for name in ("dossiers", "access_log", "idempotency"):
        wiring._instances.pop(name, None)  # rebuilt on the throttled table
    throttled = event(agency, created["receipt_code"], "processing", "2026-03-02T09:00:00+07:00", event_id)
    assert throttled.status_code == 503 and throttled.headers["Retry-After"] == "1"
    assert_response_matches(throttled, "/v1/agency/dossiers/{receipt_code}/events", "POST")
    wiring.reset()
    wiring.override("notifications_publisher", published)
    retried = event(agency, created["receipt_code"], "processing", "2026-03-02T09:00:00+07:00", event_id)
    assert retried.status_code == 201 and [m["event_id"] for m in published.messages].count(event_id) <= 1


def test_a_token_narrowed_to_other_procedures_cannot_touch_the_dossier(agency, published):
    receipt = record(agency).json()["receipt_code"]  # KHAI_SINH
    answer = agency.request_token(agency.token_form(scope="dossiers:read dossiers:write procedure:THUONG_TRU"))
    assert answer.status_code == 200, answer.text
    narrowed = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    body = {"event_id": str(uuid.uuid4()), "occurred_at": "2026-03-02T09:00:00+07:00", "status": "processing"}
    touched = agency.post(f"/v1/agency/dossiers/{receipt}/events", json=body, headers=narrowed)
    assert touched.status_code == 404, touched.text
    listed = agency.get("/v1/agency/dossiers", headers=narrowed)
    assert listed.status_code == 200 and all(d["procedure_code"] == "THUONG_TRU" for d in listed.json()["items"])


@pytest.mark.parametrize(
    "received_at", ["0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-10:00", "2999-01-01T08:00:00+07:00"]
)
def test_counter_dossier_received_out_of_range_is_400(agency, received_at):
    answer = record(agency, received_at=received_at)
    assert answer.status_code == 400, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == ["received_at"]


def test_concurrent_requests_with_one_idempotency_key_do_not_500(agency, stack, published):
    """The first request's claim lands between the second one's replay check and its write."""
    import dataclasses
    from datetime import datetime

    from chalicelib.domain.agencies import AgencyPrincipal
    from chalicelib.services.agency_dossiers import CounterDossier, Idempotent, record_counter_dossier

    ports = wiring.dossier_ports()
    principal = AgencyPrincipal(
        agency.client_id, "ubnd-hoan-kiem", frozenset({"dossiers:write", "procedure:KHAI_SINH"})
    )
    data = CounterDossier(AN, "KHAI_SINH", datetime(2026, 3, 2, 1, tzinfo=UTC))
    request = Idempotent(str(uuid.uuid4()), "fingerprint")
    first = record_counter_dossier(principal, data, request, "test", ports, 1772413200.0)

    class LateIdempotency:
        def __init__(self):
            self.calls = 0

        def get(self, scope, key):
            self.calls += 1
            return None if self.calls == 1 else ports.idempotency.get(scope, key)

        def put_operation(self, *args):
            return ports.idempotency.put_operation(*args)

    racing = dataclasses.replace(ports, idempotency=LateIdempotency())
    assert record_counter_dossier(principal, data, request, "test", racing, 1772413201.0) == first
