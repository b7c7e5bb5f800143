"""Reuse in filings through HTTP: An files a dossier with a document of her wallet (issued, or her own ready
upload); the agency sees its claims or its files' links on the dossier, and each reading is in An's access log.
Only her own usable documents go with a filing; an upload made for a dossier lands on it."""

import pytest
import requests

from tests.adapters.test_images import assert_bare_upright_portrait, phone_jpeg
from tests.api.test_dossier_submission import submit
from tests.api.test_dossiers import event, record
from tests.api.test_uploads import DOCS, ask, settled, upload
from tests.api.test_wallet import BIRTH, issue
from tests.conftest import AgencyClient
from tests.contract.openapi import assert_response_matches


@pytest.fixture
def issuer(stack, api):
    return AgencyClient(api, stack.agency_clients[2], stack.agency_token_endpoint)


@pytest.fixture
def document(issuer) -> dict:
    answer = issue(issuer)
    assert answer.status_code == 201, answer.text
    return answer.json()


def agency_row(agency, receipt_code) -> dict:
    rows = agency.get("/v1/agency/dossiers", params={"status": "submitted", "limit": 100})
    assert_response_matches(rows, "/v1/agency/dossiers", "GET")
    return next(row for row in rows.json()["items"] if row["receipt_code"] == receipt_code)


def test_the_agency_sees_an_attached_documents_claims_and_the_reading_is_logged(api, agency, an, document, published):
    filed = submit(api, an, documents=[{"document_id": document["document_id"]}])
    assert filed.status_code == 201, filed.text
    assert_response_matches(filed, "/v1/me/dossiers", "POST")
    row = agency_row(agency, filed.json()["receipt_code"])
    attached = row["documents"]
    assert [d["document_id"] for d in attached] == [document["document_id"]]
    assert attached[0]["claims"] == BIRTH and attached[0]["type"] == "BIRTH_CERTIFICATE_EXTRACT"
    assert attached[0]["kind"] == "issued" and attached[0]["files"] == []  # no signed PDF declared
    log = api.get("/v1/me/access-log", headers=an.auth, params={"limit": 100}).json()["items"]
    read = [e for e in log if e["action"] == "dossier.list" and f"document:{document['document_id']}" in e["related"]]
    assert len(read) == 1 and read[0]["agency_id"] == "ubnd-hoan-kiem" and read[0]["category"] == "dossier"


def test_another_citizens_document_is_not_found(api, binh, document, published):
    refused = submit(api, binh, documents=[{"document_id": document["document_id"]}])
    assert refused.status_code == 404 and refused.json()["code"] == "document_not_found"
    assert_response_matches(refused, "/v1/me/dossiers", "POST")


def test_a_revoked_document_does_not_go_with_a_filing(api, issuer, an, document, published):
    assert issuer.post(f"/v1/issuer/documents/{document['document_id']}/revoke").status_code == 200
    refused = submit(api, an, documents=[{"document_id": document["document_id"]}])
    assert refused.status_code == 400 and refused.json()["code"] == "document_not_usable"
    assert refused.json()["errors"][0]["field"] == "documents[0].document_id"
    assert_response_matches(refused, "/v1/me/dossiers", "POST")


@pytest.mark.parametrize(
    "documents, field",
    [
        ("doc", "documents"),
        ([{"document_id": "a b"}], "documents[0].document_id"),
        ([{"document_id": "a"}, {"document_id": "a"}], "documents[1].document_id"),
        ([{"document_id": "a", "pages": 2}], "documents[0]"),
    ],
)
def test_the_documents_field_is_checked(api, an, documents, field, published):
    refused = submit(api, an, documents=documents)
    assert refused.status_code == 400 and [e["field"] for e in refused.json()["errors"]] == [field]


def document_reads(api, tokens, document_id: str) -> list[dict]:
    log = api.get("/v1/me/access-log", headers=tokens.auth, params={"limit": 100}).json()["items"]
    return [e for e in log if e["action"] == "dossier.list" and f"upload:{document_id}" in e["related"]]


@pytest.fixture
def ready_photo(api, an) -> str:
    document_id = upload(api, an, phone_jpeg(1200, 900))["document_id"]
    assert settled(api, an, document_id)["status"] == "ready"
    return document_id


