"""A completed dossier delivers its result document into the citizen's wallet, over HTTP."""

import uuid

import pytest

from tests.api.test_dossiers import event, record
from tests.api.test_wallet import BIRTH
from tests.conftest import AN
from tests.contract.openapi import assert_response_matches

EVENTS = "/v1/agency/dossiers/{receipt_code}/events"
COMPLETED_AT = "2026-03-05T10:00:00+07:00"


@pytest.fixture
def filed(other_agency) -> dict:
    """A birth registration for An at the Ba Dinh one-stop shop, which may issue birth certificate extracts."""
    answer = record(other_agency, personal_id=AN, code="KHAI_SINH")
    assert answer.status_code == 201, answer.text
    return answer.json()


def complete(agency, receipt, type_="BIRTH_CERTIFICATE_EXTRACT", claims=None, status="completed", **extra):
    result = {"type": type_, "claims": claims or BIRTH}
    return event(agency, receipt, status, COMPLETED_AT, result_document=result, **extra)


def _wallet_ids(api, an) -> list[str]:
    listed = api.get("/v1/me/documents", headers=an.auth, params={"type": "BIRTH_CERTIFICATE_EXTRACT", "limit": 100})
    assert listed.status_code == 200, listed.text
    return [d["document_id"] for d in listed.json()["items"]]


def test_a_completed_event_with_a_result_puts_it_in_the_wallet_and_on_the_dossier(api, an, other_agency, filed):
    answer = complete(other_agency, filed["receipt_code"])
    assert answer.status_code == 201, answer.text
    assert_response_matches(answer, EVENTS, "POST")
    document_id = answer.json()["result_document_id"]
    assert document_id and answer.json()["dossier_status"] == "completed"
    assert document_id in _wallet_ids(api, an)
    document = api.get(f"/v1/me/documents/{document_id}", headers=an.auth).json()
    assert document["claims"] == BIRTH and document["issuer"]["agency_id"] == "ubnd-ba-dinh"
    assert document["status"] == "valid"
    dossier = api.get(f"/v1/me/dossiers/{filed['dossier_id']}", headers=an.auth)
    assert dossier.status_code == 200, dossier.text
    assert_response_matches(dossier, "/v1/me/dossiers/{dossier_id}", "GET")
    assert dossier.json()["result_document_id"] == document_id
    log = api.get("/v1/me/access-log", headers=an.auth, params={"limit": 100}).json()["items"]
    assert any(e["action"] == "document.issue" and e["target"] == f"document:{document_id}" for e in log)


def test_a_replayed_event_issues_one_document(api, an, other_agency, filed):
    before, event_id = set(_wallet_ids(api, an)), str(uuid.uuid4())
    first = complete(other_agency, filed["receipt_code"], event_id=event_id)
    again = complete(other_agency, filed["receipt_code"], event_id=event_id)
    assert (first.status_code, again.status_code) == (201, 200), again.text
    assert_response_matches(again, EVENTS, "POST")
    document_id = first.json()["result_document_id"]
    assert again.json()["duplicate"] and again.json()["result_document_id"] == document_id
    assert [d for d in _wallet_ids(api, an) if d not in before] == [document_id]


def test_a_type_outside_the_agencys_issue_scope_is_403(api, an, other_agency, agency, filed):
    record_check = {
        "full_name": "Nguyễn Văn An",
        "date_of_birth": "1990-03-15",
        "place_of_birth": "Phường Hoàn Kiếm, Hà Nội",
        "criminal_record": "Không có án tích",
        "card_type": 1,
        "registration_number": "LLTP-2026-1",
        "issue_date": "2026-01-02",
        "issuing_authority": "Sở Tư pháp Hà Nội",
    }
    outside = complete(other_agency, filed["receipt_code"], type_="JUDICIAL_RECORD", claims=record_check)
    assert outside.status_code == 403 and outside.json()["code"] == "document_type_not_in_scope", outside.text
    assert_response_matches(outside, EVENTS, "POST")
    dossier = api.get(f"/v1/me/dossiers/{filed['dossier_id']}", headers=an.auth).json()
    assert dossier["status"] != "completed" and dossier["result_document_id"] is None
    own = record(agency, personal_id=AN, code="KHAI_SINH").json()
    no_issuer = complete(agency, own["receipt_code"])
    assert no_issuer.status_code == 403 and no_issuer.json()["code"] == "document_type_not_in_scope"


def test_a_result_on_another_status_is_400(other_agency, filed):
    answer = complete(other_agency, filed["receipt_code"], status="result_ready")
    assert answer.status_code == 400, answer.text
    assert ("result_document", "not_allowed") in [(e["field"], e["code"]) for e in answer.json()["errors"]]
    assert_response_matches(answer, EVENTS, "POST")


def test_the_result_claims_are_checked_against_the_types_schema(other_agency, filed):
    answer = complete(other_agency, filed["receipt_code"], claims={**BIRTH, "date_of_birth": "15/03/1990"})
    assert answer.status_code == 400, answer.text
    fields = {e["field"] for e in answer.json()["errors"]}
    assert "result_document.claims.date_of_birth" in fields


def test_a_second_result_for_a_completed_dossier_is_409(other_agency, filed):
    assert complete(other_agency, filed["receipt_code"]).status_code == 201
    second = complete(other_agency, filed["receipt_code"])
    assert second.status_code == 409 and second.json()["code"] == "dossier_result_not_deliverable", second.text
    assert_response_matches(second, EVENTS, "POST")
