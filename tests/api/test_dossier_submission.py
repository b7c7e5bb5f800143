"""A citizen files a dossier online; the agency sees it and works it; the citizen rates it when completed."""

import unicodedata
import uuid

import pytest

from chalicelib import wiring
from tests.api.test_dossiers import event
from tests.conftest import AN, BINH, CUONG, RecordingPublisher
from tests.contract.openapi import assert_response_matches

BIRTH_FORM = {
    "child_full_name": "Nguyễn Minh Khôi",
    "child_birthdate": "2026-02-20",
    "child_gender": "nam",
    "birth_place": "Bệnh viện Phụ sản Hà Nội",
    "mother_personal_id": "001190000009",
    "phone": "0912345678",
}


def submit(api, tokens, body=None, key=None, **overrides):
    body = (
        body
        if body is not None
        else {"procedure_code": "KHAI_SINH", "agency_id": "ubnd-hoan-kiem", "form": dict(BIRTH_FORM), **overrides}
    )
    return api.post("/v1/me/dossiers", json=body, headers={**tokens.auth, "Idempotency-Key": key or str(uuid.uuid4())})


def complete(agency, receipt):
    for hour, status in enumerate(("received", "processing", "approved", "result_ready", "completed")):
        assert event(agency, receipt, status, f"2026-03-03T{9 + hour:02d}:00:00+07:00").status_code == 201


def test_submitted_dossier_reaches_the_agency_and_the_citizen(api, agency, published):
    an = api.login(AN)
    created = submit(api, an)
    assert created.status_code == 201, created.text
    assert_response_matches(created, "/v1/me/dossiers", "POST")
    answer = created.json()
    assert answer["status"] == "submitted" and len(answer["pin"]) == 6
    mine = api.get("/v1/me/dossiers", headers=an.auth).json()["items"]
    listed = next(d for d in mine if d["dossier_id"] == answer["dossier_id"])
    assert listed["channel"] == "online" and listed["agency"]["agency_id"] == "ubnd-hoan-kiem"
    inbox = agency.get("/v1/agency/dossiers?status=submitted")
    assert inbox.status_code == 200, inbox.text
    assert_response_matches(inbox, "/v1/agency/dossiers", "GET")
    row = next(d for d in inbox.json()["items"] if d["receipt_code"] == answer["receipt_code"])
    assert row["form"]["child_full_name"] == "Nguyễn Minh Khôi" and row["overdue_receipt"] is False
    assert event(agency, answer["receipt_code"], "received", "2026-03-03T08:00:00+07:00").status_code == 201


def test_form_text_is_stored_nfc(api, agency, published):
    an = api.login(AN)
    decomposed = unicodedata.normalize("NFD", "Nguyễn Minh Khôi")
    created = submit(api, an, form={**BIRTH_FORM, "child_full_name": decomposed})
    assert created.status_code == 201, created.text
    rows = agency.get("/v1/agency/dossiers?status=submitted").json()["items"]
    row = next(d for d in rows if d["receipt_code"] == created.json()["receipt_code"])
    assert row["form"]["child_full_name"] == unicodedata.normalize("NFC", decomposed)


def test_same_key_same_answer_other_body_conflict(api, published):
    an, key = api.login(AN), str(uuid.uuid4())
    first, again = submit(api, an, key=key), submit(api, an, key=key)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    other = submit(api, an, key=key, form={**BIRTH_FORM, "phone": "0987654321"})
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"
    assert_response_matches(other, "/v1/me/dossiers", "POST")


def test_level_one_eid_cannot_file(api, published):
    answer = submit(api, api.login(CUONG))
    assert answer.status_code == 403 and answer.json()["code"] == "eid_level_too_low"
    assert_response_matches(answer, "/v1/me/dossiers", "POST")


@pytest.mark.parametrize(
    "body, field",
    [
        ({"agency_id": "ubnd-hoan-kiem", "form": BIRTH_FORM}, "procedure_code"),
        ({"procedure_code": "KHAI_SINH", "agency_id": "ubnd-hoan-kiem"}, "form"),
        ({"procedure_code": "KHAI_SINH", "agency_id": "ubnd-hoan-kiem", "form": []}, "form"),
        ({"procedure_code": "KHAI_SINH", "form": BIRTH_FORM}, "agency_id"),
        ({"procedure_code": "KHAI_SINH", "agency_id": "ubnd-nowhere", "form": BIRTH_FORM}, "agency_id"),
        ({"procedure_code": "NO_SUCH", "form": BIRTH_FORM}, "procedure_code"),
        (
            {"procedure_code": "KHAI_SINH", "agency_id": "ubnd-hoan-kiem", "form": {**BIRTH_FORM, "phone": "abc"}},
            "form.phone",
        ),
        (
            {
                "procedure_code": "KHAI_SINH",
                "agency_id": "ubnd-hoan-kiem",
                "form": {**BIRTH_FORM, "child_birthdate": "20/02/2026"},
            },
            "form.child_birthdate",
        ),
        (
            {
                "procedure_code": "KHAI_SINH",
                "agency_id": "ubnd-hoan-kiem",
                "form": {**BIRTH_FORM, "child_full_name": ""},
            },
            "form.child_full_name",
        ),
        (
            {
                "procedure_code": "KHAI_SINH",
                "agency_id": "ubnd-hoan-kiem",
                "form": {**BIRTH_FORM, "birth_place": "x" * 1001},
            },
            "form.birth_place",
        ),
        (
            {"procedure_code": "KHAI_SINH", "agency_id": "ubnd-hoan-kiem", "form": {**BIRTH_FORM, "extra": 1}},
            "form.extra",
        ),
        ({"procedure_code": "KHAI_SINH", "agency_id": "ubnd-hoan-kiem", "form": BIRTH_FORM, "x": 1}, "x"),
    ],
)
def test_bad_submissions_name_the_field(api, published, body, field):
    answer = submit(api, api.login(AN), body=body)
    assert answer.status_code == 400, answer.text
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    assert field in [e["field"] for e in answer.json().get("errors", [])]
    assert_response_matches(answer, "/v1/me/dossiers", "POST")