def test_a_ready_upload_goes_with_a_filing_and_the_agency_gets_its_files_and_is_logged(
    api, agency, an, ready_photo, published
):
    filed = submit(api, an, documents=[{"document_id": ready_photo}])
    assert filed.status_code == 201, filed.text
    assert document_reads(api, an, ready_photo) == []  # filed, not read yet
    [attached] = agency_row(agency, filed.json()["receipt_code"])["documents"]
    assert attached["document_id"] == ready_photo and attached["kind"] == "upload"
    assert attached["content_type"] == "image/jpeg" and (attached["width"], attached["height"]) == (900, 1200)
    files = {f["name"]: f["url"] for f in attached["files"]}
    assert set(files) == {"image", "thumbnail"}
    assert_bare_upright_portrait(requests.get(files["image"], timeout=10).content, 1200)
    [read] = document_reads(api, an, ready_photo)
    assert read["agency_id"] == "ubnd-hoan-kiem"


def test_an_upload_still_pending_or_rejected_does_not_go_with_a_filing(api, an, published):
    pending = ask(api, an).json()["document_id"]
    rejected = upload(api, an, b"MZ\x90\x00" + bytes(200), "image/png")["document_id"]
    assert settled(api, an, rejected)["status"] == "rejected"
    for document_id, reason in ((pending, "upload_pending"), (rejected, "upload_rejected")):
        refused = submit(api, an, documents=[{"document_id": document_id}])
        assert refused.status_code == 400 and refused.json()["code"] == "document_not_usable", refused.text
        assert reason in refused.json()["detail"]
        assert refused.json()["errors"][0]["field"] == "documents[0].document_id"
        assert_response_matches(refused, "/v1/me/dossiers", "POST")


def test_a_deleted_upload_or_another_citizens_is_not_found(api, an, binh, ready_photo, published):
    refused = submit(api, binh, documents=[{"document_id": ready_photo}])
    assert refused.status_code == 404 and refused.json()["code"] == "document_not_found"
    assert api.delete(f"{DOCS}/{ready_photo}", headers=an.auth).status_code == 204
    refused = submit(api, an, documents=[{"document_id": ready_photo}])
    assert refused.status_code == 404 and refused.json()["code"] == "document_not_found"


def test_an_upload_for_a_dossier_lands_on_it_once_ready(api, agency, an, published):
    filed = submit(api, an)
    assert filed.status_code == 201, filed.text
    granted = upload(api, an, phone_jpeg(1200, 900), purpose="dossier", dossier_id=filed.json()["dossier_id"])
    assert settled(api, an, granted["document_id"])["status"] == "ready"
    [attached] = agency_row(agency, filed.json()["receipt_code"])["documents"]
    assert attached["document_id"] == granted["document_id"] and attached["kind"] == "upload"
    assert {f["name"] for f in attached["files"]} == {"image", "thumbnail"}
    assert len(document_reads(api, an, granted["document_id"])) == 1


def test_an_upload_filed_with_a_dossier_cannot_be_deleted(api, agency, an, ready_photo, published):
    filed = submit(api, an, documents=[{"document_id": ready_photo}])
    assert filed.status_code == 201, filed.text
    refused = api.delete(f"{DOCS}/{ready_photo}", headers=an.auth)
    assert refused.status_code == 409 and refused.json()["code"] == "document_filed", refused.text
    assert filed.json()["dossier_id"] in refused.json()["detail"]
    assert_response_matches(refused, "/v1/me/documents/{document_id}", "DELETE")
    [attached] = agency_row(agency, filed.json()["receipt_code"])["documents"]
    assert requests.get(attached["files"][0]["url"], timeout=10).status_code == 200  # the agency's link still works


def test_an_upload_landed_on_a_dossier_cannot_be_deleted(api, an, published):
    dossier_id = submit(api, an).json()["dossier_id"]
    granted = upload(api, an, phone_jpeg(600, 400), purpose="dossier", dossier_id=dossier_id)
    assert settled(api, an, granted["document_id"])["status"] == "ready"
    refused = api.delete(f"{DOCS}/{granted['document_id']}", headers=an.auth)
    assert refused.status_code == 409 and refused.json()["code"] == "document_filed"


def test_a_finished_dossier_takes_no_more_files(api, agency, an, published):
    created = record(agency)
    assert created.status_code == 201, created.text
    assert event(agency, created.json()["receipt_code"], "rejected", "2026-03-03T09:00:00+07:00").status_code == 201
    refused = ask(api, an, purpose="dossier", dossier_id=created.json()["dossier_id"])
    assert refused.status_code == 409 and refused.json()["code"] == "dossier_closed", refused.text
    assert_response_matches(refused, "/v1/me/documents/uploads", "POST")