def test_procedure_that_cannot_be_filed_online(api, published, monkeypatch):
    from chalicelib.domain.dossiers import ProcedureRef

    class Lookup:
        def find(self, code):
            return ProcedureRef(code, "Thủ tục tại quầy", "Counter only", 5, online=False)

    wiring.override("procedure_lookup", Lookup())
    answer = submit(api, api.login(AN))
    assert answer.status_code == 400 and answer.json()["code"] == "procedure_not_online"
    assert_response_matches(answer, "/v1/me/dossiers", "POST")


@pytest.mark.parametrize(
    "headers, raw, code",
    [
        ({}, b'{"procedure_code": "KHAI_SINH"}', "idempotency_key_required"),
        ({"Idempotency-Key": "k"}, b"not json", "malformed_json"),
        ({"Idempotency-Key": "k"}, b"[1]", "body_not_object"),
    ],
)
def test_malformed_requests_are_problems(api, published, headers, raw, code):
    an = api.login(AN)
    answer = api.post("/v1/me/dossiers", data=raw, headers={**an.auth, "Content-Type": "application/json", **headers})
    assert answer.status_code == 400 and answer.json()["code"] == code
    assert_response_matches(answer, "/v1/me/dossiers", "POST")


def test_rating_after_completion_once_and_owner_only(api, agency, published):
    an = api.login(AN)
    created = submit(api, an).json()
    path = f"/v1/me/dossiers/{created['dossier_id']}/rating"
    early = api.post(path, json={"score": 5}, headers=an.auth)
    assert early.status_code == 409 and early.json()["code"] == "dossier_not_completed"
    assert_response_matches(early, "/v1/me/dossiers/{dossier_id}/rating", "POST")
    complete(agency, created["receipt_code"])
    other = api.post(path, json={"score": 1}, headers=api.login(BINH).auth)
    assert other.status_code == 404 and other.json()["code"] == "dossier_not_found"
    rated = api.post(path, json={"score": 4, "comment": "Nhanh gọn"}, headers=an.auth)
    assert rated.status_code == 201, rated.text
    assert_response_matches(rated, "/v1/me/dossiers/{dossier_id}/rating", "POST")
    again = api.post(path, json={"score": 5}, headers=an.auth)
    assert again.status_code == 409 and again.json()["code"] == "already_rated"
    detail = api.get(f"/v1/me/dossiers/{created['dossier_id']}", headers=an.auth)
    assert_response_matches(detail, "/v1/me/dossiers/{dossier_id}", "GET")
    assert detail.json()["rating"] == 4 and detail.json()["rating_comment"] == "Nhanh gọn"


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "score"),
        ({"score": 0}, "score"),
        ({"score": 6}, "score"),
        ({"score": "5"}, "score"),
        ({"score": True}, "score"),
        ({"score": 3, "comment": "x" * 1001}, "comment"),
        ({"score": 3, "comment": 7}, "comment"),
        ({"score": 3, "stars": 3}, "stars"),
    ],
)
def test_bad_ratings_are_problems(api, body, field):
    an = api.login(AN)
    answer = api.post("/v1/me/dossiers/whatever/rating", json=body, headers=an.auth)
    assert answer.status_code == 400 and field in [e["field"] for e in answer.json()["errors"]]
    assert_response_matches(answer, "/v1/me/dossiers/{dossier_id}/rating", "POST")


def test_rating_an_unknown_dossier_is_404(api):
    answer = api.post("/v1/me/dossiers/nope/rating", json={"score": 3}, headers=api.login(AN).auth)
    assert answer.status_code == 404 and answer.json()["code"] == "dossier_not_found"


def test_a_retry_after_a_failed_publish_completes_it(api):
    an = api.login(AN)
    wiring.override("notifications_publisher", RecordingPublisher(fail=True))
    key = str(uuid.uuid4())
    try:
        failed = submit(api, an, key=key)
        assert failed.status_code == 503, failed.text
        working = RecordingPublisher()
        wiring.override("notifications_publisher", working)
        retried = submit(api, an, key=key)
        assert retried.status_code == 201, retried.text
        ours = [m for m in working.messages if m["dossier_id"] == retried.json()["dossier_id"]]
        assert [m["type"] for m in ours] == ["dossier_status_changed"]  # the background clock may publish others
    finally:
        wiring.reset()


def pending_filings(personal_id):
    from chalicelib.adapters import dynamo

    item = wiring.table().get(dynamo.pending_filings_key(wiring.person_keys().key_of(personal_id)), consistent=True)
    return int((item or {}).get("pending", 0))


def test_pending_filings_are_capped_until_the_agency_receives_one(api, agency, published, limits):
    binh = api.login(BINH)
    limits(pending_filings_per_citizen=pending_filings(BINH) + 1)
    first = submit(api, binh)
    assert first.status_code == 201, first.text
    refused = submit(api, binh)
    assert refused.status_code == 409 and refused.json()["code"] == "too_many_pending_filings", refused.text
    assert_response_matches(refused, "/v1/me/dossiers", "POST")
    assert event(agency, first.json()["receipt_code"], "received", "2026-03-03T08:00:00+07:00").status_code == 201
    assert submit(api, binh).status_code == 201
